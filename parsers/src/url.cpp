#include "newsmon/parsers/url.hpp"

#include "byte_scan.hpp"
#include "text_internal.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace newsmon::parsers {
namespace {

std::string_view trim(std::string_view text) {
    auto is_space = [](char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    };
    while (!text.empty() && is_space(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && is_space(text.back()))
        text.remove_suffix(1);
    return text;
}

// Length of "scheme:" at the start of `url`, or 0. ASCII letters and digits only, as RFC 3986
// has them (and as std::isalnum has them in the C locale the program runs in).
std::size_t scheme_length(std::string_view url) {
    if (url.empty() || !is_ascii_alpha(url[0]))
        return 0;
    for (std::size_t i = 1; i < url.size(); ++i) {
        char c = url[i];
        if (c == ':')
            return i + 1;
        if (!is_ascii_alpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.')
            return 0;
    }
    return 0;
}

// True when `text` starts with `prefix`, a lower-case literal, in any case.
bool starts_with_nocase(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size())
        return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (ascii_lower(text[i]) != prefix[i])
            return false;
    return true;
}

// True when some byte of `text` is white space, a C0 control or DEL, sixteen bytes at a time.
bool has_space_or_control(std::string_view text) {
    const char* p = text.data();
    const char* end = p + text.size();
    for (; end - p >= static_cast<std::ptrdiff_t>(scan::k_block); p += scan::k_block) {
        scan::Block block = scan::load(p);
        if (scan::any_set((block <= 0x20) | (block == 0x7F)))
            return true;
    }
    for (; p < end; ++p)
        if (static_cast<unsigned char>(*p) <= 0x20 || *p == 0x7F)
            return true;
    return false;
}

struct Parts {
    std::string_view scheme;    // with ':'
    std::string_view authority; // with leading "//", may be empty
    std::string_view path;
    std::string_view rest; // query and fragment, with their '?' or '#'
};

Parts split(std::string_view url) {
    Parts parts;
    std::size_t scheme = scheme_length(url);
    parts.scheme = url.substr(0, scheme);
    url.remove_prefix(scheme);
    if (url.starts_with("//")) {
        std::size_t end = url.find_first_of("/?#", 2);
        parts.authority = url.substr(0, end);
        url.remove_prefix(parts.authority.size());
    }
    std::size_t path_end = url.find_first_of("?#");
    parts.path = url.substr(0, path_end);
    parts.rest = path_end == std::string_view::npos ? std::string_view{} : url.substr(path_end);
    return parts;
}

std::string remove_dot_segments(std::string_view path) {
    std::vector<std::string_view> kept;
    bool absolute = path.starts_with('/');
    bool trailing_slash = false;
    std::size_t start = absolute ? 1 : 0;
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        std::string_view segment = path.substr(
            start, end == std::string_view::npos ? std::string_view::npos : end - start);
        trailing_slash = segment == "." || segment == "..";
        if (segment == "..") {
            if (!kept.empty())
                kept.pop_back();
        } else if (segment != ".") {
            kept.push_back(segment);
        }
        if (end == std::string_view::npos)
            break;
        start = end + 1;
    }
    std::string out = absolute ? "/" : "";
    for (std::size_t i = 0; i < kept.size(); ++i) {
        if (i > 0)
            out += '/';
        out += kept[i];
    }
    if (trailing_slash && !out.ends_with('/'))
        out += '/';
    return out;
}

} // namespace

bool is_absolute_url(std::string_view url) {
    Parts parts = split(trim(url));
    return !parts.scheme.empty() && !parts.authority.empty();
}

bool is_web_link(std::string_view url) {
    if (has_space_or_control(url))
        return false;
    if (starts_with_nocase(url, "http://") || starts_with_nocase(url, "https://"))
        return true;
    return url.substr(0, url.find_first_of("/?#")).find(':') == std::string_view::npos;
}

std::optional<std::string_view> resolves_to_itself(std::string_view base,
                                                   std::string_view reference_text) {
    std::string_view reference = trim(reference_text);
    if (reference.empty() || scheme_length(reference) > 0 || !is_absolute_url(trim(base)))
        return reference;
    return std::nullopt;
}

std::string resolve_url(std::string_view base_text, std::string_view reference_text) {
    if (auto itself = resolves_to_itself(base_text, reference_text))
        return std::string(*itself);
    std::string_view reference = trim(reference_text);
    std::string_view base = trim(base_text);
    Parts b = split(base);
    if (reference.starts_with("//"))
        return std::string(b.scheme) + std::string(reference);
    std::string head = std::string(b.scheme) + std::string(b.authority);
    if (reference.starts_with('#')) {
        std::string_view query = b.rest.substr(0, b.rest.find('#'));
        return head + std::string(b.path) + std::string(query) + std::string(reference);
    }
    if (reference.starts_with('?'))
        return head + std::string(b.path) + std::string(reference);
    Parts r = split(reference);
    std::string merged;
    if (r.path.starts_with('/')) {
        merged = std::string(r.path);
    } else {
        std::string_view directory = b.path.substr(0, b.path.rfind('/') + 1);
        merged = (directory.empty() ? "/" : std::string(directory)) + std::string(r.path);
    }
    return head + remove_dot_segments(merged) + std::string(r.rest);
}

std::string canonical_url(std::string_view text) {
    std::string_view url = trim(text);
    if (!is_absolute_url(url))
        return {};
    Parts parts = split(url);
    std::string out;
    for (char c : parts.scheme)
        out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    std::string_view authority = parts.authority;
    std::string_view default_port = out == "https:" ? ":443" : ":80";
    if (authority.ends_with(default_port))
        authority.remove_suffix(default_port.size());
    for (char c : authority)
        out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    out += parts.path.empty() ? "/" : remove_dot_segments(parts.path);
    std::string_view query = parts.rest.substr(0, parts.rest.find('#'));
    std::string kept;
    if (query.starts_with('?')) {
        query.remove_prefix(1);
        while (!query.empty()) {
            std::size_t amp = query.find('&');
            std::string_view parameter = query.substr(0, amp);
            if (!parameter.empty() && !parameter.starts_with("utm_")) {
                kept += kept.empty() ? '?' : '&';
                kept += parameter;
            }
            query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        }
    }
    return out + kept;
}

} // namespace newsmon::parsers
