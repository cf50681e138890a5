// What the sanitizer lets through into content_html: an allow-list of elements, of attributes
// per element, and of URL schemes. Everything else is dropped. Public so that tests and
// fuzzers can check sanitized output against the same policy with another HTML parser.
#pragma once

#include <string_view>

namespace newsmon::parsers::html_policy {

// `name` lower-cased, as an HTML parser reports it.
[[nodiscard]] bool keeps_element(std::string_view name);

// `attribute` on `element`, both lower-cased.
[[nodiscard]] bool keeps_attribute(std::string_view element, std::string_view attribute);

// Attributes whose value is a URL, checked by keeps_url.
[[nodiscard]] bool is_url_attribute(std::string_view attribute);

// True when a browser reading `url` as the value of `attribute` on `element` would see an
// http or https URL, a mailto: link (href), an inline picture (img src, data:image/ in PNG,
// JPEG, GIF or WebP), or a relative reference. Leading C0 controls and spaces and every tab
// and line break are ignored, as the URL standard does.
[[nodiscard]] bool keeps_url(std::string_view element, std::string_view attribute,
                             std::string_view url);

} // namespace newsmon::parsers::html_policy
