// Teasers: the repeated blocks of a listing (a section front, a category or tag page, a "more
// on this story" box), each a headline link to another page with a date and a line or two
// under it. They are read from the page as written, boilerplate or not: a teaser's headline
// may sit in a <header> or carry a class that is weighed out ("lg-promo"), and its dek a class
// such as "entry-summary".
#include <unordered_map>

#include "article_internal.hpp"
#include "newsmon/parsers/url.hpp"

namespace newsmon::parsers::article {
namespace {

constexpr int k_listing = 4;                  // teasers in a list, at least
constexpr std::size_t k_teaser_prose = 700;   // characters outside links, at most
constexpr std::size_t k_before_headline = 60; // a date, a kicker
constexpr std::size_t k_shortest_headline = 15;

using NodeSet = std::unordered_set<const GumboNode*>;

// Headline links under a node: how many, and the address of one (links to the same page, an
// image's and a title's, count once).
struct Heads {
    int count = 0;
    std::string_view href;
};

bool is_heading(GumboTag tag) {
    return tag == GUMBO_TAG_H1 || tag == GUMBO_TAG_H2 || tag == GUMBO_TAG_H3 ||
           tag == GUMBO_TAG_H4 || tag == GUMBO_TAG_H5 || tag == GUMBO_TAG_H6;
}

// Characters of the text under a node, markup aside.
std::size_t text_characters(const GumboNode* root) {
    if (root->type == GUMBO_NODE_TEXT || root->type == GUMBO_NODE_CDATA)
        return utf8_length(html::trim(root->v.text.text));
    std::size_t length = 0;
    html::walk(root, [&](const GumboNode* node) {
        if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA)
            length += utf8_length(html::trim(node->v.text.text));
        return html::is_element(node);
    });
    return length;
}

// The characters of the line a node stands on: its own and its inline neighbours' up to the
// nearest <br> or block on either side, within its block.
std::size_t line_characters(const GumboNode* node, std::size_t own) {
    std::size_t total = own;
    bool open_before = true, open_after = true;
    auto ends_line = [](const GumboNode* each) {
        return html::is_element(each) &&
               (each->v.element.tag == GUMBO_TAG_BR || is_block_tag(each->v.element.tag));
    };
    for (; html::is_element(node->parent) && (open_before || open_after); node = node->parent) {
        const GumboVector& siblings = node->parent->v.element.children;
        for (std::size_t i = node->index_within_parent + 1; open_after && i < siblings.length;
             ++i) {
            const auto* each = static_cast<const GumboNode*>(siblings.data[i]);
            open_after = !ends_line(each);
            total += open_after ? text_characters(each) : 0;
        }
        for (std::size_t i = node->index_within_parent; open_before && i-- > 0;) {
            const auto* each = static_cast<const GumboNode*>(siblings.data[i]);
            open_before = !ends_line(each);
            total += open_before ? text_characters(each) : 0;
        }
        if (is_block_tag(node->parent->v.element.tag))
            break;
    }
    return total;
}

// In a heading, around a heading or a block, or most of its line: a link set as a headline,
// not one inside a sentence.
bool stands_as_headline(const GumboNode* link, std::size_t length) {
    for (const GumboNode* up = link->parent; html::is_element(up); up = up->parent) {
        GumboTag tag = up->v.element.tag;
        if (is_heading(tag))
            return true;
        if (is_block_tag(tag))
            break;
    }
    bool holds_block = false;
    html::walk(link, [&](const GumboNode* node) {
        holds_block = holds_block ||
                      (node != link && html::is_element(node) && is_block_tag(node->v.element.tag));
        return !holds_block && html::is_element(node);
    });
    return holds_block || length * 2 >= line_characters(link, length);
}

// A teaser's text outside links: all of it, and the part before its headline.
struct TeaserProse {
    std::size_t all = 0;
    std::size_t before_headline = 0;
};

TeaserProse teaser_prose(const GumboNode* unit, const GumboNode* link) {
    TeaserProse prose;
    bool after = false;
    html::walk(unit, [&](const GumboNode* node) {
        if (html::is_tag(node, GUMBO_TAG_A)) {
            after = after || node == link;
            return false;
        }
        if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA) {
            std::size_t length = utf8_length(html::trim(node->v.text.text));
            prose.all += length;
            prose.before_headline += after ? 0 : length;
        }
        return html::is_element(node);
    });
    return prose;
}

class TeaserFinder {
public:
    TeaserFinder(std::string_view page, const NodeSet& holds_headline)
        : m_page(page), m_page_key(canonical_url(page)), m_page_tail(last_segment(m_page_key)),
          m_holds_headline(holds_headline) {}

    std::vector<Teaser> run(const GumboNode* root) {
        std::vector<const GumboNode*> headlines;
        html::walk(root, [&](const GumboNode* node) {
            if (html::is_tag(node, GUMBO_TAG_A) && is_headline_link(node))
                headlines.push_back(node);
            return html::is_element(node) || node->type == GUMBO_NODE_DOCUMENT;
        });
        std::vector<Teaser> teasers;
        if (headlines.size() < static_cast<std::size_t>(k_listing))
            return teasers;
        for (const GumboNode* link : headlines)
            count_heads(link);
        NodeSet found;
        for (const GumboNode* link : headlines) {
            const GumboNode* unit = teaser_of(link);
            if (!unit || found.contains(unit))
                continue;
            TeaserProse prose = teaser_prose(unit, link);
            // More text than a dek, or text before the headline: a story with a link in it.
            if (prose.all > k_teaser_prose || prose.before_headline > k_before_headline)
                continue;
            found.insert(unit);
            teasers.push_back({unit, prose.all});
        }
        return teasers;
    }

private:
    // A link to another page, long enough to say something, set as a headline.
    bool is_headline_link(const GumboNode* link) const {
        auto href = html::attribute(link, "href");
        if (href.empty() || href.front() == '#' || href.starts_with("javascript:"))
            return false;
        std::size_t length = text_characters(link);
        return length >= k_shortest_headline && stands_as_headline(link, length) &&
               !links_to_this_page(href);
    }

    // A blog post's title links to the post itself: a headline, but of this page. Only a link
    // whose path ends as the page's does is resolved and compared.
    bool links_to_this_page(std::string_view href) const {
        return !m_page_key.empty() && last_segment(href) == m_page_tail &&
               canonical_url(resolve_url(m_page, href)) == m_page_key;
    }

    // The last segment of a URL's path, without query, fragment and a trailing '/'.
    static std::string_view last_segment(std::string_view url) {
        url = url.substr(0, url.find_first_of("?#"));
        while (url.ends_with('/'))
            url.remove_suffix(1);
        return url.substr(url.rfind('/') + 1);
    }

    void count_heads(const GumboNode* link) {
        auto href = html::attribute(link, "href");
        for (const GumboNode* up = link; html::is_element(up); up = up->parent) {
            Heads& at = m_heads[up];
            if (at.count == 1 && at.href == href)
                return; // this page is counted here and above already
            at.href = at.count == 0 ? href : at.href;
            ++at.count;
        }
    }

    // The largest block around a headline link that holds no other, when its list holds at
    // least k_listing teasers and it does not hold the page's <h1>; else nullptr.
    const GumboNode* teaser_of(const GumboNode* link) const {
        const GumboNode* unit = link;
        while (html::is_element(unit->parent) && !html::is_tag(unit->parent, GUMBO_TAG_BODY) &&
               m_heads.at(unit->parent).count == 1)
            unit = unit->parent;
        const GumboNode* list = unit->parent;
        if (!html::is_element(list) || m_heads.at(list).count < k_listing ||
            m_holds_headline.contains(unit))
            return nullptr;
        return unit;
    }

    std::string_view m_page;
    std::string m_page_key;       // the page's address in canonical_url's form
    std::string_view m_page_tail; // the last segment of its path
    const NodeSet& m_holds_headline;
    std::unordered_map<const GumboNode*, Heads> m_heads;
};

} // namespace

std::vector<Teaser> find_teasers(const GumboNode* root, std::string_view page,
                                 const std::unordered_set<const GumboNode*>& holds_headline) {
    return TeaserFinder(page, holds_headline).run(root);
}

} // namespace newsmon::parsers::article
