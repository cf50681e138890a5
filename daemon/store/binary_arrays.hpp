// PostgreSQL's binary wire forms (those array_send and tsvector_send write) for parameters:
// the writer sends a batch as one array a column, which PostgreSQL reads without parsing text.
// Text arrays need no escaping on either side, and a tsvector arrives as lexemes and positions:
// parsing its text form was a tenth of PostgreSQL's work on a new article.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <pqxx/binarystring>

namespace newsmon::store::binary {

// Type OIDs fixed in PostgreSQL's catalog, the same in every database.
enum class ElementType : std::int32_t { boolean = 16, integer = 23, text = 25, tsvector = 3614 };

// A one-dimensional array of `type`, an element at a time, for a parameter cast to that
// array type ($1::text[]).
class ArrayBuilder {
public:
    explicit ArrayBuilder(ElementType type) : m_type(type) {}

    void add_null();
    void add_integer(std::int32_t value);
    void add_boolean(bool value);
    // A text (NUL bytes, which PostgreSQL's text cannot hold, are left out).
    void add_text(std::string_view value);
    // An element already in its binary form (a tsvector from TsVectorBuilder); null if absent.
    void add_encoded(const std::optional<std::string>& value);

    [[nodiscard]] std::size_t size() const { return m_count; }
    [[nodiscard]] pqxx::binarystring parameter() const;

private:
    void add_length(std::int32_t length);

    ElementType m_type;
    std::size_t m_count = 0;
    bool m_has_null = false;
    std::string m_elements;
};

// A tsvector: lexemes added in ascending byte order, each followed by its positions in
// ascending order (none for a vector of words alone).
class TsVectorBuilder {
public:
    void add_lexeme(std::string_view lexeme);
    // `weight` is 'A' to 'D'; `at` 1 to 16,383.
    void add_position(int at, char weight);

    [[nodiscard]] std::size_t bytes() const { return m_body.size(); }
    [[nodiscard]] std::string finish() const;

private:
    std::int32_t m_lexemes = 0;
    std::size_t m_position_count_at = 0; // where the last lexeme's position count is written
    std::string m_body;
};

} // namespace newsmon::store::binary
