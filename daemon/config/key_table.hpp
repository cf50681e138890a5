// The machinery behind the config key tables: one entry per key with its help text and a
// converter from the TOML node to the setting's C++ type. A key's documented default is written
// from the settings struct's own initialiser, so the structs are the one place defaults live.
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
    std::string default_text; // the struct's default as written in TOML; empty when required
    std::string_view note;    // what the default means when it is decided at run time
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

// A value as it is written in TOML: "30s", "16MiB", ["a", "b"].
std::string toml_text(const std::string& value);
std::string toml_text(bool value);
std::string toml_text(int value);
std::string toml_text(Duration value);
std::string toml_text(ByteSize value);
std::string toml_text(const PollInterval& value);
std::string toml_text(const std::vector<std::string>& value);
template <class Value> std::string toml_text(const std::optional<Value>& value) {
    return value ? toml_text(*value) : "none";
}

// A key bound to a member, with an optional extra check on the converted value. Its default
// is what a default-constructed Target holds.
template <class Target, class Value>
KeySpec<Target> key(std::string_view name, Value Target::*member, std::string_view help,
                    std::function<ConvertError(const Value&)> check = nullptr) {
    return {name,
            toml_text(Target{}.*member),
            {},
            help,
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

// A key whose default is decided when newsmon runs (another key's value, the host name), said
// by `note`.
template <class Target, class Value>
KeySpec<Target> noted_key(std::string_view name, Value Target::*member, std::string_view note,
                          std::string_view help,
                          std::function<ConvertError(const Value&)> check = nullptr) {
    auto spec = key<Target, Value>(name, member, help, std::move(check));
    spec.note = note;
    return spec;
}

template <class Target, class Value>
KeySpec<Target> required_key(std::string_view name, Value Target::*member, std::string_view help,
                             std::function<ConvertError(const Value&)> check = nullptr) {
    auto spec = key<Target, Value>(name, member, help, std::move(check));
    spec.default_text.clear();
    spec.required = true;
    return spec;
}

// The known name closest to `unknown`, when it is close enough to be a likely typo.
std::optional<std::string_view> closest_name(std::string_view unknown,
                                             const std::vector<std::string_view>& known);

} // namespace newsmon::config
