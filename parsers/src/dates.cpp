#include "newsmon/parsers/dates.hpp"

#include <array>
#include <cctype>
#include <cstdio>

#include "newsmon/parsers/text.hpp"

namespace newsmon::parsers {
namespace {

using namespace std::chrono;

// A cursor over the date text; every reader skips what it does not need and reports success.
class Scanner {
public:
    explicit Scanner(std::string_view text) : m_text(text) {}

    [[nodiscard]] bool at_end() const { return m_pos >= m_text.size(); }
    [[nodiscard]] char peek() const { return at_end() ? '\0' : m_text[m_pos]; }
    void skip(std::string_view chars) {
        while (!at_end() && chars.find(m_text[m_pos]) != std::string_view::npos)
            ++m_pos;
    }
    bool accept(char c) {
        if (peek() != c)
            return false;
        ++m_pos;
        return true;
    }
    // Reads between min and max digits.
    std::optional<int> number(std::size_t min_digits, std::size_t max_digits) {
        std::size_t start = m_pos;
        int value = 0;
        while (!at_end() && m_pos - start < max_digits &&
               std::isdigit(static_cast<unsigned char>(m_text[m_pos]))) {
            value = value * 10 + (m_text[m_pos] - '0');
            ++m_pos;
        }
        if (m_pos - start < min_digits) {
            m_pos = start;
            return std::nullopt;
        }
        return value;
    }
    std::size_t digits_ahead() const {
        std::size_t n = 0;
        while (m_pos + n < m_text.size() &&
               std::isdigit(static_cast<unsigned char>(m_text[m_pos + n])))
            ++n;
        return n;
    }
    std::string_view word() {
        std::size_t start = m_pos;
        while (!at_end() && std::isalpha(static_cast<unsigned char>(m_text[m_pos])))
            ++m_pos;
        return m_text.substr(start, m_pos - start);
    }
    std::string_view rest() const { return m_text.substr(std::min(m_pos, m_text.size())); }

private:
    std::string_view m_text;
    std::size_t m_pos = 0;
};

std::optional<unsigned> english_month(std::string_view name) {
    static constexpr std::array<std::string_view, 12> k_months = {
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
    if (name.size() < 3)
        return std::nullopt;
    for (unsigned i = 0; i < k_months.size(); ++i)
        if (iequals_ascii(name.substr(0, 3), k_months[i]))
            return i + 1;
    return std::nullopt;
}

// RFC 822 zone names, numeric offsets and military letters, as minutes east of UTC.
std::optional<int> zone_offset_minutes(Scanner& in) {
    in.skip(" ");
    if (in.at_end())
        return 0; // no zone: read as UTC
    if (in.peek() == '+' || in.peek() == '-') {
        int sign = in.peek() == '-' ? -1 : 1;
        in.accept(in.peek());
        auto hours = in.number(2, 2);
        in.accept(':');
        auto minutes = in.number(2, 2);
        if (!hours)
            return std::nullopt;
        return sign * (*hours * 60 + minutes.value_or(0));
    }
    std::string_view name = in.word();
    struct Zone {
        std::string_view name;
        int hours;
    };
    static constexpr std::array<Zone, 11> k_zones = {{{"GMT", 0},
                                                      {"UT", 0},
                                                      {"UTC", 0},
                                                      {"Z", 0},
                                                      {"EST", -5},
                                                      {"EDT", -4},
                                                      {"CST", -6},
                                                      {"CDT", -5},
                                                      {"MST", -7},
                                                      {"MDT", -6},
                                                      {"PST", -8}}};
    for (const auto& zone : k_zones)
        if (iequals_ascii(name, zone.name))
            return zone.hours * 60;
    if (iequals_ascii(name, "PDT"))
        return -7 * 60;
    if (name.size() == 1) { // military letters: A-I = +1..+9, K-M = +10..+12, N-Y = -1..-12
        char c = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
        if (c >= 'A' && c <= 'I')
            return (c - 'A' + 1) * 60;
        if (c >= 'K' && c <= 'M')
            return (c - 'K' + 10) * 60;
        if (c >= 'N' && c <= 'Y')
            return -(c - 'N' + 1) * 60;
    }
    return std::nullopt;
}

std::optional<sys_seconds> make_instant(int y, unsigned mo, unsigned d, int h, int mi, int s,
                                        int offset_minutes) {
    year_month_day date{year{y}, month{mo}, day{d}};
    if (!date.ok() || h > 24 || mi > 59 || s > 60)
        return std::nullopt;
    sys_seconds local = sys_days{date} + hours{h} + minutes{mi} + seconds{s};
    return local - minutes{offset_minutes};
}

int widen_two_digit_year(int year) {
    return year < 50 ? 2000 + year : 1900 + year;
}

// "Mon, 22 Jul 2024 18:42:00 +0400" with optional weekday and seconds, "Sept", "19 Sep. 2025".
std::optional<sys_seconds> parse_rfc822(std::string_view text) {
    Scanner in(text);
    in.skip(" \t");
    if (std::isalpha(static_cast<unsigned char>(in.peek()))) {
        (void)in.word(); // weekday, never trusted
        in.skip(", \t");
    }
    auto day_of_month = in.number(1, 2);
    in.skip(" -");
    auto month_number = english_month(in.word());
    in.skip(". -");
    std::size_t year_digits = in.digits_ahead();
    auto year_value = in.number(2, 4);
    if (!day_of_month || !month_number || !year_value || year_digits == 3)
        return std::nullopt;
    int year_full = year_digits == 2 ? widen_two_digit_year(*year_value) : *year_value;
    in.skip(" ,T");
    int hour = 0, minute = 0, second = 0;
    if (auto h = in.number(1, 2)) {
        if (!in.accept(':'))
            return std::nullopt;
        auto m = in.number(2, 2);
        if (!m)
            return std::nullopt;
        hour = *h;
        minute = *m;
        if (in.accept(':'))
            second = in.number(2, 2).value_or(0);
        in.skip(" ");
        Scanner probe = in;
        std::string_view meridiem = probe.word();
        if (iequals_ascii(meridiem, "AM") || iequals_ascii(meridiem, "PM")) {
            in = probe;
            if (hour > 12)
                return std::nullopt;
            hour = (hour % 12) + (iequals_ascii(meridiem, "PM") ? 12 : 0);
        }
    }
    auto offset = zone_offset_minutes(in);
    in.skip(" ");
    if (!offset || !(in.at_end() || in.peek() == '(')) // "+0000 (UTC)" comments are allowed
        return std::nullopt;
    return make_instant(year_full, *month_number, static_cast<unsigned>(*day_of_month), hour,
                        minute, second, *offset);
}

// "2025-11-07T10:10:00+04:00", "2025-11-07 10:10:00", "2025-11-07", fractions, no zone = UTC.
std::optional<sys_seconds> parse_iso8601(std::string_view text) {
    Scanner in(text);
    in.skip(" \t");
    auto y = in.number(4, 4);
    if (!y || !in.accept('-'))
        return std::nullopt;
    auto mo = in.number(2, 2);
    if (!mo || !in.accept('-'))
        return std::nullopt;
    auto d = in.number(2, 2);
    if (!d)
        return std::nullopt;
    int hour = 0, minute = 0, second = 0, offset = 0;
    if (in.accept('T') || in.accept('t') || in.accept(' ')) {
        auto h = in.number(2, 2);
        if (!h || !in.accept(':'))
            return std::nullopt;
        auto m = in.number(2, 2);
        if (!m)
            return std::nullopt;
        hour = *h;
        minute = *m;
        if (in.accept(':'))
            second = in.number(2, 2).value_or(0);
        if (in.accept('.') || in.accept(','))
            (void)in.number(1, 9);
        if (in.accept('Z') || in.accept('z'))
            offset = 0;
        else if (auto zone = zone_offset_minutes(in))
            offset = *zone;
        else
            return std::nullopt;
    }
    in.skip(" \t");
    if (!in.at_end())
        return std::nullopt;
    return make_instant(*y, static_cast<unsigned>(*mo), static_cast<unsigned>(*d), hour, minute,
                        second, offset);
}

} // namespace

std::optional<sys_seconds> parse_date(std::string_view text) {
    std::string trimmed = collapse_whitespace(text);
    if (trimmed.empty())
        return std::nullopt;
    if (auto iso = parse_iso8601(trimmed))
        return iso;
    return parse_rfc822(trimmed);
}

std::string format_rfc3339(sys_seconds instant) {
    auto day_point = floor<days>(instant);
    year_month_day date{day_point};
    hh_mm_ss time{instant - day_point};
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02dZ", int{date.year()},
                  unsigned{date.month()}, unsigned{date.day()},
                  static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                  static_cast<int>(time.seconds().count()));
    return buffer;
}

} // namespace newsmon::parsers
