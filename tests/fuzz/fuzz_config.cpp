// libFuzzer target: any text as newsmon.toml. It loads or gives diagnostics; a config that
// loads has compiling topics.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "config/config.hpp"
#include "tag/tagger.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto loaded = newsmon::config::load_config_text(text, "fuzz.toml");
    if (!loaded.config) {
        if (loaded.diagnostics.empty())
            std::abort(); // refused without saying why
        return 0;
    }
    if (!newsmon::tag::Tagger::compile(loaded.config->topics))
        std::abort(); // load_config let a bad term through
    return 0;
}
