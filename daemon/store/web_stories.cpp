#include "store/web_stories.hpp"

#include <algorithm>

namespace newsmon::store {
namespace {

constexpr const char* k_stories = R"sql(
SELECT s.id, s.title, s.article_count, s.feed_count,
       coalesce(array_to_json(s.languages)::text, '[]'),
       to_char(s.first_seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       to_char(s.last_seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       s.last_seen_at::text,
       coalesce((SELECT json_agg(DISTINCT t.topic ORDER BY t.topic)::text
                   FROM articles a JOIN article_topics t ON t.article_id = a.id
                  WHERE a.story_id = s.id), '[]')
  FROM stories s
 WHERE s.last_seen_at >= $1::timestamptz
   AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM articles a
                                      JOIN article_topics t ON t.article_id = a.id
                                     WHERE a.story_id = s.id AND t.topic = $2::text))
   AND ($3::timestamptz IS NULL OR (s.last_seen_at, s.id) < ($3::timestamptz, $4::bigint))
 ORDER BY s.last_seen_at DESC, s.id DESC
 LIMIT $5
)sql";

constexpr const char* k_story = R"sql(
SELECT s.id, s.title, s.article_count, s.feed_count,
       coalesce(array_to_json(s.languages)::text, '[]'),
       to_char(s.first_seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       to_char(s.last_seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       s.first_article_id
  FROM stories s
 WHERE s.id = $1
)sql";

// The timeline: every article in the order it was published.
constexpr const char* k_story_articles = R"sql(
SELECT a.id, f.name, coalesce(a.language, ''), a.title, coalesce(a.url, ''),
       to_char(a.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       a.duplicate_of IS NOT NULL
  FROM articles a JOIN feeds f ON f.id = a.feed_id
 WHERE a.story_id = $1
 ORDER BY a.published_at, a.id
)sql";

nlohmann::json story_summary(const pqxx::row& row) {
    return {{"id", row[0].as<std::int64_t>()},
            {"title", row[1].as<std::string>()},
            {"article_count", row[2].as<int>()},
            {"feed_count", row[3].as<int>()},
            {"languages", nlohmann::json::parse(row[4].as<std::string>())},
            {"first_seen_at", row[5].as<std::string>()},
            {"last_seen_at", row[6].as<std::string>()}};
}

// Each outlet once, in the order it first carried the story.
nlohmann::json outlets_of(const nlohmann::json& timeline) {
    nlohmann::json outlets = nlohmann::json::array();
    for (const auto& article : timeline) {
        auto known = std::find_if(outlets.begin(), outlets.end(), [&](const nlohmann::json& o) {
            return o["feed"] == article["feed"];
        });
        if (known == outlets.end())
            outlets.push_back({{"feed", article["feed"]},
                               {"first_published_at", article["published_at"]},
                               {"articles", 1}});
        else
            (*known)["articles"] = (*known)["articles"].get<int>() + 1;
    }
    return outlets;
}

} // namespace

WebPage web_stories(pqxx::connection& connection, const StoryPageQuery& query) {
    pqxx::read_transaction tx{connection};
    std::optional<std::string> after_sort;
    std::optional<std::int64_t> after_id;
    if (query.after) {
        after_sort = query.after->sort;
        after_id = query.after->id;
    }
    auto rows =
        tx.exec_params(k_stories, query.since, query.topic, after_sort, after_id, query.limit + 1);
    WebPage page;
    for (const auto& row : rows) {
        if (page.items.size() == static_cast<std::size_t>(query.limit)) {
            const auto& last = rows[static_cast<pqxx::result::size_type>(query.limit - 1)];
            page.next = PageKey{last[7].as<std::string>(), last[0].as<std::int64_t>()};
            break;
        }
        auto story = story_summary(row);
        story["topics"] = nlohmann::json::parse(row[8].as<std::string>());
        page.items.push_back(std::move(story));
    }
    return page;
}

std::optional<nlohmann::json> web_story(pqxx::connection& connection, std::int64_t id) {
    pqxx::read_transaction tx{connection};
    auto rows = tx.exec_params(k_story, id);
    if (rows.empty())
        return std::nullopt;
    auto story = story_summary(rows[0]);
    auto first_article = rows[0][7].as<std::int64_t>();
    nlohmann::json timeline = nlohmann::json::array();
    for (const auto& row : tx.exec_params(k_story_articles, id)) {
        nlohmann::json article = {{"id", row[0].as<std::int64_t>()},
                                  {"feed", row[1].as<std::string>()},
                                  {"language", row[2].as<std::string>()},
                                  {"title", row[3].as<std::string>()},
                                  {"url", row[4].as<std::string>()},
                                  {"published_at", row[5].as<std::string>()},
                                  {"republication", row[6].as<bool>()},
                                  {"is_first", row[0].as<std::int64_t>() == first_article}};
        if (article["is_first"].get<bool>())
            story["first_publisher"] = {{"feed", article["feed"]},
                                        {"article_id", article["id"]},
                                        {"published_at", article["published_at"]}};
        timeline.push_back(std::move(article));
    }
    story["outlets"] = outlets_of(timeline);
    story["articles"] = std::move(timeline);
    if (!story.contains("first_publisher"))
        story["first_publisher"] = nullptr;
    return story;
}

} // namespace newsmon::store
