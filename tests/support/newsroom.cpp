#include "newsroom.hpp"

#include "store/migrations.hpp"

namespace newsmon::testkit {

using namespace std::chrono;

sys_seconds start_of_today() {
    return floor<days>(floor<seconds>(system_clock::now()));
}

parsers::Item make_item(const std::string& guid, const std::string& title, const std::string& link,
                        sys_seconds published, const std::string& summary) {
    parsers::Item item;
    item.guid = guid;
    item.title = title;
    item.link = link;
    item.published = published;
    item.summary = summary;
    return item;
}

tag::TopicMatch topic(const std::string& name, int score, bool in_title) {
    return {name, score, score, {name}, in_title};
}

config::Config newsroom_config(const std::string& database_url) {
    config::Config config;
    config.database.url = database_url;
    config.feeds = {
        {"Wire", "https://wire.example.test/rss", {}, "en", {}, {}, {}, {}, {}, {}},
        {"Agency", "https://agency.example.test/rss", {}, "en", {}, {}, {}, {}, {}, {}},
        {"Failing", "https://failing.example.test/rss", {}, "en", {}, {}, {}, {}, {}, {}}};
    config.topics = {{"nato", "The alliance", {"NATO"}, {}, 1},
                     {"azerbaijan", "The country", {"Azerbaijan*"}, {}, 1}};
    return config;
}

store::PollOutcome store_items(store::Store& store, std::int64_t feed_id,
                               std::vector<parsers::Item> items,
                               std::vector<std::vector<tag::TopicMatch>> topics) {
    store::FeedPoll poll;
    poll.feed_id = feed_id;
    poll.started_at = system_clock::now();
    poll.http_status = 200;
    poll.items_seen = items.size();
    for (std::size_t i = 0; i < items.size(); ++i)
        poll.articles.push_back({std::move(items[i]),
                                 i < topics.size() ? topics[i] : std::vector<tag::TopicMatch>{},
                                 {},
                                 {}});
    poll.next_poll_in = minutes{15};
    return store.record_poll(poll);
}

Newsroom populate_newsroom(store::Store& store, const std::string& database_url) {
    store::migrate(store.connection());
    auto config = newsroom_config(database_url);
    store.sync_feeds(config);
    store.sync_topics(config);
    Newsroom room;
    for (const auto& feed : store.enabled_feeds()) {
        if (feed.name == "Wire")
            room.wire = feed.id;
        else if (feed.name == "Agency")
            room.agency = feed.id;
        else
            room.failing = feed.id;
    }
    auto today = start_of_today();
    store_items(
        store, room.wire,
        {make_item("w1", "NATO envoys meet the president in Baku", "https://wire.example.test/1",
                   today + seconds{20}, "The Partnership for Peace programme was discussed."),
         make_item("w2", "Alliance ministers gather in Brussels", "https://wire.example.test/2",
                   today - days{2}, "Defence ministers met at headquarters."),
         make_item("w3", "Азербайджан и НАТО обсудили сотрудничество",
                   "https://wire.example.test/3", today + seconds{10},
                   "Стороны обсудили сотрудничество Азербайджана с альянсом.")},
        {{topic("nato", 5, true), topic("azerbaijan", 4, true)},
         {topic("nato", 2)},
         {topic("nato", 3, true), topic("azerbaijan", 3, true)}});
    store_items(
        store, room.agency,
        {make_item("g1", "NATO Envoys Meet the President in Baku!",
                   "https://agency.example.test/77", today + seconds{30},
                   "Envoys of the alliance came to the capital."),
         make_item("g2", "Caspian energy talks in Baku", "https://agency.example.test/78",
                   today - days{10}, "Energy ministers met in Bakı."),
         make_item("g3", "Ministers in Brussels", "https://WIRE.example.test/2?utm_source=agency",
                   today - days{2} + hours{1}, "A rerun of the wire story.")},
        {{topic("nato", 5, true), topic("azerbaijan", 4, true)},
         {topic("azerbaijan", 2)},
         {topic("nato", 2)}});
    for (int attempt = 0; attempt < 3; ++attempt) {
        store::FeedPoll failure;
        failure.feed_id = room.failing;
        failure.started_at = system_clock::now();
        failure.http_status = 503;
        failure.error = "HTTP status 503";
        failure.next_poll_in = minutes{15};
        store.record_poll(failure);
    }
    return room;
}

} // namespace newsmon::testkit
