#include "alerts/channels.hpp"

#include <cstring>

#include "alerts/message.hpp"
#include "fetch/curl_handles.hpp"

namespace newsmon::alerts {
namespace {

int abort_when_stopping(void* stopping, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    const auto* flag = static_cast<const std::atomic<bool>*>(stopping);
    return flag && flag->load() ? 1 : 0;
}

std::size_t discard(char*, std::size_t size, std::size_t count, void*) {
    return size * count;
}

// The upload source of an SMTP message.
struct Upload {
    const std::string& text;
    std::size_t sent = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* state) {
    auto* upload = static_cast<Upload*>(state);
    std::size_t take = std::min(size * count, upload->text.size() - upload->sent);
    std::memcpy(buffer, upload->text.data() + upload->sent, take);
    upload->sent += take;
    return take;
}

fetch::CurlEasy new_transfer(long timeout_ms, const std::atomic<bool>* stopping) {
    fetch::CurlEasy easy(curl_easy_init());
    if (!easy)
        throw std::runtime_error("curl_easy_init failed");
    fetch::EasyOptions options(easy.get());
    options.set(CURLOPT_TIMEOUT_MS, timeout_ms)
        .set(CURLOPT_CONNECTTIMEOUT_MS, timeout_ms)
        .set(CURLOPT_NOSIGNAL, 1L)
        .set(CURLOPT_NOPROGRESS, 0L)
        .set(CURLOPT_XFERINFOFUNCTION, abort_when_stopping)
        .set(CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(stopping));
    if (auto error = options.error())
        throw std::runtime_error(*error);
    return easy;
}

// The webhook's host and policy, and whether the policy refused an address it resolved to.
struct WebhookTarget {
    const WebhookPolicy& policy;
    std::string host;
    bool refused = false;
};

curl_socket_t open_allowed_socket(void* state, curlsocktype, curl_sockaddr* address) {
    auto* target = static_cast<WebhookTarget*>(state);
    if (!target->policy.allows(target->host, &address->addr)) {
        target->refused = true;
        return CURL_SOCKET_BAD;
    }
    return socket(address->family, address->socktype, address->protocol);
}

std::string host_of(const std::string& url) {
    fetch::CurlUrl parsed(curl_url());
    char* host = nullptr;
    if (!parsed || curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK ||
        curl_url_get(parsed.get(), CURLUPART_HOST, &host, 0) != CURLUE_OK)
        return {};
    fetch::CurlString owned(host);
    return owned.get();
}

// Whom a failed delivery was for, as last_error says it. The API, the dashboard and analysts
// read that column, and a webhook's path or credentials (a chat webhook's URL is its secret)
// and a subscriber's mailbox are not theirs to see: the host, the mail domain.
std::string webhook_label(const std::string& url) {
    std::string host = host_of(url);
    return "webhook to " + (host.empty() ? std::string("an unreadable URL") : host);
}

std::string mailbox_label(const std::string& address) {
    auto at = address.rfind('@');
    return "e-mail to " +
           (at == std::string::npos ? std::string("a mailbox") : "…" + address.substr(at));
}

std::string curl_error(CURLcode code, const char* detail) {
    return *detail ? std::string(detail) : std::string(curl_easy_strerror(code));
}

} // namespace

ChannelSender::ChannelSender(const config::Config& config, const std::atomic<bool>* stopping)
    : m_smtp(config.smtp), m_webhook_policy(config.alerts.webhook_allow),
      m_user_agent(config.http.user_agent),
      m_timeout_ms(static_cast<long>(config.alerts.timeout.count())), m_stopping(stopping) {}

std::optional<std::string> ChannelSender::post_webhook(const std::string& url,
                                                       const std::string& body,
                                                       const std::string& delivery_id,
                                                       const std::string& secret) const {
    auto easy = new_transfer(m_timeout_ms, m_stopping);
    fetch::CurlSlist headers;
    auto add_header = [&](const std::string& header) {
        headers.reset(curl_slist_append(headers.release(), header.c_str()));
    };
    add_header("Content-Type: application/json");
    add_header("X-Newsmon-Delivery: " + delivery_id);
    if (!secret.empty())
        add_header("X-Newsmon-Signature: " + signature(secret, body));
    char detail[CURL_ERROR_SIZE] = {};
    WebhookTarget target{m_webhook_policy, host_of(url)};
    fetch::EasyOptions options(easy.get());
    options.set(CURLOPT_URL, url.c_str())
        .set(CURLOPT_PROTOCOLS_STR, "http,https")
        .set(CURLOPT_USERAGENT, m_user_agent.c_str())
        .set(CURLOPT_HTTPHEADER, headers.get())
        .set(CURLOPT_POSTFIELDS, body.c_str())
        .set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()))
        .set(CURLOPT_WRITEFUNCTION, discard)
        .set(CURLOPT_ERRORBUFFER, detail)
        .set(CURLOPT_OPENSOCKETFUNCTION, open_allowed_socket)
        .set(CURLOPT_OPENSOCKETDATA, &target);
    if (auto error = options.error())
        return webhook_label(url) + ": " + *error;
    CURLcode code = curl_easy_perform(easy.get());
    // Only that it was refused: which address and port answered how stays out of last_error.
    if (code != CURLE_OK && target.refused)
        return webhook_label(url) +
               ": refused: its address is private, loopback or link-local and not in [alerts] "
               "webhook_allow";
    if (code != CURLE_OK)
        return webhook_label(url) + ": " + curl_error(code, detail);
    long status = 0;
    curl_easy_getinfo(easy.get(), CURLINFO_RESPONSE_CODE, &status);
    if (status < 200 || status > 299)
        return webhook_label(url) + ": HTTP " + std::to_string(status);
    return std::nullopt;
}

std::optional<std::string> ChannelSender::send_mail(const std::string& address,
                                                    const std::string& message) const {
    if (m_smtp.url.empty())
        return mailbox_label(address) + ": no [smtp] url in the config";
    auto easy = new_transfer(m_timeout_ms, m_stopping);
    fetch::CurlSlist recipients(curl_slist_append(nullptr, ("<" + address + ">").c_str()));
    std::string from = "<" + m_smtp.from + ">";
    Upload upload{message};
    char detail[CURL_ERROR_SIZE] = {};
    // Credentials only ever cross TLS: with them, a server that offers no STARTTLS is refused
    // before AUTH, rather than given the password in clear text.
    bool credentials = !m_smtp.username.empty();
    fetch::EasyOptions options(easy.get());
    options.set(CURLOPT_URL, m_smtp.url.c_str())
        .set(CURLOPT_PROTOCOLS_STR, "smtp,smtps")
        .set(CURLOPT_USE_SSL, static_cast<long>(credentials ? CURLUSESSL_ALL : CURLUSESSL_TRY))
        .set(CURLOPT_MAIL_FROM, from.c_str())
        .set(CURLOPT_MAIL_RCPT, recipients.get());
    if (credentials)
        options.set(CURLOPT_USERNAME, m_smtp.username.c_str())
            .set(CURLOPT_PASSWORD, m_smtp.password.c_str());
    options.set(CURLOPT_UPLOAD, 1L)
        .set(CURLOPT_READFUNCTION, read_upload)
        .set(CURLOPT_READDATA, &upload)
        .set(CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()))
        .set(CURLOPT_ERRORBUFFER, detail);
    if (auto error = options.error())
        return mailbox_label(address) + ": " + *error;
    CURLcode code = curl_easy_perform(easy.get());
    if (code == CURLE_USE_SSL_FAILED)
        return mailbox_label(address) +
               ": the SMTP server offers no TLS (STARTTLS), and [smtp] credentials are only sent "
               "over TLS; use smtps:// or a server with STARTTLS";
    if (code != CURLE_OK)
        return mailbox_label(address) + ": " + curl_error(code, detail);
    return std::nullopt;
}

} // namespace newsmon::alerts
