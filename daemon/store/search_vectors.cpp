#include "store/search_vectors.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "base/log.hpp"
#include "store/binary_arrays.hpp"
#include "store/store.hpp"

namespace newsmon::store {
namespace {

using parsers::SearchToken;
using parsers::SearchTokenType;

// Each token type's dictionaries in the two configurations article_search_vector uses.
constexpr const char* k_dictionaries = R"sql(
    SELECT c.cfgname, t.alias,
           array_to_string(array_agg(m.mapdict::bigint ORDER BY m.mapseqno)
                           FILTER (WHERE m.mapdict IS NOT NULL), ',')
    FROM pg_ts_config c
    CROSS JOIN LATERAL ts_token_type(c.cfgparser) t
    LEFT JOIN pg_ts_config_map m ON m.mapcfg = c.oid AND m.maptokentype = t.tokid
    WHERE c.oid IN ('russian'::regconfig, 'simple'::regconfig)
      AND (SELECT prsname FROM pg_ts_parser p WHERE p.oid = c.cfgparser) = 'default'
    GROUP BY c.cfgname, t.alias
)sql";

// What the dictionaries make of tokens not seen before: one row per lexeme, or one with none
// (a stop word: recognised, or not recognised at all).
constexpr const char* k_lexize = R"sql(
    SELECT m.n, x.lexemes IS NOT NULL, l.lexeme
    FROM unnest($1::bigint[], $2::text[]) WITH ORDINALITY AS m(d, t, n)
    CROSS JOIN LATERAL (SELECT ts_lexize(m.d::oid::regdictionary, m.t) AS lexemes) x
    LEFT JOIN LATERAL unnest(x.lexemes) WITH ORDINALITY AS l(lexeme, k) ON true
    ORDER BY m.n, l.k
)sql";

// Texts whose vectors are compared with article_search_vector's before any is trusted: every
// token type, stop words, upper case in three alphabets, dotted and dotless i.
struct Sample {
    const char* title;
    const char* summary;
    const char* content;
};
constexpr Sample k_samples[] = {
    {"NATO Summit: Azerbaijan and the Alliance's partners",
     "Baku, 5 December — the North Atlantic Treaty Organization's well-known partner-nation "
     "meets its e-Government and 5G-ready anti-drone co-operation leaders in 2024-2025, -5 and +3.",
     "Министр иностранных дел Азербайджана встретился с генсеком НАТО из-за СЕВЕРО-АТЛАНТИЧЕСКОГО "
     "договора; G7, COVID-19, Ту-154, 3-й раунд, abc-def-123 и «Ёлки» ещё… Это всё."},
    {"İSTANBUL və Bakı: Azərbaycan Respublikası",
     "Şuşa şəhərində 2024-cü il NATO-nun tədbiri, ƏLİYEV İlham, ığdır IĞDIR",
     "Türkiye’nin Dışişleri Bakanı İzmir’de \"Ankara\" açıklaması yaptı: ĞÜŞİÖÇ ğüşıöç 1,5 "
     "milyon (30%) – the end."},
    {"", "the and of", nullptr},
};

constexpr int k_largest_position = 16000;     // PostgreSQL keeps positions up to 16,383
constexpr std::size_t k_most_positions = 250; // and 255 of one lexeme in one vector
// per dictionary: about 5 MB, the most frequent words of a few days of news
constexpr std::size_t k_cached_tokens = 30000;

// One lexeme at one position, packed so that one sort of integers orders a text's positions by
// lexeme and then by position: the lexeme's number (SearchVectors::intern) in the high half,
// then the position, then the weight ('A' 0 to 'D' 3).
std::uint64_t packed(std::uint32_t lexeme, int at, char weight) {
    return std::uint64_t{lexeme} << 32 | static_cast<std::uint64_t>(at) << 2 |
           static_cast<std::uint64_t>(weight - 'A');
}
std::uint32_t lexeme_of(std::uint64_t entry) {
    return static_cast<std::uint32_t>(entry >> 32);
}
int position_of(std::uint64_t entry) {
    return static_cast<int>((entry >> 2) & 0x3FFF);
}
char weight_of(std::uint64_t entry) {
    return static_cast<char>('A' + (entry & 3));
}

std::string body_of(const SearchText& text) {
    std::string body(text.summary);
    body += ' ';
    if (text.content_text)
        body += *text.content_text;
    return body;
}

} // namespace

SearchVectors::SearchVectors(pqxx::connection& connection) {
    try {
        read_dictionaries(connection);
        if (!m_enabled)
            return;
        if (auto mismatch = first_mismatch(connection)) {
            m_enabled = false;
            log::warn("articles.search is computed by PostgreSQL: newsmon's assembly differs",
                      {log::field("sample", *mismatch)});
        }
    } catch (const pqxx::sql_error& error) {
        m_enabled = false;
        log::warn("articles.search is computed by PostgreSQL: its dictionaries could not be read",
                  {log::field("error", error.what())});
    }
}

void SearchVectors::read_dictionaries(pqxx::connection& connection) {
    m_russian.fill(-1);
    m_simple.fill(-1);
    pqxx::read_transaction tx{connection};
    auto locale =
        tx.exec1("SELECT current_setting('lc_ctype'), current_setting('server_encoding'), "
                 "current_setting('server_version_num')::integer / 10000");
    std::string ctype = locale[0].as<std::string>();
    // the parser's tokens were read from, and are tested against, PostgreSQL 15
    if (int major = locale[2].as<int>(); major != 15) {
        log::info("articles.search is computed by PostgreSQL: newsmon reads the tokens of "
                  "PostgreSQL 15's parser",
                  {log::field("major_version", major)});
        return;
    }
    if (ctype == "C" || ctype == "POSIX" || locale[1].as<std::string>() != "UTF8") {
        log::info("articles.search is computed by PostgreSQL: the database's locale is not a "
                  "UTF-8 one newsmon reads as it does",
                  {log::field("lc_ctype", ctype)});
        return;
    }
    std::map<std::string, std::uint32_t> dictionary_index;
    std::set<std::string> seen_configurations;
    for (const auto& row : tx.exec(k_dictionaries)) {
        auto configuration = row[0].as<std::string>();
        seen_configurations.insert(configuration);
        auto alias = row[1].as<std::string>();
        std::string dictionaries = row[2].is_null() ? "" : row[2].as<std::string>();
        for (std::size_t type = 0; type < parsers::k_search_token_types; ++type) {
            if (parsers::search_token_alias(static_cast<SearchTokenType>(type)) != alias)
                continue;
            if (dictionaries.find(',') != std::string::npos) {
                log::info("articles.search is computed by PostgreSQL: a token type has a chain "
                          "of dictionaries",
                          {log::field("configuration", configuration), log::field("type", alias)});
                return;
            }
            int index = -1;
            if (!dictionaries.empty()) {
                auto [it, added] = dictionary_index.emplace(
                    dictionaries, static_cast<std::uint32_t>(m_dictionary_oids.size()));
                if (added)
                    m_dictionary_oids.push_back(
                        static_cast<std::uint32_t>(std::stoul(dictionaries)));
                index = static_cast<int>(it->second);
            }
            (configuration == "russian" ? m_russian : m_simple)[type] = index;
        }
    }
    m_lexemes.assign(m_dictionary_oids.size(), Cache{});
    m_enabled = seen_configurations.size() == 2;
}

std::optional<std::string> SearchVectors::first_mismatch(pqxx::connection& connection) {
    std::vector<SearchText> texts;
    for (const auto& sample : k_samples)
        texts.push_back(
            {sample.title, sample.summary,
             sample.content ? std::optional<std::string_view>(sample.content) : std::nullopt});
    pqxx::work tx{connection};
    auto assembled = assemble(tx, texts);
    for (std::size_t i = 0; i < texts.size(); ++i) {
        if (!assembled[i])
            return std::string(k_samples[i].title) + " (declined)";
        std::optional<std::string> content;
        if (k_samples[i].content)
            content = k_samples[i].content;
        auto row =
            tx.exec_params1("SELECT article_search_vector($1, $2, $3)::text = $4::tsvector::text",
                            std::string(texts[i].title), std::string(texts[i].summary), content,
                            pqxx::binarystring(*assembled[i]));
        if (!row[0].as<bool>())
            return std::string(k_samples[i].title);
    }
    return std::nullopt;
}

void SearchVectors::learn(pqxx::transaction_base& tx,
                          const std::vector<std::vector<SearchToken>>& tokens) {
    // the caches share the lexemes' numbers: all are forgotten together
    if (std::any_of(m_lexemes.begin(), m_lexemes.end(),
                    [](const Cache& cache) { return cache.size() > k_cached_tokens; })) {
        for (auto& cache : m_lexemes)
            cache.clear();
        m_lexeme_numbers.clear();
        m_interned.clear();
    }
    std::set<std::pair<int, std::string_view>> wanted;
    auto want = [&](const TypeDictionaries& dictionaries, const SearchToken& token) {
        int dictionary = dictionaries[static_cast<std::size_t>(token.type)];
        if (dictionary >= 0 &&
            !m_lexemes[static_cast<std::size_t>(dictionary)].contains(token.text))
            wanted.emplace(dictionary, token.text);
    };
    for (std::size_t i = 0; i < tokens.size(); ++i)
        for (const auto& token : tokens[i]) {
            want(m_russian, token);
            if (i % 2 == 0) // a title: its 'simple' vector too
                want(m_simple, token);
        }
    if (wanted.empty())
        return;
    std::vector<std::int64_t> oids;
    std::vector<std::string_view> texts;
    for (const auto& [dictionary, text] : wanted) {
        oids.push_back(m_dictionary_oids[static_cast<std::size_t>(dictionary)]);
        texts.push_back(text);
    }
    // cached only once the whole answer is read: a failed query leaves no token half learnt
    std::vector<Lexemes> learnt(wanted.size());
    for (const auto& row : tx.exec_params(k_lexize, to_int_array(oids), to_text_array(texts))) {
        Lexemes& lexemes = learnt.at(row[0].as<std::size_t>() - 1);
        lexemes.recognised = row[1].as<bool>();
        if (!row[2].is_null())
            lexemes.values.push_back(intern(row[2].as<std::string>()));
    }
    std::size_t k = 0;
    for (const auto& [dictionary, text] : wanted)
        m_lexemes[static_cast<std::size_t>(dictionary)][std::string(text)] = std::move(learnt[k++]);
}

std::optional<std::string> SearchVectors::vector_of(const std::vector<SearchToken>& title,
                                                    const std::vector<SearchToken>& body) const {
    thread_local std::vector<std::uint64_t> entries;
    entries.clear();
    int offset = 0; // a vector's positions follow the largest one before it (tsvector ||)
    auto append = [&](const std::vector<SearchToken>& tokens, const TypeDictionaries& dictionaries,
                      char weight) {
        int position = 0;
        int largest = 0;
        for (const auto& token : tokens) {
            int dictionary = dictionaries[static_cast<std::size_t>(token.type)];
            if (dictionary < 0)
                continue;
            const Lexemes& lexemes =
                m_lexemes[static_cast<std::size_t>(dictionary)].find(token.text)->second;
            if (!lexemes.recognised)
                continue;
            ++position; // a stop word takes its position too
            for (std::uint32_t lexeme : lexemes.values) {
                entries.push_back(packed(lexeme, offset + position, weight));
                largest = position;
            }
        }
        offset += largest;
        return offset <= k_largest_position;
    };
    if (!append(title, m_russian, 'A') || !append(title, m_simple, 'A') ||
        !append(body, m_russian, 'B'))
        return std::nullopt;
    return tsvector_binary(entries);
}

std::optional<std::string>
SearchVectors::tsvector_binary(std::vector<std::uint64_t>& entries) const {
    std::sort(entries.begin(), entries.end());
    struct Run {
        std::string_view lexeme;
        std::size_t begin, end; // in entries
    };
    thread_local std::vector<Run> runs;
    runs.clear();
    for (std::size_t i = 0; i < entries.size();) {
        std::size_t begin = i;
        std::uint32_t lexeme = lexeme_of(entries[i]);
        while (i < entries.size() && lexeme_of(entries[i]) == lexeme)
            ++i;
        runs.push_back({m_interned[lexeme], begin, i});
    }
    // a tsvector holds its lexemes in byte order
    std::sort(runs.begin(), runs.end(),
              [](const Run& a, const Run& b) { return a.lexeme < b.lexeme; });
    binary::TsVectorBuilder out;
    for (const Run& run : runs) {
        out.add_lexeme(run.lexeme);
        std::size_t positions = 0;
        int last = 0;
        for (std::size_t i = run.begin; i < run.end; ++i) {
            int at = position_of(entries[i]);
            if (at == last)
                continue; // a token that gives one lexeme twice
            if (++positions > k_most_positions)
                return std::nullopt;
            out.add_position(at, weight_of(entries[i]));
            last = at;
        }
    }
    return out.finish();
}

std::uint32_t SearchVectors::intern(const std::string& lexeme) {
    auto [found, added] = m_lexeme_numbers.try_emplace(lexeme, m_interned.size());
    if (added)
        m_interned.push_back(lexeme);
    return found->second;
}

std::vector<std::optional<std::string>>
SearchVectors::assemble(pqxx::transaction_base& tx, const std::vector<SearchText>& texts) {
    std::vector<std::optional<std::string>> vectors(texts.size());
    if (!m_enabled)
        return vectors;
    // two token lists a text, its title's and its body's; both empty when declined
    std::vector<std::vector<SearchToken>> tokens(texts.size() * 2);
    std::vector<std::string> bodies(texts.size());
    std::vector<bool> accepted(texts.size());
    for (std::size_t i = 0; i < texts.size(); ++i) {
        bodies[i] = body_of(texts[i]);
        accepted[i] = parsers::search_tokens(texts[i].title, tokens[2 * i]) &&
                      parsers::search_tokens(bodies[i], tokens[2 * i + 1]);
        if (!accepted[i]) {
            tokens[2 * i].clear();
            tokens[2 * i + 1].clear();
        }
    }
    learn(tx, tokens);
    for (std::size_t i = 0; i < texts.size(); ++i)
        if (accepted[i])
            vectors[i] = vector_of(tokens[2 * i], tokens[2 * i + 1]);
    return vectors;
}

} // namespace newsmon::store
