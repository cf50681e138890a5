#include "smtp_sink.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/evp.h>

#include <stdexcept>

namespace newsmon::testkit {
namespace {

std::string decode_base64(const std::string& text) {
    std::string out(text.size(), '\0');
    int length = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                 reinterpret_cast<const unsigned char*>(text.data()),
                                 static_cast<int>(text.size()));
    if (length < 0)
        return {};
    out.resize(static_cast<std::size_t>(length));
    // EVP_DecodeBlock counts each '=' of padding as a zero byte.
    for (auto pad = text.rbegin(); pad != text.rend() && *pad == '=' && !out.empty(); ++pad)
        out.pop_back();
    return out;
}

} // namespace

std::string mime_part(const std::string& message, const std::string& content_type) {
    auto header = message.find("Content-Type: " + content_type);
    if (header == std::string::npos)
        return {};
    auto body = message.find("\r\n\r\n", header);
    if (body == std::string::npos)
        return {};
    body += 4;
    std::string encoded;
    for (std::size_t at = body; at < message.size() && message.compare(at, 4, "\r\n--") != 0; ++at)
        if (message[at] != '\r' && message[at] != '\n')
            encoded += message[at];
    return decode_base64(encoded);
}

namespace {

// Reads one CRLF-terminated line; false when the client has gone.
bool read_line(int client, std::string& buffer, std::string& line) {
    while (true) {
        auto end = buffer.find("\r\n");
        if (end != std::string::npos) {
            line = buffer.substr(0, end);
            buffer.erase(0, end + 2);
            return true;
        }
        char chunk[4096];
        ssize_t got = ::recv(client, chunk, sizeof chunk, 0);
        if (got <= 0)
            return false;
        buffer.append(chunk, static_cast<std::size_t>(got));
    }
}

void reply(int client, const std::string& text) {
    std::string line = text + "\r\n";
    (void)!::send(client, line.data(), line.size(), MSG_NOSIGNAL);
}

std::string address_of(const std::string& line) {
    auto open = line.find('<');
    auto close = line.find('>');
    if (open == std::string::npos || close == std::string::npos || close < open)
        return {};
    return line.substr(open + 1, close - open - 1);
}

} // namespace

SmtpSink::SmtpSink() {
    m_listener = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (m_listener < 0 ||
        ::bind(m_listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(m_listener, 8) != 0)
        throw std::runtime_error("SMTP sink could not listen on 127.0.0.1");
    socklen_t length = sizeof address;
    ::getsockname(m_listener, reinterpret_cast<sockaddr*>(&address), &length);
    m_port = ntohs(address.sin_port);
    m_thread = std::thread([this] { serve(); });
}

SmtpSink::~SmtpSink() {
    m_stopping = true;
    m_thread.join();
    ::close(m_listener);
}

std::string SmtpSink::url() const {
    return "smtp://127.0.0.1:" + std::to_string(m_port);
}

std::vector<ReceivedMail> SmtpSink::mails() const {
    std::lock_guard lock(m_mutex);
    return m_mails;
}

std::string SmtpSink::transcript() const {
    std::lock_guard lock(m_mutex);
    return m_transcript;
}

void SmtpSink::serve() {
    while (!m_stopping) {
        pollfd waiting{m_listener, POLLIN, 0};
        if (::poll(&waiting, 1, 50) <= 0)
            continue;
        int client = ::accept(m_listener, nullptr, nullptr);
        if (client < 0)
            continue;
        converse(client);
        ::close(client);
    }
}

void SmtpSink::converse(int client) {
    std::string buffer, line, auth;
    ReceivedMail mail;
    auto next_line = [&](std::string& into) {
        if (!read_line(client, buffer, into))
            return false;
        std::lock_guard lock(m_mutex);
        m_transcript += into + "\r\n";
        return true;
    };
    reply(client, "220 sink.test ESMTP");
    while (next_line(line)) {
        std::string verb = line.substr(0, line.find(' '));
        for (auto& c : verb)
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (verb == "EHLO" || verb == "HELO") {
            reply(client, "250-sink.test\r\n250-AUTH PLAIN\r\n250 8BITMIME");
        } else if (verb == "AUTH") {
            std::string initial = line.size() > 11 ? line.substr(11) : "";
            if (initial.empty()) {
                reply(client, "334 ");
                if (!next_line(initial))
                    return;
            }
            auth = decode_base64(initial);
            reply(client, "235 2.7.0 accepted");
        } else if (verb == "MAIL") {
            mail = ReceivedMail{address_of(line), {}, {}, auth};
            reply(client, "250 OK");
        } else if (verb == "RCPT") {
            mail.recipients.push_back(address_of(line));
            reply(client, "250 OK");
        } else if (verb == "DATA") {
            reply(client, "354 go ahead");
            while (next_line(line) && line != ".")
                mail.data += (line.starts_with(".") ? line.substr(1) : line) + "\r\n";
            {
                std::lock_guard lock(m_mutex);
                m_mails.push_back(mail);
            }
            reply(client, "250 queued");
        } else if (verb == "QUIT") {
            reply(client, "221 bye");
            return;
        } else {
            reply(client, "250 OK"); // RSET, NOOP
        }
    }
}

} // namespace newsmon::testkit
