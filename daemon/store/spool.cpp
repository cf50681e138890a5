#include "store/spool.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include <nlohmann/json.hpp>

#include "base/unique_fd.hpp"

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

void make_private_directory(const std::filesystem::path& directory) {
    std::filesystem::create_directories(directory);
    // Spooled polls are the articles' text and the feeds' state: for this user only, with or
    // without systemd's UMask.
    std::filesystem::permissions(directory, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace);
}

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& path) {
    throw std::system_error(errno, std::generic_category(), "spool: " + what + " " + path.string());
}

void write_file_durably(const std::filesystem::path& path, const std::string& text) {
    base::UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    if (fd.get() < 0)
        fail("cannot create", path);
    std::size_t written = 0;
    while (written < text.size()) {
        ssize_t n = ::write(fd.get(), text.data() + written, text.size() - written);
        if (n < 0)
            fail("cannot write", path);
        written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd.get()) != 0)
        fail("cannot fsync", path);
}

// A rename is durable once the directory that holds the name is.
void sync_directory(const std::filesystem::path& directory) {
    base::UniqueFd fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0 || ::fsync(fd.get()) != 0)
        fail("cannot fsync", directory);
}

void check_version(const json& document) {
    int version = document.value("spool_version", 0); // absent before version 1
    if (version < 0 || version > k_spool_version)
        throw std::invalid_argument("spool format version " + std::to_string(version) +
                                    " is not one this newsmon reads (0 to " +
                                    std::to_string(k_spool_version) + ")");
}

FeedPoll poll_from(const json& j) {
    check_version(j);
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
        article.language_detected = a.value("language_detected", false); // likewise
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
                            {"wants_page", article.wants_page},
                            {"language_detected", article.language_detected}});
    }
    json document = {
        {"spool_version", k_spool_version},
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

tl::expected<FeedPoll, std::string> feed_poll_from_json(const std::string& text) {
    try {
        return poll_from(json::parse(text));
    } catch (const json::exception& error) { // truncated, not JSON, a field missing or mistyped
        return tl::unexpected(std::string(error.what()));
    } catch (const std::invalid_argument& error) { // a format this build does not know
        return tl::unexpected(std::string(error.what()));
    }
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
    make_private_directory(m_directory);
    remove_stale_temporaries(seconds{0}); // no write of this instance can be under way yet
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
    sync_directory(m_directory);
}

std::vector<std::filesystem::path> Spool::pending() const {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(m_directory))
        if (entry.path().extension() == ".json" && entry.is_regular_file())
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

tl::expected<FeedPoll, std::string> Spool::read(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return tl::unexpected("cannot open the file: " + std::string(std::strerror(errno)));
    std::stringstream text;
    text << in.rdbuf(); // an empty file reads as empty text, which is not a poll
    return feed_poll_from_json(text.str());
}

std::filesystem::path Spool::quarantine(const std::filesystem::path& file) {
    auto directory = m_directory / "quarantine";
    make_private_directory(directory);
    auto kept = directory / file.filename();
    std::filesystem::rename(file, kept);
    sync_directory(directory);
    sync_directory(m_directory);
    return kept;
}

std::size_t Spool::remove_stale_temporaries(seconds idle) {
    std::lock_guard lock(m_mutex);
    auto now = std::filesystem::file_time_type::clock::now();
    std::size_t removed = 0;
    for (const auto& entry : std::filesystem::directory_iterator(m_directory)) {
        if (entry.path().extension() != ".tmp" || !entry.is_regular_file())
            continue;
        if (idle.count() == 0 || now - entry.last_write_time() >= idle)
            removed += std::filesystem::remove(entry.path()) ? 1U : 0U;
    }
    return removed;
}

} // namespace newsmon::store
