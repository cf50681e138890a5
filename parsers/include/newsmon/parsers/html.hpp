// HTML as it appears inside feeds: character references, plain-text extraction, sanitizing.
#pragma once

#include <memory_resource>
#include <string>
#include <string_view>

namespace newsmon::parsers {

// Decodes every HTML5 character reference: named (&nbsp; &laquo; …, and the legacy ones that
// may omit the ';'), decimal and hex. Unknown references are left as they are.
[[nodiscard]] std::string decode_entities(std::string_view text);

// An HTML fragment as plain text: tags, comments, scripts and styles dropped; references
// decoded (twice, when the source was escaped twice); a reference cut off at the end removed;
// white space, including no-break spaces, collapsed.
[[nodiscard]] std::string html_to_text(std::string_view html);
// The same, written into `text` (replacing what it held) where it is to stay.
void html_to_text_into(std::string_view html, std::pmr::string& text);

// Text that is plain by declaration (no tags to strip): references decoded, a cut-off one at
// the end removed, white space collapsed.
[[nodiscard]] std::string decode_text(std::string_view text);

// Markup kept, danger removed: only the elements, attributes and URL schemes html_policy
// allows, every tag written anew; script, style, iframe, object and the like go with their
// content, other elements (font, form, custom ones) with their tag only; no comments.
// Relative href and src values are resolved against `base_url` when it is absolute.
[[nodiscard]] std::string sanitize_html(std::string_view html, std::string_view base_url);

// Plain text as HTML: & < > " escaped.
[[nodiscard]] std::string escape_html(std::string_view text);

} // namespace newsmon::parsers

namespace newsmon::parsers {

// True when `text` contains something that starts an HTML tag, comment or declaration.
[[nodiscard]] bool contains_markup(std::string_view text);

} // namespace newsmon::parsers
