// /articles/ID and /stories/ID: one article (its text, its stored HTML sanitized once more,
// topics with the terms that matched, the alert rules it matched) and one story (every outlet,
// the first publisher, the timeline). Rendering only, from the API's JSON for the same thing.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace newsmon::web {

// `article` as store::web_article gives it.
[[nodiscard]] std::string render_article(const nlohmann::json& article);

// `story` as store::web_story gives it.
[[nodiscard]] std::string render_story(const nlohmann::json& story);

} // namespace newsmon::web
