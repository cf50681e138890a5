#include "newsmon/parsers/encoding.hpp"

#include <bit>
#include <cstring>
#include <memory>

#include <simdjson.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>

#include "byte_scan.hpp"
#include "text_internal.hpp"

namespace newsmon::parsers {
namespace {

struct ConverterDeleter {
    void operator()(UConverter* converter) const { ucnv_close(converter); }
};
using Converter = std::unique_ptr<UConverter, ConverterDeleter>;

std::string lower_ascii(std::string_view text) {
    std::string out;
    for (char c : text)
        out.push_back(ascii_lower(c));
    return out;
}

std::string trim_label(std::string_view label) {
    while (!label.empty() &&
           (label.front() == ' ' || label.front() == '"' || label.front() == '\''))
        label.remove_prefix(1);
    while (!label.empty() && (label.back() == ' ' || label.back() == '"' || label.back() == '\'' ||
                              label.back() == ';'))
        label.remove_suffix(1);
    return std::string(label);
}

// An encoding label as a warning shows it. Labels are ASCII; whatever else a feed put there
// (bytes that are no UTF-8, U+FFFF, controls) becomes '?'.
std::string printable(std::string_view label) {
    std::string out;
    for (char c : label)
        out.push_back(c >= 0x20 && c < 0x7F ? c : '?');
    return out;
}

bool is_utf8_label(std::string_view label) {
    std::string lowered = lower_ascii(label);
    // ASCII is a subset of UTF-8; feeds that declare it and carry UTF-8 mean UTF-8.
    return lowered == "utf-8" || lowered == "utf8" || lowered == "us-ascii" || lowered == "ascii";
}

// The WHATWG encoding standard reads these labels as a superset: bytes 0x80-0x9F of a feed
// labelled ISO-8859-1 are windows-1252's smart quotes and dashes, never C1 controls.
std::string_view whatwg_superset(std::string_view lowered) {
    static constexpr std::string_view k_latin1[] = {
        "iso-8859-1", "iso8859-1", "iso_8859-1",  "iso88591",   "latin1",  "l1",
        "cp819",      "ibm819",    "csisolatin1", "iso-ir-100", "x-cp1252"};
    for (auto label : k_latin1)
        if (lowered == label)
            return "windows-1252";
    if (lowered == "iso-8859-9" || lowered == "iso8859-9" || lowered == "latin5" ||
        lowered == "iso_8859-9")
        return "windows-1254";
    if (lowered == "iso-8859-11" || lowered == "tis-620" || lowered == "iso8859-11")
        return "windows-874";
    return {};
}

// ICU knows most labels; a few seen in the wild ("cp-1251") need a nudge first.
Converter open_converter(const std::string& label) {
    std::string lowered = lower_ascii(label);
    std::vector<std::string> candidates = {label};
    if (auto superset = whatwg_superset(lowered); !superset.empty())
        candidates.insert(candidates.begin(), std::string(superset));
    if (lowered.starts_with("cp-") || lowered.starts_with("cp_"))
        candidates.push_back("windows-" + lowered.substr(3));
    if (std::size_t digits = lowered.find_first_of("0123456789");
        lowered.starts_with("win") && digits != std::string::npos)
        candidates.push_back("windows-" + lowered.substr(digits));
    for (const auto& candidate : candidates) {
        UErrorCode status = U_ZERO_ERROR;
        Converter converter{ucnv_open(candidate.c_str(), &status)};
        if (U_SUCCESS(status) && converter)
            return converter;
    }
    return nullptr;
}

struct SubstitutionCounter {
    std::size_t count = 0;
};

void count_and_substitute(const void* context, UConverterToUnicodeArgs* args,
                          const char* code_units, int32_t length, UConverterCallbackReason reason,
                          UErrorCode* error) {
    if (reason == UCNV_UNASSIGNED || reason == UCNV_ILLEGAL || reason == UCNV_IRREGULAR) {
        ++static_cast<SubstitutionCounter*>(const_cast<void*>(context))->count;
        *error = U_ZERO_ERROR;
        const UChar replacement = 0xFFFD;
        ucnv_cbToUWriteUChars(args, &replacement, 1, 0, error);
        return;
    }
    UCNV_TO_U_CALLBACK_SUBSTITUTE(nullptr, args, code_units, length, reason, error);
}

std::optional<std::string> transcode(std::string_view bytes, UConverter* from,
                                     std::size_t& substitutions) {
    SubstitutionCounter counter;
    UErrorCode status = U_ZERO_ERROR;
    ucnv_setToUCallBack(from, count_and_substitute, &counter, nullptr, nullptr, &status);
    std::string out(bytes.size() * 3 + 16, '\0');
    status = U_ZERO_ERROR;
    int32_t written =
        ucnv_toAlgorithmic(UCNV_UTF8, from, out.data(), static_cast<int32_t>(out.size()),
                           bytes.data(), static_cast<int32_t>(bytes.size()), &status);
    if (U_FAILURE(status))
        return std::nullopt;
    out.resize(static_cast<std::size_t>(written));
    substitutions = counter.count;
    return out;
}

struct Bom {
    std::string_view encoding;
    std::size_t length = 0;
};

Bom detect_bom(std::string_view bytes) {
    auto starts = [&](std::string_view prefix) { return bytes.starts_with(prefix); };
    if (starts("\xEF\xBB\xBF"))
        return {"UTF-8", 3};
    if (starts(std::string_view("\xFF\xFE\x00\x00", 4)))
        return {"UTF-32LE", 4};
    if (starts(std::string_view("\x00\x00\xFE\xFF", 4)))
        return {"UTF-32BE", 4};
    // No BOM: '<' as the first UTF-32 code unit (XML 1.0, appendix F.1).
    if (starts(std::string_view("<\0\0\0", 4)))
        return {"UTF-32LE", 0};
    if (starts(std::string_view("\0\0\0<", 4)))
        return {"UTF-32BE", 0};
    if (starts("\xFF\xFE"))
        return {"UTF-16LE", 2};
    if (starts("\xFE\xFF"))
        return {"UTF-16BE", 2};
    // No BOM, but "<?" in UTF-16 is unmistakable.
    if (starts(std::string_view("<\0?\0", 4)))
        return {"UTF-16LE", 0};
    if (starts(std::string_view("\0<\0?", 4)))
        return {"UTF-16BE", 0};
    return {};
}

// Length of the valid UTF-8 sequence at p (p < end, *p >= 0x80), or 0 when it is not one.
// U+FFFE and U+FFFF count as invalid here: XML forbids them.
inline std::size_t valid_sequence(const unsigned char* p, const unsigned char* end) {
    unsigned char lead = p[0];
    if (lead >= 0xC2 && lead <= 0xDF)
        return end - p >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
    if (lead >= 0xE0 && lead <= 0xEF) {
        if (end - p < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
            return 0;
        if ((lead == 0xE0 && p[1] < 0xA0) || (lead == 0xED && p[1] > 0x9F))
            return 0; // overlong or a surrogate
        if (lead == 0xEF && p[1] == 0xBF && p[2] >= 0xBE)
            return 0; // U+FFFE, U+FFFF
        return 3;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
        if (end - p < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80)
            return 0;
        if ((lead == 0xF0 && p[1] < 0x90) || (lead == 0xF4 && p[1] > 0x8F))
            return 0; // overlong or beyond U+10FFFF
        return 4;
    }
    return 0;
}

using scan::forbidden_at;
using scan::is_forbidden_control;

// The first character XML forbids in valid UTF-8, or nullptr.
const unsigned char* first_forbidden(const unsigned char* p, const unsigned char* end) {
    constexpr std::size_t k_stride = 4 * scan::k_block;
    for (; static_cast<std::size_t>(end - p) >= k_stride; p += k_stride) {
        if (!scan::may_hold_forbidden(p))
            continue;
        for (std::size_t i = 0; i < k_stride; ++i)
            if (forbidden_at(p + i, end))
                return p + i;
    }
    for (; p < end; ++p)
        if (forbidden_at(p, end))
            return p;
    return nullptr;
}

// Where the first byte that needs repair is, or nullptr when the text is clean. Clean text, by
// far the common case, costs two vectorised passes; the scalar walk finds the spot otherwise.
const unsigned char* first_problem(const unsigned char* begin, const unsigned char* end) {
    if (simdjson::validate_utf8(reinterpret_cast<const char*>(begin),
                                static_cast<std::size_t>(end - begin)))
        return first_forbidden(begin, end);
    for (const unsigned char* p = begin; p < end;) {
        if (*p < 0x80) {
            if (is_forbidden_control(*p))
                return p;
            ++p;
            continue;
        }
        std::size_t length = valid_sequence(p, end);
        if (length == 0)
            return p;
        p += length;
    }
    return nullptr; // unreachable in practice: the text was found invalid
}

// The byte windows-1252 encodes `cp` as, when it is one of 0x80-0xBF (a UTF-8 continuation
// byte); -1 otherwise. Latin-1 readers leave 0x81, 0x8D, 0x8F, 0x90 and 0x9D as U+0081...
int continuation_byte_of(char32_t cp) {
    if (cp >= 0x80 && cp <= 0xBF)
        return static_cast<int>(cp);
    static constexpr std::pair<char32_t, int> k_cp1252[] = {
        {0x20AC, 0x80}, {0x201A, 0x82}, {0x0192, 0x83}, {0x201E, 0x84}, {0x2026, 0x85},
        {0x2020, 0x86}, {0x2021, 0x87}, {0x02C6, 0x88}, {0x2030, 0x89}, {0x0160, 0x8A},
        {0x2039, 0x8B}, {0x0152, 0x8C}, {0x017D, 0x8E}, {0x2018, 0x91}, {0x2019, 0x92},
        {0x201C, 0x93}, {0x201D, 0x94}, {0x2022, 0x95}, {0x2013, 0x96}, {0x2014, 0x97},
        {0x02DC, 0x98}, {0x2122, 0x99}, {0x0161, 0x9A}, {0x203A, 0x9B}, {0x0153, 0x9C},
        {0x017E, 0x9E}, {0x0178, 0x9F}};
    for (const auto& [code_point, byte] : k_cp1252)
        if (code_point == cp)
            return byte;
    return -1;
}

// The code point of the valid UTF-8 sequence at p and its length; length 0 when invalid.
char32_t code_point_at(const unsigned char* p, const unsigned char* end, std::size_t& length) {
    if (*p < 0x80) {
        length = 1;
        return *p;
    }
    length = valid_sequence(p, end);
    switch (length) {
    case 2:
        return static_cast<char32_t>(((p[0] & 0x1F) << 6) | (p[1] & 0x3F));
    case 3:
        return static_cast<char32_t>(((p[0] & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F));
    case 4:
        return static_cast<char32_t>(((p[0] & 0x07) << 18) | ((p[1] & 0x3F) << 12) |
                                     ((p[2] & 0x3F) << 6) | (p[3] & 0x3F));
    default:
        return 0;
    }
}

// At p, "Ã©" or "â€¦": the UTF-8 of a character, read as windows-1252 and encoded again. Fills
// `original` with the bytes it stood for and returns how many bytes of the text it spans, or 0.
std::size_t double_encoded_at(const unsigned char* p, const unsigned char* end,
                              unsigned char (&original)[4], std::size_t& original_size) {
    if (end - p < 4 || p[0] != 0xC3 || p[1] < 0x82 || p[1] > 0xB4)
        return 0;
    unsigned char lead = static_cast<unsigned char>(p[1] + 0x40); // U+00C2..U+00F4
    std::size_t needed = lead < 0xE0 ? 1 : lead < 0xF0 ? 2 : 3;
    original[0] = lead;
    const unsigned char* at = p + 2;
    for (std::size_t i = 1; i <= needed; ++i) {
        if (at >= end)
            return 0;
        std::size_t length = 0;
        char32_t cp = code_point_at(at, end, length);
        int byte = length == 0 ? -1 : continuation_byte_of(cp);
        if (byte < 0)
            return 0;
        original[i] = static_cast<unsigned char>(byte);
        at += length;
    }
    original_size = needed + 1;
    if (valid_sequence(original, original + original_size) != original_size)
        return 0;
    return static_cast<std::size_t>(at - p);
}

} // namespace

Utf8Census utf8_census(std::string_view bytes) {
    Utf8Census census;
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    const auto* end = p + bytes.size();
    while (p < end) {
        if (*p < 0x80) {
            ++p;
            continue;
        }
        std::size_t length = valid_sequence(p, end);
        if (length == 0) {
            ++census.invalid;
            ++p;
        } else {
            ++census.multibyte;
            p += length;
        }
    }
    return census;
}

bool may_be_double_encoded(std::string_view text) {
    const auto* begin = reinterpret_cast<const unsigned char*>(text.data());
    const auto* end = begin + text.size();
    unsigned char original[4];
    std::size_t size = 0;
    // Every case starts with 0xC3 (U+00C2-U+00F4, the lead bytes read as windows-1252, encoded
    // again), which most text holds seldom: libc's search for it runs wider than a vector loop
    // here could without choosing the machine.
    for (const auto* p = begin; p < end; ++p) {
        p = static_cast<const unsigned char*>(
            std::memchr(p, 0xC3, static_cast<std::size_t>(end - p)));
        if (p == nullptr)
            return false;
        if (double_encoded_at(p, end, original, size) > 0)
            return true;
    }
    return false;
}

std::size_t repair_double_encoding(std::string& text) {
    std::string out;
    out.reserve(text.size());
    std::size_t repaired = 0;
    const auto* begin = reinterpret_cast<const unsigned char*>(text.data());
    const auto* end = begin + text.size();
    const auto* copied = begin;
    for (const auto* p = begin; p < end;) {
        const void* found = std::memchr(p, 0xC3, static_cast<std::size_t>(end - p));
        if (!found)
            break;
        p = static_cast<const unsigned char*>(found);
        unsigned char original[4];
        std::size_t size = 0;
        std::size_t span = double_encoded_at(p, end, original, size);
        if (span == 0) {
            ++p;
            continue;
        }
        out.append(reinterpret_cast<const char*>(copied), static_cast<std::size_t>(p - copied));
        out.append(reinterpret_cast<const char*>(original), size);
        p += span;
        copied = p;
        ++repaired;
    }
    if (repaired == 0)
        return 0;
    out.append(reinterpret_cast<const char*>(copied), static_cast<std::size_t>(end - copied));
    text = std::move(out);
    return repaired;
}

std::optional<std::string> charset_of(std::string_view content_type) {
    std::string lowered = lower_ascii(content_type);
    std::size_t at = lowered.find("charset=");
    if (at == std::string::npos)
        return std::nullopt;
    std::string_view value = content_type.substr(at + 8);
    value = value.substr(0, value.find(';'));
    std::string label = trim_label(value);
    if (label.empty())
        return std::nullopt;
    return label;
}

std::optional<std::string> xml_declared_encoding(std::string_view bytes) {
    std::string_view head = bytes.substr(0, 512);
    std::size_t start = head.find("<?xml");
    if (start == std::string_view::npos)
        return std::nullopt;
    std::size_t end = head.find("?>", start);
    std::string_view declaration =
        head.substr(start, end == std::string_view::npos ? end : end - start);
    std::size_t at = declaration.find("encoding");
    if (at == std::string_view::npos)
        return std::nullopt;
    std::size_t quote = declaration.find_first_of("\"'", at);
    if (quote == std::string_view::npos)
        return std::nullopt;
    std::size_t close = declaration.find(declaration[quote], quote + 1);
    if (close == std::string_view::npos)
        return std::nullopt;
    std::string label = trim_label(declaration.substr(quote + 1, close - quote - 1));
    if (label.empty())
        return std::nullopt;
    return label;
}

bool is_clean_utf8(std::string_view bytes, const std::optional<std::string>& http_charset,
                   const std::optional<std::string>& declared) {
    if (!detect_bom(bytes).encoding.empty())
        return false;
    if (!is_utf8_label(http_charset ? *http_charset : declared ? *declared : "UTF-8"))
        return false;
    const auto* begin = reinterpret_cast<const unsigned char*>(bytes.data());
    return first_problem(begin, begin + bytes.size()) == nullptr;
}

bool reads_as_utf8(std::string_view bytes, const std::optional<std::string>& http_charset,
                   const std::optional<std::string>& declared) {
    return detect_bom(bytes).encoding.empty() && is_utf8_label(http_charset ? *http_charset
                                                               : declared   ? *declared
                                                                            : "UTF-8");
}

bool is_valid_utf8_fast(std::string_view text) {
    return simdjson::validate_utf8(text.data(), text.size());
}

bool is_valid_utf8(std::string_view text) {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const auto* end = p + text.size();
    while (p < end) {
        if (*p < 0x80) {
            ++p;
            continue;
        }
        std::size_t length = valid_sequence(p, end);
        if (length == 0)
            return false;
        p += length;
    }
    return true;
}

Utf8Repairs repair_utf8(std::string& text) {
    Utf8Repairs repairs;
    const auto* begin = reinterpret_cast<const unsigned char*>(text.data());
    const auto* end = begin + text.size();
    const unsigned char* problem = first_problem(begin, end);
    if (!problem)
        return repairs;
    std::string out;
    out.reserve(text.size());
    out.append(text, 0, static_cast<std::size_t>(problem - begin));
    for (const unsigned char* p = problem; p < end;) {
        unsigned char c = *p;
        if (c < 0x80) {
            if (is_forbidden_control(c))
                ++repairs.removed_controls;
            else
                out.push_back(static_cast<char>(c));
            ++p;
            continue;
        }
        std::size_t length = valid_sequence(p, end);
        if (length > 0) {
            out.append(reinterpret_cast<const char*>(p), length);
            p += length;
        } else if (c == 0xEF && end - p >= 3 && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF)) {
            ++repairs.removed_controls; // U+FFFE/U+FFFF: well-formed, but not XML characters
            p += 3;
        } else {
            out += "\xEF\xBF\xBD";
            ++repairs.invalid_sequences;
            ++p;
        }
    }
    text = std::move(out);
    return repairs;
}

DecodedText decode_to_utf8(std::string_view bytes, std::optional<std::string> http_charset,
                           std::optional<std::string> declared) {
    DecodedText result;
    Bom bom = detect_bom(bytes);
    std::string label;
    if (!bom.encoding.empty())
        label = bom.encoding;
    else if (http_charset)
        label = *http_charset;
    else if (declared)
        label = *declared;
    else
        label = "UTF-8";
    bytes.remove_prefix(bom.length);

    if (is_utf8_label(label)) {
        result.encoding = "UTF-8";
        result.utf8.assign(bytes);
    } else if (Converter converter = open_converter(label)) {
        std::size_t substitutions = 0;
        if (auto converted = transcode(bytes, converter.get(), substitutions)) {
            result.utf8 = std::move(*converted);
            result.encoding = label;
            if (substitutions > 0)
                result.warnings.push_back(std::to_string(substitutions) +
                                          " byte sequence(s) not valid in " + printable(label) +
                                          " replaced with U+FFFD");
        } else {
            result.warnings.push_back("could not convert from " + printable(label) +
                                      "; read as UTF-8");
            result.encoding = "UTF-8";
            result.utf8.assign(bytes);
        }
    } else {
        result.warnings.push_back("unknown encoding \"" + printable(label) + "\"; read as UTF-8");
        result.encoding = "UTF-8";
        result.utf8.assign(bytes);
    }
    Utf8Repairs repairs = repair_utf8(result.utf8);
    if (repairs.invalid_sequences > 0)
        result.warnings.push_back(std::to_string(repairs.invalid_sequences) +
                                  " invalid UTF-8 sequence(s) replaced with U+FFFD");
    if (repairs.removed_controls > 0)
        result.warnings.push_back("removed " + std::to_string(repairs.removed_controls) +
                                  " control character(s) that XML forbids");
    return result;
}

} // namespace newsmon::parsers
