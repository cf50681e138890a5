// Database errors without passwords: libpq quotes parts of a bad connection string in its
// messages, and those messages reach logs, /healthz and the terminal.
#pragma once

#include <string>
#include <string_view>

namespace newsmon::store {

// `text` with every password=… value and URI password (scheme://user:…@host) replaced by ***,
// and with the password of any connection string passed to remember_password, wherever it
// appears (libpq may quote it alone, as in `invalid percent-encoded token: "…"`).
[[nodiscard]] std::string redact_passwords(std::string_view text);

// Notes the password of `connection_string` for redact_passwords; returns the string, so it
// can stand where the connection is made.
const std::string& remember_password(const std::string& connection_string);

} // namespace newsmon::store
