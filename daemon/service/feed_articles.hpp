// From a feed's body to the articles the store writes: one way, shared by the poll cycle and
// `newsmon reparse`, so that a body read again is read as it would be fetched now.
#pragma once

#include <string>
#include <vector>

#include "config/config.hpp"
#include "newsmon/parsers/feed.hpp"
#include "store/store.hpp"
#include "tag/tagger.hpp"

namespace newsmon::service {

// How a feed's body is parsed: its URL (for relative links), the content type it came with and
// the charset its [[feed]] forces, if any.
[[nodiscard]] parsers::ParseOptions feed_parse_options(const config::FeedConfig* settings,
                                                       const std::string& url,
                                                       const std::string& content_type);

// The items of `parsed` (consumed) kept by the feed's categories and published within
// [retention] articles, each tagged, with its language, whether its page is wanted, its story
// signature and its search words.
[[nodiscard]] std::vector<store::PolledArticle> feed_articles(parsers::Feed& parsed,
                                                              const config::Config& config,
                                                              const config::FeedConfig* settings,
                                                              const tag::Tagger& tagger);

} // namespace newsmon::service
