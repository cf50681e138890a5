#include "text_arena.hpp"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "newsmon/parsers/feed.hpp"

namespace newsmon::parsers {

TextMemory& TextMemory::operator=(TextMemory&& other) {
    if (!other.m_memory || other.m_memory == m_memory)
        return *this;
    if (!m_memory) {
        m_memory = std::move(other.m_memory);
        return *this;
    }
    // One owner of both, seen as this item's own memory.
    using Both = std::pair<std::shared_ptr<std::pmr::memory_resource>,
                           std::shared_ptr<std::pmr::memory_resource>>;
    auto both = std::make_shared<Both>(m_memory, std::move(other.m_memory));
    std::pmr::memory_resource* own = m_memory.get();
    m_memory = std::shared_ptr<std::pmr::memory_resource>(std::move(both), own);
    return *this;
}

Item::Item(std::shared_ptr<std::pmr::memory_resource> arena)
    : memory(std::move(arena)), guid(memory.get()), title(memory.get()), link(memory.get()),
      authors(memory.get()), categories(memory.get()), summary(memory.get()) {}

namespace detail {

namespace {

// Blocks double from 16 KB up to this; larger requests get a block of their own.
constexpr std::size_t k_largest_block = 1U << 20;

// Alignments are powers of two.
std::size_t padding_for(const std::byte* at, std::size_t alignment) {
    auto address = reinterpret_cast<std::uintptr_t>(at);
    return (alignment - (address & (alignment - 1))) & (alignment - 1);
}

} // namespace

void* TextArena::do_allocate(std::size_t bytes, std::size_t alignment) {
    if (!m_sealed.load(std::memory_order_acquire))
        return carve(bytes, alignment);
    std::lock_guard lock(m_sealed_allocation);
    return carve(bytes, alignment);
}

void* TextArena::carve(std::size_t bytes, std::size_t alignment) {
    std::size_t padding = padding_for(m_next, alignment);
    if (!m_next || padding + bytes > m_room) [[unlikely]]
        return carve_from_new_block(bytes, alignment);
    std::byte* start = m_next + padding;
    m_next = start + bytes;
    m_room -= padding + bytes;
    return start;
}

void* TextArena::carve_from_new_block(std::size_t bytes, std::size_t alignment) {
    if (bytes + alignment > m_block_size / 2) {
        // A block of its own, so the current one keeps its room.
        std::byte* block = new_block(bytes + alignment);
        return block + padding_for(block, alignment);
    }
    m_next = new_block(m_block_size);
    m_room = m_block_size;
    m_block_size = std::min(m_block_size * 2, k_largest_block);
    return carve(bytes, alignment);
}

std::byte* TextArena::new_block(std::size_t bytes) {
    // Not value-initialized: the text written into it is all that is ever read.
    std::unique_ptr<std::byte[]> block(new std::byte[bytes]);
    return m_blocks.emplace_back(std::move(block)).get();
}

} // namespace detail

} // namespace newsmon::parsers
