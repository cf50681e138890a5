// Polls that could not be stored because the database was away, kept on disk in order until
// it returns. One file per poll, written atomically (write, fsync, rename, fsync the
// directory); a file that cannot be read is moved to quarantine/ and kept for a person.
#pragma once

#include <chrono>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "store/store.hpp"

namespace newsmon::store {

// The format this build writes, as "spool_version" in every file. A file without one was
// written before the field existed and has the same fields (version 0); a newer one is not
// read, since this build cannot know what its fields mean.
inline constexpr int k_spool_version = 1;

class Spool {
public:
    // Creates the directory (0700) when missing and removes the temporary files a crash in
    // the middle of a write left behind (a spool directory belongs to one instance); throws
    // when it cannot.
    explicit Spool(std::filesystem::path directory);

    void put(const FeedPoll& poll); // safe to call from several threads

    // The spooled polls, oldest first, as file paths to read and remove one by one.
    [[nodiscard]] std::vector<std::filesystem::path> pending() const;
    // The poll in `file`, or why it cannot be: unreadable, truncated, or a newer format.
    [[nodiscard]] static tl::expected<FeedPoll, std::string>
    read(const std::filesystem::path& file);

    // Moves `file` into quarantine/ (created 0700), out of the replay, and returns its new
    // path. Throws when it cannot.
    std::filesystem::path quarantine(const std::filesystem::path& file);

    // Removes the temporary files that have not been written to for `idle` (a write takes
    // milliseconds: an older one was left by a crash) and returns how many.
    std::size_t remove_stale_temporaries(std::chrono::seconds idle);

    [[nodiscard]] const std::filesystem::path& directory() const { return m_directory; }

private:
    std::filesystem::path m_directory;
    std::mutex m_mutex; // store workers spool concurrently
    unsigned m_sequence = 0;
};

// [daemon] state_dir, else $STATE_DIRECTORY (systemd), else ./var; with "spool" appended.
[[nodiscard]] std::filesystem::path spool_directory(const std::string& state_dir);

// FeedPoll to and from JSON (exposed for tests). Reading fails on a document that is not a
// spooled poll of version k_spool_version or older.
[[nodiscard]] std::string to_json(const FeedPoll& poll);
[[nodiscard]] tl::expected<FeedPoll, std::string> feed_poll_from_json(const std::string& text);

} // namespace newsmon::store
