#include "markup_survey.hpp"

#include <algorithm>

#include "byte_scan.hpp"
#include "text_internal.hpp"

namespace newsmon::parsers::detail {
namespace {

// The first `a` or `b` at or after p, or `end`. Sixteen bytes at a time: most bytes of a feed
// are text between tags.
const char* find_either(const char* p, const char* end, char a, char b) {
    for (; end - p >= static_cast<std::ptrdiff_t>(scan::k_block); p += scan::k_block) {
        scan::Block block = scan::load(p);
        auto hits =
            (block == static_cast<unsigned char>(a)) | (block == static_cast<unsigned char>(b));
        if (std::size_t at = scan::first_set(hits); at < scan::k_block)
            return p + at;
    }
    while (p < end && *p != a && *p != b)
        ++p;
    return p;
}

bool predefined_entity(std::string_view name) {
    return name == "amp" || name == "lt" || name == "gt" || name == "quot" || name == "apos";
}

// Looks at the '&' at `amp`: a name XML does not define, or an ampersand that starts nothing.
void note_reference(const char* amp, const char* end, MarkupSurvey& survey) {
    const char* p = amp + 1;
    if (p < end && *p == '#')
        return;
    while (p < end && p - amp <= 32 && (is_ascii_alpha(*p) || (*p >= '0' && *p <= '9')))
        ++p;
    std::string_view name(amp + 1, static_cast<std::size_t>(p - amp - 1));
    if (p == end || *p != ';' || name.empty()) {
        survey.bare_ampersand = true;
        return;
    }
    auto& names = survey.html_names;
    if (!predefined_entity(name) && names.size() < 5 &&
        std::find(names.begin(), names.end(), name) == names.end())
        names.emplace_back(name);
}

bool starts_with(const char* p, const char* end, std::string_view prefix) {
    return static_cast<std::size_t>(end - p) >= prefix.size() &&
           std::string_view(p, prefix.size()) == prefix;
}

// Past the "]]>" that closes a CDATA section whose content starts at p, noting references
// inside it (they are decoded as HTML later).
const char* skip_cdata(const char* p, const char* end, MarkupSurvey& survey) {
    while ((p = find_either(p, end, '&', ']')) < end) {
        if (*p == '&') {
            note_reference(p, end, survey);
            ++p;
        } else if (starts_with(p, end, "]]>")) {
            return p + 3;
        } else {
            ++p;
        }
    }
    return end;
}

} // namespace

MarkupSurvey survey_markup(std::string_view text, std::size_t max_depth) {
    MarkupSurvey survey;
    const char* p = text.data();
    const char* const end = p + text.size();
    std::size_t depth = 0;
    while ((p = find_either(p, end, '<', '&')) < end) {
        if (*p == '&') {
            note_reference(p, end, survey);
            ++p;
            continue;
        }
        if (starts_with(p, end, "<![CDATA[")) {
            p = skip_cdata(p + 9, end, survey);
            continue;
        }
        if (starts_with(p, end, "<!--")) {
            std::size_t close =
                std::string_view(p + 4, static_cast<std::size_t>(end - p - 4)).find("-->");
            p = close == std::string_view::npos ? end : p + 4 + close + 3;
            continue;
        }
        // A tag: its kind decides the depth; references in attribute values count too.
        const char* tag = p;
        for (++p; p < end && *p != '>'; ++p)
            if (*p == '&')
                note_reference(p, end, survey);
        if (p == end || tag + 1 == p)
            break;
        char kind = tag[1];
        if (kind == '/') {
            depth -= depth > 0 ? 1 : 0;
        } else if (kind != '?' && kind != '!' && p[-1] != '/' && ++depth > max_depth) {
            survey.too_deep = true;
            return survey;
        }
        ++p;
    }
    return survey;
}

} // namespace newsmon::parsers::detail
