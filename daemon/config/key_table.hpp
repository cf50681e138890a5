// The machinery behind the config key tables: one entry per key with its default and help
// text, and a converter from the TOML node to the setting's C++ type.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "config/config.hpp"
#include "config/units.hpp"

namespace newsmon::config {

// A failed conversion: the message, said of the key ("expected a string").
using ConvertError = std::optional<std::string>;

template <class Target> struct KeySpec {
    std::string_view name;
    std::string_view default_text; // as it would be written in TOML; empty when required
    std::string_view help;
    std::function<ConvertError(Target&, const toml::node&)> apply;
    bool required = false;
};

ConvertError convert(const toml::node& node, std::string& out);
ConvertError convert(const toml::node& node, bool& out);
ConvertError convert(const toml::node& node, int& out);
ConvertError convert(const toml::node& node, Duration& out);
ConvertError convert(const toml::node& node, ByteSize& out);
ConvertError convert(const toml::node& node, PollInterval& out);
ConvertError convert(const toml::node& node, std::vector<std::string>& out);

template <class Value> ConvertError convert(const toml::node& node, std::optional<Value>& out) {
    Value value{};
    if (auto error = convert(node, value))
        return error;
    out = std::move(value);
    return std::nullopt;
}

// A key bound to a member, with an optional extra check on the converted value.
template <class Target, class Value>
KeySpec<Target> key(std::string_view name, Value Target::*member, std::string_view default_text,
                    std::string_view help,
                    std::function<ConvertError(const Value&)> check = nullptr) {
    return {name, default_text, help,
            [member, check](Target& target, const toml::node& node) -> ConvertError {
                Value value{};
                if (auto error = convert(node, value))
                    return error;
                if (check)
                    if (auto error = check(value))
                        return error;
                target.*member = std::move(value);
                return std::nullopt;
            }};
}

template <class Target, class Value>
KeySpec<Target> required_key(std::string_view name, Value Target::*member, std::string_view help,
                             std::function<ConvertError(const Value&)> check = nullptr) {
    auto spec = key<Target, Value>(name, member, "", help, std::move(check));
    spec.required = true;
    return spec;
}

// The known name closest to `unknown`, when it is close enough to be a likely typo.
std::optional<std::string_view> closest_name(std::string_view unknown,
                                             const std::vector<std::string_view>& known);

} // namespace newsmon::config
