// Readability-style body extraction. Navigation, hidden and embedded elements are left out by
// tag, role and style; blocks whose class says boilerplate (sidebars, share and "related"
// blocks, comments, ads) and forms are left out unless they hold a good part of the page's
// prose, and weigh against a container in proportion otherwise. Paragraph-like blocks and runs
// of loose text score their container and the two above it by length and punctuation; the best
// container, scaled down by its link density and by its share of teaser text (a listing's
// headline-and-dek blocks, which are never the story), is the story, with the siblings that
// score close to it (a body split by an ad) and the containers of the same kind near it (a story
// split over several).
#include <algorithm>
#include <array>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "article_internal.hpp"
#include "newsmon/parsers/words.hpp"

namespace newsmon::parsers::article {

bool is_block_tag(GumboTag tag) {
    switch (tag) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_ADDRESS:
        return true;
    default:
        return false;
    }
}

namespace {

using NodeSet = std::unordered_set<const GumboNode*>;

// A node's children as a range, without copying gumbo's vector.
class Children {
public:
    explicit Children(const GumboNode* node) {
        if (node->type == GUMBO_NODE_DOCUMENT)
            m_vector = &node->v.document.children;
        else if (html::is_element(node))
            m_vector = &node->v.element.children;
    }
    const GumboNode* const* begin() const {
        return m_vector ? reinterpret_cast<const GumboNode* const*>(m_vector->data) : nullptr;
    }
    const GumboNode* const* end() const { return m_vector ? begin() + m_vector->length : nullptr; }

private:
    const GumboVector* m_vector = nullptr;
};

Children children_of(const GumboNode* node) {
    return Children(node);
}

char ascii_lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
}

// Lower-cased ASCII words of the class and id attributes ("news-sidebar_2" -> news, sidebar, 2).
std::vector<std::string> class_tokens(const GumboNode* node) {
    std::vector<std::string> tokens;
    for (const char* name : {"class", "id"}) {
        std::string token;
        char previous = 0;
        for (char c : html::attribute(node, name)) {
            bool camel_hump = c >= 'A' && c <= 'Z' && previous >= 'a' && previous <= 'z';
            previous = c;
            if (camel_hump && !token.empty()) { // "commentsPanel", "articleBodyText"
                tokens.push_back(std::move(token));
                token.clear();
            }
            if (std::isalnum(static_cast<unsigned char>(c))) {
                token += ascii_lower(c);
            } else if (!token.empty()) {
                tokens.push_back(std::move(token));
                token.clear();
            }
        }
        if (!token.empty())
            tokens.push_back(std::move(token));
    }
    return tokens;
}

// Class and id words of blocks that are never the story. The strong ones speak against a block
// whatever else its classes say ("entry-meta", "post-comments"); the weak ones only when no
// class word speaks for the story ("article-header" stays). Comment words alone are a verdict:
// readers' comments may outweigh the story they follow.
enum class Boilerplate { none, weak, strong, comments };

Boilerplate word_kind(const std::string& token) {
    static const std::unordered_set<std::string> k_comments = {"comment", "comments", "disqus"};
    static const std::unordered_set<std::string> k_strong = {
        "share",       "sharing",       "social",    "sidebar",   "breadcrumb", "breadcrumbs",
        "cookie",      "cookies",       "consent",   "gdpr",      "newsletter", "subscribe",
        "advert",      "advertisement", "adv",       "ad",        "ads",        "adsense",
        "banner",      "promo",         "sponsored", "related",   "popular",    "trending",
        "recommended", "readalso",      "seealso",   "outbrain",  "taboola",    "widget",
        "byline",      "meta",          "tags",      "tagcloud",  "pagination", "pager",
        "login",       "signup",        "modal",     "popup",     "rating",     "toolbar",
        "caption",     "credit",        "credits",   "pullquote", "pull"};
    static const std::unordered_set<std::string> k_weak = {
        "latest", "copyright",  "footer",   "menu",   "nav",
        "navbar", "navigation", "masthead", "topbar", "header"};
    // Words that begin a longer one say the same ("relatedposts", "sharedaddy", "sidebarleft").
    static const std::array<std::string_view, 11> k_prefixes = {
        "related",   "sidebar",   "breadcrumb", "newsletter", "advert", "sponsor",
        "recommend", "pullquote", "social",     "share",      "caption"};
    // One look-up per word.
    static const std::unordered_map<std::string, Boilerplate> k_words = [] {
        std::unordered_map<std::string, Boilerplate> words;
        for (const auto& [set, kind] :
             {std::pair{&k_weak, Boilerplate::weak}, std::pair{&k_strong, Boilerplate::strong},
              std::pair{&k_comments, Boilerplate::comments}})
            for (const auto& word : *set)
                words[word] = kind;
        return words;
    }();
    if (auto found = k_words.find(token); found != k_words.end())
        return found->second;
    constexpr std::size_t k_shortest_prefix = 5;
    if (token.size() > k_shortest_prefix &&
        std::any_of(k_prefixes.begin(), k_prefixes.end(),
                    [&](std::string_view prefix) { return token.starts_with(prefix); }))
        return Boilerplate::strong;
    return Boilerplate::none;
}

Boilerplate boilerplate_class(const std::vector<std::string>& tokens) {
    Boilerplate found = Boilerplate::none;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        bool also = i + 1 < tokens.size() && (tokens[i] == "read" || tokens[i] == "see") &&
                    tokens[i + 1] == "also";
        Boilerplate kind = also ? Boilerplate::strong : word_kind(tokens[i]);
        if (kind == Boilerplate::comments)
            return kind;
        found = std::max(found, kind);
    }
    return found;
}

// The summary under a headline ("dek", "standfirst", "news-lead", "news-detail-preview"), not the
// story.
bool is_dek(const std::vector<std::string>& tokens) {
    static const std::unordered_set<std::string> k_dek = {
        "dek",     "deck",    "standfirst", "subtitle", "subheadline", "strapline",
        "excerpt", "preview", "lead",       "summary",  "intro"};
    return std::any_of(tokens.begin(), tokens.end(),
                       [](const std::string& token) { return k_dek.contains(token); });
}

// The share of a block's class and id words that speak against it, 0 to 1.
double boilerplate_share(const std::vector<std::string>& tokens) {
    auto against = std::count_if(tokens.begin(), tokens.end(), [](const std::string& token) {
        return word_kind(token) != Boilerplate::none;
    });
    return tokens.empty() ? 0.0 : static_cast<double>(against) / static_cast<double>(tokens.size());
}

bool has_story_class(const GumboNode* node, const std::vector<std::string>& tokens) {
    static const std::unordered_set<std::string> k_story = {
        "article", "content", "story", "body", "text", "entry", "post", "main", "news"};
    return html::attribute(node, "itemprop") == "articleBody" ||
           std::any_of(tokens.begin(), tokens.end(),
                       [](const std::string& token) { return k_story.contains(token); });
}

bool is_credit_class(const GumboNode* node) {
    auto tokens = class_tokens(node);
    return std::any_of(tokens.begin(), tokens.end(), [](const std::string& token) {
        return token.starts_with("caption") || token.starts_with("credit");
    });
}

std::size_t count_commas(std::string_view text) {
    std::size_t commas = static_cast<std::size_t>(std::count(text.begin(), text.end(), ','));
    for (std::size_t at = text.find("\xD8\x8C"); at != std::string_view::npos; // Arabic comma
         at = text.find("\xD8\x8C", at + 2))
        ++commas;
    return commas;
}

class Extractor {
public:
    Extractor(const GumboNode* root, std::string_view page) : m_root(root), m_page(page) {
        mark_headline_ancestors(root);
        mark_boilerplate(root);
    }

    Body run() {
        score(m_root);
        find_teasers();
        const GumboNode* best = best_candidate();
        Body body;
        if (!best)
            return body;
        auto containers = story_containers(best);
        for (const GumboNode* teaser : m_teasers)
            m_removed.insert(teaser); // a "more on this story" box inside the story's container
        for (const GumboNode* node : containers)
            leave_out_headline_wrapper(node);
        for (const GumboNode* node : containers)
            if (node == best || !is_article_header(node, best))
                emit(node, Block::Kind::paragraph, body);
        flush(body, Block::Kind::paragraph);
        return body;
    }

private:
    // In a container that holds the headline, the block around it (headline, dek, byline, date:
    // the article's header) is not the story, unless it holds a good part of the text. A
    // standfirst beside the headline in the container itself stays.
    void leave_out_headline_wrapper(const GumboNode* container) {
        if (!m_headline || !m_holds_headline.contains(container))
            return;
        const GumboNode* wrapper = m_headline;
        while (wrapper->parent && wrapper->parent != container)
            wrapper = wrapper->parent;
        if (wrapper != m_headline && wrapper->parent == container &&
            measure(wrapper).characters * 3 < measure(container).characters)
            m_removed.insert(wrapper);
    }

    // A container beside the story that holds the headline and little text: the article's
    // header (headline, dek, byline).
    bool is_article_header(const GumboNode* node, const GumboNode* story) {
        return m_headline && m_holds_headline.contains(node) &&
               measure(node).characters * 3 < measure(story).characters;
    }

    // Containers of the page's <h1> hold the story, whatever their classes say ("has-sidebar").
    // The walk up stops at a container already marked, whose own containers are marked too.
    void mark_headline_ancestors(const GumboNode* root) {
        html::walk(root, [&](const GumboNode* node) {
            if (html::is_tag(node, GUMBO_TAG_H1) && !m_headline)
                m_headline = node;
            if (html::is_tag(node, GUMBO_TAG_H1))
                for (const GumboNode* up = node->parent; up && m_holds_headline.insert(up).second;
                     up = up->parent) {
                }
            return true;
        });
    }

    // What a node's tag, role, visibility and class words say of it: boilerplate to leave out,
    // part of the page, or boilerplate unless it holds most of the page's prose (a class word
    // on a wrapper, "l-sidebar-fixed l-article-body-segment", or a form around the whole page).
    enum class Verdict { keep, leave_out, weigh, weigh_comments };

    Verdict judge(const GumboNode* node) const {
        if (!html::is_element(node))
            return Verdict::keep;
        GumboTag tag = node->v.element.tag;
        if (tag == GUMBO_TAG_HTML || tag == GUMBO_TAG_BODY)
            return Verdict::keep;
        if (tag == GUMBO_TAG_FORM)
            return Verdict::weigh; // a search box, or ASP.NET's form around the whole page
        if (html::is_invisible(node))
            return Verdict::leave_out;
        if (tag == GUMBO_TAG_NAV || tag == GUMBO_TAG_ASIDE || tag == GUMBO_TAG_FOOTER ||
            tag == GUMBO_TAG_HEADER || tag == GUMBO_TAG_MENU)
            return !m_holds_headline.contains(node) || tag == GUMBO_TAG_NAV ? Verdict::leave_out
                                                                            : Verdict::keep;
        static const std::array<std::string_view, 7> k_roles = {
            "navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alert"};
        auto role = html::attribute(node, "role");
        if (std::find(k_roles.begin(), k_roles.end(), role) != k_roles.end())
            return Verdict::leave_out;
        if (!html::attribute(node, "hidden").empty() ||
            html::attribute(node, "aria-hidden") == "true")
            return Verdict::leave_out;
        auto style = html::attribute(node, "style");
        if (style.find("display:none") != std::string_view::npos ||
            style.find("display: none") != std::string_view::npos)
            return Verdict::leave_out;
        auto classes = html::attribute(node, "class");
        for (std::string_view hidden :
             {"visually-hidden", "visuallyhidden", "sr-only", "screen-reader", "element-invisible"})
            if (classes.find(hidden) != std::string_view::npos)
                return Verdict::leave_out; // labels for screen readers ("Image")
        if (m_holds_headline.contains(node) || html::attribute(node, "itemprop") == "articleBody")
            return Verdict::keep;
        auto tokens = class_tokens(node);
        if (tag != GUMBO_TAG_P && is_dek(tokens))
            return Verdict::weigh; // a paragraph of the story marked "lead" stays
        switch (boilerplate_class(tokens)) {
        case Boilerplate::comments:
            return Verdict::weigh_comments;
        case Boilerplate::strong:
            return Verdict::weigh;
        case Boilerplate::weak:
            return has_story_class(node, tokens) ? Verdict::keep : Verdict::weigh;
        case Boilerplate::none:
            break;
        }
        return Verdict::keep;
    }

    // Leaves out what `judge` calls boilerplate, and the blocks it weighs that hold less than a
    // fifth of the page's prose (bytes of text outside links, boilerplate excluded): a wrapper with
    // a boilerplate word holds the story, or one of its parts; a sidebar holds little of it. A
    // block with a comment word goes unless it holds most of the prose and no comments of its
    // own ("comment-free-zone"). One walk in document order; the prose is summed from the last
    // node back to the first.
    void mark_boilerplate(const GumboNode* root) {
        constexpr std::size_t k_none = static_cast<std::size_t>(-1);
        struct Seen {
            const GumboNode* node;
            std::size_t parent; // index in `seen`
            std::size_t prose = 0;
            Verdict verdict;
            bool holds_comments = false; // a block with a comment word under it
        };
        struct Pending {
            const GumboNode* node;
            std::size_t parent;
            bool in_link;
        };
        std::vector<Seen> seen;
        std::vector<Pending> pending{{root, k_none, false}};
        while (!pending.empty()) {
            Pending at = pending.back();
            pending.pop_back();
            const GumboNode* node = at.node;
            if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA) {
                if (!at.in_link && at.parent != k_none)
                    seen[at.parent].prose += html::trim(node->v.text.text).size(); // bytes
                continue;
            }
            if (!html::is_element(node) && node->type != GUMBO_NODE_DOCUMENT)
                continue;
            Verdict verdict = judge(node);
            if (verdict == Verdict::leave_out) {
                m_removed.insert(node);
                continue;
            }
            seen.push_back({node, at.parent, 0, verdict});
            std::size_t index = seen.size() - 1;
            bool in_link = at.in_link || html::is_tag(node, GUMBO_TAG_A);
            const GumboVector* children = html::children_of(node);
            for (unsigned i = children ? children->length : 0; i-- > 0;)
                pending.push_back(
                    {static_cast<const GumboNode*>(children->data[i]), index, in_link});
        }
        for (std::size_t i = seen.size(); i-- > 1;) {
            Seen& parent = seen[seen[i].parent];
            parent.prose += seen[i].prose;
            parent.holds_comments = parent.holds_comments || seen[i].holds_comments ||
                                    seen[i].verdict == Verdict::weigh_comments;
        }
        std::size_t page_prose = seen.empty() ? 0 : seen.front().prose;
        for (const Seen& each : seen) {
            bool goes = (each.verdict == Verdict::weigh && each.prose * 5 < page_prose) ||
                        (each.verdict == Verdict::weigh_comments &&
                         (each.holds_comments || each.prose * 2 <= page_prose));
            if (goes)
                m_removed.insert(each.node);
            if (goes && is_credit_class(each.node))
                m_credits.insert(each.node);
        }
    }

    bool removed(const GumboNode* node) const { return m_removed.contains(node); }

    // Text and link text under a node, boilerplate excluded; cached.
    struct Measure {
        std::size_t characters = 0;
        std::size_t link_characters = 0;
    };
    // Measured after its children, with a stack of its own rather than recursion.
    const Measure& measure(const GumboNode* root) {
        std::vector<std::pair<const GumboNode*, bool>> pending{{root, false}}; // children seen?
        while (!pending.empty()) {
            auto [node, expanded] = pending.back();
            if (m_measures.contains(node)) {
                pending.pop_back();
            } else if (!expanded && counts_children(node)) {
                pending.back().second = true;
                for (const GumboNode* child : children_of(node))
                    pending.emplace_back(child, false);
            } else {
                pending.pop_back();
                m_measures.emplace(node, measured(node));
            }
        }
        return m_measures.at(root);
    }

    bool counts_children(const GumboNode* node) const {
        return html::is_element(node) && !removed(node);
    }

    // One node's measure, its children's known.
    Measure measured(const GumboNode* node) const {
        Measure total;
        if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA) {
            total.characters = utf8_length(html::trim(node->v.text.text));
        } else if (counts_children(node)) {
            bool link = node->v.element.tag == GUMBO_TAG_A;
            for (const GumboNode* child : children_of(node)) {
                const Measure& part = m_measures.at(child);
                total.characters += part.characters;
                total.link_characters += link ? part.characters : part.link_characters;
            }
        }
        return total;
    }

    double link_density(const GumboNode* node) {
        const Measure& m = measure(node);
        return m.characters == 0
                   ? 0.0
                   : static_cast<double>(m.link_characters) / static_cast<double>(m.characters);
    }

    // A block of text to score: a paragraph-like element, or a container whose children are
    // all inline (a <div> used as a paragraph).
    bool is_text_block(const GumboNode* node) const {
        GumboTag tag = node->v.element.tag;
        if (tag == GUMBO_TAG_P || tag == GUMBO_TAG_PRE || tag == GUMBO_TAG_TD ||
            tag == GUMBO_TAG_BLOCKQUOTE || tag == GUMBO_TAG_LI)
            return true;
        if (tag != GUMBO_TAG_DIV && tag != GUMBO_TAG_SECTION && tag != GUMBO_TAG_SPAN)
            return false;
        for (const GumboNode* child : children_of(node))
            if (html::is_element(child) && is_block_tag(child->v.element.tag))
                return false;
        return true;
    }

    void score(const GumboNode* root) {
        html::walk(root, [&](const GumboNode* node) {
            if (!html::is_element(node) && node->type != GUMBO_NODE_DOCUMENT)
                return false;
            if (removed(node))
                return false;
            score_block(node);
            return true;
        });
    }

    void score_block(const GumboNode* node) {
        if (!html::is_element(node))
            return;
        if (is_text_block(node)) {
            std::string text;
            append_visible_text(node, text);
            credit(node->parent, text);
        } else {
            score_loose_text(node);
        }
    }

    // Runs of bare text and inline elements in a container that also has block children (text
    // beside an image wrapper or a spacer <div>, lines split by <br>) score it as paragraphs do.
    void score_loose_text(const GumboNode* node) {
        auto children = children_of(node);
        if (std::none_of(children.begin(), children.end(), [](const GumboNode* child) {
                return html::is_element(child) && is_block_tag(child->v.element.tag);
            }))
            return; // inline only: a paragraph of its own, or inside one
        std::string run;
        for (const GumboNode* child : children_of(node)) {
            if (child->type == GUMBO_NODE_TEXT || child->type == GUMBO_NODE_CDATA) {
                html::append_collapsed(child->v.text.text, run);
            } else if (html::is_element(child) && !removed(child)) {
                GumboTag tag = child->v.element.tag;
                if (tag == GUMBO_TAG_BR || is_block_tag(tag)) {
                    credit(node, run);
                    run.clear();
                } else {
                    append_visible_text(child, run);
                }
            }
        }
        credit(node, run);
    }

    // A paragraph's points to its container and the two above it, by length and commas.
    void credit(const GumboNode* container, const std::string& text) {
        std::size_t length = utf8_length(text);
        if (length < 25)
            return;
        double points = 1.0 + static_cast<double>(count_commas(text)) +
                        std::min(static_cast<double>(length) / 100.0, 3.0);
        const GumboNode* up = container;
        for (int level = 1; up && level <= 3; ++level, up = up->parent) {
            if (up->type != GUMBO_NODE_ELEMENT)
                break;
            m_scores[up] += points / (level == 1 ? 1.0 : level == 2 ? 2.0 : 3.0);
        }
    }

    // Teasers (article_teasers.cpp) are never the story; a container scores in proportion to
    // the share of its prose outside them, and where the page's best block was a listing, a
    // block that scores under a quarter of it is what surrounds the listing, not a story.
    static constexpr double k_remnant = 4.0;

    void find_teasers() {
        for (const Teaser& teaser : article::find_teasers(m_root, m_page, m_holds_headline)) {
            m_teasers.insert(teaser.node);
            const Measure& m = measure(teaser.node);
            for (const GumboNode* up = teaser.node->parent; html::is_element(up); up = up->parent) {
                Prose& under = m_teaser_prose[up];
                under.written += teaser.prose;
                under.kept += m.characters - m.link_characters;
            }
            html::walk(teaser.node, [&](const GumboNode* node) {
                if (!html::is_element(node))
                    return false;
                m_in_teaser.insert(node);
                return true;
            });
        }
    }

    // The share of a container's prose (text outside links) that is in teasers, 0 to 1; a
    // teaser's text counts as written, since a dek is often weighed out by its class.
    double teaser_share(const GumboNode* node) {
        if (m_in_teaser.contains(node))
            return 1.0;
        auto found = m_teaser_prose.find(node);
        if (found == m_teaser_prose.end() || found->second.written == 0)
            return 0.0;
        const Measure& m = measure(node);
        std::size_t prose = m.characters - m.link_characters;
        std::size_t other = prose - std::min(prose, found->second.kept);
        return static_cast<double>(found->second.written) /
               static_cast<double>(found->second.written + other);
    }

    const GumboNode* best_candidate() {
        const GumboNode* best = nullptr;
        double best_score = 0;
        double best_plain = 0; // the best score with teasers counted as prose
        for (const auto& [node, points] : m_scores) {
            auto tokens = class_tokens(node);
            double weight = has_story_class(node, tokens) ? 25.0 : 0.0;
            if (html::is_tag(node, GUMBO_TAG_ARTICLE) || html::is_tag(node, GUMBO_TAG_MAIN))
                weight += 10.0;
            // A boilerplate word among the classes of a block kept for its prose weighs
            // against it in proportion.
            double plain_score = (points + weight) * (1.0 - link_density(node)) *
                                 (1.0 - 0.5 * boilerplate_share(tokens));
            double final_score = plain_score * (1.0 - teaser_share(node));
            m_final[node] = final_score;
            best_plain = std::max(best_plain, plain_score);
            if (final_score <= 0.0)
                continue; // a teaser, or a list of them
            // Ties go to the node that comes first in the page, whatever the map's order.
            if (!best || final_score > best_score ||
                (final_score == best_score &&
                 node->index_within_parent < best->index_within_parent)) {
                best = node;
                best_score = final_score;
            }
        }
        // A listing's description, its pager, a box's title: not a story.
        return best_score * k_remnant < best_plain ? nullptr : best;
    }

    // The best container, its siblings that score close to it (a body split by an ad), and the
    // containers of the same story near it: those with the same tag and classes as the best one
    // under its parent's parent's parent ("article__chunk" blocks each in a wrapper of its own,
    // several "articleBodyText" blocks between ads). In document order.
    std::vector<const GumboNode*> story_containers(const GumboNode* best) {
        const GumboNode* parent = best->parent;
        if (!parent || !html::is_element(parent))
            return {best};
        double threshold = std::max(10.0, m_final.at(best) * 0.2);
        NodeSet chosen;
        for (const GumboNode* sibling : children_of(parent))
            if (sibling == best || worthy_sibling(sibling, threshold))
                chosen.insert(sibling);
        const GumboNode* scope = parent;
        for (int level = 0; level < 4 && html::is_element(scope->parent) &&
                            !html::is_tag(scope->parent, GUMBO_TAG_BODY) &&
                            !html::is_tag(scope->parent, GUMBO_TAG_HTML);
             ++level)
            scope = scope->parent;
        auto classes = html::attribute(best, "class");
        std::vector<const GumboNode*> ordered;
        html::walk(scope, [&](const GumboNode* node) {
            if (node == scope)
                return true;
            if (!html::is_element(node) || removed(node))
                return false;
            if (chosen.contains(node) ||
                (!classes.empty() && node->v.element.tag == best->v.element.tag &&
                 html::attribute(node, "class") == classes && same_story_part(node))) {
                ordered.push_back(node);
                return false;
            }
            return true;
        });
        return ordered;
    }

    // Text enough to be part of a story, and few links.
    bool same_story_part(const GumboNode* node) {
        return measure(node).characters >= 25 && link_density(node) < 0.33;
    }

    bool worthy_sibling(const GumboNode* node, double threshold) {
        if (!html::is_element(node) || removed(node))
            return false;
        if (auto found = m_final.find(node); found != m_final.end() && found->second >= threshold)
            return true;
        if (!html::is_tag(node, GUMBO_TAG_P))
            return false;
        std::string text;
        append_visible_text(node, text);
        return utf8_length(text) > 80 && link_density(node) < 0.25;
    }

    // append_text without the boilerplate inside (an ad in the middle of a paragraph).
    void append_visible_text(const GumboNode* root, std::string& out) const {
        html::walk(root, [&](const GumboNode* node) {
            if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
                node->type == GUMBO_NODE_CDATA) {
                html::append_collapsed(node->v.text.text, out);
                return false;
            }
            if (!html::is_element(node) || removed(node))
                return false;
            if (node->v.element.tag == GUMBO_TAG_BR) {
                html::append_collapsed(" ", out);
                return false;
            }
            return true;
        });
    }

    // The chosen containers as blocks: inline runs between block elements become paragraphs;
    // two <br> in a row end one. A stack of its own rather than recursion: each node is
    // entered, then its children, then left.
    void emit(const GumboNode* root, Block::Kind kind, Body& body) {
        struct Step {
            const GumboNode* node;
            Block::Kind kind; // of the node's own blocks
            bool leaving;
        };
        std::vector<Step> pending{{root, kind, false}};
        while (!pending.empty()) {
            Step step = pending.back();
            pending.pop_back();
            if (step.leaving) {
                leave(step.node, step.kind, body);
                continue;
            }
            auto inner = enter(step.node, step.kind, body);
            if (!inner)
                continue;
            pending.push_back({step.node, *inner, true});
            const GumboVector* children = html::children_of(step.node);
            for (unsigned i = children ? children->length : 0; i-- > 0;)
                pending.push_back(
                    {static_cast<const GumboNode*>(children->data[i]), *inner, false});
        }
    }

    // What a node adds before its children; the kind of blocks inside it, or nullopt when its
    // children are not emitted.
    std::optional<Block::Kind> enter(const GumboNode* node, Block::Kind kind, Body& body) {
        if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA ||
            node->type == GUMBO_NODE_WHITESPACE) {
            html::append_collapsed(node->v.text.text, m_pending.text);
            if (node->type != GUMBO_NODE_WHITESPACE && !html::trim(node->v.text.text).empty())
                m_previous_break = false; // "one<br>two<br>three" is one paragraph
            if (m_in_link > 0 || m_in_emphasis > 0) {
                std::size_t chars = utf8_length(html::trim(node->v.text.text));
                m_pending.link_chars += m_in_link > 0 ? chars : 0;
                m_pending.emphasis_chars += m_in_emphasis > 0 ? chars : 0;
            }
            return std::nullopt;
        }
        if (!m_credits.empty() && m_credits.contains(node))
            m_pending.caption = true;
        if (!html::is_element(node) || removed(node))
            return std::nullopt;
        GumboTag tag = node->v.element.tag;
        if (tag == GUMBO_TAG_IMG) {
            if (body.first_image.empty())
                body.first_image = std::string(html::attribute(node, "src"));
            return std::nullopt;
        }
        if (tag == GUMBO_TAG_FIGCAPTION)
            return std::nullopt; // a caption is not the story
        if (tag == GUMBO_TAG_BR) {
            if (m_previous_break)
                flush(body, kind);
            html::append_collapsed(" ", m_pending.text);
            m_previous_break = true;
            return std::nullopt;
        }
        m_previous_break = false;
        if (!is_block_tag(tag)) {
            m_in_link += tag == GUMBO_TAG_A ? 1 : 0;
            m_in_emphasis += tag == GUMBO_TAG_I || tag == GUMBO_TAG_EM ? 1 : 0;
            return kind;
        }
        flush(body, kind);
        if (tag == GUMBO_TAG_H1 || tag == GUMBO_TAG_H2 || tag == GUMBO_TAG_H3 ||
            tag == GUMBO_TAG_H4 || tag == GUMBO_TAG_H5 || tag == GUMBO_TAG_H6)
            return Block::Kind::heading;
        if (tag == GUMBO_TAG_BLOCKQUOTE)
            return Block::Kind::quote;
        if (tag == GUMBO_TAG_LI)
            return Block::Kind::item;
        return kind;
    }

    // What an entered element adds after its children.
    void leave(const GumboNode* node, Block::Kind inner, Body& body) {
        GumboTag tag = node->v.element.tag;
        if (!is_block_tag(tag)) {
            m_in_link -= tag == GUMBO_TAG_A ? 1 : 0;
            m_in_emphasis -= tag == GUMBO_TAG_I || tag == GUMBO_TAG_EM ? 1 : 0;
        } else
            flush(body, inner);
    }

    void flush(Body& body, Block::Kind kind) {
        m_previous_break = false;
        std::string text(html::trim(m_pending.text));
        if (!text.empty())
            body.blocks.push_back({kind, std::move(text), m_pending.link_chars,
                                   m_pending.emphasis_chars, m_pending.caption});
        m_pending = {};
    }

    const GumboNode* m_root;
    std::string_view m_page;               // the page's absolute address, or empty
    std::string m_page_key;                // the same in canonical_url's form
    const GumboNode* m_headline = nullptr; // the page's first <h1>
    NodeSet m_holds_headline;
    NodeSet m_removed;
    NodeSet m_credits; // captions and credits left out, which make the block around a caption
    std::unordered_map<const GumboNode*, Measure> m_measures;
    std::unordered_map<const GumboNode*, double> m_scores;
    std::unordered_map<const GumboNode*, double> m_final;
    NodeSet m_teasers;   // the teasers of listings
    NodeSet m_in_teaser; // the teasers and every element inside them
    struct Prose {
        std::size_t written = 0; // as the page has it
        std::size_t kept = 0;    // outside boilerplate
    };
    std::unordered_map<const GumboNode*, Prose> m_teaser_prose; // of the teasers under a node
    Block m_pending;
    int m_in_link = 0;
    int m_in_emphasis = 0; // inside <i> or <em>
    bool m_previous_break = false;
};

} // namespace

Body extract_body(const GumboNode* root, std::string_view page) {
    return Extractor(root, page).run();
}

} // namespace newsmon::parsers::article
