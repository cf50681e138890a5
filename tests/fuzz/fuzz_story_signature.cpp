// libFuzzer target: any bytes as an article's title and text in each language, and as a stored
// signature. Properties: a signature keeps its bounds and survives storage unchanged; stored
// bytes of any shape read back as a signature or as an empty one, never a crash; an article
// compared with itself is the same event.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "stories/signature.hpp"
#include "stories/story_index.hpp"

using namespace newsmon;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    auto split = bytes.find('\n');
    std::string_view title = bytes.substr(0, split);
    std::string_view body = split == std::string_view::npos ? "" : bytes.substr(split + 1);
    (void)stories::from_bytes(bytes);
    for (auto language : {tag::Language::none, tag::Language::en, tag::Language::ru,
                          tag::Language::tr, tag::Language::az}) {
        auto signature = stories::make_signature(title, body, language);
        if (signature.words.size() > stories::k_sketch_size ||
            signature.names.size() > stories::k_max_names ||
            signature.numbers.size() > stories::k_max_numbers ||
            signature.years.size() > stories::k_max_years)
            std::abort();
        auto restored = stories::from_bytes(stories::to_bytes(signature));
        if (restored.words != signature.words || restored.names != signature.names ||
            restored.numbers != signature.numbers || restored.years != signature.years ||
            restored.language != language)
            std::abort();
        stories::StoryIndex index(std::chrono::hours{72});
        index.add({1, 1, std::chrono::sys_seconds{}, signature});
        bool telling = signature.words.size() >= 8;
        if (telling && !index.compare(signature, signature).same_event)
            std::abort();
        (void)index.nearest(signature, std::chrono::sys_seconds{});
    }
    return 0;
}
