#include "store/redact.hpp"

#include <algorithm>
#include <cctype>
#include <mutex>
#include <optional>
#include <set>
#include <vector>

namespace newsmon::store {
namespace {

bool is_space(char c) {
    return std::isspace(static_cast<unsigned char>(c)) != 0;
}

bool starts_with_icase(std::string_view text, std::size_t at, std::string_view word) {
    if (text.size() - at < word.size())
        return false;
    for (std::size_t i = 0; i < word.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(text[at + i])) != word[i])
            return false;
    return true;
}

// Where the value of a password=value that starts at `at` begins and ends, if one does: a
// quoted value ('a b', with \' inside) or one that runs to white space, & or ".
std::optional<std::pair<std::size_t, std::size_t>> keyword_value(std::string_view text,
                                                                 std::size_t at) {
    std::size_t i = at + std::string_view("password").size();
    while (i < text.size() && is_space(text[i]))
        ++i;
    if (i == text.size() || text[i] != '=')
        return std::nullopt;
    ++i;
    while (i < text.size() && is_space(text[i]))
        ++i;
    std::size_t begin = i;
    if (i < text.size() && text[i] == '\'') {
        for (++i; i < text.size() && text[i] != '\''; ++i)
            if (text[i] == '\\')
                ++i;
        i = std::min(i + 1, text.size());
    } else {
        while (i < text.size() && !is_space(text[i]) && text[i] != '&' && text[i] != '"')
            ++i;
    }
    if (i == begin)
        return std::nullopt;
    return std::pair{begin, i};
}

// Where the password of a scheme://user:password@host that starts its user part at `at` begins
// and ends: from the first ':' of the user part to the last '@' before the path.
std::optional<std::pair<std::size_t, std::size_t>> uri_value(std::string_view text,
                                                             std::size_t at) {
    auto is_end = [&](std::size_t i) {
        return i == text.size() || is_space(text[i]) || text[i] == '"' || text[i] == '\'';
    };
    std::size_t colon = at;
    while (!is_end(colon) && text[colon] != ':' && text[colon] != '@' && text[colon] != '/')
        ++colon;
    if (is_end(colon) || text[colon] != ':')
        return std::nullopt;
    std::optional<std::size_t> last_at;
    for (std::size_t i = colon + 1; !is_end(i) && text[i] != '/' && text[i] != '?'; ++i)
        if (text[i] == '@')
            last_at = i;
    if (!last_at)
        return std::nullopt;
    return std::pair{colon + 1, *last_at};
}

// The [begin, end) ranges of the passwords written in `text`, in order.
std::vector<std::pair<std::size_t, std::size_t>> password_ranges(std::string_view text) {
    std::vector<std::pair<std::size_t, std::size_t>> ranges;
    for (std::size_t i = 0; i < text.size(); ++i) {
        std::optional<std::pair<std::size_t, std::size_t>> found;
        if (starts_with_icase(text, i, "password"))
            found = keyword_value(text, i);
        else if (text.substr(i).starts_with("://"))
            found = uri_value(text, i + 3);
        if (found) {
            ranges.push_back(*found);
            i = found->second > i ? found->second - 1 : i;
        }
    }
    return ranges;
}

std::string without_written_passwords(std::string_view text) {
    std::string out;
    std::size_t copied = 0;
    for (auto [begin, end] : password_ranges(text)) {
        out.append(text.substr(copied, begin - copied));
        out += "***";
        copied = end;
    }
    out.append(text.substr(copied));
    return out;
}

// Shorter passwords are left alone: blotting out every "ab" would garble messages more than
// it would hide.
constexpr std::size_t k_shortest_remembered = 4;

struct Remembered {
    std::mutex mutex;
    std::set<std::string> passwords;
};

Remembered& remembered() {
    static Remembered k_remembered;
    return k_remembered;
}

std::string percent_decoded(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto hex = [&](std::size_t at) {
            return at < text.size() && std::isxdigit(static_cast<unsigned char>(text[at]));
        };
        if (text[i] == '%' && hex(i + 1) && hex(i + 2)) {
            out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

void replace_all(std::string& text, const std::string& secret) {
    for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 3))
        text.replace(at, secret.size(), "***");
}

// The passwords a connection string carries, as written, unquoted and percent-decoded.
std::set<std::string> passwords_in(const std::string& connection_string) {
    std::set<std::string> found;
    for (auto [begin, end] : password_ranges(connection_string)) {
        std::string value = connection_string.substr(begin, end - begin);
        found.insert(value);
        found.insert(percent_decoded(value));
        if (value.size() >= 2 && value.front() == '\'')
            found.insert(value.substr(1, value.size() - (value.back() == '\'' ? 2 : 1)));
    }
    return found;
}

} // namespace

std::string redact_passwords(std::string_view text) {
    std::string out(text);
    {
        auto& known = remembered();
        std::lock_guard lock(known.mutex);
        // Longest first, so that a password inside another is not left half shown.
        std::vector<const std::string*> longest_first;
        for (const auto& password : known.passwords)
            longest_first.push_back(&password);
        std::stable_sort(longest_first.begin(), longest_first.end(),
                         [](const auto* a, const auto* b) { return a->size() > b->size(); });
        for (const auto* password : longest_first)
            replace_all(out, *password);
    }
    return without_written_passwords(out);
}

const std::string& remember_password(const std::string& connection_string) {
    auto passwords = passwords_in(connection_string);
    auto& known = remembered();
    std::lock_guard lock(known.mutex);
    for (const auto& password : passwords)
        if (password.size() >= k_shortest_remembered)
            known.passwords.insert(password);
    return connection_string;
}

} // namespace newsmon::store
