// `newsmon reparse`: the current parser, extractor and tagger run again over the raw archive,
// and the stored articles updated from what they read. Feed bodies first, oldest first, so an
// article ends with the newest version of its item; then each article's newest page. Batches,
// each body committed with the checkpoint after it: an interrupted run resumes when run again
// with the same options, and the daemon may keep polling meanwhile.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "config/config.hpp"
#include "store/store.hpp"
#include "tag/tagger.hpp"

namespace newsmon::service {

struct ReparseOptions {
    std::optional<std::string> since; // bodies fetched since (a timestamptz literal)
    std::optional<std::int64_t> feed_id;
    int batch_size = 50; // bodies read from the database at a time
};

struct ReparseReport {
    std::int64_t feed_bodies = 0, feed_bodies_total = 0;
    std::int64_t pages = 0, pages_total = 0;
    std::int64_t changed = 0;       // articles changed by their feed's bodies
    std::int64_t added = 0;         // items no stored article had
    std::int64_t pages_changed = 0; // articles whose page text changed
    std::int64_t unreadable = 0;    // bodies that gave nothing (damaged, no feed, no text, refused)
    std::map<std::string, std::int64_t> fields; // changed articles by what changed
    bool resumed = false;
};

// Runs the reparse; `on_progress` is called after each batch with the report so far.
ReparseReport reparse(store::Store& store, const config::Config& config, const tag::Tagger& tagger,
                      const ReparseOptions& options,
                      const std::function<void(const ReparseReport&)>& on_progress);

} // namespace newsmon::service
