#include "config/key_table.hpp"

#include <algorithm>
#include <limits>
#include <numeric>

namespace newsmon::config {
namespace {

std::string_view type_name(const toml::node& node) {
    switch (node.type()) {
    case toml::node_type::string:
        return "a string";
    case toml::node_type::integer:
        return "an integer";
    case toml::node_type::floating_point:
        return "a number";
    case toml::node_type::boolean:
        return "a boolean";
    case toml::node_type::array:
        return "an array";
    case toml::node_type::table:
        return "a table";
    default:
        return "a date or time";
    }
}

std::string mismatch(std::string_view wanted, const toml::node& node) {
    return "expected " + std::string(wanted) + ", got " + std::string(type_name(node));
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    std::iota(row.begin(), row.end(), std::size_t{0});
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t above = row[j];
            std::size_t substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
            row[j] = std::min({above + 1, row[j - 1] + 1, substitution});
            diagonal = above;
        }
    }
    return row[b.size()];
}

} // namespace

std::string toml_text(const std::string& value) {
    constexpr std::string_view k_hex = "0123456789ABCDEF";
    std::string out = "\"";
    for (char c : value) {
        auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (byte < 0x20 || byte == 0x7F) { // TOML allows no control character as it is
            out += "\\u00";
            out += k_hex[byte >> 4];
            out += k_hex[byte & 0x0F];
        } else {
            out += c;
        }
    }
    return out + "\"";
}

std::string toml_text(bool value) {
    return value ? "true" : "false";
}

std::string toml_text(int value) {
    return std::to_string(value);
}

std::string toml_text(Duration value) {
    return toml_text(format_duration(value));
}

std::string toml_text(ByteSize value) {
    return toml_text(format_size(value));
}

std::string toml_text(const PollInterval& value) {
    return value.automatic ? toml_text(std::string("auto")) : toml_text(value.fixed);
}

std::string toml_text(const std::vector<std::string>& value) {
    std::string out = "[";
    for (const auto& item : value)
        out += (out.size() > 1 ? ", " : "") + toml_text(item);
    return out + "]";
}

ConvertError convert(const toml::node& node, std::string& out) {
    const auto* value = node.as_string();
    if (!value)
        return mismatch("a string", node);
    out = value->get();
    return std::nullopt;
}

ConvertError convert(const toml::node& node, bool& out) {
    const auto* value = node.as_boolean();
    if (!value)
        return mismatch("true or false", node);
    out = value->get();
    return std::nullopt;
}

ConvertError convert(const toml::node& node, int& out) {
    const auto* value = node.as_integer();
    if (!value)
        return mismatch("an integer", node);
    std::int64_t number = value->get();
    if (number < std::numeric_limits<int>::min() || number > std::numeric_limits<int>::max())
        return "integer " + std::to_string(number) + " is out of range";
    out = static_cast<int>(number);
    return std::nullopt;
}

ConvertError convert(const toml::node& node, Duration& out) {
    const auto* value = node.as_string();
    if (!value)
        return mismatch("a duration string such as \"30s\"", node);
    auto parsed = parse_duration(value->get());
    if (!parsed)
        return parsed.error();
    out = *parsed;
    return std::nullopt;
}

ConvertError convert(const toml::node& node, ByteSize& out) {
    const auto* value = node.as_string();
    if (!value)
        return mismatch("a size string such as \"16MiB\"", node);
    auto parsed = parse_size(value->get());
    if (!parsed)
        return parsed.error();
    out = *parsed;
    return std::nullopt;
}

ConvertError convert(const toml::node& node, PollInterval& out) {
    if (const auto* value = node.as_string(); value && value->get() == "auto") {
        out.automatic = true;
        return std::nullopt;
    }
    Duration fixed{};
    if (auto error = convert(node, fixed))
        return *error + " or \"auto\"";
    out = PollInterval{false, fixed};
    return std::nullopt;
}

ConvertError convert(const toml::node& node, std::vector<std::string>& out) {
    const auto* array = node.as_array();
    if (!array)
        return mismatch("an array of strings", node);
    out.clear();
    for (const toml::node& element : *array) {
        const auto* text = element.as_string();
        if (!text)
            return "expected an array of strings, but element " + std::to_string(out.size() + 1) +
                   " is " + std::string(type_name(element));
        out.push_back(text->get());
    }
    return std::nullopt;
}

std::optional<std::string_view> closest_name(std::string_view unknown,
                                             const std::vector<std::string_view>& known) {
    std::optional<std::string_view> best;
    std::size_t best_distance = std::max<std::size_t>(2, unknown.size() / 3) + 1;
    for (std::string_view name : known) {
        std::size_t distance = edit_distance(unknown, name);
        if (distance < best_distance) {
            best = name;
            best_distance = distance;
        }
    }
    return best;
}

} // namespace newsmon::config
