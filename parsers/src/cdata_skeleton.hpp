// Internal: the text pugixml parses with the content of every CDATA section taken out. Article
// HTML in CDATA is most of a news feed's bytes; the survey has already found where each
// section ends, so pugixml need not scan them again. What pugixml reads as an empty section
// is looked up here, by its position, when the text of a node is wanted.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "markup_survey.hpp"

namespace newsmon::parsers::detail {

class CdataSkeleton {
public:
    // `text` must outlive the skeleton; `survey` is what the survey found in it: the sections,
    // in order, each saying whether it is valid UTF-8, and the skeleton, taken from it.
    CdataSkeleton(std::string_view text, MarkupSurvey& survey);

    // The text to parse in place: `text` with every listed section emptied.
    [[nodiscard]] std::string& buffer() { return m_buffer; }

    // The content of the section whose emptied stand-in starts at `value` (a CDATA node's
    // value after parsing the buffer), valid UTF-8 with line ends as pugixml would have left
    // them; nullopt when `value` is no stand-in.
    [[nodiscard]] std::optional<std::string_view> section_at(const char* value) const;

    // Invalid UTF-8 sequences replaced in the sections read so far.
    [[nodiscard]] std::size_t invalid_sequences() const { return m_invalid_sequences; }

private:
    void prepare(std::size_t index) const;

    std::string m_buffer;
    std::vector<std::size_t> m_stand_ins; // offsets in m_buffer, ascending
    std::vector<bool> m_carriage_returns; // per section, from the survey
    std::vector<bool> m_valid_utf8;       // likewise
    // What reading a section changes: sections are made ready lazily, in a const lookup.
    mutable std::vector<std::string_view> m_contents; // the same order as m_stand_ins
    mutable std::vector<bool> m_ready;
    mutable std::deque<std::string> m_fixed; // contents repaired or with line ends changed
    mutable std::size_t m_invalid_sequences = 0;
    mutable std::size_t m_next = 0; // the section after the last one asked for
};

// While one lives, text_of() and inner_xml() on this thread read emptied CDATA sections from
// `skeleton`.
class CdataSkeletonInUse {
public:
    explicit CdataSkeletonInUse(const CdataSkeleton& skeleton);
    ~CdataSkeletonInUse();
    CdataSkeletonInUse(const CdataSkeletonInUse&) = delete;
    CdataSkeletonInUse& operator=(const CdataSkeletonInUse&) = delete;

    // The content behind a CDATA node's value: from the skeleton in use, else the value itself.
    [[nodiscard]] static std::string_view content_of(const char* cdata_value);

private:
    const CdataSkeleton* m_previous;
};

} // namespace newsmon::parsers::detail
