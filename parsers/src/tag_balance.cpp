#include "tag_balance.hpp"

#include <vector>

#include "text_internal.hpp"

namespace newsmon::parsers::detail {
namespace {

bool ends_name(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '>' || c == '/';
}

// Past the end of the markup that starts at `at` and ends with `closer`; the text's end when
// it never does.
std::size_t skip_to(std::string_view text, std::size_t at, std::string_view closer) {
    std::size_t end = text.find(closer, at);
    return end == std::string_view::npos ? text.size() : end + closer.size();
}

// Past the '>' that ends a tag starting at `at`, quoted attribute values stepped over.
std::size_t end_of_tag(std::string_view text, std::size_t at) {
    char quote = 0;
    for (std::size_t i = at; i < text.size(); ++i) {
        char c = text[i];
        if (quote) {
            quote = c == quote ? 0 : quote;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '>') {
            return i + 1;
        }
    }
    return text.size();
}

// Past a <!DOCTYPE ...> or other declaration, its internal subset included.
std::size_t end_of_declaration(std::string_view text, std::size_t at) {
    int brackets = 0;
    for (std::size_t i = at; i < text.size(); ++i) {
        if (text[i] == '[')
            ++brackets;
        else if (text[i] == ']')
            --brackets;
        else if (text[i] == '>' && brackets <= 0)
            return i + 1;
    }
    return text.size();
}

std::string_view local_of(std::string_view name) {
    std::size_t colon = name.find(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

bool is_item(std::string_view name) {
    return local_of(name) == "item" || local_of(name) == "entry";
}

// An item that starts while one of the same name is open: the open one ends first, as
// a feed's items never nest.
void close_open_item(std::string_view name, std::vector<std::string_view>& open,
                     BalancedTags& out) {
    std::size_t depth = open.size();
    while (depth > 0 && open[depth - 1] != name)
        --depth;
    if (depth == 0)
        return;
    for (std::size_t i = open.size(); i >= depth; --i) {
        out.text += "</";
        out.text += open[i - 1];
        out.text += '>';
        ++out.repairs;
    }
    open.resize(depth - 1);
}

} // namespace

BalancedTags balance_end_tags(std::string_view text, std::size_t max_depth) {
    BalancedTags out;
    out.text.reserve(text.size() + 64);
    std::vector<std::string_view> open;
    std::size_t untracked = 0; // elements opened past max_depth
    std::size_t pos = 0;
    for (std::size_t lt = text.find('<'); lt != std::string_view::npos; lt = text.find('<', pos)) {
        out.text.append(text, pos, lt - pos);
        std::string_view rest = text.substr(lt);
        std::size_t end = lt + 1;
        if (rest.starts_with("<!--")) {
            end = skip_to(text, lt + 4, "-->");
        } else if (rest.starts_with("<![CDATA[")) {
            end = skip_to(text, lt + 9, "]]>");
        } else if (rest.starts_with("<?")) {
            end = skip_to(text, lt + 2, "?>");
        } else if (rest.starts_with("<!")) {
            end = end_of_declaration(text, lt);
            if (!open.empty()) { // a DOCTYPE inside an element: dropped
                ++out.repairs;
                pos = end;
                continue;
            }
        } else if (rest.starts_with("</")) {
            std::size_t name_end = lt + 2;
            while (name_end < text.size() && !ends_name(text[name_end]))
                ++name_end;
            std::string_view name = text.substr(lt + 2, name_end - lt - 2);
            end = end_of_tag(text, name_end);
            if (untracked > 0) {
                --untracked;
            } else {
                std::size_t depth = open.size();
                while (depth > 0 && open[depth - 1] != name)
                    --depth;
                if (depth == 0) { // closes nothing open: dropped
                    ++out.repairs;
                    pos = end;
                    continue;
                }
                for (std::size_t i = open.size(); i > depth; --i) { // close the inner ones
                    out.text += "</";
                    out.text += open[i - 1];
                    out.text += '>';
                    ++out.repairs;
                }
                open.resize(depth - 1);
            }
        } else if (lt + 1 < text.size() && !ends_name(text[lt + 1])) {
            std::size_t name_end = lt + 1;
            while (name_end < text.size() && !ends_name(text[name_end]))
                ++name_end;
            end = end_of_tag(text, name_end);
            bool self_closing = end >= 2 && text[end - 2] == '/' && text[end - 1] == '>';
            std::string_view name = text.substr(lt + 1, name_end - lt - 1);
            if (is_item(name) && untracked == 0)
                close_open_item(name, open, out);
            if (!self_closing) {
                if (open.size() < max_depth && untracked == 0)
                    open.push_back(name);
                else
                    ++untracked;
            }
        }
        out.text.append(text, lt, end - lt);
        pos = end;
    }
    if (pos < text.size())
        out.text.append(text, pos);
    return out;
}

} // namespace newsmon::parsers::detail
