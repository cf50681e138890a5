#include <gtest/gtest.h>

#include "pages/page_policy.hpp"

namespace newsmon::pages {
namespace {

parsers::Item item_linking(const std::string& link) {
    parsers::Item item;
    item.link = link;
    return item;
}

TEST(PagePolicy, TeasersAreRecognisedInFourLanguages) {
    EXPECT_TRUE(looks_like_teaser("The delegation met the president…"));
    EXPECT_TRUE(looks_like_teaser("The delegation met the president... "));
    EXPECT_TRUE(looks_like_teaser("The delegation met the president [...]"));
    EXPECT_TRUE(looks_like_teaser("The delegation met the president. Read more"));
    EXPECT_TRUE(looks_like_teaser("Делегация встретилась с президентом. Подробнее"));
    EXPECT_TRUE(looks_like_teaser("Nümayəndə heyəti prezidentlə görüşüb. Ətraflı"));
    EXPECT_TRUE(looks_like_teaser("Heyet cumhurbaşkanıyla görüştü. Devamı"));
    EXPECT_FALSE(looks_like_teaser("The delegation met the president."));
    EXPECT_FALSE(looks_like_teaser("He asked them to read more books."));
}

TEST(PagePolicy, TheModeAndTheLengthDecide) {
    auto item = item_linking("https://news.example.test/1");
    std::string whole(600, 'a');
    EXPECT_TRUE(wants_page(item, "Short text.", "auto", 500));
    EXPECT_FALSE(wants_page(item, whole, "auto", 500));
    EXPECT_TRUE(wants_page(item, whole + "…", "auto", 500));
    EXPECT_TRUE(wants_page(item, whole, "always", 500));
    EXPECT_FALSE(wants_page(item, "Short text.", "never", 500));
    EXPECT_FALSE(wants_page(item, "Short text.", "auto", 0));
    EXPECT_FALSE(wants_page(item_linking(""), "Short text.", "always", 500));
    EXPECT_FALSE(wants_page(item_linking("ftp://files.example.test/1"), "x", "always", 500));
}

} // namespace
} // namespace newsmon::pages
