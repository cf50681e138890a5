#include <algorithm>
#include <array>

#include "article_internal.hpp"
#include "html_nesting.hpp"
#include "newsmon/parsers/article.hpp"
#include "newsmon/parsers/encoding.hpp"
#include "newsmon/parsers/html.hpp"
#include "newsmon/parsers/url.hpp"
#include "newsmon/parsers/words.hpp"

namespace newsmon::parsers {
namespace {

using article::Block;

// The base forms of a block's first words.
std::vector<std::string> leading_words(std::string_view text, std::size_t count) {
    WordList words;
    split_words(text.substr(0, std::min<std::size_t>(text.size(), 120)), words);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < words.words.size() && i < count; ++i)
        out.emplace_back(words.base_of(words.words[i]));
    return out;
}

// "Read also: …" and its kin in the languages newsmon watches: links to other stories.
bool is_read_also(std::string_view text) {
    static const std::vector<std::vector<std::string>> k_prefixes = {
        {"read", "also"},      {"also", "read"},      {"see", "also"},
        {"read", "more"},      {"related"},           {"читаите", "также"},
        {"смотрите", "также"}, {"oxu", "hemcinin"},   {"hemcinin", "oxuyun"},
        {"ayrica", "okuyun"},  {"ayrica", "bakiniz"}, {"ilgili", "haber"}};
    auto words = leading_words(text, 2);
    return std::any_of(k_prefixes.begin(), k_prefixes.end(), [&](const auto& prefix) {
        return words.size() >= prefix.size() &&
               std::equal(prefix.begin(), prefix.end(), words.begin());
    });
}

bool is_copyright(std::string_view text) {
    return text.starts_with("\xC2\xA9") || text.starts_with("(c)") ||
           text.starts_with("Copyright") ||
           text.find("All rights reserved") != std::string_view::npos ||
           text.find("Все права защищены") != std::string_view::npos ||
           text.find("Bütün hüquqlar qorunur") != std::string_view::npos;
}

bool starts_with_any(std::string_view text, std::initializer_list<std::string_view> prefixes) {
    return std::any_of(prefixes.begin(), prefixes.end(),
                       [&](std::string_view prefix) { return text.starts_with(prefix); });
}

bool has_digit(std::string_view text) {
    return std::any_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "Photo: Maria Gonzalez", "Источник: Пенза-Инфо", or a caption that ends in its credit ("The
// port at dawn. Photo: Port Authority"): a picture's or a story's credit line.
bool is_credit(std::string_view text) {
    static const std::array<std::string_view, 14> k_markers = {
        "Photo:", "Photos:", "Photo by ", "Photograph:", "Image:",  "Picture:", "Credit:",
        "Фото:",  "Foto:",   "Şəkil:",    "Источник:",   "Source:", "Mənbə:",   "Kaynak:"};
    if (text.size() > 4 * 250) // UTF-8: four bytes a character at most
        return false;
    std::size_t length = utf8_length(text);
    if (length <= 120 && (starts_with_any(text, {"Фото ", "Фото "}) ||
                          std::any_of(k_markers.begin(), k_markers.end(),
                                      [&](std::string_view m) { return text.starts_with(m); })))
        return true;
    if (length > 250)
        return false;
    std::string_view tail = text.substr(text.size() > 90 ? text.size() - 90 : 0);
    return std::any_of(k_markers.begin(), k_markers.begin() + 10, [&](std::string_view marker) {
        return tail.find(marker) != std::string_view::npos;
    });
}

// "Updated November 23, 2025 at 4:12 p.m.", "Обновлено 14.11.2025": when the page changed.
bool is_update_line(std::string_view text) {
    return text.size() <= 4 * 100 &&
           starts_with_any(text, {"Updated", "Last updated", "UPDATED", "Обновлено", "Yenilənib",
                                  "Güncelleme", "Güncellendi"}) &&
           utf8_length(text) <= 100 && has_digit(text);
}

// A short line with a time or a date that is not a sentence: "By Jane Doe 20.11.2026 13:00
// Print | Font size: A+ A-", the line under the headline.
bool is_meta_line(std::string_view text) {
    if (text.size() > 4 * 100 || text.empty() || utf8_length(text) > 100)
        return false;
    std::string_view last = text.substr(text.size() - 1);
    if (last == "." || last == "!" || last == "?" || last == "\"" || text.ends_with("»") ||
        text.ends_with("”"))
        return false;
    for (std::size_t i = 0; i + 4 < text.size() + 1; ++i) {
        auto digit = [&](std::size_t at) {
            return at < text.size() && text[at] >= '0' && text[at] <= '9';
        };
        bool time = digit(i) && i + 3 < text.size() && text[i + 1] == ':' && digit(i + 2) &&
                    digit(i + 3) && (i == 0 || !digit(i - 1));
        bool date = digit(i) && digit(i + 1) && i + 5 < text.size() && text[i + 2] == '.' &&
                    digit(i + 3) && digit(i + 4) && text[i + 5] == '.';
        if (time || date)
            return true;
    }
    return false;
}

// "Sayfa 1 / 2", "Pages: 1 2 3": a short line mostly of numbers.
bool is_page_numbers(std::string_view text) {
    if (text.size() > 40)
        return false;
    WordList words;
    split_words(text.substr(0, std::min<std::size_t>(text.size(), 80)), words);
    if (words.words.empty() || words.words.size() > 5)
        return false;
    auto numbers = std::count_if(words.words.begin(), words.words.end(), [&](const Word& word) {
        return has_digit(text.substr(word.source_begin, word.source_end - word.source_begin));
    });
    return numbers >= 2 && static_cast<std::size_t>(numbers) * 2 >= words.words.size();
}

// The names in a byline, "By John Smith", "Автор: Екатерина Соболева"; empty when the text is
// not one.
std::string byline_author(std::string_view text) {
    static const std::array<std::string_view, 8> k_prefixes = {
        "By ", "by ", "Posted by ", "Автор:", "Автор ", "Müəllif:", "Yazar:", "Yazan:"};
    auto prefix = std::find_if(k_prefixes.begin(), k_prefixes.end(),
                               [&](std::string_view each) { return text.starts_with(each); });
    if (prefix == k_prefixes.end() || utf8_length(text) > 60)
        return {};
    std::string_view names = html::trim(text.substr(prefix->size()));
    WordList words;
    split_words(names, words);
    if (words.words.size() < 2 || words.words.size() > 8)
        return {}; // a name and a surname at least: not "By Monday"
    for (const auto& word : words.words) {
        std::string_view each =
            names.substr(word.source_begin, word.source_end - word.source_begin);
        auto first = static_cast<unsigned char>(each.front());
        bool capitalised = (first >= 'A' && first <= 'Z') || first >= 0x80;
        if (!capitalised && each != "and")
            return {};
    }
    return std::string(names);
}

// Letters and digits only, ASCII lower-cased: what a pull quote shares with its paragraph.
std::string letters_of(std::string_view text) {
    std::string out;
    for (char c : text) {
        auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x80 || std::isalnum(byte))
            out += byte >= 'A' && byte <= 'Z' ? static_cast<char>(byte + 32) : c;
    }
    return out;
}

// A block set as a quotation: a <blockquote>, or text that opens with a quotation mark.
bool looks_quoted(const Block& block) {
    return block.kind == Block::Kind::quote ||
           starts_with_any(block.text, {"\"", "'", "“", "„", "«", "‘", "‹", "「"});
}

// Pull quotes: quotations whose words stand in another block of the story as well.
std::vector<Block> without_repeats(std::vector<Block> blocks) {
    if (std::none_of(blocks.begin(), blocks.end(), looks_quoted))
        return blocks;
    std::vector<std::string> letters;
    for (const auto& block : blocks)
        letters.push_back(letters_of(block.text));
    std::vector<Block> kept;
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        bool repeated = false;
        for (std::size_t other = 0; looks_quoted(blocks[i]) && letters[i].size() >= 20 &&
                                    !repeated && other < blocks.size();
             ++other)
            repeated = letters[other].size() > letters[i].size() &&
                       letters[other].find(letters[i]) != std::string::npos;
        if (!repeated)
            kept.push_back(std::move(blocks[i]));
    }
    return kept;
}

// A list of teasers, each cut short with an ellipsis: a section page, not a story.
bool is_listing(const std::vector<Block>& blocks) {
    std::size_t paragraphs = 0, teasers = 0;
    for (const auto& block : blocks) {
        if (block.kind != Block::Kind::paragraph)
            continue;
        ++paragraphs;
        teasers += block.text.ends_with("…") || block.text.ends_with("...") ? 1U : 0U;
    }
    return teasers >= 3 && teasers * 2 >= paragraphs;
}

// Keeps the story's blocks: drops the headline repeated, the date line (its date is kept when
// the page gave none), "read also" links, link lists, the copyright line, picture credits and
// captions that end in one, "Updated …" lines, lines of a time or date that are not sentences,
// page numbers, pull quotes, the page's description set in italics (a dek) and the byline (its
// names are the author when the page gave none).
std::vector<Block> story_blocks(std::vector<Block> blocks, const article::Metadata& page,
                                std::optional<std::chrono::sys_seconds>& published,
                                std::string& author) {
    const std::string& title = page.title;
    std::vector<Block> kept;
    for (auto& block : blocks) {
        std::size_t length = utf8_length(block.text);
        // The page's description set in italics above the story: its dek.
        if (!page.description.empty() && block.text == page.description &&
            block.emphasis_chars * 10 >= length * 9)
            continue;
        if (auto names = byline_author(block.text); !names.empty()) {
            if (author.empty())
                author = std::move(names);
            continue;
        }
        if (is_credit(block.text) || is_update_line(block.text) || (block.caption && length <= 250))
            continue;
        // The headline repeated, alone or with the date after it as old sites set it.
        if (!title.empty() && block.text.starts_with(title)) {
            auto rest = html::trim(std::string_view(block.text).substr(title.size()));
            auto when = rest.empty() ? std::nullopt : article::date_line(rest);
            if (!published)
                published = when;
            if (rest.empty() || when)
                continue;
        }
        if (auto when = article::date_line(block.text)) {
            if (!published)
                published = when;
            continue;
        }
        bool link_list = block.link_chars * 2 > length;
        if (link_list || is_read_also(block.text) || is_copyright(block.text))
            continue;
        if (block.kind == Block::Kind::paragraph &&
            (is_meta_line(block.text) || is_page_numbers(block.text)))
            continue;
        kept.push_back(std::move(block));
    }
    if (is_listing(kept))
        return {};
    // A heading with nothing under it introduced what was left out ("More on this story").
    while (!kept.empty() && kept.back().kind == Block::Kind::heading)
        kept.pop_back();
    return without_repeats(std::move(kept));
}

std::string as_text(const std::vector<Block>& blocks) {
    std::string text;
    for (const auto& block : blocks)
        text += (text.empty() ? "" : "\n\n") + block.text;
    return text;
}

std::string as_html(const std::vector<Block>& blocks) {
    std::string html;
    bool in_list = false;
    for (const auto& block : blocks) {
        bool item = block.kind == Block::Kind::item;
        if (item != in_list)
            html += item ? "<ul>" : "</ul>";
        in_list = item;
        const char* tag = block.kind == Block::Kind::heading ? "h3"
                          : block.kind == Block::Kind::quote ? "blockquote"
                          : item                             ? "li"
                                                             : "p";
        html += std::string("<") + tag + ">" + escape_html(block.text) + "</" + tag + ">";
    }
    return in_list ? html + "</ul>" : html;
}

std::string absolute(const std::string& base, const std::string& url) {
    if (url.empty())
        return url;
    std::string resolved = base.empty() ? url : resolve_url(base, url);
    return is_absolute_url(resolved) && is_web_link(resolved) ? resolved : std::string();
}

// Whether a Content-Type says plain text ("text/plain; charset=utf-8").
bool is_plain_text(std::string_view content_type) {
    std::string type(html::trim(content_type.substr(0, content_type.find(';'))));
    for (auto& c : type)
        c = c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
    return type == "text/plain";
}

// A plain-text response as blocks: paragraphs are separated by blank lines.
std::vector<Block> plain_text_blocks(std::string_view text) {
    std::vector<Block> blocks;
    std::string paragraph;
    auto finish = [&] {
        if (!html::trim(paragraph).empty())
            blocks.push_back(
                {Block::Kind::paragraph, std::string(html::trim(paragraph)), 0, false});
        paragraph.clear();
    };
    while (!text.empty()) {
        std::size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
        if (html::trim(line).empty()) {
            finish();
        } else {
            if (!paragraph.empty())
                paragraph += ' ';
            html::append_collapsed(line, paragraph);
        }
    }
    finish();
    return blocks;
}

} // namespace

std::optional<std::string> html_declared_charset(std::string_view bytes) {
    std::string head(bytes.substr(0, std::min<std::size_t>(bytes.size(), 4096)));
    for (auto& c : head)
        c = c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
    for (std::size_t at = head.find("<meta"); at != std::string::npos;
         at = head.find("<meta", at + 5)) {
        std::size_t end = head.find('>', at);
        std::string_view tag = std::string_view(head).substr(
            at, end == std::string::npos ? std::string::npos : end - at);
        std::size_t charset = tag.find("charset=");
        if (charset == std::string_view::npos)
            continue;
        std::string_view value = tag.substr(charset + 8);
        while (!value.empty() &&
               (value.front() == '"' || value.front() == '\'' || value.front() == ' '))
            value.remove_prefix(1);
        std::size_t stop = value.find_first_of("\"'; />");
        value = value.substr(0, stop);
        if (!value.empty())
            return std::string(value);
    }
    return std::nullopt;
}

tl::expected<ExtractedArticle, ExtractError> extract_article(std::string_view bytes,
                                                             const ExtractOptions& options) {
    auto http_charset = charset_of(options.content_type);
    auto declared = html_declared_charset(bytes);
    // Well-formed UTF-8 beyond ASCII is next to impossible by chance: only other bytes need a
    // guess.
    if (!http_charset && !declared && !is_valid_utf8(bytes)) {
        constexpr std::size_t k_enough_to_guess = 16 * 1024;
        std::string guessed = html::detect_charset(bytes.substr(0, k_enough_to_guess));
        if (!guessed.empty() && guessed != "ASCII")
            declared = guessed;
    }
    DecodedText decoded = decode_to_utf8(bytes, http_charset, declared);
    ExtractedArticle out;
    out.encoding = decoded.encoding;
    out.warnings = std::move(decoded.warnings);
    if (is_plain_text(options.content_type)) {
        auto blocks = plain_text_blocks(decoded.utf8);
        if (blocks.empty())
            return tl::unexpected(ExtractError{"no text in the page"});
        out.content_text = as_text(blocks);
        out.content_html = as_html(blocks);
        return out;
    }
    if (html::nests_deeper_than(decoded.utf8, options.max_depth))
        return tl::unexpected(ExtractError{"elements nest deeper than the limit of " +
                                           std::to_string(options.max_depth) +
                                           " levels; the page is not parsed"});
    html::Document document = html::parse(decoded.utf8);
    if (!document)
        return tl::unexpected(ExtractError{"the page could not be parsed"});
    article::Metadata metadata = article::read_metadata(document->document);
    std::string page = absolute(options.page_url, metadata.canonical);
    article::Body body =
        article::extract_body(document->root, page.empty() ? options.page_url : page);
    out.title = metadata.title;
    out.author = metadata.author;
    out.published = metadata.published;
    auto blocks = story_blocks(std::move(body.blocks), metadata, out.published, out.author);
    // Headings and scraps alone (a sitemap's section titles, a box's title and its numbers) are
    // no story: a story has a sentence.
    if (std::all_of(blocks.begin(), blocks.end(), [](const Block& block) {
            return block.kind == Block::Kind::heading || utf8_length(block.text) < 25;
        }))
        blocks.clear();
    if (blocks.empty() && metadata.title.empty())
        return tl::unexpected(ExtractError{"no text in the page"});
    if (blocks.empty())
        out.warnings.push_back("no article body found");
    out.content_text = as_text(blocks);
    out.content_html = as_html(blocks);
    out.language = metadata.language;
    out.canonical_url = absolute(options.page_url, metadata.canonical);
    out.lead_image =
        absolute(options.page_url, metadata.image.empty() ? body.first_image : metadata.image);
    return out;
}

} // namespace newsmon::parsers
