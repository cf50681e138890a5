#include "cdata_skeleton.hpp"

#include <algorithm>

#include "newsmon/parsers/encoding.hpp"

namespace newsmon::parsers::detail {
namespace {

// The skeleton that text_of() on this thread consults; set only by CdataSkeletonInUse.
thread_local const CdataSkeleton* t_skeleton_in_use = nullptr;

// CR LF and lone CR become LF, as pugixml's parse_eol does to the sections it reads.
std::string normalize_line_ends(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '\r') {
            out.push_back(text[i]);
            continue;
        }
        out.push_back('\n');
        if (i + 1 < text.size() && text[i + 1] == '\n')
            ++i;
    }
    return out;
}

// Asks for the start of the section read next: sections lie far apart in a large feed, so
// reading one would otherwise wait on memory a cache line at a time.
void prefetch(std::string_view section) {
    constexpr std::size_t k_line = 64, k_most = 4096;
    std::size_t size = std::min(section.size(), k_most);
    for (std::size_t at = 0; at < size; at += k_line)
        __builtin_prefetch(section.data() + at);
}

} // namespace

CdataSkeleton::CdataSkeleton(std::string_view text, MarkupSurvey& survey)
    : m_buffer(std::move(survey.skeleton)) {
    const auto& sections = survey.cdata;
    m_stand_ins.reserve(sections.size());
    m_contents.reserve(sections.size());
    m_carriage_returns.reserve(sections.size());
    m_valid_utf8.reserve(sections.size());
    std::size_t emptied = 0;
    for (const auto& section : sections) {
        m_stand_ins.push_back(section.begin - emptied);
        m_contents.push_back(text.substr(section.begin, section.size));
        m_carriage_returns.push_back(section.carriage_returns);
        m_valid_utf8.push_back(section.valid_utf8);
        emptied += section.size;
    }
    m_ready.assign(sections.size(), false);
}

std::optional<std::string_view> CdataSkeleton::section_at(const char* value) const {
    const char* begin = m_buffer.data();
    if (value < begin || value >= begin + m_buffer.size())
        return std::nullopt;
    auto offset = static_cast<std::size_t>(value - begin);
    std::size_t index = m_next; // sections are mostly asked for in document order
    if (index >= m_stand_ins.size() || m_stand_ins[index] != offset) {
        auto found = std::lower_bound(m_stand_ins.begin(), m_stand_ins.end(), offset);
        if (found == m_stand_ins.end() || *found != offset)
            return std::nullopt;
        index = static_cast<std::size_t>(found - m_stand_ins.begin());
    }
    m_next = index + 1;
    if (m_next < m_contents.size())
        prefetch(m_contents[m_next]);
    if (!m_ready[index])
        prepare(index);
    return m_contents[index];
}

// A section's content the first time it is wanted: invalid UTF-8 sequences, as the survey
// found them, become U+FFFD and are counted; line ends are made LF.
void CdataSkeleton::prepare(std::size_t index) const {
    std::string_view& content = m_contents[index];
    bool valid = m_valid_utf8[index];
    bool carriage_returns = m_carriage_returns[index];
    if (!valid) {
        std::string repaired(content);
        m_invalid_sequences += repair_utf8(repaired).invalid_sequences;
        content = m_fixed.emplace_back(carriage_returns ? normalize_line_ends(repaired)
                                                        : std::move(repaired));
    } else if (carriage_returns) {
        content = m_fixed.emplace_back(normalize_line_ends(content));
    }
    m_ready[index] = true;
}

CdataSkeletonInUse::CdataSkeletonInUse(const CdataSkeleton& skeleton)
    : m_previous(t_skeleton_in_use) {
    t_skeleton_in_use = &skeleton;
}

CdataSkeletonInUse::~CdataSkeletonInUse() {
    t_skeleton_in_use = m_previous;
}

std::string_view CdataSkeletonInUse::content_of(const char* cdata_value) {
    if (t_skeleton_in_use)
        if (auto content = t_skeleton_in_use->section_at(cdata_value))
            return *content;
    return cdata_value;
}

} // namespace newsmon::parsers::detail
