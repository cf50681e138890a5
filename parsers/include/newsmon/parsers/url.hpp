// URL reference resolution (RFC 3986 section 5), for links found in feeds and pages.
#pragma once

#include <string>
#include <string_view>

namespace newsmon::parsers {

// `reference` made absolute against `base`; returned as given (trimmed) when either is not
// usable. An empty reference stays empty: in a feed it means there is no link. Handles
// scheme-relative ("//host/p"), absolute-path, relative-path, query-only and fragment-only
// references, and removes dot segments.
[[nodiscard]] std::string resolve_url(std::string_view base, std::string_view reference);

[[nodiscard]] bool is_absolute_url(std::string_view url);

// Whether a link may be kept and shown as a link: an http:// or https:// URL, or a reference
// with no scheme at all. False for javascript:, data: and every other scheme, and for text
// with white space or control characters (which browsers drop, so "java\tscript:" runs).
[[nodiscard]] bool is_web_link(std::string_view url);

// The form of an article URL used to recognise the same story: scheme and host lower-cased,
// default port, fragment and utm_* tracking parameters dropped. Empty for a relative URL.
[[nodiscard]] std::string canonical_url(std::string_view url);

} // namespace newsmon::parsers
