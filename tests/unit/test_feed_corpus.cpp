// Every file under tests/fixtures/feeds with a sibling NAME.expected.json is parsed and compared
// with it. The expectation is a subset: objects list only the keys that matter for the case,
// arrays must have the same length, "warnings" lists fragments that some warning must contain
// (an empty list means no warning at all). "_options" gives the feed URL, Content-Type and
// configured charset;
// "_error" expects a failure of that kind, "_message" a fragment of its message.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "http_test_server.hpp"
#include "newsmon/parsers/feed.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace newsmon::parsers;

namespace {

const fs::path k_corpus = fs::path(NEWSMON_FIXTURES_DIR) / "feeds";

std::string read_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

void expect_subset(const json& expected, const json& actual, const std::string& where) {
    if (expected.is_object()) {
        ASSERT_TRUE(actual.is_object()) << where << ": expected an object, got " << actual.dump();
        for (const auto& [key, value] : expected.items()) {
            if (key.starts_with('_'))
                continue;
            ASSERT_TRUE(actual.contains(key)) << where << ": missing key " << key;
            if (key == "warnings") {
                const json& warnings = actual[key];
                if (value.empty()) {
                    EXPECT_TRUE(warnings.empty()) << where << ": unexpected " << warnings.dump();
                }
                for (const auto& fragment : value) {
                    bool found = false;
                    for (const auto& warning : warnings)
                        found |= warning.get<std::string>().find(fragment.get<std::string>()) !=
                                 std::string::npos;
                    EXPECT_TRUE(found) << where << ": no warning contains " << fragment << " in "
                                       << warnings.dump();
                }
                continue;
            }
            expect_subset(value, actual[key], where + "." + key);
        }
    } else if (expected.is_array()) {
        ASSERT_TRUE(actual.is_array()) << where << ": expected an array, got " << actual.dump();
        ASSERT_EQ(expected.size(), actual.size()) << where << ": " << actual.dump();
        for (std::size_t i = 0; i < expected.size(); ++i)
            expect_subset(expected[i], actual[i], where + "[" + std::to_string(i) + "]");
    } else {
        EXPECT_EQ(expected, actual) << where;
    }
}

std::string kind_name(ParseErrorKind kind) {
    switch (kind) {
    case ParseErrorKind::not_xml:
        return "not_xml";
    case ParseErrorKind::not_a_feed:
        return "not_a_feed";
    case ParseErrorKind::too_large:
        return "too_large";
    case ParseErrorKind::too_deep:
        return "too_deep";
    }
    return "?";
}

std::vector<fs::path> corpus_inputs() {
    std::vector<fs::path> inputs;
    for (const auto& entry : fs::recursive_directory_iterator(k_corpus)) {
        std::string name = entry.path().filename().string();
        if (!entry.is_regular_file() || name.ends_with(".expected.json"))
            continue;
        fs::path expectation = entry.path();
        expectation.replace_extension(".expected.json");
        if (fs::exists(expectation))
            inputs.push_back(entry.path());
    }
    std::sort(inputs.begin(), inputs.end());
    return inputs;
}

class FeedCorpus : public ::testing::TestWithParam<fs::path> {};

} // namespace

TEST_P(FeedCorpus, ParsesAsExpected) {
    const fs::path& input = GetParam();
    fs::path expectation_path = input;
    expectation_path.replace_extension(".expected.json");
    json expected = json::parse(read_bytes(expectation_path));
    ParseOptions options;
    if (expected.contains("_options")) {
        options.feed_url = expected["_options"].value("url", "");
        options.content_type = expected["_options"].value("content_type", "");
        options.charset = expected["_options"].value("charset", "");
    }
    auto result = parse_feed(read_bytes(input), options);
    std::string where = fs::relative(input, k_corpus).string();
    if (expected.contains("_error")) {
        ASSERT_FALSE(result.has_value()) << where << " parsed, but should not have";
        EXPECT_EQ(kind_name(result.error().kind), expected["_error"].get<std::string>()) << where;
        if (expected.contains("_message")) {
            EXPECT_NE(result.error().message.find(expected["_message"].get<std::string>()),
                      std::string::npos)
                << where << ": " << result.error().message;
        }
        if (expected.contains("_advertised")) {
            EXPECT_EQ(json(result.error().advertised_feeds), expected["_advertised"]) << where;
        }
        return;
    }
    ASSERT_TRUE(result.has_value()) << where << ": " << result.error().message;
    // Whatever the input, the output is valid UTF-8 JSON that parses back.
    json actual = json::parse(to_json(*result));
    expect_subset(expected, actual, where);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, FeedCorpus, ::testing::ValuesIn(corpus_inputs()),
                         [](const ::testing::TestParamInfo<fs::path>& param_info) {
                             std::string name = fs::relative(param_info.param, k_corpus).string();
                             for (char& c : name)
                                 if (!std::isalnum(static_cast<unsigned char>(c)))
                                     c = '_';
                             return name;
                         });
