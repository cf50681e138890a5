#include "store/spool.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include <nlohmann/json.hpp>

namespace newsmon::store {
namespace {

using nlohmann::json;
using namespace std::chrono;

template <class T> json optional_json(const std::optional<T>& value) {
    return value ? json(*value) : json(nullptr);
}

template <class T> std::optional<T> optional_from(const json& value) {
    if (value.is_null())
        return std::nullopt;
    return value.get<T>();
}

json time_json(const std::optional<parsers::Timestamp>& time) {
    return time ? json(time->time_since_epoch().count()) : json(nullptr);
}

std::optional<parsers::Timestamp> time_from(const json& value) {
    if (value.is_null())
        return std::nullopt;
    return parsers::Timestamp{seconds{value.get<long long>()}};
}

json item_json(const parsers::Item& item) {
    json enclosures = json::array();
    for (const auto& e : item.enclosures)
        enclosures.push_back(
            {{"url", e.url}, {"type", optional_json(e.type)}, {"length", optional_json(e.length)}});
    return {{"guid", item.guid},
            {"title", item.title},
            {"link", item.link},
            {"published", time_json(item.published)},
            {"updated", time_json(item.updated)},
            {"authors", item.authors},
            {"categories", item.categories},
            {"summary", item.summary},
            {"content_html", optional_json(item.content_html)},
            {"enclosures", enclosures}};
}

parsers::Item item_from(const json& j) {
    parsers::Item item;
    item.guid = j.at("guid").get<std::string>();
    item.title = j.at("title").get<std::string>();
    item.link = j.at("link").get<std::string>();
    item.published = time_from(j.at("published"));
    item.updated = time_from(j.at("updated"));
    for (const auto& author : j.at("authors"))
        item.authors.emplace_back(author.get<std::string>());
    for (const auto& category : j.at("categories"))
        item.categories.emplace_back(category.get<std::string>());
    item.summary = j.at("summary").get<std::string>();
    item.content_html = optional_from<std::string>(j.at("content_html"));
    for (const auto& e : j.at("enclosures"))
        item.enclosures.push_back({e.at("url"), optional_from<std::string>(e.at("type")),
                                   optional_from<std::int64_t>(e.at("length"))});
    return item;
}

void write_file_durably(const std::filesystem::path& path, const std::string& text) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        throw std::system_error(errno, std::generic_category(), "spool: " + path.string());
    std::size_t written = 0;
    while (written < text.size()) {
        ssize_t n = ::write(fd, text.data() + written, text.size() - written);
        if (n < 0) {
            int error = errno;
            ::close(fd);
            throw std::system_error(error, std::generic_category(), "spool: " + path.string());
        }
        written += static_cast<std::size_t>(n);
    }
    ::fsync(fd);
    ::close(fd);
}

} // namespace

std::string to_json(const FeedPoll& poll) {
    json articles = json::array();
    for (const auto& article : poll.articles) {
        json topics = json::array();
        for (const auto& t : article.topics)
            topics.push_back({{"topic", t.topic},
                              {"score", t.score},
                              {"hits", t.hits},
                              {"matched_terms", t.matched_terms},
                              {"in_title", t.in_title}});
        articles.push_back({{"item", item_json(article.item)},
                            {"topics", topics},
                            {"content_text", article.content_text},
                            {"language", article.language},
                            {"wants_page", article.wants_page}});
    }
    json document = {
        {"feed_id", poll.feed_id},
        {"started_at_ms", duration_cast<milliseconds>(poll.started_at.time_since_epoch()).count()},
        {"duration_ms", poll.duration.count()},
        {"http_status", poll.http_status},
        {"bytes", poll.bytes},
        {"items_seen", poll.items_seen},
        {"articles", articles},
        {"site_url", optional_json(poll.site_url)},
        {"etag", optional_json(poll.etag)},
        {"last_modified", optional_json(poll.last_modified)},
        {"error", optional_json(poll.error)},
        {"next_poll_in_ms", poll.next_poll_in.count()},
        {"body_hash", optional_json(poll.body_hash)},
        {"fetch_url", optional_json(poll.fetch_url)},
        {"unchanged", poll.unchanged}};
    return document.dump(-1, ' ', false, json::error_handler_t::replace);
}

FeedPoll feed_poll_from_json(const std::string& text) {
    json j = json::parse(text);
    FeedPoll poll;
    poll.feed_id = j.at("feed_id");
    poll.started_at =
        system_clock::time_point{milliseconds{j.at("started_at_ms").get<long long>()}};
    poll.duration = milliseconds{j.at("duration_ms").get<long long>()};
    poll.http_status = j.at("http_status");
    poll.bytes = j.at("bytes");
    poll.items_seen = j.at("items_seen");
    for (const auto& a : j.at("articles")) {
        PolledArticle article;
        article.item = item_from(a.at("item"));
        for (const auto& t : a.at("topics"))
            article.topics.push_back({t.at("topic"), t.at("score"), t.at("hits"),
                                      t.at("matched_terms").get<std::vector<std::string>>(),
                                      t.at("in_title")});
        article.content_text = a.at("content_text");
        article.language = a.at("language");
        article.wants_page = a.value("wants_page", false); // absent in older spool files
        poll.articles.push_back(std::move(article));
    }
    poll.site_url = optional_from<std::string>(j.at("site_url"));
    poll.etag = optional_from<std::string>(j.at("etag"));
    poll.last_modified = optional_from<std::string>(j.at("last_modified"));
    poll.error = optional_from<std::string>(j.at("error"));
    poll.next_poll_in = milliseconds{j.at("next_poll_in_ms").get<long long>()};
    poll.body_hash = optional_from<std::string>(j.at("body_hash"));
    poll.fetch_url = optional_from<std::string>(j.at("fetch_url"));
    poll.unchanged = j.at("unchanged");
    return poll;
}

std::filesystem::path spool_directory(const std::string& state_dir) {
    if (!state_dir.empty())
        return std::filesystem::path(state_dir) / "spool";
    if (const char* systemd = std::getenv("STATE_DIRECTORY"); systemd && *systemd) {
        std::string first(systemd);
        return std::filesystem::path(first.substr(0, first.find(':'))) / "spool";
    }
    return std::filesystem::path("var") / "spool";
}

Spool::Spool(std::filesystem::path directory) : m_directory(std::move(directory)) {
    std::filesystem::create_directories(m_directory);
}

void Spool::put(const FeedPoll& poll) {
    std::lock_guard lock(m_mutex);
    // Names sort in the order polls were spooled: time, then a sequence within this process.
    auto now = duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
    std::ostringstream name;
    name << std::setw(20) << std::setfill('0') << now << "-" << std::setw(6) << ++m_sequence << "-"
         << getpid();
    auto temporary = m_directory / (name.str() + ".tmp");
    write_file_durably(temporary, to_json(poll));
    std::filesystem::rename(temporary, m_directory / (name.str() + ".json"));
}

std::vector<std::filesystem::path> Spool::pending() const {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(m_directory))
        if (entry.path().extension() == ".json")
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

FeedPoll Spool::read(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    return feed_poll_from_json(text.str());
}

} // namespace newsmon::store
