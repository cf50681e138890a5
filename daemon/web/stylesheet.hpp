// The dashboard's one stylesheet, served by the binary at /static/newsmon.css: light and dark
// by the system's setting, one column on a phone.
#pragma once

#include <string_view>

namespace newsmon::web {

[[nodiscard]] std::string_view dashboard_stylesheet();

} // namespace newsmon::web
