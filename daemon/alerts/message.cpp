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

nlohmann::json article_json(const AlertArticle& article) {
    return {{"article_id", article.id},
            {"title", article.title},
            {"url", article.url},
            {"feed", article.feed},
            {"published_at", article.published_at},
            {"topics", article.topics},
            {"matched_terms", article.matched_terms},
            {"story_id", article.story_id},
            {"feed_count", article.feed_count},
            {"first_seen_at", article.story_first_seen_at}};
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

std::string html_body(const AlertMessage& message) {
    if (message.spike)
        return spike_html(message.rule, *message.spike);
    std::string html = "<!DOCTYPE html><html><body><p>newsmon alert <b>" +
                       parsers::escape_html(message.rule) + "</b></p><ul>";
    for (const auto& article : message.articles) {
        html += "<li><a href=\"" + parsers::escape_html(article.url) + "\">" +
                parsers::escape_html(article.title) + "</a><br>" +
                parsers::escape_html(article.feed) + ", " +
                parsers::escape_html(article.published_at);
        if (!article.matched_terms.empty()) {
            html += "<br>matched:";
            for (const auto& term : article.matched_terms)
                html += " " + parsers::escape_html(term);
        }
        html += "</li>";
    }
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
    std::string text =
        message.digest ? fmt::format("newsmon digest [{}]: {} articles\n", message.rule,
                                     message.articles.size())
        : message.update
            ? fmt::format("newsmon alert [{}]: the story spread, now {} outlets\n", message.rule,
                          message.articles.empty() ? 0 : message.articles.front().feed_count)
            : fmt::format("newsmon alert [{}]\n", message.rule);
    for (const auto& article : message.articles) {
        text += fmt::format("{}\n{} ({}, {})\n", article.title, article.url, article.feed,
                            article.published_at);
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
