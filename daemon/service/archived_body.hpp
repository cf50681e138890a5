// What the raw archive keeps of a fetched body (0018_raw_archive.sql).
#pragma once

#include <optional>

#include "config/config.hpp"
#include "fetch/fetcher.hpp"
#include "store/store.hpp"

namespace newsmon::service {

// The body compressed, with its URL, status and the headers newsmon reads; nothing when
// [archive] keep is zero. `content_hash`: the body's change digest when the caller has it.
[[nodiscard]] std::optional<store::ArchivedBody>
archived_body(const config::Config& config, const fetch::FetchResult& result,
              const std::optional<std::string>& content_hash = std::nullopt);

} // namespace newsmon::service
