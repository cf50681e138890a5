// News-like feeds of a chosen size for the benchmarks: RSS 2.0 items with a teaser, a category,
// dates, and a few paragraphs of article HTML in content:encoded.
#pragma once

#include <string>

namespace newsmon::bench {

inline std::string paragraph(std::size_t n) {
    static const char* const k_sentences[] = {
        "The delegation discussed regional security and transport corridors.",
        "Ministers agreed to continue consultations early next year.",
        "Делегация обсудила вопросы региональной безопасности и транспорта.",
        "Nazirlər gələn il məsləhətləşmələri davam etdirməyə razılaşıblar.",
        "Bakanlar bölgesel güvenlik ve ulaştırma konularını görüştü.",
        "Observers said the talks were constructive &amp; detailed.",
    };
    std::string text = "<p>";
    for (std::size_t i = 0; i < 4; ++i) {
        text += k_sentences[(n + i) % 6];
        text += ' ';
    }
    return text + "</p>";
}

inline std::string rss_item(std::size_t n) {
    std::string id = std::to_string(n);
    std::string item = "<item><title>Story " + id +
                       ": foreign minister meets envoys</title><link>https://bench.example.test/"
                       "news/politics/" +
                       id + ".html</link><guid>https://bench.example.test/news/politics/" + id +
                       ".html</guid><category>Politics</category><pubDate>Fri, 07 Nov 2025 "
                       "10:10:00 +0400</pubDate><description>&lt;p&gt;Talks covered "
                       "peacekeeping and transport &amp;amp; energy.&lt;/p&gt;</description>"
                       "<content:encoded><![CDATA[";
    for (std::size_t p = 0; p < 4; ++p)
        item += paragraph(n + p);
    return item + "]]></content:encoded></item>\n";
}

// A feed of at least `bytes` bytes.
inline std::string rss_feed_of_size(std::size_t bytes) {
    std::string feed = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" "
                       "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel>"
                       "<title>Bench wire</title><link>https://bench.example.test/</link>"
                       "<description>Generated</description>\n";
    for (std::size_t n = 0; feed.size() < bytes; ++n)
        feed += rss_item(n);
    return feed + "</channel></rss>\n";
}

// Feed `feed` of a benchmark newsroom: `items` news items, each with 3 to 8 KB of article HTML
// in content:encoded, and unique guids across feeds.
inline std::string news_feed(int feed, int items) {
    std::string id = std::to_string(feed);
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" "
                      "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel>"
                      "<title>Bench feed " +
                      id + "</title><link>https://bench.example.test/" + id +
                      "/</link><description>Generated</description>\n";
    for (int i = 0; i < items; ++i) {
        std::string n = id + "-" + std::to_string(i);
        std::string html;
        std::size_t target = 3000 + static_cast<std::size_t>((feed * 31 + i * 17) % 5000);
        for (std::size_t p = 0; html.size() < target; ++p)
            html += paragraph(static_cast<std::size_t>(feed + i) + p);
        out += "<item><title>Story " + n +
               ": ministers meet envoys in Baku</title><link>"
               "https://bench.example.test/" +
               id + "/news/" + n +
               ".html</link><guid>"
               "https://bench.example.test/" +
               id + "/news/" + n +
               ".html</guid><category>Politics"
               "</category><pubDate>Fri, 07 Nov 2025 10:" +
               std::to_string(10 + i) +
               ":00 +0400</pubDate><description>Talks in Baku covered NATO cooperation."
               "</description><content:encoded><![CDATA[" +
               html + "]]></content:encoded></item>\n";
    }
    return out + "</channel></rss>\n";
}

} // namespace newsmon::bench
