#include "newsmon/parsers/dates.hpp"

#include <array>
#include <cctype>
#include <cstdio>

#include "newsmon/parsers/text.hpp"
#include "text_internal.hpp"

namespace newsmon::parsers {
namespace {

using namespace std::chrono;

// Character classes without the C locale's function calls.
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_one_of(char c, std::string_view chars) {
    for (char candidate : chars)
        if (c == candidate)
            return true;
    return false;
}

// A cursor over the date text; every reader skips what it does not need and reports success.
class Scanner {
public:
    explicit Scanner(std::string_view text) : m_text(text) {}

    [[nodiscard]] bool at_end() const { return m_pos >= m_text.size(); }
    [[nodiscard]] char peek() const { return at_end() ? '\0' : m_text[m_pos]; }
    void skip(std::string_view chars) {
        while (!at_end() && is_one_of(m_text[m_pos], chars))
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
        while (!at_end() && m_pos - start < max_digits && is_digit(m_text[m_pos])) {
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
        while (m_pos + n < m_text.size() && is_digit(m_text[m_pos + n]))
            ++n;
        return n;
    }
    // Letters, counting every byte of a multi-byte UTF-8 character as one.
    std::string_view word() {
        std::size_t start = m_pos;
        while (!at_end() &&
               (is_ascii_alpha(m_text[m_pos]) || static_cast<unsigned char>(m_text[m_pos]) >= 0x80))
            ++m_pos;
        return m_text.substr(start, m_pos - start);
    }
    std::string_view rest() const { return m_text.substr(std::min(m_pos, m_text.size())); }

private:
    std::string_view m_text;
    std::size_t m_pos = 0;
};

// Lower case for ASCII and Cyrillic, and Turkish/Azerbaijani letters reduced to ASCII, which is
// all that month names need ("Kasım" -> "kasim", "НОЯБРЯ" -> "ноября", "Avqust" -> "avqust").
std::string fold_month_name(std::string_view name) {
    std::string out;
    for (std::size_t i = 0; i < name.size(); ++i) {
        auto c = static_cast<unsigned char>(name[i]);
        if (c < 0x80) {
            out.push_back(ascii_lower(static_cast<char>(c)));
            continue;
        }
        if (i + 1 >= name.size())
            break;
        auto d = static_cast<unsigned char>(name[i + 1]);
        ++i;
        unsigned pair = (static_cast<unsigned>(c) << 8) | d;
        switch (pair) {
        case 0xC59F:
        case 0xC59E:
            out += 's';
            continue; // ş Ş
        case 0xC4B1:
        case 0xC4B0:
            out += 'i';
            continue; // ı İ
        case 0xC49F:
        case 0xC49E:
            out += 'g';
            continue; // ğ Ğ
        case 0xC3BC:
        case 0xC39C:
            out += 'u';
            continue; // ü Ü
        case 0xC3B6:
        case 0xC396:
            out += 'o';
            continue; // ö Ö
        case 0xC3A7:
        case 0xC387:
            out += 'c';
            continue; // ç Ç
        case 0xC999:
        case 0xC68F:
            out += 'e';
            continue; // ə Ə
        default:
            break;
        }
        if (c == 0xD0 && d >= 0x90 && d <= 0x9F) { // А-П
            out += '\xD0';
            out += static_cast<char>(d + 0x20);
        } else if (c == 0xD0 && d >= 0xA0 && d <= 0xAF) { // Р-Я
            out += '\xD1';
            out += static_cast<char>(d - 0x20);
        } else {
            out += static_cast<char>(c);
            out += static_cast<char>(d);
        }
    }
    return out;
}

// Month names and abbreviations in English, Russian (any case form), Azerbaijani and Turkish,
// as prefixes of the folded name; the more specific prefix of two comes first.
std::optional<unsigned> month_from_name(std::string_view name) {
    struct Prefix {
        std::string_view prefix;
        unsigned month;
    };
    static constexpr Prefix k_prefixes[] = {
        {"jan", 1},
        {"feb", 2},
        {"mar", 3},
        {"apr", 4},
        {"may", 5},
        {"jun", 6},
        {"jul", 7},
        {"aug", 8},
        {"sep", 9},
        {"oct", 10},
        {"nov", 11},
        {"dec", 12},
        // Azerbaijani
        {"yanv", 1},
        {"fevr", 2},
        {"iyun", 6},
        {"iyul", 7},
        {"avq", 8},
        {"sent", 9},
        {"okt", 10},
        {"noy", 11},
        {"dek", 12},
        // Turkish
        {"oca", 1},
        {"sub", 2},
        {"nis", 4},
        {"haz", 6},
        {"tem", 7},
        {"agu", 8},
        {"eyl", 9},
        {"eki", 10},
        {"kas", 11},
        {"ara", 12},
        // Russian
        {"\xD1\x8F\xD0\xBD\xD0\xB2", 1},  // янв
        {"\xD1\x84\xD0\xB5\xD0\xB2", 2},  // фев
        {"\xD0\xBC\xD0\xB0\xD1\x80", 3},  // мар
        {"\xD0\xB0\xD0\xBF\xD1\x80", 4},  // апр
        {"\xD0\xBC\xD0\xB0", 5},          // май, мая
        {"\xD0\xB8\xD1\x8E\xD0\xBD", 6},  // июн
        {"\xD0\xB8\xD1\x8E\xD0\xBB", 7},  // июл
        {"\xD0\xB0\xD0\xB2\xD0\xB3", 8},  // авг
        {"\xD1\x81\xD0\xB5\xD0\xBD", 9},  // сен
        {"\xD0\xBE\xD0\xBA\xD1\x82", 10}, // окт
        {"\xD0\xBD\xD0\xBE\xD1\x8F", 11}, // ноя
        {"\xD0\xB4\xD0\xB5\xD0\xBA", 12}, // дек
    };
    std::string folded = fold_month_name(name);
    if (folded.size() < 3)
        return std::nullopt;
    auto begins_with = [&](std::string_view prefix) { // prefixes are short: no memcmp call
        if (folded.size() < prefix.size())
            return false;
        for (std::size_t i = 0; i < prefix.size(); ++i)
            if (folded[i] != prefix[i])
                return false;
        return true;
    };
    for (const auto& entry : k_prefixes)
        if (begins_with(entry.prefix))
            return entry.month;
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
    if (is_ascii_alpha(in.peek()) || static_cast<unsigned char>(in.peek()) >= 0x80) {
        (void)in.word(); // weekday, never trusted
        in.skip(", \t");
    }
    auto day_of_month = in.number(1, 2);
    in.skip(" -");
    auto month_number = month_from_name(in.word());
    in.skip(". -,");
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

// The form nearly every RSS feed writes, "Fri, 07 Nov 2025 10:10:00 +0400" (or "GMT"), read by
// position; anything else goes to the general readers.
std::optional<sys_seconds> parse_rfc1123_exact(std::string_view text) {
    if (text.size() != 29 && text.size() != 31)
        return std::nullopt;
    auto digit = [&](std::size_t at) { return is_digit(text[at]) ? text[at] - '0' : -100; };
    auto two = [&](std::size_t at) { return digit(at) * 10 + digit(at + 1); };
    if (text[3] != ',' || text[4] != ' ' || text[7] != ' ' || text[11] != ' ' || text[16] != ' ' ||
        text[19] != ':' || text[22] != ':' || text[25] != ' ')
        return std::nullopt;
    static constexpr std::string_view k_months = "janfebmaraprmayjunjulaugsepoctnovdec";
    char month_name[3] = {ascii_lower(text[8]), ascii_lower(text[9]), ascii_lower(text[10])};
    std::size_t month_at = std::string_view::npos;
    for (std::size_t at = 0; at < k_months.size() && month_at == std::string_view::npos; at += 3)
        if (k_months[at] == month_name[0] && k_months[at + 1] == month_name[1] &&
            k_months[at + 2] == month_name[2])
            month_at = at;
    int day_of_month = two(5), year_value = two(12) * 100 + two(14);
    int hour = two(17), minute = two(20), second = two(23);
    if (month_at == std::string_view::npos || month_at % 3 != 0 || day_of_month < 0 ||
        year_value < 0 || hour < 0 || minute < 0 || second < 0)
        return std::nullopt;
    int offset = 0;
    std::string_view zone = text.substr(26);
    if (zone.size() == 5 && (zone[0] == '+' || zone[0] == '-')) {
        int hours = two(27), minutes = two(29);
        if (hours < 0 || minutes < 0)
            return std::nullopt;
        offset = (zone[0] == '-' ? -1 : 1) * (hours * 60 + minutes);
    } else if (zone != "GMT" && zone != "UTC") {
        return std::nullopt;
    }
    return make_instant(year_value, static_cast<unsigned>(month_at / 3 + 1),
                        static_cast<unsigned>(day_of_month), hour, minute, second, offset);
}

} // namespace

std::optional<sys_seconds> parse_date(std::string_view text) {
    if (auto common = parse_rfc1123_exact(text))
        return common;
    std::string collapsed;
    std::string_view trimmed = text;
    if (!is_collapsed(text)) {
        collapsed = collapse_whitespace(text);
        trimmed = collapsed;
    }
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
