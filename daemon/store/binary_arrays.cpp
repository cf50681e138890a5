#include "store/binary_arrays.hpp"

#include <cstring>
#include <stdexcept>

namespace newsmon::store::binary {
namespace {

// Network byte order, as every integer of the wire forms.
void append_big_endian(std::string& out, std::uint32_t value, int bytes) {
    for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8)
        out.push_back(static_cast<char>((value >> shift) & 0xFF));
}

void append_int32(std::string& out, std::int32_t value) {
    append_big_endian(out, static_cast<std::uint32_t>(value), 4);
}

std::int32_t checked_length(std::size_t length) {
    if (length > 0x3FFFFFFF) // PostgreSQL's largest field, 1 GB
        throw std::length_error("value too large for a PostgreSQL parameter");
    return static_cast<std::int32_t>(length);
}

} // namespace

void ArrayBuilder::add_length(std::int32_t length) {
    append_int32(m_elements, length);
    ++m_count;
}

void ArrayBuilder::add_null() {
    add_length(-1);
    m_has_null = true;
}

void ArrayBuilder::add_integer(std::int32_t value) {
    add_length(4);
    append_int32(m_elements, value);
}

void ArrayBuilder::add_boolean(bool value) {
    add_length(1);
    m_elements.push_back(value ? '\1' : '\0');
}

void ArrayBuilder::add_text(std::string_view value) {
    if (std::memchr(value.data(), '\0', value.size()) == nullptr) {
        add_length(checked_length(value.size()));
        m_elements.append(value);
        return;
    }
    std::string kept;
    for (char c : value)
        if (c != '\0')
            kept.push_back(c);
    add_text(std::string_view(kept));
}

void ArrayBuilder::add_encoded(const std::optional<std::string>& value) {
    if (!value) {
        add_null();
        return;
    }
    add_length(checked_length(value->size()));
    m_elements.append(*value);
}

pqxx::binarystring ArrayBuilder::parameter() const {
    std::string array;
    array.reserve(m_elements.size() + 20);
    if (m_count == 0) { // no dimensions: the empty array
        append_int32(array, 0);
        append_int32(array, 0);
        append_int32(array, static_cast<std::int32_t>(m_type));
        return pqxx::binarystring(array);
    }
    append_int32(array, 1);
    append_int32(array, m_has_null ? 1 : 0);
    append_int32(array, static_cast<std::int32_t>(m_type));
    append_int32(array, checked_length(m_count));
    append_int32(array, 1); // lower bound
    array += m_elements;
    return pqxx::binarystring(array);
}

void TsVectorBuilder::add_lexeme(std::string_view lexeme) {
    ++m_lexemes;
    for (char c : lexeme) // the lexeme ends at its first NUL: none may be inside
        if (c != '\0')
            m_body.push_back(c);
    m_body.push_back('\0');
    m_position_count_at = m_body.size();
    append_big_endian(m_body, 0, 2);
}

void TsVectorBuilder::add_position(int at, char weight) {
    auto count_byte = [&](std::size_t i) {
        return static_cast<unsigned>(static_cast<unsigned char>(m_body[m_position_count_at + i]));
    };
    unsigned count = (count_byte(0) << 8 | count_byte(1)) + 1;
    m_body[m_position_count_at] = static_cast<char>(count >> 8);
    m_body[m_position_count_at + 1] = static_cast<char>(count & 0xFF);
    // the weight in the top two bits: A 3, B 2, C 1, D 0
    unsigned weight_bits = weight >= 'A' && weight <= 'D' ? static_cast<unsigned>('D' - weight) : 0;
    append_big_endian(m_body, weight_bits << 14 | (static_cast<unsigned>(at) & 0x3FFF), 2);
}

std::string TsVectorBuilder::finish() const {
    std::string vector;
    vector.reserve(m_body.size() + 4);
    append_int32(vector, m_lexemes);
    return vector + m_body;
}

} // namespace newsmon::store::binary
