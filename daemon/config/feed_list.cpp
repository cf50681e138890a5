#include "config/feed_list.hpp"

#include <map>
#include <set>

#include "config/key_table.hpp"

namespace newsmon::config {
namespace {

constexpr std::size_t k_max_name = 100;

// "feed://host/x" and "feed:https://host/x", as some readers export them.
std::string without_feed_scheme(const std::string& url) {
    if (url.starts_with("feed:http://") || url.starts_with("feed:https://"))
        return url.substr(5);
    if (url.starts_with("feed://"))
        return "http://" + url.substr(7);
    return url;
}

bool is_http_url(const std::string& url) {
    return (url.starts_with("http://") || url.starts_with("https://")) && url.size() > 8 &&
           url.find_first_of(" \t\r\n\"<>\\") == std::string::npos;
}

std::string host_of(const std::string& url) {
    auto start = url.find("://") + 3;
    auto end = url.find_first_of("/?#", start);
    return url.substr(start, end == std::string::npos ? end : end - start);
}

// At most `size` bytes, not cutting a UTF-8 sequence.
std::string cut(std::string text, std::size_t size) {
    if (text.size() <= size)
        return text;
    while (size > 0 && (static_cast<unsigned char>(text[size]) & 0xC0) == 0x80)
        --size;
    text.resize(size);
    while (!text.empty() && text.back() == ' ')
        text.pop_back();
    return text;
}

bool is_language_tag(const std::string& tag) {
    if (tag.empty() || tag.size() > 35 || tag.front() == '-' || tag.back() == '-')
        return false;
    for (char c : tag)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-'))
            return false;
    return true;
}

// Folder names joined by "/", none empty, as [[feed]] category takes them.
bool is_folder_path(const std::string& path) {
    return !path.empty() && path.size() <= 200 && path.front() != '/' && path.back() != '/' &&
           path.find("//") == std::string::npos;
}

std::string line_prefix(const parsers::OpmlFeed& feed) {
    return "line " + std::to_string(feed.line) + ": ";
}

class Importer {
public:
    explicit Importer(const std::vector<FeedConfig>& configured) {
        for (const auto& feed : configured) {
            m_urls.emplace(feed.url, "is already configured as \"" + feed.name + "\"");
            m_names.insert(feed.name);
        }
    }

    void add(const parsers::OpmlFeed& outline) {
        std::string url = without_feed_scheme(outline.xml_url);
        if (!is_http_url(url)) {
            m_import.notes.push_back(line_prefix(outline) + "\"" + cut(outline.xml_url, 200) +
                                     "\" is not an http:// or https:// URL; left out");
            ++m_import.left_out;
            return;
        }
        auto known = m_urls.find(url);
        if (known != m_urls.end()) {
            m_import.notes.push_back(line_prefix(outline) + url + " " + known->second +
                                     "; left out");
            ++m_import.left_out;
            return;
        }
        m_urls.emplace(url, "is listed before, on line " + std::to_string(outline.line));
        FeedConfig feed;
        feed.url = url;
        feed.name = unique_name(outline.title.empty() ? host_of(url) : outline.title);
        if (!outline.category.empty()) {
            if (is_folder_path(outline.category))
                feed.category = outline.category;
            else
                m_import.notes.push_back(line_prefix(outline) + "folder \"" +
                                         cut(outline.category, 200) +
                                         "\" is longer than 200 bytes; left out");
        }
        if (is_language_tag(outline.language))
            feed.language = outline.language;
        write(feed);
    }

    FeedImport finish() { return std::move(m_import); }

private:
    std::string unique_name(const std::string& title) {
        std::string base = cut(title, k_max_name);
        std::string name = base;
        for (int suffix = 2; m_names.contains(name); ++suffix)
            name = base + " (" + std::to_string(suffix) + ")";
        m_names.insert(name);
        return name;
    }

    void write(const FeedConfig& feed) {
        std::string& out = m_import.toml;
        if (!out.empty())
            out += '\n';
        out += "[[feed]]\nname = " + toml_text(feed.name) + "\nurl = " + toml_text(feed.url) + "\n";
        if (feed.category)
            out += "category = " + toml_text(*feed.category) + "\n";
        if (feed.language)
            out += "language = " + toml_text(*feed.language) + "\n";
        ++m_import.added;
    }

    std::map<std::string, std::string> m_urls; // URL: why another with it is left out
    std::set<std::string> m_names;
    FeedImport m_import;
};

} // namespace

std::vector<parsers::OpmlFeed> feeds_as_opml(const std::vector<FeedConfig>& feeds) {
    std::vector<parsers::OpmlFeed> outlines;
    for (const auto& feed : feeds) {
        parsers::OpmlFeed outline;
        outline.title = feed.name;
        outline.xml_url = feed.url;
        outline.language = feed.language.value_or("");
        outline.category = feed.category.value_or("");
        outlines.push_back(std::move(outline));
    }
    return outlines;
}

FeedImport import_feeds(const parsers::Opml& opml, const std::vector<FeedConfig>& configured) {
    Importer importer(configured);
    for (const auto& outline : opml.feeds)
        importer.add(outline);
    return importer.finish();
}

} // namespace newsmon::config
