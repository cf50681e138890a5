// zstd frames for the raw archive: what was fetched, compressed before it is stored.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

namespace newsmon::archive {

// One zstd frame holding `input`, its size recorded in the header.
[[nodiscard]] std::string compress(std::string_view input);

// The bytes of a frame made by compress(). A frame that is damaged, is not zstd, or would
// decompress to more than `max_size` bytes is an error that says which.
[[nodiscard]] tl::expected<std::string, std::string> decompress(std::string_view frame,
                                                                std::size_t max_size);

} // namespace newsmon::archive
