// Polls that could not be stored because the database was away, kept on disk in order until
// it returns. One file per poll, written atomically (write, fsync, rename).
#pragma once

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace newsmon::store {

class Spool {
public:
    // Creates the directory when missing; throws when it cannot.
    explicit Spool(std::filesystem::path directory);

    void put(const FeedPoll& poll); // safe to call from several threads

    // The spooled polls, oldest first, as file paths to read and remove one by one.
    [[nodiscard]] std::vector<std::filesystem::path> pending() const;
    [[nodiscard]] static FeedPoll read(const std::filesystem::path& file);

    [[nodiscard]] const std::filesystem::path& directory() const { return m_directory; }

private:
    std::filesystem::path m_directory;
    std::mutex m_mutex; // store workers spool concurrently
    unsigned m_sequence = 0;
};

// [daemon] state_dir, else $STATE_DIRECTORY (systemd), else ./var; with "spool" appended.
[[nodiscard]] std::filesystem::path spool_directory(const std::string& state_dir);

// FeedPoll to and from JSON (exposed for tests).
[[nodiscard]] std::string to_json(const FeedPoll& poll);
[[nodiscard]] FeedPoll feed_poll_from_json(const std::string& text);

} // namespace newsmon::store
