// libFuzzer target: any text as an alert query. It parses or fails with a place inside the
// query; a parsed query matches a fixed article without trouble.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "rules/query.hpp"
#include "rules/rule_set.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto query = newsmon::rules::parse_query(text);
    if (!query) {
        if (query.error().line < 1 || query.error().column < 1 || query.error().message.empty())
            std::abort();
        return 0;
    }
    newsmon::rules::RuleSet rules({{1, "fuzz", std::move(*query)}});
    auto hits = rules.match({"NATO envoys meet in Baku",
                             "The Partnership for Peace was discussed.",
                             "Today.Az",
                             "en",
                             {"nato"}});
    (void)hits;
    return 0;
}
