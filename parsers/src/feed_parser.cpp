#include <algorithm>
#include <cstring>
#include <functional>
#include <optional>

#include "cdata_skeleton.hpp"
#include "dtd_entities.hpp"
#include "formats.hpp"
#include "html_document.hpp"
#include "markup_survey.hpp"
#include "newsmon/parsers/encoding.hpp"
#include "newsmon/parsers/text.hpp"
#include "newsmon/parsers/url.hpp"
#include "tag_balance.hpp"
#include "text_internal.hpp"

namespace newsmon::parsers {

std::string_view to_string(FeedFormat format) {
    switch (format) {
    case FeedFormat::rss2_0:
        return "rss2.0";
    case FeedFormat::rss1_0:
        return "rss1.0";
    case FeedFormat::rss0_9x:
        return "rss0.9x";
    case FeedFormat::atom1_0:
        return "atom1.0";
    case FeedFormat::atom0_3:
        return "atom0.3";
    case FeedFormat::jsonfeed:
        return "jsonfeed";
    }
    return "unknown";
}

namespace {

using detail::Ns;

std::string describe_position(std::string_view text, std::ptrdiff_t offset) {
    std::size_t end =
        std::min(static_cast<std::size_t>(std::max<std::ptrdiff_t>(offset, 0)), text.size());
    std::size_t line =
        1 + static_cast<std::size_t>(
                std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(end), '\n'));
    std::size_t line_start = text.rfind('\n', end == 0 ? 0 : end - 1);
    std::size_t column =
        line_start == std::string_view::npos || end == 0 ? end + 1 : end - line_start;
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size())
        return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (ascii_lower(text[i]) != prefix[i])
            return false;
    return true;
}

// Past white space, the XML declaration and comments: where the first element should start.
std::string_view first_markup(std::string_view text) {
    while (true) {
        std::size_t start = text.find_first_not_of(" \t\r\n");
        if (start == std::string_view::npos)
            return {};
        text.remove_prefix(start);
        std::string_view closer = text.starts_with("<?")     ? "?>"
                                  : text.starts_with("<!--") ? "-->"
                                                             : "";
        if (closer.empty())
            return text;
        std::size_t end = text.find(closer);
        if (end == std::string_view::npos)
            return {};
        text.remove_prefix(end + closer.size());
    }
}

// Whether an element named so, in any namespace, is a feed's root.
bool is_feed_root_tag(std::string_view tag) {
    std::string_view name = tag.substr(1, tag.find_first_of(" \t\r\n/>") - 1);
    std::string_view local = name.substr(name.find(':') + 1); // npos + 1 == 0: no prefix
    return local == "rss" || local == "feed" || local == "RDF";
}

// An HTML page: its first element is <html>, or it declares the HTML doctype, unless what
// follows that doctype is a feed's root after all (a template's doctype left above the feed).
bool looks_like_html(std::string_view text) {
    std::string_view head = first_markup(text);
    if (starts_with_nocase(head, "<html"))
        return true;
    if (!starts_with_nocase(head, "<!doctype html"))
        return false;
    std::size_t end = head.find('>');
    if (end == std::string_view::npos)
        return true;
    std::string_view next = first_markup(head.substr(end + 1));
    return !(next.size() > 1 && is_feed_root_tag(next));
}

ParseError html_error(std::string_view html, const ParseOptions& options) {
    ParseError error{ParseErrorKind::not_a_feed, "", {}};
    bool challenge = html.find("Just a moment...") != std::string_view::npos ||
                     html.find("/cdn-cgi/challenge-platform/") != std::string_view::npos ||
                     html.find("Attention Required! | Cloudflare") != std::string_view::npos;
    error.message = challenge ? "a bot-challenge page (such as Cloudflare's \"Just a moment...\"), "
                                "not a feed"
                              : "an HTML page, not a feed";
    static constexpr std::string_view k_feed_types[] = {
        "application/rss+xml", "application/atom+xml", "application/feed+json",
        "application/rdf+xml", "application/json"};
    for (const auto& attributes : find_start_tags(html, "link")) {
        std::string rel, type, href;
        for (const auto& [name, value] : attributes) {
            if (name == "rel")
                rel = value;
            else if (name == "type")
                type = value;
            else if (name == "href")
                href = value;
        }
        bool alternate = rel.find("alternate") != std::string::npos;
        bool feed_type = std::find(std::begin(k_feed_types), std::end(k_feed_types),
                                   collapse_whitespace(type)) != std::end(k_feed_types);
        std::string url = href.empty() ? href : resolve_url(options.feed_url, href);
        if (alternate && feed_type && !url.empty() && is_web_link(url))
            error.advertised_feeds.push_back(std::move(url));
    }
    if (!error.advertised_feeds.empty()) {
        error.message += "; it advertises";
        for (const auto& url : error.advertised_feeds)
            error.message += " " + url;
    }
    return error;
}

// What the survey found about references, as warnings: XML knows five named entities; feeds
// use HTML's and bare ampersands. pugixml keeps both as text, and they are decoded as HTML
// later: say so once each.
void warn_about_references(const detail::MarkupSurvey& survey, std::vector<std::string>& warnings) {
    if (!survey.html_names.empty()) {
        std::string list;
        for (const auto& name : survey.html_names)
            list += (list.empty() ? "&" : " &") + name + ";";
        warnings.push_back("entities XML does not define, decoded as HTML: " + list);
    }
    if (survey.bare_ampersand)
        warnings.push_back("bare '&' not starting a reference, kept as text");
}

// '<' that cannot start markup ("a < b") becomes "&lt;". Returns how many were escaped.
std::size_t escape_stray_brackets(std::string& text) {
    std::size_t count = 0;
    std::string out;
    out.reserve(text.size() + 64);
    std::size_t pos = 0;
    for (std::size_t lt = text.find('<'); lt != std::string::npos; lt = text.find('<', lt + 1)) {
        char next = lt + 1 < text.size() ? text[lt + 1] : ' ';
        bool markup = is_ascii_alpha(next) || next == '/' || next == '!' || next == '?' ||
                      next == '_' || next == ':';
        if (markup)
            continue;
        out.append(text, pos, lt - pos);
        out += "&lt;";
        pos = lt + 1;
        ++count;
    }
    if (count > 0) {
        out.append(text, pos);
        text = std::move(out);
    }
    return count;
}

// Whether `element`, parsed in place from `buffer` (its name points into it), has its end tag
// in `text` (the same text before parsing altered it) before `error_offset`.
bool closed_before(pugi::xml_node element, std::string_view buffer, std::string_view text,
                   std::size_t error_offset) {
    const char* name = element.name();
    if (name < buffer.data() || name >= buffer.data() + buffer.size())
        return false;
    auto start = static_cast<std::size_t>(name - buffer.data());
    std::size_t end_tag = text.find("</" + std::string(name), start);
    return end_tag != std::string_view::npos && end_tag < error_offset;
}

// Removes the items and entries that were still open when parsing stopped at `error_offset`:
// those among the last node's ancestors whose end tag had not come yet.
void drop_unfinished_items(pugi::xml_node root, std::string_view buffer, std::string_view text,
                           std::size_t error_offset) {
    pugi::xml_node deepest = root;
    while (deepest.last_child())
        deepest = deepest.last_child();
    for (pugi::xml_node node = deepest; node && node != root;) {
        pugi::xml_node parent = node.parent();
        std::string_view local = detail::local_name(node);
        if ((local == "item" || local == "entry") &&
            !closed_before(node, buffer, text, error_offset))
            parent.remove_child(node);
        node = parent;
    }
}

struct LoadedXml {
    pugi::xml_document document;
    std::optional<detail::CdataSkeleton> skeleton; // what is parsed, as a rule
    std::string buffer; // a copy of the text, parsed in place when the skeleton does not parse
};

pugi::xml_parse_result parse_in_place(pugi::xml_document& document, std::string& text) {
    // Text that is an element's first child lives in the element: fewer nodes to build and walk.
    return document.load_buffer_inplace(text.data(), text.size(),
                                        pugi::parse_default | pugi::parse_embed_pcdata,
                                        pugi::encoding_utf8);
}

pugi::xml_parse_result parse_in_place(LoadedXml& xml) {
    return parse_in_place(xml.document, xml.buffer);
}

// Parses xml.buffer; when that fails, repairs a fresh copy of the text (`pristine` makes one,
// since in-place parsing alters the buffer) and keeps what can be kept.
tl::expected<void, ParseError> load_xml(LoadedXml& xml,
                                        const std::function<std::string()>& pristine,
                                        std::size_t max_depth, std::vector<std::string>& warnings) {
    if (parse_in_place(xml))
        return {};
    std::string text = pristine();
    if (std::size_t escaped = escape_stray_brackets(text); escaped > 0)
        warnings.push_back("escaped " + std::to_string(escaped) + " '<' that started no markup");
    xml.buffer = text;
    auto result = parse_in_place(xml);
    if (result)
        return {};
    if (result.status == pugi::status_end_element_mismatch ||
        result.status == pugi::status_bad_doctype) {
        detail::BalancedTags balanced = detail::balance_end_tags(text, max_depth);
        if (balanced.repairs > 0) {
            warnings.push_back("repaired " + std::to_string(balanced.repairs) +
                               " mismatched tag(s): end tags that closed no open element, "
                               "elements left open, DOCTYPEs inside elements");
            text = std::move(balanced.text);
            xml.buffer = text;
            result = parse_in_place(xml);
            if (result)
                return {};
        }
    }
    std::string where = describe_position(text, result.offset);
    pugi::xml_node root = xml.document.document_element();
    if (!root || (!root.first_child() && *root.value() == 0))
        return tl::unexpected(
            ParseError{ParseErrorKind::not_xml, where + ": " + result.description(), {}});
    drop_unfinished_items(root, xml.buffer, text, static_cast<std::size_t>(result.offset));
    warnings.push_back("the document breaks off or is malformed at " + where + " (" +
                       result.description() + "); kept the items complete before it");
    return {};
}

// The charset the configuration gives, else the HTTP one.
std::optional<std::string> given_charset(const ParseOptions& options) {
    if (!options.charset.empty())
        return options.charset;
    return charset_of(options.content_type);
}

// The input as UTF-8, by BOM, the given charset, XML declaration, else UTF-8; bytes that are
// not UTF-8 and declare nothing are read as what uchardet finds, with a warning.
std::string decoded_text(std::string_view bytes, const ParseOptions& options,
                         std::vector<std::string>& warnings) {
    std::optional<std::string> given = given_charset(options);
    std::optional<std::string> declared = xml_declared_encoding(bytes);
    bool byte_order_mark = !reads_as_utf8(bytes, std::nullopt, std::nullopt);
    // A feed in a single-byte encoding has many bytes that are no UTF-8 and next to no
    // well-formed sequences; UTF-8 with a few stray bytes keeps them as U+FFFD instead.
    constexpr std::size_t k_enough_to_guess = 16 * 1024;
    auto not_utf8 = [&] {
        Utf8Census census = utf8_census(bytes.substr(0, k_enough_to_guess));
        return census.invalid >= 8 && census.invalid > census.multibyte;
    };
    if (!given && !declared && !byte_order_mark && !is_valid_utf8(bytes) && not_utf8()) {
        std::string guessed = html::detect_charset(bytes.substr(0, k_enough_to_guess));
        if (!guessed.empty() && guessed != "ASCII" && guessed != "UTF-8") {
            warnings.push_back("no charset declared and the bytes are not UTF-8: read as " +
                               guessed +
                               ", as detected; if that is wrong, set charset in the "
                               "feed's [[feed]] entry (newsmon parse --charset)");
            declared = guessed;
        }
    }
    DecodedText decoded = decode_to_utf8(bytes, given, declared);
    warnings.insert(warnings.end(), decoded.warnings.begin(), decoded.warnings.end());
    return std::move(decoded.utf8);
}

// The input as UTF-8: the bytes themselves when they are meant as UTF-8 (most feeds, and no
// copy), else their decoded copy, kept in `decoded`.
std::string_view utf8_text(std::string_view bytes, const ParseOptions& options,
                           std::string& decoded, std::vector<std::string>& warnings) {
    if (reads_as_utf8(bytes, given_charset(options), xml_declared_encoding(bytes)))
        return bytes; // checked later, part by part
    decoded = decoded_text(bytes, options, warnings);
    return decoded;
}

tl::expected<Feed, ParseError> parse_document(pugi::xml_node root, const ParseOptions& options) {
    std::string_view local = detail::local_name(root);
    Ns ns = detail::ns_of(root);
    if (local == "rss")
        return detail::parse_rss(root, options);
    if (local == "RDF" && (ns == Ns::rdf || ns == Ns::other))
        return detail::parse_rdf(root, options);
    if (local == "feed" && (ns == Ns::atom10 || ns == Ns::atom03 || ns == Ns::none))
        return detail::parse_atom(root, options);
    return tl::unexpected(
        ParseError{ParseErrorKind::not_a_feed,
                   "the root element <" + std::string(root.name()) + "> is not RSS, RDF or Atom",
                   {}});
}

// An XML feed from its UTF-8 `text`; `bytes` are the input. `decoded` holds the text when it
// is not the bytes themselves, and is filled here should the bytes need decoding after all:
// bytes read as they are are checked (a small feed whole, a large one piece by piece: CDATA
// sections by the survey, then the skeleton), and decoded, with repairs and warnings, when they
// hold what XML forbids or are not UTF-8.
tl::expected<Feed, ParseError> parse_xml_feed(std::string_view text, std::string_view bytes,
                                              std::string& decoded, const ParseOptions& options,
                                              std::vector<std::string>& warnings) {
    bool checked = text.data() != bytes.data(); // decoded text is valid
    auto decode_and_retry = [&] {
        decoded = decoded_text(bytes, options, warnings);
        return parse_xml_feed(decoded, bytes, decoded, options, warnings);
    };
    std::size_t start = text.find_first_not_of(" \t\r\n");
    std::size_t first_tag = text.find('<');
    if (first_tag == std::string_view::npos)
        return tl::unexpected(
            ParseError{ParseErrorKind::not_xml, "no markup at all: neither XML nor JSON", {}});
    std::string_view markup = text.substr(first_tag);
    std::optional<std::string> expanded; // entities the document declares, expanded
    expanded = detail::expand_declared_entities(markup, warnings);
    if (expanded)
        markup = *expanded;
    if (looks_like_html(markup)) {
        if (!checked && !is_clean_utf8(markup, std::nullopt, std::nullopt))
            return decode_and_retry(); // the links it names go into the message
        return tl::unexpected(html_error(markup, options));
    }
    // A small feed is checked whole at once, which leaves it in the cache for the survey and
    // spares a call per CDATA section; a large one is checked piece by piece, each piece while
    // the survey has it in the cache.
    constexpr std::size_t k_checked_whole = 256 * 1024;
    bool valid_utf8 = checked || (markup.size() <= k_checked_whole && is_valid_utf8_fast(markup));
    detail::MarkupSurvey survey = detail::survey_markup(markup, options.max_depth, !valid_utf8);
    if (survey.too_deep)
        return tl::unexpected(ParseError{ParseErrorKind::too_deep,
                                         "elements nest deeper than the limit of " +
                                             std::to_string(options.max_depth),
                                         {}});
    if (survey.forbidden_characters && !checked)
        return decode_and_retry(); // decoding removes them, and says how many
    if (survey.upper_hex_reference || survey.unusable_character_reference) {
        expanded = detail::normalize_character_references(markup, warnings);
        markup = *expanded;
        survey = detail::survey_markup(markup, options.max_depth, !valid_utf8);
    }
    LoadedXml xml;
    xml.skeleton.emplace(markup, survey);
    if (!valid_utf8 && !is_valid_utf8_fast(xml.skeleton->buffer()))
        return decode_and_retry();
    bool parsed = static_cast<bool>(parse_in_place(xml.document, xml.skeleton->buffer()));
    if (!parsed) { // the full text then tells what is wrong, and where
        xml.skeleton.reset();
        if (!valid_utf8 && !is_valid_utf8_fast(markup))
            return decode_and_retry();
    }
    if (first_tag > start)
        warnings.push_back("skipped " + std::to_string(first_tag - start) +
                           " byte(s) of junk before the first tag");
    warn_about_references(survey, warnings);
    if (!parsed) {
        xml.buffer.assign(markup);
        auto pristine = [&] {
            std::vector<std::string> repeated; // already reported the first time
            std::string again = decoded_text(bytes, options, repeated);
            again.erase(0, again.find('<'));
            if (auto expanded_again = detail::expand_declared_entities(again, repeated))
                again = std::move(*expanded_again);
            return detail::normalize_character_references(again, repeated);
        };
        if (auto loaded = load_xml(xml, pristine, options.max_depth, warnings); !loaded)
            return tl::unexpected(loaded.error());
    }
    pugi::xml_node root = xml.document.document_element();
    if (detail::local_name(root) == "html")
        return tl::unexpected(html_error(markup, options));
    std::optional<detail::CdataSkeletonInUse> skeleton_in_use;
    if (xml.skeleton)
        skeleton_in_use.emplace(*xml.skeleton);
    detail::ParsedTextInUse parsed_text(xml.skeleton ? std::string_view(xml.skeleton->buffer())
                                                     : std::string_view(xml.buffer));
    auto feed = parse_document(root, options);
    if (xml.skeleton && xml.skeleton->invalid_sequences() > 0)
        warnings.push_back(std::to_string(xml.skeleton->invalid_sequences()) +
                           " invalid UTF-8 sequence(s) replaced with U+FFFD");
    return feed;
}

} // namespace

tl::expected<Feed, ParseError> parse_feed(std::string_view bytes, const ParseOptions& options) {
    if (bytes.size() > options.max_bytes)
        return tl::unexpected(ParseError{ParseErrorKind::too_large,
                                         "the document is " + std::to_string(bytes.size()) +
                                             " bytes, over the limit of " +
                                             std::to_string(options.max_bytes),
                                         {}});
    std::vector<std::string> warnings;
    std::string decoded;
    std::string_view text = utf8_text(bytes, options, decoded, warnings);
    std::size_t start = text.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos)
        return tl::unexpected(ParseError{ParseErrorKind::not_xml, "the document is empty", {}});
    // A publisher that encodes twice does it to the whole feed: looked for in the first 16 KB
    // (a pass over all of it would cost a tenth of the parse), repaired everywhere.
    constexpr std::size_t k_double_encoding_sample = 16 * 1024;
    if (options.charset.empty() &&
        may_be_double_encoded(text.substr(0, k_double_encoding_sample))) {
        std::string repaired(text);
        std::size_t count = repair_double_encoding(repaired);
        (void)repair_utf8(repaired); // valid from here on, as decoded text is
        warnings.push_back("repaired " + std::to_string(count) +
                           " double-encoded UTF-8 sequence(s) (\"Ã©\" for \"é\"): UTF-8 read "
                           "as windows-1252 and encoded again; if the feed is right as it is, "
                           "set charset in its [[feed]] entry, which turns this off");
        decoded = std::move(repaired);
        text = decoded;
    }
    bool json = text[start] == '{' || text[start] == '[';
    if (json && text.data() == bytes.data() &&
        !is_clean_utf8(bytes, given_charset(options), std::nullopt)) {
        decoded = decoded_text(bytes, options, warnings); // controls removed, with a warning
        text = decoded;
    }
    tl::expected<Feed, ParseError> feed =
        json ? detail::parse_json_feed(text, options)
             : parse_xml_feed(text, bytes, decoded, options, warnings);
    if (!feed)
        return feed;
    warnings.insert(warnings.end(), std::make_move_iterator(feed->warnings.begin()),
                    std::make_move_iterator(feed->warnings.end()));
    feed->warnings = std::move(warnings);
    return feed;
}

void keep_categories(Feed& feed, const std::vector<std::string>& wanted) {
    if (wanted.empty())
        return;
    std::erase_if(feed.items, [&](const Item& item) {
        for (const auto& category : item.categories)
            for (const auto& w : wanted)
                if (iequals_ascii(collapse_whitespace(category), collapse_whitespace(w)))
                    return false;
        return true;
    });
}

} // namespace newsmon::parsers
