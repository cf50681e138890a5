// Bytes of unknown encoding to valid UTF-8, in the order RFC 7303 gives for XML media types.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace newsmon::parsers {

struct DecodedText {
    std::string utf8;
    std::string encoding; // what the bytes were read as, e.g. "UTF-8", "windows-1251"
    std::vector<std::string> warnings;
};

// The charset parameter of a Content-Type value, unquoted: "text/xml; charset=KOI8-R".
[[nodiscard]] std::optional<std::string> charset_of(std::string_view content_type);

// Byte order mark, then the HTTP charset, then `declared` (the document's own declaration),
// then UTF-8. Invalid sequences become U+FFFD, with a warning saying how many.
[[nodiscard]] DecodedText decode_to_utf8(std::string_view bytes,
                                         std::optional<std::string> http_charset,
                                         std::optional<std::string> declared);

// The encoding named by an XML declaration at the start of `bytes`, if any.
[[nodiscard]] std::optional<std::string> xml_declared_encoding(std::string_view bytes);

// True when decode_to_utf8 would return `bytes` as they are, without a warning: no byte order
// mark, UTF-8 by the same precedence, valid, and free of characters XML forbids. Such bytes
// need no decoded copy.
[[nodiscard]] bool is_clean_utf8(std::string_view bytes,
                                 const std::optional<std::string>& http_charset,
                                 const std::optional<std::string>& declared);

// True when the precedence above makes `bytes` UTF-8 with no byte order mark to drop: valid
// ones can then be read as they are. Their validity is not looked at here.
[[nodiscard]] bool reads_as_utf8(std::string_view bytes,
                                 const std::optional<std::string>& http_charset,
                                 const std::optional<std::string>& declared);

// is_valid_utf8 for long texts (SIMD), which also lets U+FFFE and U+FFFF through.
[[nodiscard]] bool is_valid_utf8_fast(std::string_view text);

// True when every byte sequence is well-formed UTF-8 (plain ASCII included).
[[nodiscard]] bool is_valid_utf8(std::string_view text);

// Makes UTF-8 text safe for XML and JSON in place: invalid sequences become U+FFFD; C0
// controls other than tab, line feed and carriage return, and U+FFFE/U+FFFF, are removed.
struct Utf8Repairs {
    std::size_t invalid_sequences = 0;
    std::size_t removed_controls = 0;
};
Utf8Repairs repair_utf8(std::string& text);

// How much of `bytes` reads as UTF-8: well-formed sequences of two bytes or more, and bytes
// that start no well-formed sequence. Text in a single-byte encoding has many of the second
// and next to none of the first; UTF-8 with a few stray bytes, the other way round.
struct Utf8Census {
    std::size_t multibyte = 0;
    std::size_t invalid = 0;
};
[[nodiscard]] Utf8Census utf8_census(std::string_view bytes);

// UTF-8 that was read as windows-1252 and encoded again ("â€¦" for "…", "Ã©" for "é"):
// whether the text holds such a sequence, and the text with every one made what it was.
// Returns how many were repaired.
[[nodiscard]] bool may_be_double_encoded(std::string_view text);
std::size_t repair_double_encoding(std::string& text);

} // namespace newsmon::parsers
