// Keeps the log lines written while it lives (beside the usual output), for tests that assert
// what the daemon said. Create it before the threads that log, destroy it after they end.
#pragma once

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

namespace newsmon::testkit {

class LogCapture {
public:
    LogCapture()
        : m_previous(spdlog::default_logger()),
          m_lines(std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(20'000)) {
        m_lines->set_pattern("%l %v"); // "error spool file quarantined file=…"
        auto sinks = m_previous->sinks();
        sinks.push_back(m_lines);
        auto logger = std::make_shared<spdlog::logger>("capture", sinks.begin(), sinks.end());
        logger->set_level(m_previous->level());
        spdlog::set_default_logger(std::move(logger));
    }
    ~LogCapture() { spdlog::set_default_logger(m_previous); }
    LogCapture(const LogCapture&) = delete;
    LogCapture& operator=(const LogCapture&) = delete;

    [[nodiscard]] std::vector<std::string> lines() const { return m_lines->last_formatted(); }
    // The lines that contain every one of `parts`.
    [[nodiscard]] std::vector<std::string>
    matching(std::initializer_list<std::string_view> parts) const {
        std::vector<std::string> found;
        for (auto& line : lines()) {
            bool all = true;
            for (auto part : parts)
                all = all && line.find(part) != std::string::npos;
            if (all)
                found.push_back(std::move(line));
        }
        return found;
    }
    // The first of them, or "" when there is none.
    [[nodiscard]] std::string find(std::initializer_list<std::string_view> parts) const {
        auto found = matching(parts);
        return found.empty() ? std::string() : found.front();
    }

private:
    std::shared_ptr<spdlog::logger> m_previous;
    std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> m_lines;
};

} // namespace newsmon::testkit
