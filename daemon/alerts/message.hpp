// What an alert says, in each channel's form: the webhook's JSON (documented in the README;
// keys are added, never renamed), the plain text that chat webhooks show, and the e-mail.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "alerts/snippet.hpp"
#include "alerts/spike_message.hpp"

namespace newsmon::alerts {

struct AlertArticle {
    std::int64_t id = 0;
    std::string title;
    std::string url;
    std::string feed;
    std::string published_at; // RFC 3339, UTC
    std::string language;     // as stored ("az", "ru-RU"); empty: unknown
    std::vector<std::string> topics;
    std::vector<std::string> matched_terms;
    std::int64_t story_id = 0;
    int feed_count = 1; // feeds that carried its story
    std::string story_first_seen_at;
    Snippet snippet; // around the first match, the matched words marked
};

struct AlertMessage {
    std::string delivery_id; // "42", or "digest-<rule id>-<last delivery id>"
    std::string rule;
    bool digest = false;
    std::vector<AlertArticle> articles; // one, unless a digest
    bool update = false;                // a story this rule alerted on has spread to more feeds
    // A spike rule's episode: its count and stories (articles holds one representative).
    std::optional<SpikeSummary> spike{};
};

[[nodiscard]] std::string webhook_json(const AlertMessage& message);
[[nodiscard]] std::string plain_text(const AlertMessage& message);
[[nodiscard]] std::string subject_line(const AlertMessage& message);
// A whole RFC 5322 message, multipart/alternative with a plain and an HTML part.
[[nodiscard]] std::string mail_message(const AlertMessage& message, const std::string& from,
                                       const std::string& to);

// "sha256=<hex HMAC-SHA256 of body under secret>", for X-Newsmon-Signature.
[[nodiscard]] std::string signature(const std::string& secret, const std::string& body);

} // namespace newsmon::alerts
