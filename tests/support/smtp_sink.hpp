// An SMTP server on 127.0.0.1 inside the test process that accepts every message and keeps it,
// with the envelope and the credentials it was given. Enough of RFC 5321 for libcurl's client:
// EHLO (advertising AUTH PLAIN), AUTH PLAIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace newsmon::testkit {

struct ReceivedMail {
    std::string from;
    std::vector<std::string> recipients;
    std::string data;       // the message as sent, dot-stuffing undone
    std::string auth_plain; // the decoded AUTH PLAIN response ("\0user\0password"), if any
};

// The decoded body of a message's base64 MIME part of this Content-Type
// ("text/html; charset=utf-8"); empty when it has none.
[[nodiscard]] std::string mime_part(const std::string& message, const std::string& content_type);

class SmtpSink {
public:
    SmtpSink();
    ~SmtpSink();
    SmtpSink(const SmtpSink&) = delete;
    SmtpSink& operator=(const SmtpSink&) = delete;

    [[nodiscard]] std::string url() const; // smtp://127.0.0.1:PORT
    [[nodiscard]] std::vector<ReceivedMail> mails() const;
    [[nodiscard]] std::string transcript() const; // every line any client sent, CRLF-ended

private:
    void serve();
    void converse(int client);

    int m_listener = -1;
    int m_port = 0;
    std::atomic<bool> m_stopping{false};
    std::thread m_thread;
    mutable std::mutex m_mutex;
    std::vector<ReceivedMail> m_mails;
    std::string m_transcript;
};

} // namespace newsmon::testkit
