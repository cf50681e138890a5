#include "web/shared_page.hpp"

namespace newsmon::web {

bool SharedPage::fresh_copy(std::string& out) {
    std::lock_guard lock(m_copy_mutex);
    if (!m_have_copy || Clock::now() - m_rendered_at >= m_lifetime)
        return false;
    out = m_copy;
    return true;
}

std::string SharedPage::get(const std::function<std::string()>& render) {
    if (m_lifetime <= Clock::duration::zero())
        return render();
    std::string page;
    if (fresh_copy(page))
        return page;
    std::lock_guard rendering(m_rendering);
    if (fresh_copy(page)) // rendered while this request waited
        return page;
    page = render();
    std::lock_guard lock(m_copy_mutex);
    m_copy = page;
    m_rendered_at = Clock::now();
    m_have_copy = true;
    return page;
}

} // namespace newsmon::web
