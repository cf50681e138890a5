#include "dtd_entities.hpp"

#include <algorithm>
#include <map>

#include "markup_survey.hpp"
#include "text_internal.hpp"

namespace newsmon::parsers::detail {
namespace {

bool is_name_char(char c) {
    return is_ascii_alpha(c) || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' ||
           c == ':' || static_cast<unsigned char>(c) >= 0x80;
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

struct Declared {
    std::string value;
    bool external = false;
};

struct Subset {
    std::size_t end = 0; // just past the DOCTYPE declaration
    std::map<std::string, Declared, std::less<>> entities;
};

// Where the DOCTYPE declaration is, when it comes before the first element.
std::optional<std::size_t> find_doctype(std::string_view text) {
    for (std::size_t at = text.find('<'); at != std::string_view::npos;
         at = text.find('<', at + 1)) {
        std::string_view rest = text.substr(at);
        if (rest.starts_with("<!DOCTYPE"))
            return at;
        if (rest.starts_with("<!--")) {
            std::size_t close = text.find("-->", at + 4);
            if (close == std::string_view::npos)
                return std::nullopt;
            at = close;
            continue;
        }
        if (!rest.starts_with("<?"))
            return std::nullopt; // an element: no DOCTYPE in the prolog
    }
    return std::nullopt;
}

// Reads <!ENTITY name "value"> and <!ENTITY name SYSTEM "uri"> declarations of the internal
// subset that starts at `open` ('['). Parameter entities and other declarations are skipped.
std::optional<Subset> read_subset(std::string_view text, std::size_t open) {
    Subset subset;
    std::size_t pos = open + 1;
    while (pos < text.size()) {
        char c = text[pos];
        if (c == ']') {
            std::size_t close = text.find('>', pos);
            if (close == std::string_view::npos)
                return std::nullopt;
            subset.end = close + 1;
            return subset;
        }
        if (text.substr(pos).starts_with("<!--")) {
            std::size_t close = text.find("-->", pos + 4);
            if (close == std::string_view::npos)
                return std::nullopt;
            pos = close + 3;
            continue;
        }
        if (c == '"' || c == '\'') { // a literal outside a declaration: skip it whole
            std::size_t close = text.find(c, pos + 1);
            if (close == std::string_view::npos)
                return std::nullopt;
            pos = close + 1;
            continue;
        }
        if (!text.substr(pos).starts_with("<!ENTITY")) {
            ++pos;
            continue;
        }
        pos += 8;
        while (pos < text.size() && is_space(text[pos]))
            ++pos;
        bool parameter = pos < text.size() && text[pos] == '%';
        if (parameter)
            ++pos;
        while (pos < text.size() && is_space(text[pos]))
            ++pos;
        std::size_t name_start = pos;
        while (pos < text.size() && is_name_char(text[pos]))
            ++pos;
        std::string name(text.substr(name_start, pos - name_start));
        while (pos < text.size() && is_space(text[pos]))
            ++pos;
        Declared declared;
        if (pos < text.size() && (text[pos] == '"' || text[pos] == '\'')) {
            std::size_t close = text.find(text[pos], pos + 1);
            if (close == std::string_view::npos)
                return std::nullopt;
            declared.value = text.substr(pos + 1, close - pos - 1);
            pos = close + 1;
        } else {
            declared.external = true; // SYSTEM or PUBLIC: never fetched
        }
        // Past the rest of the declaration, quoted literals included.
        while (pos < text.size() && text[pos] != '>') {
            if (text[pos] == '"' || text[pos] == '\'') {
                std::size_t close = text.find(text[pos], pos + 1);
                if (close == std::string_view::npos)
                    return std::nullopt;
                pos = close;
            }
            ++pos;
        }
        ++pos;
        if (!parameter && !name.empty())
            subset.entities.try_emplace(std::move(name), std::move(declared)); // first wins
    }
    return std::nullopt;
}

// The name of the reference at `amp` ("&name;"), or empty when it is none.
std::string_view reference_at(std::string_view text, std::size_t amp) {
    std::size_t end = amp + 1;
    while (end < text.size() && end - amp <= 64 && is_name_char(text[end]))
        ++end;
    if (end >= text.size() || text[end] != ';' || end == amp + 1)
        return {};
    return text.substr(amp + 1, end - amp - 1);
}

class Expander {
public:
    Expander(const Subset& subset, const EntityLimits& limits, std::vector<std::string>& warnings)
        : m_subset(subset), m_limits(limits), m_warnings(warnings) {}

    [[nodiscard]] bool declares(std::string_view name) const {
        return m_subset.entities.contains(name);
    }

    // The expanded text of entity `name`; nullopt when it is refused (external, recursive,
    // too deep or too large), warned about once.
    std::optional<std::string> expansion(std::string_view name, std::size_t depth = 0) {
        auto known = m_expanded.find(name);
        if (known != m_expanded.end())
            return known->second;
        const auto& declared = m_subset.entities.find(name)->second;
        std::optional<std::string> result;
        if (declared.external) {
            refuse(name, "is external and never fetched");
        } else if (depth >= m_limits.max_depth ||
                   std::find(m_open.begin(), m_open.end(), name) != m_open.end()) {
            refuse(name, "nests too deep or refers to itself");
        } else {
            m_open.emplace_back(name);
            result = expand(declared.value, depth + 1);
            m_open.pop_back();
            if (result && result->size() > m_limits.max_entity_bytes) {
                refuse(name,
                       "expands past " + std::to_string(m_limits.max_entity_bytes) + " bytes");
                result.reset();
            }
        }
        m_expanded.emplace(std::string(name), result);
        return result;
    }

    // `text` with the references to declared entities expanded; refused ones stay as they are.
    // nullopt when an expansion inside grew past the limit.
    std::optional<std::string> expand(std::string_view text, std::size_t depth) {
        std::string out;
        std::size_t pos = 0;
        for (std::size_t amp = text.find('&'); amp != std::string_view::npos;
             amp = text.find('&', amp + 1)) {
            std::string_view name = reference_at(text, amp);
            if (name.empty() || !m_subset.entities.contains(name))
                continue;
            auto value = expansion(name, depth);
            if (!value)
                continue;
            out.append(text, pos, amp - pos);
            out += *value;
            pos = amp + name.size() + 2;
            if (out.size() > m_limits.max_entity_bytes)
                return out; // the caller refuses it
        }
        out.append(text, pos);
        return out;
    }

private:
    void refuse(std::string_view name, const std::string& why) {
        m_warnings.push_back("entity &" + std::string(name) + "; declared in the DTD " + why +
                             "; left as it is");
    }

    const Subset& m_subset;
    const EntityLimits& m_limits;
    std::vector<std::string>& m_warnings;
    std::map<std::string, std::optional<std::string>, std::less<>> m_expanded;
    std::vector<std::string> m_open;
};

// Copies text[from, to) into `out`, expanding references outside comments and CDATA sections.
void expand_body(std::string_view text, std::size_t from, Expander* expander,
                 const EntityLimits& limits, std::vector<std::string>& warnings, std::string& out) {
    std::size_t added = 0;
    std::size_t unusable = 0;
    std::size_t pos = from;
    while (pos < text.size()) {
        std::size_t next = text.find_first_of("&<", pos);
        if (next == std::string_view::npos)
            break;
        if (text[next] == '<') {
            std::string_view closer = text.substr(next).starts_with("<![CDATA[") ? "]]>"
                                      : text.substr(next).starts_with("<!--")    ? "-->"
                                                                                 : "";
            std::size_t skip_to = next + 1;
            if (!closer.empty()) {
                std::size_t close = text.find(closer, next);
                skip_to = close == std::string_view::npos ? text.size() : close + closer.size();
            }
            out.append(text, pos, skip_to - pos);
            pos = skip_to;
            continue;
        }
        out.append(text, pos, next - pos);
        pos = next;
        if (std::size_t length = unusable_reference_at(text.substr(next)); length > 0) {
            out += "&#xFFFD;";
            pos = next + length;
            ++unusable;
            continue;
        }
        if (text.substr(next).starts_with("&#X")) {
            out += "&#x";
            pos = next + 3;
            continue;
        }
        std::string_view name = expander ? reference_at(text, next) : std::string_view{};
        std::optional<std::string> value;
        if (!name.empty() && added <= limits.max_added_bytes && expander->declares(name))
            value = expander->expansion(name);
        if (!value) {
            out += '&';
            ++pos;
            continue;
        }
        out += *value;
        added += value->size();
        pos = next + name.size() + 2;
        if (added > limits.max_added_bytes)
            warnings.push_back("entity expansions stopped at " +
                               std::to_string(limits.max_added_bytes) + " bytes");
    }
    out.append(text, pos);
    if (unusable > 0)
        warnings.push_back(std::to_string(unusable) +
                           " character reference(s) to no character (past U+10FFFF, a "
                           "surrogate, NUL) read as U+FFFD");
}

} // namespace

std::optional<std::string> expand_declared_entities(std::string_view text,
                                                    std::vector<std::string>& warnings,
                                                    const EntityLimits& limits) {
    std::optional<Subset> subset;
    if (auto doctype = find_doctype(text)) {
        std::size_t open = text.find_first_of("[>", *doctype);
        if (open != std::string_view::npos && text[open] == '[')
            subset = read_subset(text, open);
    }
    if (!subset || subset->entities.empty())
        return std::nullopt;
    std::string out;
    out.reserve(text.size());
    out.append(text, 0, subset->end);
    Expander expander(*subset, limits, warnings);
    expand_body(text, subset->end, &expander, limits, warnings, out);
    return out;
}

std::string normalize_character_references(std::string_view text,
                                           std::vector<std::string>& warnings) {
    std::string out;
    out.reserve(text.size());
    expand_body(text, 0, nullptr, EntityLimits{}, warnings, out);
    return out;
}

} // namespace newsmon::parsers::detail
