#include "markup_survey.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>

#include "byte_scan.hpp"
#include "newsmon/parsers/encoding.hpp"
#include "text_internal.hpp"

namespace newsmon::parsers::detail {
namespace {

// One of the five references XML defines starts at p, just past its '&': the survey meets one
// at nearly every '&' of a feed, and compares of a known length compile to a load and a compare.
bool predefined_reference_at(const char* p, const char* end) {
    std::ptrdiff_t left = end - p;
    if (left >= 3 && (p[0] == 'l' || p[0] == 'g') && p[1] == 't' && p[2] == ';')
        return true;
    if (left >= 4 && std::memcmp(p, "amp;", 4) == 0)
        return true;
    return left >= 5 && (std::memcmp(p, "quot;", 5) == 0 || std::memcmp(p, "apos;", 5) == 0);
}

// Looks at the '&' at `amp`: a name XML does not define, or an ampersand that starts nothing.
void note_reference(const char* amp, const char* end, MarkupSurvey& survey) {
    const char* p = amp + 1;
    if (p < end && *p == '#') {
        survey.upper_hex_reference |= p + 1 < end && p[1] == 'X';
        survey.unusable_character_reference |=
            unusable_reference_at(std::string_view(amp, static_cast<std::size_t>(end - amp))) > 0;
        return;
    }
    if (predefined_reference_at(p, end))
        return;
    while (p < end && p - amp <= 32 && (is_ascii_alpha(*p) || (*p >= '0' && *p <= '9')))
        ++p;
    std::string_view name(amp + 1, static_cast<std::size_t>(p - amp - 1));
    if (p == end || *p != ';' || name.empty()) {
        survey.bare_ampersand = true;
        return;
    }
    auto& names = survey.html_names;
    if (names.size() < 5 && std::find(names.begin(), names.end(), name) == names.end())
        names.emplace_back(name);
}

bool starts_with(const char* p, const char* end, std::string_view prefix) {
    return static_cast<std::size_t>(end - p) >= prefix.size() &&
           std::string_view(p, prefix.size()) == prefix;
}

// Notes a character XML forbids among the bytes [p, end) of a 64-byte group already found
// suspect.
void note_forbidden(const char* p, const char* end, MarkupSurvey& survey) {
    for (; p < end && !survey.forbidden_characters; ++p)
        survey.forbidden_characters = scan::forbidden_at(p, end);
}

// Past the "]]>" that closes a CDATA section whose content starts at p, noting forbidden
// characters, where the content is and, when asked, whether it is valid UTF-8 (checked now,
// while it is in the cache). References inside are not the document's but the HTML's, which
// may use any of HTML's names and bare ampersands: nothing to say about them. One pass, 64
// bytes at a time: sections are most of a news feed's bytes.
const char* skip_cdata(const char* text, const char* p, const char* end, bool check_utf8,
                       MarkupSurvey& survey) {
    const char* content = p;
    const char* close = nullptr;
    constexpr std::ptrdiff_t k_span = 64;
    bool carriage_returns = false;
    for (; !close && end - p >= k_span; p += k_span) {
        scan::Group group(p);
        if (group.may_hold_controls()) {
            if (group.may_hold_forbidden())
                note_forbidden(p, p + k_span, survey);
            carriage_returns = carriage_returns || group.any_equal('\r', '\r');
        }
        if (!group.any_equal(']', ']'))
            continue; // most groups of a section
        for (std::uint64_t bits = group.bits_equal(']', ']'); bits != 0 && !close; bits &= bits - 1)
            if (const char* at = p + std::countr_zero(bits); starts_with(at, end, "]]>"))
                close = at;
    }
    for (; !close && p < end; ++p) {
        if (*p == ']' && starts_with(p, end, "]]>"))
            close = p;
        carriage_returns = carriage_returns || *p == '\r';
        if (!close && scan::forbidden_at(p, end))
            survey.forbidden_characters = true;
    }
    if (!close)
        return end;
    auto size = static_cast<std::size_t>(close - content);
    bool valid = !check_utf8 || is_valid_utf8_fast(std::string_view(content, size));
    survey.cdata.push_back(
        {static_cast<std::size_t>(content - text), size, carriage_returns, valid});
    return close + 3;
}

// Walks the markup event by event ('<', '>', '&'), 64 bytes at a time: with every event of a
// block in one bit mask, the loop branches once per event rather than once per search.
class Surveyor {
public:
    Surveyor(std::string_view text, std::size_t max_depth, bool check_cdata_utf8)
        : m_text(text.data()), m_end(text.data() + text.size()), m_max_depth(max_depth),
          m_check_cdata_utf8(check_cdata_utf8), m_copied(text.data()) {}

    MarkupSurvey run(const char* p) {
        // Half: in news feeds CDATA holds most of the bytes; a feed without any grows it once.
        m_survey.skeleton.reserve(static_cast<std::size_t>(m_end - m_text) / 2);
        constexpr std::ptrdiff_t k_span = 64;
        while (p < m_end && !m_survey.too_deep) {
            const char* resume = nullptr;
            if (m_end - p >= k_span) {
                scan::Group group(p);
                if (group.may_hold_forbidden())
                    note_forbidden(p, p + k_span, m_survey);
                std::uint64_t bits = group.bits_equal('<', '>', '&');
                for (; bits != 0 && !resume; bits &= bits - 1)
                    resume = on_event(p + std::countr_zero(bits));
                p = resume ? resume : p + k_span;
            } else {
                for (; p < m_end && !resume; ++p) {
                    if (scan::forbidden_at(p, m_end))
                        m_survey.forbidden_characters = true;
                    if (*p == '<' || *p == '>' || *p == '&')
                        resume = on_event(p);
                }
                if (resume)
                    p = resume;
            }
        }
        if (!m_survey.too_deep)
            keep_skeleton_up_to(m_end);
        return std::move(m_survey);
    }

private:
    // Copies the text from the end of the last CDATA section up to `to` into the skeleton,
    // while it is still in the cache.
    void keep_skeleton_up_to(const char* to) {
        m_survey.skeleton.append(m_copied, static_cast<std::size_t>(to - m_copied));
        m_copied = to;
    }

    // Handles the event at `at`; returns where to go on when it skipped ahead (past a CDATA
    // section or a comment, or to the end), else nullptr.
    const char* on_event(const char* at) {
        if (*at == '&') {
            note_reference(at, m_end, m_survey);
            return nullptr;
        }
        if (*at == '>') {
            if (m_in_tag && m_tag_opens && at[-1] != '/' && ++m_depth > m_max_depth) {
                m_survey.too_deep = true;
                return m_end;
            }
            m_in_tag = false;
            return nullptr;
        }
        if (m_in_tag) // '<' inside a tag: malformed, and not a tag of its own
            return nullptr;
        char kind = at + 1 < m_end ? at[1] : '\0';
        if (kind == '!' && starts_with(at, m_end, "<![CDATA[")) {
            std::size_t sections = m_survey.cdata.size();
            const char* after = skip_cdata(m_text, at + 9, m_end, m_check_cdata_utf8, m_survey);
            if (m_survey.cdata.size() > sections) {
                const CdataSpan& section = m_survey.cdata.back();
                keep_skeleton_up_to(m_text + section.begin);
                m_copied = m_text + section.begin + section.size;
            }
            return after;
        }
        if (kind == '!' && starts_with(at, m_end, "<!--")) {
            std::string_view rest(at + 4, static_cast<std::size_t>(m_end - at - 4));
            std::size_t close = rest.find("-->");
            return close == std::string_view::npos ? m_end : at + 4 + close + 3;
        }
        m_in_tag = true;
        m_tag_opens = kind != '/' && kind != '?' && kind != '!';
        if (kind == '/')
            m_depth -= m_depth > 0 ? 1 : 0;
        return nullptr;
    }

    const char* m_text;
    const char* m_end;
    std::size_t m_max_depth;
    bool m_check_cdata_utf8;
    const char* m_copied; // the skeleton holds the text before this
    std::size_t m_depth = 0;
    bool m_in_tag = false;
    bool m_tag_opens = false; // the tag being read is a start tag (or an empty-element tag)
    MarkupSurvey m_survey;
};

} // namespace

std::size_t unusable_reference_at(std::string_view at) {
    if (!at.starts_with("&#"))
        return 0;
    auto [code, digits, end] = read_numeric_reference(at);
    if (digits == 0 || end >= at.size() || at[end] != ';')
        return 0; // not a reference: left to the parser
    bool unusable = code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF) || code == 0;
    return unusable ? end + 1 : 0;
}

MarkupSurvey survey_markup(std::string_view text, std::size_t max_depth, bool check_cdata_utf8) {
    return Surveyor(text, max_depth, check_cdata_utf8).run(text.data());
}

} // namespace newsmon::parsers::detail
