#include <gtest/gtest.h>

#include "base/log.hpp"

using namespace newsmon;

TEST(Log, TextKeepsTheMessageConstantAndQuotesOnlyWhenNeeded) {
    log::setup("info", "text", std::nullopt);
    EXPECT_EQ(log::render("fetch done", {log::field("feed", "https://x.test/rss"),
                                         log::field("status", 200), log::field("ms", 12)}),
              "fetch done feed=https://x.test/rss status=200 ms=12");
    EXPECT_EQ(log::render("fetch failed", {log::field("error", "HTTP status 500")}),
              "fetch failed error=\"HTTP status 500\"");
    EXPECT_EQ(log::render("x", {log::field("v", "say \"hi\"")}), "x v=\"say \\\"hi\\\"\"");
    EXPECT_EQ(log::render("x", {log::field("empty", "")}), "x empty=\"\"");
}

TEST(Log, JsonGivesTypedMembers) {
    log::setup("info", "json", std::nullopt);
    std::string members =
        log::render("fetch done", {log::field("feed", "https://x.test/"), log::field("status", 304),
                                   log::field("ok", true)});
    log::setup("info", "text", std::nullopt);
    EXPECT_EQ(members, R"("feed":"https://x.test/","msg":"fetch done","ok":true,"status":304)");
}
