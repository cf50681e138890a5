// Internal: the small HTML tokenizer that plain-text extraction and the sanitizer share: tags,
// what each element is for, and how to step over markup.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "text_internal.hpp"

namespace newsmon::parsers::html {

// An attribute as the HTML5 tokenizer reads it: name lower-cased, value with its character
// references decoded.
struct Attribute {
    std::string name;
    std::string value;
    bool has_value = false;
};

// A tag as the HTML5 tokenizer reads it (WHATWG HTML, 13.2.5): the name runs to white space,
// '/' or '>', and quotes count only where an attribute value may start, so the tag ends where
// a browser ends it.
struct Tag {
    std::string name; // lower-cased
    bool closing = false;
    bool self_closing = false;
    bool complete = true;        // false: the input ended inside the tag, which browsers then drop
    std::string_view attributes; // the raw text after the name
    std::size_t end = 0;         // index just past '>'
};

// What the text extractor and the sanitizer do with an element.
enum class TagRole : unsigned char {
    inline_markup, // kept; no word break
    block,         // kept; separates words in plain text
    drop_content,  // removed with everything inside it
    drop_tag,      // the tag goes, its content stays
};

// A tag without attributes written in lower case, "<p>" or "</p>": most tags of news
// markup, read without building a Tag.
struct PlainTag {
    std::string_view name;
    bool closing = false;
    std::size_t end = 0; // just past '>'
    TagRole role = TagRole::inline_markup;
};

// The tag at `at` ('<' and a letter, or "</" and a letter). With `attributes`, its attributes
// too, each name once (the first wins, as in browsers).
[[nodiscard]] Tag read_tag(std::string_view html, std::size_t at,
                           std::vector<Attribute>* attributes = nullptr);
// Skips what starts at `at` and is no tag: a comment ("<!--", ending at "-->" or "--!>"),
// a doctype, CDATA or other "<!" declaration, "<?", or "</" without a letter (ending at the
// first '>'). Returns the index after it.
[[nodiscard]] std::size_t skip_markup_declaration(std::string_view html, std::size_t at);
// Index just past "</name ...>" (the name followed by white space, '/' or '>'), or the end of
// input when it never comes.
[[nodiscard]] std::size_t skip_element_content(std::string_view html, std::size_t from,
                                               std::string_view name);

// Inline: the text extractor and the sanitizer call these for every '<' they meet.

// '<' at `at` starts a tag, comment or declaration (not "a < b").
[[nodiscard]] inline bool is_html_space(char c) {
    // CR counts: browsers turn it into LF before tokenizing.
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

[[nodiscard]] inline bool starts_tag(std::string_view html, std::size_t at) {
    if (at + 1 >= html.size())
        return false;
    char next = html[at + 1];
    if (next == '/')
        return at + 2 < html.size(); // "</" at the very end is text
    return is_ascii_alpha(next) || next == '!' || next == '?';
}

// '<' at `at` (where starts_tag holds) opens no tag but a comment, a declaration, "<?" or
// "</" without a letter: all skipped by skip_markup_declaration.
[[nodiscard]] inline bool starts_declaration(std::string_view html, std::size_t at) {
    char next = html[at + 1];
    return next == '!' || next == '?' || (next == '/' && !is_ascii_alpha(html[at + 2]));
}

[[nodiscard]] inline TagRole role_of(std::string_view name) {
    // The commonest tags in news markup, answered without a search.
    if (name.size() == 1)
        return name[0] == 'p' ? TagRole::block : TagRole::inline_markup;
    if (name == "br" || name == "li" || name == "div")
        return TagRole::block;
    if (name == "em" || name == "strong" || name == "span")
        return TagRole::inline_markup;
    struct Entry {
        std::string_view name;
        TagRole role;
    };
    using enum TagRole;
    static constexpr Entry k_roles[] = {
        // sorted by name
        {"address", block},
        {"applet", drop_content},
        {"article", block},
        {"aside", block},
        {"base", drop_tag},
        {"blockquote", block},
        {"body", drop_tag},
        {"br", block},
        {"button", drop_content},
        {"dd", block},
        {"div", block},
        {"dt", block},
        {"embed", drop_content},
        {"figcaption", block},
        {"figure", block},
        {"footer", block},
        {"form", drop_tag},
        {"frame", drop_content},
        {"frameset", drop_content},
        {"h1", block},
        {"h2", block},
        {"h3", block},
        {"h4", block},
        {"h5", block},
        {"h6", block},
        {"head", drop_content},
        {"header", block},
        {"hr", block},
        {"html", drop_tag},
        {"iframe", drop_content},
        {"img", block},
        {"input", drop_tag},
        {"li", block},
        {"link", drop_tag},
        {"math", drop_content},
        {"meta", drop_tag},
        {"noembed", drop_content},
        {"noframes", drop_content},
        {"noscript", drop_content},
        {"object", drop_content},
        {"ol", block},
        {"option", drop_tag},
        {"p", block},
        {"param", drop_tag},
        {"plaintext", drop_content},
        {"portal", drop_content},
        {"pre", block},
        {"script", drop_content},
        {"section", block},
        {"select", drop_content},
        {"source", drop_tag},
        {"style", drop_content},
        {"svg", drop_content},
        {"table", block},
        {"td", block},
        {"template", drop_content},
        {"textarea", drop_content},
        {"th", block},
        {"title", drop_content},
        {"tr", block},
        {"ul", block},
        {"xmp", drop_content},
    };
    auto found =
        std::lower_bound(std::begin(k_roles), std::end(k_roles), name,
                         [](const Entry& entry, std::string_view key) { return entry.name < key; });
    if (found != std::end(k_roles) && found->name == name)
        return found->role;
    return inline_markup;
}

[[nodiscard]] inline std::optional<PlainTag> plain_tag(std::string_view html, std::size_t at) {
    bool closing = at + 1 < html.size() && html[at + 1] == '/';
    std::size_t start = at + 1 + (closing ? 1 : 0);
    std::size_t end = start;
    while (end < html.size() &&
           ((html[end] >= 'a' && html[end] <= 'z') || (html[end] >= '0' && html[end] <= '9')))
        ++end;
    if (end == start || end >= html.size() || html[end] != '>' || html[start] < 'a')
        return std::nullopt; // also no name that starts with a digit: "<1>" is text
    std::string_view name = html.substr(start, end - start);
    return PlainTag{name, closing, end + 1, role_of(name)};
}

} // namespace newsmon::parsers::html
