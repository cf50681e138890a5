// What a page says about its article: <meta> (Open Graph, article:*, name=author), JSON-LD
// NewsArticle, <link rel="canonical">, <time datetime>, itemprop, <h1>, <title>, <html lang>.
// Where several say it, the most specific wins.
#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "article_internal.hpp"
#include "newsmon/parsers/dates.hpp"
#include "newsmon/parsers/html.hpp"

namespace newsmon::parsers::article {
namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string text_of(const GumboNode* node) {
    std::string text;
    html::append_text(node, text);
    return std::string(html::trim(text));
}

// The parts of a JSON-LD article the page's markup may lack.
struct LinkedData {
    std::string headline, author, date_published, image, language, url;
};

std::string name_of(const nlohmann::json& given) {
    // An array is named by its first element, however deep: [[{"name": "..."}]].
    const nlohmann::json* value = &given;
    while (value->is_array() && !value->empty())
        value = &value->front();
    if (value->is_string())
        return value->get<std::string>();
    if (value->is_object() && value->contains("name") && (*value)["name"].is_string())
        return (*value)["name"].get<std::string>();
    if (value->is_object() && value->contains("url") && (*value)["url"].is_string())
        return (*value)["url"].get<std::string>();
    return {};
}

// Whether `text` holds `word` (lower-case ASCII), whatever the case: "articleAuthor".
bool contains_word(std::string_view text, std::string_view word) {
    for (std::size_t at = 0; at + word.size() <= text.size(); ++at) {
        std::size_t i = 0;
        while (i < word.size() && std::tolower(static_cast<unsigned char>(text[at + i])) == word[i])
            ++i;
        if (i == word.size())
            return true;
    }
    return false;
}

bool is_article_type(const nlohmann::json& type) {
    auto matches = [](const std::string& name) {
        return name == "NewsArticle" || name == "Article" || name == "ReportageNews" ||
               name == "BlogPosting" || name == "AnalysisNewsArticle" ||
               name == "OpinionNewsArticle";
    };
    if (type.is_string())
        return matches(type.get<std::string>());
    if (type.is_array())
        for (const auto& each : type)
            if (each.is_string() && matches(each.get<std::string>()))
                return true;
    return false;
}

// Articles are found at the top, in an array or in a @graph; nothing deeper is looked at, so
// nesting in the page's JSON costs no stack.
void read_linked_data(const nlohmann::json& value, LinkedData& out, int depth = 0) {
    constexpr int k_max_depth = 8;
    if (depth > k_max_depth)
        return;
    if (value.is_array()) {
        for (const auto& each : value)
            read_linked_data(each, out, depth + 1);
        return;
    }
    if (!value.is_object())
        return;
    if (value.contains("@graph"))
        read_linked_data(value["@graph"], out, depth + 1);
    if (!value.contains("@type") || !is_article_type(value["@type"]))
        return;
    auto take = [&](const char* key, std::string& field) {
        if (field.empty() && value.contains(key))
            field = name_of(value[key]);
    };
    take("headline", out.headline);
    take("author", out.author);
    take("datePublished", out.date_published);
    take("image", out.image);
    take("inLanguage", out.language);
    take("url", out.url);
    take("mainEntityOfPage", out.url);
}

class MetadataReader {
public:
    // Reads `root` and the elements under it, in document order.
    void visit(const GumboNode* root) {
        html::walk(root, [&](const GumboNode* node) { return enter(node); });
    }

private:
    // Reads one node; whether its children are to be read.
    bool enter(const GumboNode* node) {
        if (!html::is_element(node))
            return false;
        switch (node->v.element.tag) {
        case GUMBO_TAG_HTML:
            m_html_lang = html::attribute(node, "lang");
            break;
        case GUMBO_TAG_META:
            meta(node);
            break;
        case GUMBO_TAG_LINK:
            if (lower(html::attribute(node, "rel")) == "canonical" && m_canonical.empty())
                m_canonical = html::attribute(node, "href");
            break;
        case GUMBO_TAG_TITLE:
            if (m_title_tag.empty())
                m_title_tag = text_of(node);
            break;
        case GUMBO_TAG_H1:
            if (m_h1.empty())
                m_h1 = text_of(node);
            m_headings.push_back(text_of(node));
            m_after_headline = 0;
            return false;
        case GUMBO_TAG_H2:
        case GUMBO_TAG_H3:
            if (m_subheadings.size() < 40)
                m_subheadings.push_back(text_of(node));
            return false;
        case GUMBO_TAG_TIME:
            if (m_time.empty())
                m_time = html::attribute(node, "datetime");
            break;
        case GUMBO_TAG_SCRIPT:
            if (lower(html::attribute(node, "type")) == "application/ld+json")
                json_ld(node);
            return false;
        default:
            break;
        }
        look_for_date_line(node);
        look_for_author(node);
        if (html::attribute(node, "itemprop") == "datePublished" && m_itemprop_date.empty()) {
            auto value = html::attribute(node, "content");
            m_itemprop_date = value.empty() ? html::attribute(node, "datetime") : value;
            if (m_itemprop_date.empty()) // Blogger: <abbr itemprop="datePublished" title="…">
                m_itemprop_date = html::attribute(node, "title");
        }
        return true;
    }

public:
    Metadata result() const {
        Metadata out;
        out.title = headline();
        std::string author = first_of(
            {m_linked.author, meta_value("author"), meta_value("article:author"), m_markup_author});
        out.author = author.starts_with("http") ? std::string() : author;
        for (const std::string& candidate :
             {meta_value("article:published_time"), m_linked.date_published, m_itemprop_date,
              m_time, meta_value("date"), meta_value("pubdate"), meta_value("dc.date")}) {
            if (auto when = parse_date(candidate)) {
                out.published = when;
                break;
            }
        }
        if (!out.published)
            out.published = m_date_line;
        out.image = first_of({meta_value("og:image"), m_linked.image});
        std::string locale = meta_value("og:locale");
        std::replace(locale.begin(), locale.end(), '_', '-');
        out.language =
            first_of({m_html_lang, meta_value("content-language"), m_linked.language, locale});
        out.canonical = first_of({m_canonical, meta_value("og:url"), m_linked.url});
        out.description = first_of({meta_value("description"), meta_value("og:description")});
        return out;
    }

private:
    // The page's headline: the first <h1> that the page's other titles (Open Graph, JSON-LD,
    // <title>) agree with, else the first <h2> or <h3> that they agree with (a blog whose <h1>
    // is its name), else the first <h1>, else those titles.
    std::string headline() const {
        std::vector<std::string> titles = {meta_value("og:title"), m_linked.headline,
                                           without_site_name(m_title_tag), m_title_tag};
        auto agrees = [&](const std::string& heading) {
            return heading.size() >= 10 &&
                   std::any_of(titles.begin(), titles.end(), [&](const std::string& title) {
                       // Most of the title, not a site name inside it.
                       return !title.empty() && heading.size() * 2 >= title.size() &&
                              title.find(heading) != std::string::npos;
                   });
        };
        for (const auto* headings : {&m_headings, &m_subheadings})
            for (const auto& heading : *headings)
                if (agrees(heading))
                    return heading;
        // A heading that says more than the page's title ("Category: Culture" for "Culture").
        for (const std::string& title : {meta_value("og:title"), m_linked.headline})
            if (!title.empty() && m_h1.find(title) != std::string::npos)
                return title;
        return first_of(
            {m_h1, meta_value("og:title"), m_linked.headline, without_site_name(m_title_tag)});
    }

    // The author as the markup names it: rel="author", itemprop="author", or a short line whose
    // class says author or byline ("By Jane Doe", "Автор: Рустам Галиев"); not a commenter.
    void look_for_author(const GumboNode* node) {
        if (!m_markup_author.empty())
            return;
        auto says = [&](const char* word) {
            return contains_word(html::attribute(node, "class"), word) ||
                   contains_word(html::attribute(node, "id"), word);
        };
        bool marked = html::attribute(node, "rel") == "author" ||
                      html::attribute(node, "itemprop") == "author" ||
                      ((says("author") || says("byline")) && !says("comment"));
        if (!marked)
            return;
        std::string text = text_of(node);
        for (std::string_view prefix :
             {"By ", "by ", "Posted by ", "Автор:", "Müəllif:", "Yazar:", "Yazan:", "Author:"})
            if (std::string_view(text).starts_with(prefix)) {
                text = std::string(html::trim(std::string_view(text).substr(prefix.size())));
                break;
            }
        bool digits =
            std::any_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (text.size() >= 3 && text.size() <= 60 && !digits)
            m_markup_author = text;
    }

    // The visible date line ("07 November 2025 [10:10]"): a short element among the first
    // few after the headline.
    void look_for_date_line(const GumboNode* node) {
        constexpr int k_elements_after_headline = 40;
        if (m_date_line || m_after_headline < 0 || ++m_after_headline > k_elements_after_headline)
            return;
        const GumboVector& children = node->v.element.children;
        for (unsigned i = 0; i < children.length; ++i)
            if (html::is_element(static_cast<const GumboNode*>(children.data[i])) &&
                static_cast<const GumboNode*>(children.data[i])->v.element.tag != GUMBO_TAG_SPAN &&
                static_cast<const GumboNode*>(children.data[i])->v.element.tag != GUMBO_TAG_A &&
                static_cast<const GumboNode*>(children.data[i])->v.element.tag != GUMBO_TAG_TIME)
                return; // not a leaf line
        std::string text = text_of(node);
        if (!text.empty() && text.size() <= 80)
            m_date_line = date_line(text);
    }

    void meta(const GumboNode* node) {
        std::string key = lower(html::attribute(node, "property"));
        if (key.empty())
            key = lower(html::attribute(node, "name"));
        if (key.empty())
            key = lower(html::attribute(node, "http-equiv"));
        auto content = html::trim(html::attribute(node, "content"));
        if (!key.empty() && !content.empty() && !m_meta.contains(key))
            m_meta.emplace(key, decode_text(content));
    }

    void json_ld(const GumboNode* node) {
        std::string text;
        const GumboVector& children = node->v.element.children;
        for (unsigned i = 0; i < children.length; ++i) {
            const auto* child = static_cast<const GumboNode*>(children.data[i]);
            if (child->type == GUMBO_NODE_TEXT || child->type == GUMBO_NODE_CDATA ||
                child->type == GUMBO_NODE_WHITESPACE)
                text += child->v.text.text;
        }
        auto parsed = nlohmann::json::parse(text, nullptr, false);
        if (!parsed.is_discarded())
            read_linked_data(parsed, m_linked);
    }

    std::string meta_value(const std::string& key) const {
        auto found = m_meta.find(key);
        return found == m_meta.end() ? std::string() : found->second;
    }

    static std::string first_of(std::initializer_list<std::string> candidates) {
        for (const auto& candidate : candidates)
            if (!html::trim(candidate).empty())
                return std::string(html::trim(candidate));
        return {};
    }

    // "Story title | Site" and "Story title - Site": the site's name is not the title.
    static std::string without_site_name(const std::string& title) {
        for (std::string_view separator : {" | ", " - ", " — ", " – ", " :: "}) {
            auto at = title.rfind(separator);
            if (at != std::string::npos && at > title.size() / 3)
                return title.substr(0, at);
        }
        return title;
    }

    std::map<std::string, std::string> m_meta;
    LinkedData m_linked;
    std::string m_html_lang, m_canonical, m_title_tag, m_h1, m_time, m_itemprop_date;
    std::string m_markup_author;
    std::vector<std::string> m_headings, m_subheadings; // <h1>; <h2> and <h3>
    int m_after_headline = -1; // elements seen since the <h1>; -1 before it
    std::optional<std::chrono::sys_seconds> m_date_line;
};

bool digits(std::string_view text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "12.09.2025 09:15", as Russian and Azerbaijani sites write dates, to "2025-09-12 09:15".
std::string day_month_year_to_iso(std::string_view text) {
    auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos || text.size() < first + 10)
        return std::string(text);
    std::string_view date = text.substr(first, 10);
    if (date[2] != '.' || date[5] != '.' || !digits(date.substr(0, 2)) ||
        !digits(date.substr(3, 2)) || !digits(date.substr(6, 4)))
        return std::string(text);
    return std::string(date.substr(6, 4)) + "-" + std::string(date.substr(3, 2)) + "-" +
           std::string(date.substr(0, 2)) + std::string(text.substr(first + 10));
}

} // namespace

Metadata read_metadata(const GumboNode* root) {
    MetadataReader reader;
    const GumboVector& children = root->v.document.children;
    for (unsigned i = 0; i < children.length; ++i)
        reader.visit(static_cast<const GumboNode*>(children.data[i]));
    return reader.result();
}

std::optional<std::chrono::sys_seconds> date_line(std::string_view text) {
    if (text.size() > 80)
        return std::nullopt;
    // "07 November 2025 [10:10] - Today.Az": brackets off, then the longest prefix of words
    // that reads as a date.
    std::string cleaned = day_month_year_to_iso(text);
    std::erase_if(cleaned,
                  [](char c) { return c == '[' || c == ']' || c == '|' || c == '(' || c == ')'; });
    std::replace(cleaned.begin(), cleaned.end(), ',', ' ');
    std::vector<std::size_t> ends;
    for (std::size_t i = 0; i <= cleaned.size(); ++i)
        if (i == cleaned.size() || cleaned[i] == ' ')
            ends.push_back(i);
    for (auto end = ends.rbegin(); end != ends.rend(); ++end) {
        auto prefix = html::trim(std::string_view(cleaned).substr(0, *end));
        if (prefix.size() < 8)
            break;
        if (auto when = parse_date(prefix))
            return when;
    }
    return std::nullopt;
}

} // namespace newsmon::parsers::article
