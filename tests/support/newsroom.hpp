// A small newsroom written through the store's own path: two feeds that republish each other,
// a failing feed, articles in English and Russian with topics. Times are relative to the start
// of the current UTC day, so "today" queries are stable whenever the tests run.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "newsmon/parsers/feed.hpp"
#include "store/store.hpp"
#include "tag/topic_match.hpp"

namespace newsmon::testkit {

struct Newsroom {
    std::int64_t wire = 0;
    std::int64_t agency = 0;
    std::int64_t failing = 0;
};

// Start of the current day in UTC.
[[nodiscard]] std::chrono::sys_seconds start_of_today();

[[nodiscard]] parsers::Item make_item(const std::string& guid, const std::string& title,
                                      const std::string& link, std::chrono::sys_seconds published,
                                      const std::string& summary = "");

[[nodiscard]] tag::TopicMatch topic(const std::string& name, int score = 1, bool in_title = false);

// A config naming the three feeds and the nato and azerbaijan topics.
[[nodiscard]] config::Config newsroom_config(const std::string& database_url);

// Records one successful poll of `feed_id` with these items and topics.
store::PollOutcome store_items(store::Store& store, std::int64_t feed_id,
                               std::vector<parsers::Item> items,
                               std::vector<std::vector<tag::TopicMatch>> topics);

// Migrates, syncs the config, and writes the newsroom (see newsroom.cpp for the articles).
Newsroom populate_newsroom(store::Store& store, const std::string& database_url);

} // namespace newsmon::testkit
