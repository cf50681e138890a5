// What story assignment compares of an article: a sketch of its words in its own language, and
// the signals that carry across languages, the sounds of its names and its numbers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tag/language.hpp"

namespace newsmon::stories {

struct Signature {
    tag::Language language = tag::Language::none;
    // The smallest hashes of the article's content-word stems (a bottom-k sketch): two sketches
    // estimate how many words the texts share. Comparable within one language only.
    std::vector<std::uint32_t> words;
    std::vector<std::uint32_t> names;   // sound keys of capitalized words and acronyms
    std::vector<std::uint32_t> numbers; // numbers of two or more digits, years aside
    // Years ("in 2025", "until 2027"): background one report adds and another leaves out, so
    // they are signals like names but take no part when two reports' figures must agree.
    std::vector<std::uint32_t> years;
};

inline constexpr std::size_t k_sketch_size = 64;
inline constexpr std::size_t k_max_names = 48;
inline constexpr std::size_t k_max_numbers = 32;
inline constexpr std::size_t k_max_years = 8;

// The signature of an article's title and body (plain text) in `language`.
[[nodiscard]] Signature make_signature(std::string_view title, std::string_view body,
                                       tag::Language language);

// Bytes to store a signature in, and back; from_bytes returns an empty signature for bytes it
// cannot read (a signature of an unknown format version or shape).
[[nodiscard]] std::string to_bytes(const Signature& signature);
[[nodiscard]] Signature from_bytes(std::string_view bytes);

} // namespace newsmon::stories
