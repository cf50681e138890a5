// A page rendered once and served to every client for a short while. The dashboard takes a
// few dozen queries; fifty people reloading it must not cost the database fifty times that,
// and its figures change only as polls land, minutes apart.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <string>

namespace newsmon::web {

class SharedPage {
public:
    using Clock = std::chrono::steady_clock;

    // `lifetime` zero renders the page for every request.
    explicit SharedPage(Clock::duration lifetime) : m_lifetime(lifetime) {}

    // The copy rendered less than `lifetime` ago, else a new one from `render`. One render runs
    // at a time: clients arriving meanwhile wait for it instead of starting their own. A render
    // that throws leaves nothing behind, and the next request tries again.
    std::string get(const std::function<std::string()>& render);

private:
    bool fresh_copy(std::string& out);

    Clock::duration m_lifetime;
    std::mutex m_rendering;
    std::mutex m_copy_mutex;
    std::string m_copy;
    Clock::time_point m_rendered_at;
    bool m_have_copy = false;
};

} // namespace newsmon::web
