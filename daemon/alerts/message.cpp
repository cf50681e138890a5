#include "alerts/message.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <chrono>
#include <ctime>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "newsmon/parsers/html.hpp"

namespace newsmon::alerts {
namespace {

nlohmann::json null_if_empty(const std::string& text) {
    return text.empty() ? nlohmann::json() : nlohmann::json(text);
}

// The matched words of the snippet: where each starts and ends in its text, in characters
// (code points, not bytes or UTF-16 units), and the words themselves.
nlohmann::json snippet_matches(const Snippet& snippet) {
    nlohmann::json matches = nlohmann::json::array();
    std::size_t at = 0;
    for (const auto& part : snippet) {
        std::size_t length = count_chars(part.text);
        if (part.match)
            matches.push_back({{"start", at}, {"end", at + length}, {"text", part.text}});
        at += length;
    }
    return matches;
}

// The snippet as plain text, the matched words between asterisks (bold in chat webhooks).
std::string marked_text(const Snippet& snippet) {
    std::string text;
    for (const auto& part : snippet)
        text += part.match ? "*" + part.text + "*" : part.text;
    return text;
}

std::string marked_html(const Snippet& snippet) {
    std::string html;
    for (const auto& part : snippet)
        html += part.match ? "<mark>" + parsers::escape_html(part.text) + "</mark>"
                           : parsers::escape_html(part.text);
    return html;
}

nlohmann::json article_json(const AlertArticle& article) {
    return {{"article_id", article.id},
            {"title", article.title},
            {"url", article.url},
            {"feed", article.feed},
            {"published_at", article.published_at},
            {"language", null_if_empty(article.language)},
            {"topics", article.topics},
            {"matched_terms", article.matched_terms},
            {"story_id", article.story_id},
            {"feed_count", article.feed_count},
            {"first_seen_at", article.story_first_seen_at},
            {"snippet", snippet_text(article.snippet)},
            {"snippet_matches", snippet_matches(article.snippet)}};
}

nlohmann::json spike_json(const SpikeSummary& spike) {
    nlohmann::json stories = nlohmann::json::array();
    for (const auto& story : spike.stories)
        stories.push_back({{"story_id", story.story_id},
                           {"title", story.title},
                           {"feed_count", story.feed_count},
                           {"article_count", story.article_count},
                           {"url", story.url}});
    return {{"count", spike.count},
            {"expected", spike.expected},
            {"ratio", spike.ratio},
            {"p_value", spike.p_value},
            {"window", duration_text(spike.window_seconds)},
            {"window_seconds", spike.window_seconds},
            {"baseline_seconds", spike.baseline_seconds},
            {"window_start", spike.window_start},
            {"window_end", spike.window_end},
            {"stories", stories}};
}

std::string dump(const nlohmann::json& json) {
    return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string base64(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3), '\0');
    int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data()),
                                  static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(written));
    return out;
}

// Base64 in lines of 76, as MIME wants: no line of any alert text can break the 998 limit.
std::string base64_lines(std::string_view bytes) {
    std::string encoded = base64(bytes);
    std::string out;
    for (std::size_t at = 0; at < encoded.size(); at += 76)
        out += encoded.substr(at, 76) + "\r\n";
    return out;
}

// The message's first line: which rule, and what happened.
std::string headline(const AlertMessage& message) {
    if (message.digest)
        return fmt::format("newsmon digest [{}]: {} articles", message.rule,
                           message.articles.size());
    if (message.update)
        return fmt::format("newsmon alert [{}]: the story spread, now {} outlets", message.rule,
                           message.articles.empty() ? 0 : message.articles.front().feed_count);
    return fmt::format("newsmon alert [{}]", message.rule);
}

// Only a web link becomes a link: nothing from a feed runs when the message is opened.
bool is_web_url(std::string_view url) {
    return url.starts_with("https://") || url.starts_with("http://");
}

std::string article_html(const AlertArticle& article) {
    std::string title = parsers::escape_html(article.title);
    std::string html = "<li><p>";
    html += is_web_url(article.url)
                ? "<a href=\"" + parsers::escape_html(article.url) + "\">" + title + "</a>"
                : title;
    html += "<br>" + parsers::escape_html(article.feed) + ", " +
            parsers::escape_html(article.published_at);
    if (!article.language.empty())
        html += ", " + parsers::escape_html(article.language);
    html += "</p>";
    if (!article.snippet.empty())
        html += (article.language.empty()
                     ? std::string("<p>")
                     : "<p lang=\"" + parsers::escape_html(article.language) + "\">") +
                marked_html(article.snippet) + "</p>";
    if (!article.matched_terms.empty()) {
        html += "<p>matched:";
        for (const auto& term : article.matched_terms)
            html += " " + parsers::escape_html(term);
        html += "</p>";
    }
    return html + "</li>";
}

std::string html_body(const AlertMessage& message) {
    if (message.spike)
        return spike_html(message.rule, *message.spike);
    std::string heading = parsers::escape_html(headline(message));
    std::string html = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + heading +
                       "</title></head><body><p>" + heading + "</p><ul>";
    for (const auto& article : message.articles)
        html += article_html(article);
    return html + "</ul></body></html>";
}

// RFC 2047 encoded words of at most 75 characters, folded onto lines of their own, cut between
// UTF-8 characters.
std::string encoded_header(std::string_view text) {
    constexpr std::size_t k_bytes_per_word = 45; // base64 of 45 bytes is 60 characters
    std::string out;
    while (!text.empty()) {
        std::size_t take = std::min(text.size(), k_bytes_per_word);
        while (take < text.size() && (static_cast<unsigned char>(text[take]) & 0xC0) == 0x80)
            --take; // never split a character
        out += (out.empty() ? "" : "\r\n ") + ("=?UTF-8?B?" + base64(text.substr(0, take)) + "?=");
        text.remove_prefix(take);
    }
    return out;
}

std::string mail_date() {
    std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char buffer[64];
    std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S +0000", &utc);
    return buffer;
}

} // namespace

std::string webhook_json(const AlertMessage& message) {
    nlohmann::json json = {{"delivery_id", message.delivery_id},
                           {"rule", message.rule},
                           {"kind", message.spike    ? "spike"
                                    : message.update ? "update"
                                                     : "match"}};
    if (message.spike) {
        json.update(spike_json(*message.spike));
    } else if (message.digest) {
        json["digest"] = true;
        json["articles"] = nlohmann::json::array();
        for (const auto& article : message.articles)
            json["articles"].push_back(article_json(article));
    } else if (!message.articles.empty()) {
        json.update(article_json(message.articles.front()));
    }
    json["text"] = plain_text(message);
    return dump(json);
}

std::string plain_text(const AlertMessage& message) {
    if (message.spike)
        return spike_plain_text(message.rule, *message.spike);
    std::string text = headline(message) + "\n";
    for (const auto& article : message.articles) {
        text += fmt::format("{}\n{} ({}, {})\n", article.title, article.url, article.feed,
                            article.published_at);
        if (!article.snippet.empty())
            text += marked_text(article.snippet) + "\n";
        if (!article.matched_terms.empty())
            text += fmt::format("matched: {}\n", fmt::join(article.matched_terms, ", "));
    }
    return text;
}

std::string subject_line(const AlertMessage& message) {
    if (message.spike)
        return spike_subject(message.rule, *message.spike);
    if (message.digest)
        return fmt::format("[newsmon] {}: {} articles", message.rule, message.articles.size());
    if (message.update && !message.articles.empty())
        return fmt::format("[newsmon] {}: now {} outlets: {}", message.rule,
                           message.articles.front().feed_count, message.articles.front().title);
    return fmt::format("[newsmon] {}: {}", message.rule,
                       message.articles.empty() ? "" : message.articles.front().title);
}

std::string mail_message(const AlertMessage& message, const std::string& from,
                         const std::string& to) {
    const std::string boundary = "newsmon-alternative-" + message.delivery_id;
    std::string mail;
    mail += "Date: " + mail_date() + "\r\n";
    mail += "From: " + from + "\r\n";
    mail += "To: " + to + "\r\n";
    mail += "Subject: " + encoded_header(subject_line(message)) + "\r\n";
    mail += "Message-ID: <newsmon-" + message.delivery_id + "." + to + ">\r\n";
    mail += "X-Newsmon-Delivery: " + message.delivery_id + "\r\n";
    mail += "MIME-Version: 1.0\r\n";
    mail += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n";
    mail += "--" + boundary + "\r\nContent-Type: text/plain; charset=utf-8\r\n";
    mail += "Content-Transfer-Encoding: base64\r\n\r\n" + base64_lines(plain_text(message));
    mail += "--" + boundary + "\r\nContent-Type: text/html; charset=utf-8\r\n";
    mail += "Content-Transfer-Encoding: base64\r\n\r\n" + base64_lines(html_body(message));
    mail += "--" + boundary + "--\r\n";
    return mail;
}

std::string signature(const std::string& secret, const std::string& body) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest, &length);
    std::string hex = "sha256=";
    for (unsigned int i = 0; i < length; ++i)
        hex += fmt::format("{:02x}", digest[i]);
    return hex;
}

} // namespace newsmon::alerts
