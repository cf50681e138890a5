// Plain text from HTML fragments: tags dropped, references decoded, white space collapsed.
#include <algorithm>
#include <array>
#include <bit>
#include <optional>

#include "byte_scan.hpp"
#include "html_tags.hpp"
#include "newsmon/parsers/html.hpp"
#include "newsmon/parsers/text.hpp"
#include "text_internal.hpp"

namespace newsmon::parsers {

void append_utf8(std::string& out, char32_t code) {
    if (code < 0x80) {
        out.push_back(static_cast<char>(code));
    } else if (code < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (code >> 6)));
        out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else if (code < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (code >> 12)));
        out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (code >> 18)));
        out.push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    }
}

namespace {

using html::plain_tag;
using html::read_tag;
using html::skip_element_content;
using html::skip_markup_declaration;
using html::starts_tag;
using html::Tag;
using html::TagRole;

// Foreign content (MathML, SVG) is dropped from sanitized HTML, but its text is what the
// formula or the figure says: kept here.
bool is_foreign_root(std::string_view name) {
    return name == "math" || name == "svg";
}
bool drops_content(std::string_view name) {
    return html::role_of(name) == TagRole::drop_content && !is_foreign_root(name);
}
bool separates_words(std::string_view name) {
    return html::role_of(name) == TagRole::block;
}

// "…&nbs" or "…&n..." at the very end: a reference the feed cut in half. "R&D" is not one:
// without an ellipsis after it, only a lower-case beginning of a real name counts.
template <typename String> void drop_truncated_reference(String& text) {
    std::size_t amp = text.rfind('&');
    if (amp == std::string::npos || text.size() - amp > 40)
        return;
    std::string_view tail = std::string_view(text).substr(amp + 1);
    std::size_t i = 0;
    while (i < tail.size() &&
           (is_ascii_alpha(tail[i]) || (tail[i] >= '0' && tail[i] <= '9') || tail[i] == '#'))
        ++i;
    std::string_view fragment = tail.substr(0, i);
    std::string_view after = tail.substr(i);
    bool ellipsis = after == "..." || after == "\xE2\x80\xA6";
    bool lower_case = !fragment.empty() && fragment[0] >= 'a' && fragment[0] <= 'z';
    bool cut = ellipsis || (after.empty() && (fragment.starts_with('#') ||
                                              (lower_case && is_reference_prefix(fragment))));
    if (!cut)
        return;
    std::string kept(after);
    text.resize(amp);
    text += kept;
}

// How many bytes from `p` can be copied as they are: no C0 control, no 0xC2 (which may
// start a no-break space), no stop byte, no second space in a row.
std::size_t clean_run(const char* p, const char* end, char stop, char other_stop) {
    auto flagged = [&](const char* at) { // the 16 positions from `at`; reads at[16] too
        scan::Block block = scan::load(at);
        scan::Block next = scan::load(at + 1);
        return (block < 0x20) | (block == 0xC2) | (block == static_cast<unsigned char>(stop)) |
               (block == static_cast<unsigned char>(other_stop)) | ((block == ' ') & (next == ' '));
    };
    auto is_flagged = [&](const char* at) {
        auto c = static_cast<unsigned char>(*at);
        return c < 0x20 || c == 0xC2 || *at == stop || *at == other_stop ||
               (c == ' ' && at + 1 < end && at[1] == ' ');
    };
    const char* start = p;
    constexpr auto k_width = static_cast<std::ptrdiff_t>(scan::k_block);
    if (end - p <= k_width) { // short: byte by byte
        while (p < end && !is_flagged(p))
            ++p;
        return static_cast<std::size_t>(p - start);
    }
    for (; end - p > k_width; p += k_width)
        if (std::size_t at = scan::first_set(flagged(p)); at < scan::k_block)
            return static_cast<std::size_t>(p - start) + at;
    // The last bytes: one window ending one byte early (it reads a byte ahead), with the
    // positions already seen masked off, then the very last byte.
    const char* window = end - k_width - 1;
    auto seen = static_cast<unsigned>(p - window);
    unsigned bits = scan::bits_of(flagged(window)) & (0xFFFFU << seen);
    if (bits != 0)
        return static_cast<std::size_t>(window - start) +
               static_cast<std::size_t>(std::countr_zero(bits));
    return static_cast<std::size_t>(end - start) - (is_flagged(end - 1) ? 1 : 0);
}

// Plain text written as it is found, white space collapsed on the way: runs of ASCII white
// space, C0 controls and no-break spaces become one space, with none at either end.
// Writes into a string it is given (empty): a std::string, or an item's text in the feed's
// arena, so that a summary is written once, where it stays.
template <typename String> class CollapsingText {
public:
    CollapsingText(String& out, std::size_t expected) : m_text(out) { m_text.reserve(expected); }

    // Appends `chunk` up to its first '&' (and '<' when `markup`); returns how much it used.
    std::size_t append_until_markup(std::string_view chunk, bool markup) {
        return append_until(chunk, '&', markup ? '<' : '&');
    }
    void append(std::string_view chunk) { (void)append_until(chunk, '\0', '\0'); }
    void word_break() { m_pending_space = !m_text.empty(); }

private:
    // Appends `chunk` up to the first `stop` or `other_stop` byte; returns how much it used.
    std::size_t append_until(std::string_view chunk, char stop, char other_stop) {
        const char* p = chunk.data();
        const char* const end = p + chunk.size();
        while (p < end) {
            std::size_t run = clean_run(p, end, stop, other_stop);
            if (run > 0) {
                if (*p == ' ') { // the run holds no second space: this one may be pending
                    m_pending_space = !m_text.empty();
                    ++p;
                    if (--run == 0)
                        continue;
                }
                if (m_pending_space)
                    m_text.push_back(' ');
                m_text.append(p, run);
                p += run;
                m_pending_space = m_text.back() == ' ';
                if (m_pending_space)
                    m_text.pop_back();
                continue;
            }
            auto c = static_cast<unsigned char>(*p);
            if (c != 0 && (*p == stop || *p == other_stop))
                break;
            bool no_break_space =
                c == 0xC2 && p + 1 < end && static_cast<unsigned char>(p[1]) == 0xA0;
            if (c <= 0x20 || no_break_space) {
                m_pending_space = !m_text.empty();
                p += no_break_space ? 2 : 1;
                continue;
            }
            if (m_pending_space)
                m_text.push_back(' ');
            m_pending_space = false;
            m_text.push_back(*p++);
        }
        return static_cast<std::size_t>(p - chunk.data());
    }

    String& m_text;
    bool m_pending_space = false;
};

// One pass over an HTML fragment (or plain text with references, when `markup` is false):
// tags dropped, content of script-like elements skipped, block tags separating words,
// references decoded, white space collapsed.
template <typename String> void plain_text_into(std::string_view html, bool markup, String& out) {
    CollapsingText<String> text(out, html.size());
    std::string decoded;
    std::size_t pos = 0;
    while (pos < html.size()) {
        std::size_t next = pos + text.append_until_markup(html.substr(pos), markup);
        if (next == html.size())
            break;
        if (html[next] == '&') {
            decoded.clear();
            std::size_t used = decode_reference(html.substr(next), decoded);
            if (used > 0)
                text.append(decoded);
            else
                text.append("&");
            pos = next + std::max<std::size_t>(used, 1);
            continue;
        }
        if (!starts_tag(html, next)) {
            text.append("<");
            pos = next + 1;
            continue;
        }
        if (html::starts_declaration(html, next)) {
            pos = skip_markup_declaration(html, next);
            continue;
        }
        if (auto tag = plain_tag(html, next)) {
            pos = tag->end;
            if (!tag->closing && tag->role == TagRole::drop_content && !is_foreign_root(tag->name))
                pos = skip_element_content(html, pos, tag->name);
            else if (tag->role == TagRole::block)
                text.word_break();
            continue;
        }
        Tag tag = read_tag(html, next);
        pos = tag.end;
        if (!tag.closing && !tag.self_closing && drops_content(tag.name))
            pos = skip_element_content(html, pos, tag.name);
        else if (separates_words(tag.name))
            text.word_break();
    }
}

std::string plain_text(std::string_view html, bool markup) {
    std::string text;
    plain_text_into(html, markup, text);
    return text;
}

// Escaped twice at the source: what one pass revealed is markup or references again.
bool escaped_twice(std::string_view text, bool markup) {
    bool has_amp = text.find('&') != std::string_view::npos;
    bool has_lt = markup && text.find('<') != std::string_view::npos;
    return (has_lt && contains_markup(text)) || (has_amp && has_decodable_reference(text));
}

// Removes a reference cut off at the end (see drop_truncated_reference) and the space it
// leaves behind.
template <typename String> void finish_plain_text(String& text) {
    drop_truncated_reference(text);
    while (!text.empty() && text.back() == ' ')
        text.pop_back();
}

} // namespace

bool contains_markup(std::string_view text) {
    for (std::size_t lt = text.find('<'); lt != std::string_view::npos; lt = text.find('<', lt + 1))
        if (starts_tag(text, lt))
            return true;
    return false;
}

bool is_plain_text(std::string_view html) {
    return clean_run(html.data(), html.data() + html.size(), '&', '<') == html.size() &&
           (html.empty() || (html.front() != ' ' && html.back() != ' '));
}

namespace {

// Decodes `text`, escaped twice at the source, once more. What the first pass revealed is markup
// only when the input held none of its own ("&lt;p&gt;Text&lt;/p&gt;"); beside real tags it is
// text: "<code>&lt;br /&gt;</code>" speaks of a tag. References revealed are decoded either way
// ("&amp;#8217;"). Text that would be left empty ("&lt;title>", a title that speaks of a tag) is
// the tag itself, kept. Out of line: few texts come here.
template <typename String>
[[gnu::noinline]] void decode_again(std::string_view html, String& text) {
    bool markup_again = !contains_markup(html);
    if (!markup_again && !escaped_twice(text, false))
        return;
    std::string once(text);
    text.clear();
    plain_text_into(once, markup_again, text);
    if (markup_again && text.empty())
        text.assign(once);
}

template <typename String> void html_to_text_into(std::string_view html, String& text) {
    text.clear();
    if (is_plain_text(html)) { // most titles and categories
        text.assign(html);
        return;
    }
    plain_text_into(html, true, text);
    if (escaped_twice(text, true))
        decode_again(html, text);
    finish_plain_text(text);
}

} // namespace

std::string html_to_text(std::string_view html) {
    std::string text;
    html_to_text_into(html, text);
    return text;
}

void html_to_text_into(std::string_view html, std::pmr::string& text) {
    html_to_text_into<std::pmr::string>(html, text);
}

std::string decode_text(std::string_view text) {
    std::string decoded = plain_text(text, false);
    if (escaped_twice(decoded, false))
        decoded = plain_text(decoded, false);
    finish_plain_text(decoded);
    return decoded;
}

std::string escape_html(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        default:
            out.push_back(c);
        }
    }
    return out;
}

} // namespace newsmon::parsers
