#include "newsmon/parsers/xml_text.hpp"

#include "newsmon/parsers/encoding.hpp"

namespace newsmon::parsers {
namespace {

// The reference that stands for `c`, or empty when `c` is written as it is.
std::string_view reference_for(char c, bool attribute) {
    switch (c) {
    case '&':
        return "&amp;";
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '\r':
        return "&#13;";
    case '"':
        return attribute ? "&quot;" : "";
    case '\t':
        return attribute ? "&#9;" : "";
    case '\n':
        return attribute ? "&#10;" : "";
    default:
        return "";
    }
}

void append_escaped(std::string& out, std::string_view clean, bool attribute) {
    std::size_t run = 0; // start of the characters not yet copied
    for (std::size_t i = 0; i < clean.size(); ++i) {
        auto reference = reference_for(clean[i], attribute);
        if (reference.empty())
            continue;
        out.append(clean.substr(run, i - run));
        out.append(reference);
        run = i + 1;
    }
    out.append(clean.substr(run));
}

} // namespace

void append_xml_text(std::string& out, std::string_view text, bool attribute) {
    std::string clean(text);
    repair_utf8(clean); // looks only, unless there is something to repair
    append_escaped(out, clean, attribute);
}

std::string xml_text(std::string_view text, bool attribute) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    append_xml_text(out, text, attribute);
    return out;
}

} // namespace newsmon::parsers
