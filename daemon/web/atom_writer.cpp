#include "web/atom_writer.hpp"

#include "newsmon/parsers/xml_text.hpp"

namespace newsmon::web {
namespace {

using parsers::append_xml_text;

// <name>text</name> on its own line, indented by `indent`.
void element(std::string& out, std::string_view indent, std::string_view name,
             std::string_view text, std::string_view attributes = "") {
    out.append(indent);
    out += '<';
    out.append(name);
    out.append(attributes);
    out += '>';
    append_xml_text(out, text);
    out += "</";
    out.append(name);
    out += ">\n";
}

void link(std::string& out, std::string_view indent, std::string_view rel, std::string_view href,
          std::string_view type) {
    out.append(indent);
    out += "<link rel=\"";
    out.append(rel);
    out += "\" href=\"";
    append_xml_text(out, href, true);
    out += '"';
    if (!type.empty()) {
        out += " type=\"";
        append_xml_text(out, type, true);
        out += '"';
    }
    out += "/>\n";
}

void write_entry(std::string& out, const AtomEntry& entry) {
    constexpr std::string_view k_indent = "    ";
    out += "  <entry>\n";
    element(out, k_indent, "id", entry.id);
    element(out, k_indent, "title", entry.title, " type=\"text\"");
    element(out, k_indent, "updated", entry.updated);
    element(out, k_indent, "published", entry.published);
    link(out, k_indent, "alternate", entry.link, entry.link_type);
    if (!entry.author.empty()) {
        out += "    <author>\n";
        element(out, "      ", "name", entry.author);
        out += "    </author>\n";
    }
    for (const auto& category : entry.categories) {
        out += "    <category term=\"";
        append_xml_text(out, category, true);
        out += "\"/>\n";
    }
    if (!entry.summary.empty())
        element(out, k_indent, "summary", entry.summary, " type=\"text\"");
    out += "  </entry>\n";
}

std::string newest_update(const AtomFeed& feed) {
    std::string newest = "1970-01-01T00:00:00Z"; // no entry: nothing was ever updated
    for (const auto& entry : feed.entries)
        if (entry.updated > newest) // RFC 3339 in UTC sorts as text
            newest = entry.updated;
    return newest;
}

} // namespace

std::string write_atom(const AtomFeed& feed) {
    std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                      "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n";
    constexpr std::string_view k_indent = "  ";
    element(out, k_indent, "id", feed.id);
    element(out, k_indent, "title", feed.title, " type=\"text\"");
    element(out, k_indent, "updated", feed.updated.empty() ? newest_update(feed) : feed.updated);
    link(out, k_indent, "self", feed.self, "application/atom+xml");
    out += "  <author>\n    <name>newsmon</name>\n  </author>\n";
    out += "  <generator version=\"" NEWSMON_VERSION "\">newsmon</generator>\n";
    for (const auto& entry : feed.entries)
        write_entry(out, entry);
    out += "</feed>\n";
    return out;
}

} // namespace newsmon::web
