#include "rules/query.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

#include "newsmon/parsers/words.hpp"

namespace newsmon::rules {
namespace {

constexpr std::size_t k_longest_query = 10'000;
constexpr int k_deepest_nesting = 64;
constexpr std::uint32_t k_widest_near = 1'000;

struct Token {
    enum class Kind { word, phrase, field, open, close, op_and, op_or, op_not, near, end };
    Kind kind = Kind::end;
    std::size_t offset = 0; // byte offset of the token in the query
    std::string_view text;  // word, phrase content, or field name
    std::uint32_t distance = 0;
};

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool ends_word(char c) {
    return is_space(c) || c == '(' || c == ')' || c == '"';
}

bool is_field_name(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    });
}

// "and", "Or", "near/5": an operator's word not in capitals, which the query reads as a term.
bool looks_like_operator(std::string_view word) {
    std::string lower(word);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
        return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    });
    return lower == "and" || lower == "or" || lower == "not" || lower.starts_with("near/");
}

QueryError error_at(std::string_view query, std::size_t offset, std::string message) {
    QueryError error;
    error.message = std::move(message);
    for (std::size_t i = 0; i < offset && i < query.size(); ++i) {
        auto byte = static_cast<unsigned char>(query[i]);
        if (query[i] == '\n') {
            ++error.line;
            error.column = 1;
        } else if ((byte & 0xC0) != 0x80) { // count characters, not continuation bytes
            ++error.column;
        }
    }
    return error;
}

class Lexer {
public:
    explicit Lexer(std::string_view query) : m_query(query) {}

    tl::expected<Token, QueryError> next() {
        while (m_at < m_query.size() && is_space(m_query[m_at]))
            ++m_at;
        Token token;
        token.offset = m_at;
        if (m_at == m_query.size())
            return token;
        char c = m_query[m_at];
        if (c == '(' || c == ')') {
            ++m_at;
            token.kind = c == '(' ? Token::Kind::open : Token::Kind::close;
            return token;
        }
        if (c == '"')
            return phrase(token);
        return word(token);
    }

private:
    tl::expected<Token, QueryError> phrase(Token token) {
        std::size_t close = m_query.find('"', m_at + 1);
        if (close == std::string_view::npos)
            return tl::unexpected(
                error_at(m_query, token.offset, "unbalanced quote: this phrase is never closed"));
        token.kind = Token::Kind::phrase;
        token.text = m_query.substr(m_at + 1, close - m_at - 1);
        m_at = close + 1;
        return token;
    }

    tl::expected<Token, QueryError> word(Token token) {
        std::size_t end = m_at;
        while (end < m_query.size() && !ends_word(m_query[end])) {
            if (m_query[end] == ':' && is_field_name(m_query.substr(m_at, end - m_at))) {
                token.kind = Token::Kind::field;
                token.text = m_query.substr(m_at, end - m_at);
                m_at = end + 1;
                return token;
            }
            ++end;
        }
        token.text = m_query.substr(m_at, end - m_at);
        m_at = end;
        if (token.text == "AND")
            token.kind = Token::Kind::op_and;
        else if (token.text == "OR")
            token.kind = Token::Kind::op_or;
        else if (token.text == "NOT")
            token.kind = Token::Kind::op_not;
        else if (token.text == "NEAR" || token.text.starts_with("NEAR/"))
            return near(token);
        else
            token.kind = Token::Kind::word;
        return token;
    }

    tl::expected<Token, QueryError> near(Token token) {
        std::string_view digits = token.text.substr(std::min<std::size_t>(5, token.text.size()));
        auto [end, problem] =
            std::from_chars(digits.data(), digits.data() + digits.size(), token.distance);
        if (digits.empty() || problem != std::errc() || end != digits.data() + digits.size())
            return tl::unexpected(
                error_at(m_query, token.offset, "expected a number after NEAR/, as in NEAR/5"));
        if (token.distance > k_widest_near)
            return tl::unexpected(error_at(m_query, token.offset,
                                           "NEAR/" + std::string(digits) +
                                               " is too wide; at most NEAR/" +
                                               std::to_string(k_widest_near)));
        token.kind = Token::Kind::near;
        return token;
    }

    std::string_view m_query;
    std::size_t m_at = 0;
};

std::string_view describe(const Token& token) {
    switch (token.kind) {
    case Token::Kind::op_and:
        return "AND";
    case Token::Kind::op_or:
        return "OR";
    case Token::Kind::op_not:
        return "NOT";
    case Token::Kind::near:
        return "NEAR";
    case Token::Kind::close:
        return "')'";
    case Token::Kind::open:
        return "'('";
    case Token::Kind::end:
        return "the end of the query";
    default:
        return "a term";
    }
}

bool starts_operand(const Token& token) {
    switch (token.kind) {
    case Token::Kind::word:
    case Token::Kind::phrase:
    case Token::Kind::field:
    case Token::Kind::open:
    case Token::Kind::op_not:
        return true;
    default:
        return false;
    }
}

// Recursive descent over the grammar in query.hpp; every error names the token it stopped at.
class Parser {
public:
    explicit Parser(std::string_view text) : m_text(text), m_lexer(text) {}

    tl::expected<Query, QueryError> parse() {
        if (m_text.size() > k_longest_query)
            return tl::unexpected(
                error_at(m_text, k_longest_query,
                         "the query is longer than " + std::to_string(k_longest_query) + " bytes"));
        if (!advance())
            return tl::unexpected(*m_error);
        if (m_token.kind == Token::Kind::end)
            return tl::unexpected(error_at(m_text, 0, "empty query: expected a term"));
        auto root = parse_or();
        if (!root)
            return tl::unexpected(*m_error);
        if (m_token.kind == Token::Kind::close)
            return fail("unbalanced parenthesis: ')' without a '(' before it");
        if (m_token.kind != Token::Kind::end) // cannot happen: the loops take every operand
            return fail("unexpected " + std::string(describe(m_token)));
        m_query.root = *root;
        if (matches_without_terms(m_query.root))
            return tl::unexpected(error_at(
                m_text, 0,
                "the query matches articles that contain none of its terms; add a term that "
                "must occur"));
        return std::move(m_query);
    }

private:
    using Result = std::optional<std::uint32_t>; // a node index; nullopt after an error

    tl::unexpected<QueryError> fail(std::string message) {
        return tl::unexpected(error_at(m_text, m_token.offset, std::move(message)));
    }

    Result failed(std::string message) {
        m_error = error_at(m_text, m_token.offset, std::move(message));
        return std::nullopt;
    }

    bool advance() {
        auto token = m_lexer.next();
        if (!token) {
            m_error = token.error();
            return false;
        }
        m_token = *token;
        return true;
    }

    std::uint32_t add(Node node) {
        m_query.nodes.push_back(std::move(node));
        return static_cast<std::uint32_t>(m_query.nodes.size() - 1);
    }

    // Takes an operator token and requires an operand after it; an error points at the operator.
    bool operator_then_operand(Token op) {
        if (!advance())
            return false;
        if (starts_operand(m_token))
            return true;
        m_token = op;
        failed("expected a term after " + std::string(describe(op)));
        return false;
    }

    Result parse_or() {
        Result first = parse_and();
        if (!first)
            return first;
        Node any{Node::Kind::any, 0, {*first}, 0};
        while (m_token.kind == Token::Kind::op_or) {
            if (!operator_then_operand(m_token))
                return std::nullopt;
            Result next = parse_and();
            if (!next)
                return next;
            any.children.push_back(*next);
        }
        return any.children.size() == 1 ? *first : add(std::move(any));
    }

    Result parse_and() {
        Result first = parse_unary();
        if (!first)
            return first;
        Node all{Node::Kind::all, 0, {*first}, 0};
        while (true) {
            if (m_token.kind == Token::Kind::op_and) {
                if (!operator_then_operand(m_token))
                    return std::nullopt;
            } else if (!starts_operand(m_token)) {
                break;
            }
            Result next = parse_unary();
            if (!next)
                return next;
            all.children.push_back(*next);
        }
        return all.children.size() == 1 ? *first : add(std::move(all));
    }

    Result parse_unary() {
        if (m_token.kind != Token::Kind::op_not)
            return parse_near();
        if (!operator_then_operand(m_token))
            return std::nullopt;
        Result operand = parse_unary();
        if (!operand)
            return operand;
        return add({Node::Kind::negate, 0, {*operand}, 0});
    }

    bool is_text_atom(std::uint32_t node) const {
        const Node& n = m_query.nodes[node];
        if (n.kind != Node::Kind::atom)
            return false;
        Field field = m_query.atoms[n.atom].field;
        return field == Field::text || field == Field::title;
    }

    // What NEAR takes on a side: a term or a phrase, or a group that is an OR of them. Nested
    // OR groups are flattened (the parser already merges a OR b OR c into one node).
    bool is_near_side(std::uint32_t node) const {
        const Node& n = m_query.nodes[node];
        if (n.kind != Node::Kind::any)
            return is_text_atom(node);
        return std::all_of(n.children.begin(), n.children.end(),
                           [&](std::uint32_t child) { return is_near_side(child); });
    }

    Result near_side_error(const Token& op) {
        m_token = op;
        return failed("NEAR/" + std::to_string(op.distance) +
                      " needs a term, a phrase or an OR group of them on each side");
    }

    Result parse_near() {
        Result left = parse_primary();
        if (!left)
            return left;
        while (m_token.kind == Token::Kind::near) {
            Token op = m_token;
            if (!is_near_side(*left))
                return near_side_error(op);
            if (!operator_then_operand(op))
                return std::nullopt;
            Result right = parse_primary();
            if (!right)
                return right;
            if (!is_near_side(*right))
                return near_side_error(op);
            left = add({Node::Kind::near, 0, {*left, *right}, op.distance});
        }
        return left;
    }

    Result parse_primary() {
        switch (m_token.kind) {
        case Token::Kind::open:
            return parse_group();
        case Token::Kind::field:
            return parse_field();
        case Token::Kind::word:
        case Token::Kind::phrase:
            return parse_term(m_scope);
        case Token::Kind::close:
            return failed("expected a term before ')'");
        case Token::Kind::op_not:
            return parse_unary();
        default:
            return failed("expected a term before " + std::string(describe(m_token)));
        }
    }

    Result parse_group() {
        Token open = m_token;
        if (++m_depth > k_deepest_nesting)
            return failed("parentheses nested deeper than " + std::to_string(k_deepest_nesting));
        if (!advance())
            return std::nullopt;
        if (m_token.kind == Token::Kind::close)
            return failed("expected a term inside '( )'");
        Result inner = parse_or();
        if (!inner)
            return inner;
        if (m_token.kind != Token::Kind::close) {
            m_token = open;
            return failed("unbalanced parenthesis: this '(' is never closed");
        }
        --m_depth;
        if (!advance())
            return std::nullopt;
        return inner;
    }

    Result parse_field() {
        Token field = m_token;
        std::string name(field.text);
        std::transform(name.begin(), name.end(), name.begin(),
                       [](char c) { return static_cast<char>(std::tolower(c)); });
        static const std::pair<const char*, Field> k_fields[] = {{"title", Field::title},
                                                                 {"topic", Field::topic},
                                                                 {"feed", Field::feed},
                                                                 {"lang", Field::lang}};
        auto known = std::find_if(std::begin(k_fields), std::end(k_fields),
                                  [&](const auto& entry) { return name == entry.first; });
        if (known == std::end(k_fields))
            return failed("unknown field '" + std::string(field.text) +
                          ":'; the fields are title:, topic:, feed:, lang:");
        if (m_scope != Field::text)
            return failed("field '" + name + ":' inside title:( )");
        if (!advance())
            return std::nullopt;
        if (known->second == Field::title) {
            if (m_token.kind == Token::Kind::open) {
                m_scope = Field::title;
                Result inner = parse_group();
                m_scope = Field::text;
                return inner;
            }
            if (m_token.kind != Token::Kind::word && m_token.kind != Token::Kind::phrase)
                return failed("expected a term after title:");
            return parse_term(Field::title);
        }
        if (m_token.kind != Token::Kind::word && m_token.kind != Token::Kind::phrase)
            return failed("expected a value after " + name + ":");
        Atom atom;
        atom.field = known->second;
        atom.value = fold_value(m_token.text);
        atom.written = name + ":" + quoted_if_phrase(m_token);
        if (atom.value.empty())
            return failed("expected a value after " + name + ":");
        return add_atom(std::move(atom));
    }

    static std::string quoted_if_phrase(const Token& token) {
        return token.kind == Token::Kind::phrase ? "\"" + std::string(token.text) + "\""
                                                 : std::string(token.text);
    }

    Result parse_term(Field field) {
        if (m_token.kind == Token::Kind::phrase &&
            m_token.text.find_first_not_of(" \t\r\n") == std::string_view::npos)
            return failed("empty phrase: expected words between the quotes");
        auto term = tag::parse_term(m_token.text);
        if (!term) {
            std::string problem = term.error();
            // "term \"x\": * may only end a word" reads as the query's own error without the prefix
            if (auto colon = problem.find("\": "); colon != std::string::npos)
                problem = problem.substr(colon + 3);
            else
                problem = quoted_if_phrase(m_token) + " has no letters or digits to look for";
            return failed(problem);
        }
        if (term->weak)
            return failed("weak: is a topic term marker, not part of a query");
        Atom atom;
        atom.field = field;
        atom.written = (field == Field::title ? "title:" : "") + quoted_if_phrase(m_token);
        atom.term = std::move(*term);
        return add_atom(std::move(atom));
    }

    Result add_atom(Atom atom) {
        m_query.atoms.push_back(std::move(atom));
        auto index = static_cast<std::uint32_t>(m_query.atoms.size() - 1);
        if (!advance())
            return std::nullopt;
        return add({Node::Kind::atom, index, {}, 0});
    }

    // True when the query holds with every leaf false, as "NOT NATO" does: such a rule would
    // alert on nearly every article.
    bool matches_without_terms(std::uint32_t index) const {
        const Node& node = m_query.nodes[index];
        switch (node.kind) {
        case Node::Kind::atom:
        case Node::Kind::near:
            return false;
        case Node::Kind::negate:
            return !matches_without_terms(node.children[0]);
        case Node::Kind::all:
            return std::all_of(node.children.begin(), node.children.end(),
                               [&](std::uint32_t child) { return matches_without_terms(child); });
        case Node::Kind::any:
            return std::any_of(node.children.begin(), node.children.end(),
                               [&](std::uint32_t child) { return matches_without_terms(child); });
        }
        return false;
    }

    std::string_view m_text;
    Lexer m_lexer;
    Token m_token;
    Query m_query;
    Field m_scope = Field::text;
    int m_depth = 0;
    std::optional<QueryError> m_error;
};

} // namespace

std::string QueryError::to_string() const {
    return "query:" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

tl::expected<Query, QueryError> parse_query(std::string_view text) {
    auto query = Parser(text).parse();
    if (!query && !query_warnings(text).empty())
        query.error().message += " (operators are written in capitals: AND, OR, NOT, NEAR/n)";
    return query;
}

std::vector<QueryError> query_warnings(std::string_view text) {
    std::vector<QueryError> warnings;
    if (text.size() > k_longest_query)
        return warnings;
    Lexer lexer(text);
    for (auto token = lexer.next(); token && token->kind != Token::Kind::end;
         token = lexer.next()) {
        if (token->kind != Token::Kind::word || !looks_like_operator(token->text))
            continue;
        std::string upper(token->text.substr(0, token->text.find('/')));
        std::transform(upper.begin(), upper.end(), upper.begin(), [](char c) {
            return static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        });
        warnings.push_back(error_at(text, token->offset,
                                    "\"" + std::string(token->text) +
                                        "\" is read as a word to look for, not as the operator " +
                                        upper + " (operators are written in capitals)"));
    }
    return warnings;
}

std::string fold_value(std::string_view value) {
    parsers::WordList words;
    parsers::split_words(value, words);
    std::string folded;
    for (const auto& word : words.words) {
        if (!folded.empty())
            folded += ' ';
        folded += words.base_of(word);
    }
    return folded;
}

} // namespace newsmon::rules
