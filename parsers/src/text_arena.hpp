// Internal: the memory a parse gives its items' text.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <memory_resource>
#include <mutex>
#include <vector>

namespace newsmon::parsers::detail {

// Hands out memory from large blocks and frees nothing until it goes itself, with the last item
// that holds it: a feed's thousands of strings cost a few allocations, not one each. The parsing
// thread allocates without a lock; once sealed, the items may be changed from any thread, so
// later allocations take one.
class TextArena final : public std::pmr::memory_resource {
public:
    TextArena() = default;
    TextArena(const TextArena&) = delete;
    TextArena& operator=(const TextArena&) = delete;
    ~TextArena() override = default;

    void seal() { m_sealed.store(true, std::memory_order_release); }

private:
    void* do_allocate(std::size_t bytes, std::size_t alignment) override;
    void do_deallocate(void* /*pointer*/, std::size_t /*bytes*/,
                       std::size_t /*alignment*/) override {}
    [[nodiscard]] bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override {
        return this == &other;
    }
    void* carve(std::size_t bytes, std::size_t alignment);
    void* carve_from_new_block(std::size_t bytes, std::size_t alignment);
    std::byte* new_block(std::size_t bytes);

    std::vector<std::unique_ptr<std::byte[]>> m_blocks;
    std::byte* m_next = nullptr;
    std::size_t m_room = 0;
    std::size_t m_block_size = 16U << 10;
    std::atomic<bool> m_sealed{false};
    std::mutex m_sealed_allocation;
};

} // namespace newsmon::parsers::detail
