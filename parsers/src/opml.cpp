#include "newsmon/parsers/opml.hpp"

#include <algorithm>
#include <memory>

#include <pugixml.hpp>

#include "markup_survey.hpp"
#include "newsmon/parsers/encoding.hpp"
#include "newsmon/parsers/text.hpp"
#include "newsmon/parsers/xml_text.hpp"
#include "text_internal.hpp"

namespace newsmon::parsers {
namespace {

std::size_t line_at(std::string_view text, std::ptrdiff_t offset) {
    auto end = std::min(static_cast<std::size_t>(std::max<std::ptrdiff_t>(offset, 0)), text.size());
    return 1 + static_cast<std::size_t>(
                   std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(end), '\n'));
}

std::string position(std::string_view text, std::ptrdiff_t offset) {
    std::size_t line = line_at(text, offset);
    auto end = std::min(static_cast<std::size_t>(std::max<std::ptrdiff_t>(offset, 0)), text.size());
    std::size_t line_start = end == 0 ? std::string_view::npos : text.rfind('\n', end - 1);
    std::size_t column = line_start == std::string_view::npos ? end + 1 : end - line_start;
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

std::string_view local_name(const pugi::xml_node& node) {
    std::string_view name = node.name();
    auto colon = name.find(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

// An attribute by name, its case ignored ("xmlUrl", "xmlurl", "XMLURL" all occur).
std::string attribute(const pugi::xml_node& node, std::string_view name) {
    for (auto attr : node.attributes()) {
        std::string_view have = attr.name();
        if (have.size() == name.size() &&
            std::equal(have.begin(), have.end(), name.begin(),
                       [](char a, char b) { return ascii_lower(a) == ascii_lower(b); }))
            return collapse_whitespace(attr.value());
    }
    return {};
}

std::string folder_name(const pugi::xml_node& outline) {
    std::string name = attribute(outline, "text");
    if (name.empty())
        name = attribute(outline, "title");
    std::replace(name.begin(), name.end(), '/', '-');
    return name;
}

// The first path of an OPML 2.0 category attribute ("/News/World,/Daily"), as "News/World".
std::string category_attribute(const pugi::xml_node& outline) {
    std::string categories = attribute(outline, "category");
    std::string first = categories.substr(0, categories.find(','));
    std::string path;
    std::size_t start = 0;
    while (start <= first.size()) {
        auto slash = std::min(first.find('/', start), first.size());
        std::string segment = collapse_whitespace(first.substr(start, slash - start));
        if (!segment.empty())
            path += (path.empty() ? "" : "/") + segment;
        start = slash + 1;
    }
    return path;
}

struct Pending {
    pugi::xml_node outline;
    std::string category;
};

class Reader {
public:
    Reader(std::string_view text, const OpmlLimits& limits) : m_text(text), m_limits(limits) {}

    tl::expected<Opml, std::string> read(const pugi::xml_node& root) {
        Opml opml;
        if (local_name(root) != "opml")
            return tl::unexpected(
                where(root) + ": the root element is <" + std::string(root.name()) +
                ">, not <opml>" +
                (is_feed_root(root) ? " (this is a feed, not a list of feeds)" : ""));
        pugi::xml_node body = child(root, "body");
        if (!body)
            return tl::unexpected(where(root) + ": <opml> has no <body>");
        if (pugi::xml_node head = child(root, "head"))
            opml.title = collapse_whitespace(child(head, "title").text().get());
        std::vector<Pending> pending;
        push_children(pending, body, "");
        while (!pending.empty()) {
            Pending next = std::move(pending.back());
            pending.pop_back();
            std::string url = attribute(next.outline, "xmlUrl");
            if (url.empty()) {
                std::string name = folder_name(next.outline);
                push_children(pending, next.outline,
                              name.empty()            ? next.category
                              : next.category.empty() ? name
                                                      : next.category + "/" + name);
                continue;
            }
            if (opml.feeds.size() == m_limits.max_feeds)
                return tl::unexpected(where(next.outline) + ": more than " +
                                      std::to_string(m_limits.max_feeds) + " feeds");
            opml.feeds.push_back(feed_of(next.outline, url, next.category));
        }
        return opml;
    }

private:
    static bool is_feed_root(const pugi::xml_node& root) {
        auto name = local_name(root);
        return name == "rss" || name == "feed" || name == "RDF";
    }

    static pugi::xml_node child(const pugi::xml_node& parent, std::string_view name) {
        for (auto node : parent.children())
            if (node.type() == pugi::node_element && local_name(node) == name)
                return node;
        return {};
    }

    // Children last to first onto the stack, so that they come off in document order.
    static void push_children(std::vector<Pending>& pending, const pugi::xml_node& parent,
                              const std::string& category) {
        for (auto node = parent.last_child(); node; node = node.previous_sibling())
            if (node.type() == pugi::node_element && local_name(node) == "outline")
                pending.push_back({node, category});
    }

    OpmlFeed feed_of(const pugi::xml_node& outline, std::string url, const std::string& category) {
        OpmlFeed feed;
        feed.title = attribute(outline, "title");
        if (feed.title.empty())
            feed.title = attribute(outline, "text");
        feed.xml_url = std::move(url);
        feed.html_url = attribute(outline, "htmlUrl");
        feed.language = attribute(outline, "language");
        feed.category = category.empty() ? category_attribute(outline) : category;
        feed.line = line_at(m_text, outline.offset_debug());
        return feed;
    }

    std::string where(const pugi::xml_node& node) const {
        return "line " + std::to_string(line_at(m_text, node.offset_debug())) + ": <" +
               std::string(node.name()) + ">";
    }

    std::string_view m_text;
    const OpmlLimits& m_limits;
};

} // namespace

tl::expected<Opml, std::string> read_opml(std::string_view bytes, const OpmlLimits& limits) {
    if (bytes.size() > limits.max_bytes)
        return tl::unexpected("larger than " + std::to_string(limits.max_bytes) + " bytes");
    DecodedText decoded = decode_to_utf8(bytes, std::nullopt, xml_declared_encoding(bytes));
    const std::string& text = decoded.utf8;
    if (detail::survey_markup(text, limits.max_depth, false).too_deep)
        return tl::unexpected("elements nest deeper than " + std::to_string(limits.max_depth) +
                              " levels");
    pugi::xml_document document;
    auto parsed =
        document.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!parsed)
        return tl::unexpected(position(text, parsed.offset) + ": " + parsed.description());
    pugi::xml_node root = document.document_element();
    if (!root)
        return tl::unexpected(std::string("no root element"));
    return Reader(text, limits).read(root);
}

namespace {

struct Folder {
    std::string name;
    std::vector<std::unique_ptr<Folder>> folders;
    std::vector<const OpmlFeed*> feeds;

    Folder& subfolder(const std::string& child) {
        for (auto& folder : folders)
            if (folder->name == child)
                return *folder;
        folders.push_back(std::make_unique<Folder>());
        folders.back()->name = child;
        return *folders.back();
    }
};

void write_feed(std::string& out, const OpmlFeed& feed, std::size_t depth) {
    out.append(2 * depth, ' ');
    out += "<outline type=\"rss\" text=\"";
    append_xml_text(out, feed.title, true);
    out += "\" title=\"";
    append_xml_text(out, feed.title, true);
    out += "\" xmlUrl=\"";
    append_xml_text(out, feed.xml_url, true);
    out += '"';
    if (!feed.html_url.empty()) {
        out += " htmlUrl=\"";
        append_xml_text(out, feed.html_url, true);
        out += '"';
    }
    if (!feed.language.empty()) {
        out += " language=\"";
        append_xml_text(out, feed.language, true);
        out += '"';
    }
    out += "/>\n";
}

// Depth is bounded by the categories' length (the config allows 200 bytes).
void write_folder(std::string& out, const Folder& folder, std::size_t depth) {
    for (const auto* feed : folder.feeds)
        write_feed(out, *feed, depth);
    for (const auto& child : folder.folders) {
        out.append(2 * depth, ' ');
        out += "<outline text=\"";
        append_xml_text(out, child->name, true);
        out += "\">\n";
        write_folder(out, *child, depth + 1);
        out.append(2 * depth, ' ');
        out += "</outline>\n";
    }
}

} // namespace

std::string write_opml(std::string_view title, const std::vector<OpmlFeed>& feeds) {
    Folder top;
    for (const auto& feed : feeds) {
        Folder* folder = &top;
        std::string_view path = feed.category;
        while (!path.empty()) {
            auto slash = std::min(path.find('/'), path.size());
            if (slash > 0)
                folder = &folder->subfolder(std::string(path.substr(0, slash)));
            path.remove_prefix(std::min(slash + 1, path.size()));
        }
        folder->feeds.push_back(&feed);
    }
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n"
                      "  <head>\n    <title>";
    append_xml_text(out, title);
    out += "</title>\n  </head>\n  <body>\n";
    write_folder(out, top, 2);
    out += "  </body>\n</opml>\n";
    return out;
}

} // namespace newsmon::parsers
