#include "base/log.hpp"

#include <cstdlib>

#include <nlohmann/json.hpp>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>

namespace newsmon::log {
namespace {

bool g_json = false;

// "%*" in the pattern: the syslog priority journald reads from the start of a line.
class JournalPriorityFlag final : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg& message, const std::tm&,
                spdlog::memory_buf_t& dest) override {
        static constexpr char k_priorities[] = {'7', '7', '6', '4', '3', '2', '6'};
        auto level = static_cast<std::size_t>(message.level);
        char prefix[3] = {'<', level < sizeof k_priorities ? k_priorities[level] : '6', '>'};
        dest.append(prefix, prefix + 3);
    }
    [[nodiscard]] std::unique_ptr<custom_flag_formatter> clone() const override {
        return std::make_unique<JournalPriorityFlag>();
    }
};

bool needs_quotes(std::string_view value) {
    if (value.empty())
        return true;
    for (char c : value)
        if (c == ' ' || c == '"' || c == '=' || c == '\n' || c == '\t' || c == '\\')
            return true;
    return false;
}

void append_text_value(std::string& out, std::string_view value) {
    if (!needs_quotes(value)) {
        out += value;
        return;
    }
    out += '"';
    for (char c : value) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c == '\n' ? ' ' : c;
    }
    out += '"';
}

std::unique_ptr<spdlog::formatter> make_formatter(bool json, bool under_journal) {
    if (json)
        return std::make_unique<spdlog::pattern_formatter>(
            R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l",%v})", spdlog::pattern_time_type::utc);
    if (!under_journal)
        return std::make_unique<spdlog::pattern_formatter>("%Y-%m-%dT%H:%M:%S.%eZ %l %v",
                                                           spdlog::pattern_time_type::utc);
    auto formatter = std::make_unique<spdlog::pattern_formatter>();
    formatter->add_flag<JournalPriorityFlag>('*').set_pattern("%*%v");
    return formatter;
}

} // namespace

std::string render(std::string_view message, Fields fields) {
    if (g_json) {
        nlohmann::json object;
        object["msg"] = message;
        for (const auto& f : fields)
            object[std::string(f.key)] =
                f.quoted_in_json ? nlohmann::json(f.value) : nlohmann::json::parse(f.value);
        std::string text = object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        return text.substr(1, text.size() - 2); // members only; the pattern adds time and level
    }
    std::string out(message);
    for (const auto& f : fields) {
        out += ' ';
        out += f.key;
        out += '=';
        append_text_value(out, f.value);
    }
    return out;
}

void event(spdlog::level::level_enum level, std::string_view message, Fields fields) {
    if (!spdlog::should_log(level))
        return;
    spdlog::log(level, "{}", render(message, fields));
}

void setup(const std::string& level, const std::string& format,
           const std::optional<std::string>& level_override) {
    g_json = format == "json";
    auto logger = std::make_shared<spdlog::logger>(
        "newsmon", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    logger->set_formatter(make_formatter(g_json, std::getenv("JOURNAL_STREAM") != nullptr));
    logger->set_level(spdlog::level::from_str(level_override.value_or(level)));
    logger->flush_on(spdlog::level::trace);
    spdlog::set_default_logger(std::move(logger));
}

} // namespace newsmon::log
