// Writing stored text into XML that newsmon serves or prints (Atom feeds, OPML): whatever the
// text holds, the document stays well-formed.
#pragma once

#include <string>
#include <string_view>

namespace newsmon::parsers {

// Appends `text` to `out` as XML character data: invalid UTF-8 becomes U+FFFD, characters XML
// 1.0 forbids (C0 controls but tab, LF and CR; U+FFFE, U+FFFF) are dropped, and & < > are
// written as references, so "]]>" cannot end a section. For an attribute value (quoted with
// ") the quote and the white space an XML reader would normalize (tab, LF, CR) are
// references too; in text a CR is, so that it reads back as written.
void append_xml_text(std::string& out, std::string_view text, bool attribute = false);

// append_xml_text into a new string.
[[nodiscard]] std::string xml_text(std::string_view text, bool attribute = false);

} // namespace newsmon::parsers
