#include <gtest/gtest.h>

#include "newsmon/parsers/feed.hpp"
#include "pages/page_policy.hpp"
#include "tag/article_text.hpp"

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

// A Yandex.News feed: the description a teaser, the article in yandex:full-text. Read as the
// item's content, the text is the feed's own and the page is not fetched for it.
TEST(PagePolicy, AFeedsYandexFullTextSparesThePage) {
    std::string paragraph = "Генеральный секретарь НАТО прибыл в Баку с официальным визитом, "
                            "в ходе которого запланированы встречи с руководством страны.";
    auto feed_with = [&](const std::string& full_text) {
        return "<rss version=\"2.0\" xmlns:yandex=\"http://news.yandex.ru\"><channel>"
               "<title>Лента</title><link>https://news.example.test/</link><item>"
               "<title>Генсек НАТО в Баку</title>"
               "<link>https://news.example.test/2026/12/05/nato/</link>"
               "<description>Генсек НАТО прибыл в Баку. Подробнее</description>" +
               full_text + "</item></channel></rss>";
    };
    std::string lines;
    for (int n = 0; n < 6; ++n)
        lines += paragraph + "\n";
    for (const auto& [full_text, wanted] :
         {std::pair{"<yandex:full-text>" + lines + "</yandex:full-text>", false},
          std::pair{std::string{}, true}}) {
        auto feed = parsers::parse_feed(feed_with(full_text));
        ASSERT_TRUE(feed.has_value());
        ASSERT_EQ(feed->items.size(), 1U);
        const parsers::Item& item = feed->items[0];
        std::string own_text = tag::feed_full_text(item);
        if (own_text.empty())
            own_text = std::string(item.summary);
        EXPECT_EQ(wants_page(item, own_text, "auto", 500), wanted) << full_text.size();
    }
}

} // namespace
} // namespace newsmon::pages
