// HTTP/1.1 client for http:// URLs.
#include "client/http_transport.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cerrno>
#include <chrono>
#include <cstring>

#include "util/strings.hpp"

namespace client {

namespace {

using Clock = std::chrono::steady_clock;

struct Target {
  std::string host;  // without brackets
  std::string port;
  std::string path;  // path and query
  std::string authority;
};

bool parse_http_url(const std::string& url, Target& t) {
  if (!url.starts_with("http://")) return false;
  std::string rest = url.substr(7);
  auto slash = rest.find_first_of("/?");
  std::string authority = rest.substr(0, slash);
  t.path = slash == std::string::npos ? "/" : rest.substr(slash);
  if (t.path.front() == '?') t.path = "/" + t.path;
  if (authority.empty() || authority.find('@') != std::string::npos) return false;
  t.authority = authority;
  if (authority.front() == '[') {  // [::1]:8080
    auto close = authority.find(']');
    if (close == std::string::npos) return false;
    t.host = authority.substr(1, close - 1);
    t.port = close + 1 < authority.size() && authority[close + 1] == ':' ? authority.substr(close + 2) : "80";
  } else {
    auto colon = authority.rfind(':');
    t.host = authority.substr(0, colon);
    t.port = colon == std::string::npos ? "80" : authority.substr(colon + 1);
  }
  return !t.host.empty() && !t.port.empty();
}

struct Failure {
  NetworkErrorKind kind;
  std::string message;
};

class PlainHttpTransport final : public Transport {
 public:
  explicit PlainHttpTransport(TransportOptions options) : options_(std::move(options)) {}
  ~PlainHttpTransport() override { disconnect(); }

  TransportResult send(const OutgoingRequest& request) override {
    TransportResult result;
    Target t;
    if (!parse_http_url(request.url, t)) {
      result.error = NetworkError{NetworkErrorKind::other, "not an http:// URL: " + request.url};
      return result;
    }
    auto deadline = Clock::now() + std::chrono::milliseconds(options_.timeout_ms);
    std::string wire = serialize(request, t);
    // A kept-alive connection the server has closed meanwhile fails at once: send again on a
    // new one (the request cannot have been processed: not a byte of an answer came back).
    for (int round = 0; round < 2; ++round) {
      bool reused = fd_ >= 0 && connected_to_ == t.authority;
      if (!reused) {
        disconnect();
        if (auto f = connect_to(t, deadline)) return fail(*f);
      }
      std::optional<Failure> f = write_all(wire, deadline);
      util::HttpResponse response;
      bool got_bytes = false;
      if (!f) f = read_response(request.method == "HEAD", deadline, response, got_bytes);
      if (!f) {
        result.response = std::move(response);
        return result;
      }
      disconnect();
      bool stale =
          reused && !got_bytes && (f->kind == NetworkErrorKind::reset || f->kind == NetworkErrorKind::empty_response);
      if (!stale) return fail(*f);
    }
    return fail({NetworkErrorKind::empty_response, "the server closed the connection without answering"});
  }

 private:
  static TransportResult fail(const Failure& f) {
    TransportResult r;
    r.error = NetworkError{f.kind, f.message};
    return r;
  }

  static std::string serialize(const OutgoingRequest& req, const Target& t) {
    std::string out = req.method + " " + t.path + " HTTP/1.1\r\nHost: " + t.authority + "\r\n";
    bool agent = false;
    for (const auto& [k, v] : req.headers) {
      agent = agent || util::iequals(k, "user-agent");
      if (util::iequals(k, "content-length") || util::iequals(k, "host")) continue;
      out.append(k).append(": ").append(v).append("\r\n");
    }
    if (!agent) out += "User-Agent: handover-diag/" HARNESS_VERSION "\r\n";
    if (!req.body.empty() || (req.method != "GET" && req.method != "HEAD"))
      out += "Content-Length: " + std::to_string(req.body.size()) + "\r\n";
    out += "\r\n";
    out += req.body;
    return out;
  }

  static int remaining_ms(Clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left <= 0 ? 0 : static_cast<int>(std::min<long long>(left, 1 << 30));
  }

  std::optional<Failure> connect_to(const Target& t, Clock::time_point deadline) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* list = nullptr;
    if (int rc = ::getaddrinfo(t.host.c_str(), t.port.c_str(), &hints, &list); rc != 0 || !list)
      return Failure{NetworkErrorKind::dns, "could not resolve host " + t.host + ": " + gai_strerror(rc)};
    auto connect_deadline = std::min(deadline, Clock::now() + std::chrono::milliseconds(options_.connect_timeout_ms));
    Failure last{NetworkErrorKind::refused, "could not connect to " + t.authority};
    for (addrinfo* a = list; a; a = a->ai_next) {
      int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
      if (fd < 0) continue;
      int rc = ::connect(fd, a->ai_addr, a->ai_addrlen);
      if (rc != 0 && errno == EINPROGRESS) {
        pollfd p{fd, POLLOUT, 0};
        rc = ::poll(&p, 1, remaining_ms(connect_deadline));
        if (rc == 0) {
          ::close(fd);
          last = {NetworkErrorKind::connect_timeout, "connection to " + t.authority + " timed out after " +
                                                         std::to_string(options_.connect_timeout_ms) + " ms"};
          continue;
        }
        int err = 0;
        socklen_t len = sizeof err;
        ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
        rc = err == 0 ? 0 : -1;
        errno = err;
      }
      if (rc != 0) {
        int err = errno;
        ::close(fd);
        last = {err == ECONNREFUSED ? NetworkErrorKind::refused : NetworkErrorKind::other,
                "could not connect to " + t.authority + ": " + std::strerror(err)};
        continue;
      }
      int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      fd_ = fd;
      connected_to_ = t.authority;
      buffer_.clear();
      ::freeaddrinfo(list);
      return std::nullopt;
    }
    ::freeaddrinfo(list);
    return last;
  }

  void disconnect() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    connected_to_.clear();
    buffer_.clear();
  }

  std::optional<Failure> write_all(std::string_view data, Clock::time_point deadline) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n > 0) {
        data.remove_prefix(static_cast<std::size_t>(n));
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        pollfd p{fd_, POLLOUT, 0};
        if (::poll(&p, 1, remaining_ms(deadline)) == 0) return timeout();
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      return Failure{NetworkErrorKind::reset, std::string("sending failed: ") + std::strerror(errno)};
    }
    return std::nullopt;
  }

  Failure timeout() const {
    return {NetworkErrorKind::timeout,
            "no complete answer from " + connected_to_ + " within " + std::to_string(options_.timeout_ms) + " ms"};
  }

  // Reads more bytes into buffer_; a failure on EOF, reset or the deadline.
  std::optional<Failure> fill(Clock::time_point deadline, bool& got_bytes, bool& eof) {
    char chunk[16384];
    for (;;) {
      ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n > 0) {
        buffer_.append(chunk, static_cast<std::size_t>(n));
        got_bytes = true;
        return std::nullopt;
      }
      if (n == 0) {
        eof = true;
        return std::nullopt;
      }
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, remaining_ms(deadline)) == 0) return timeout();
        continue;
      }
      return Failure{errno == ECONNRESET ? NetworkErrorKind::reset : NetworkErrorKind::other,
                     "receiving failed: " + std::string(std::strerror(errno))};
    }
  }

  std::optional<Failure> read_response(bool head, Clock::time_point deadline, util::HttpResponse& out,
                                       bool& got_bytes) {
    bool eof = false;
    bool keep_alive = true;
    if (auto f = read_head(deadline, out, got_bytes, eof, keep_alive)) return f;
    std::string connection = util::to_lower(out.headers.get("connection"));
    if (connection == "close") keep_alive = false;
    if (connection == "keep-alive") keep_alive = true;
    std::optional<Failure> failed;
    if (head || out.status == 204 || out.status == 304) {
      // no body
    } else if (util::to_lower(out.headers.get("transfer-encoding")).find("chunked") != std::string::npos) {
      failed = read_chunked(deadline, out, got_bytes, eof);
    } else if (const std::string* cl = out.headers.find("content-length")) {
      failed = read_sized(std::strtoull(cl->c_str(), nullptr, 10), deadline, out, got_bytes, eof);
    } else {
      // Delimited by the end of the connection.
      while (!eof) {
        if (buffer_.size() > options_.max_response_bytes) return too_big();
        if (auto f = fill(deadline, got_bytes, eof)) return f;
      }
      out.body = std::move(buffer_);
      buffer_.clear();
      keep_alive = false;
    }
    if (failed) return failed;
    if (!keep_alive) disconnect();
    return std::nullopt;
  }

  Failure too_big() const {
    return Failure{NetworkErrorKind::other,
                   "response larger than " + std::to_string(options_.max_response_bytes) + " bytes"};
  }

  // The status line and headers, skipping 1xx answers; an HTTP/1.0 answer ends keep-alive.
  std::optional<Failure> read_head(Clock::time_point deadline, util::HttpResponse& out, bool& got_bytes, bool& eof,
                                   bool& keep_alive) {
    std::size_t header_end;
    for (;;) {  // status line and headers (skipping 1xx answers)
      while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
        if (buffer_.size() > std::size_t{256} * 1024)
          return Failure{NetworkErrorKind::other, "response headers larger than 256 KB"};
        if (auto f = fill(deadline, got_bytes, eof)) return f;
        if (eof)
          return buffer_.empty()
                     ? Failure{NetworkErrorKind::empty_response, "the server closed the connection without answering"}
                     : Failure{NetworkErrorKind::reset, "the connection closed in the middle of the answer's headers"};
      }
      std::string_view head_text(buffer_.data(), header_end);
      auto lines = util::split(head_text, '\n');
      std::string status_line(util::trim(lines[0]));
      if (!status_line.starts_with("HTTP/1.") || status_line.size() < 12)
        return Failure{NetworkErrorKind::other, "malformed HTTP status line: " + util::excerpt(status_line, 80)};
      out = util::HttpResponse{};
      out.status = std::atoi(status_line.substr(9, 3).c_str());
      if (status_line.starts_with("HTTP/1.0")) keep_alive = false;
      for (std::size_t i = 1; i < lines.size(); ++i) {
        std::string_view line = util::trim(lines[i]);
        auto colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        out.headers.add(std::string(util::trim(line.substr(0, colon))),
                        std::string(util::trim(line.substr(colon + 1))));
      }
      buffer_.erase(0, header_end + 4);
      if (out.status >= 100 && out.status < 200) continue;
      break;
    }
    return std::nullopt;
  }

  // A chunked body, its trailer skipped.
  std::optional<Failure> read_chunked(Clock::time_point deadline, util::HttpResponse& out, bool& got_bytes, bool& eof) {
    std::size_t pos = 0;
    for (;;) {
      std::size_t eol;
      while ((eol = buffer_.find("\r\n", pos)) == std::string::npos) {
        if (auto f = fill(deadline, got_bytes, eof)) return f;
        if (eof) return Failure{NetworkErrorKind::reset, "the connection closed in the middle of a chunked body"};
      }
      std::size_t size = std::strtoul(buffer_.substr(pos, eol - pos).c_str(), nullptr, 16);
      if (out.body.size() + size > options_.max_response_bytes) return too_big();
      if (size == 0) {
        // Optional trailer lines, then an empty line.
        std::size_t t = eol + 2;
        for (;;) {
          std::size_t line_end = buffer_.find("\r\n", t);
          if (line_end == std::string::npos) {
            if (auto f = fill(deadline, got_bytes, eof)) return f;
            if (eof) return Failure{NetworkErrorKind::reset, "the connection closed in the chunked body's trailer"};
            continue;
          }
          if (line_end == t) {
            buffer_.erase(0, t + 2);
            break;
          }
          t = line_end + 2;
        }
        break;
      }
      while (buffer_.size() < eol + 2 + size + 2) {
        if (auto f = fill(deadline, got_bytes, eof)) return f;
        if (eof) return Failure{NetworkErrorKind::reset, "the connection closed in the middle of a chunked body"};
      }
      out.body.append(buffer_, eol + 2, size);
      pos = eol + 2 + size + 2;
    }
    return std::nullopt;
  }

  // A body of Content-Length bytes.
  std::optional<Failure> read_sized(std::size_t length, Clock::time_point deadline, util::HttpResponse& out,
                                    bool& got_bytes, bool& eof) {
    if (length > options_.max_response_bytes) return too_big();
    while (buffer_.size() < length) {
      if (auto f = fill(deadline, got_bytes, eof)) return f;
      if (eof)
        return Failure{NetworkErrorKind::reset, "the connection closed after " + std::to_string(buffer_.size()) +
                                                    " of " + std::to_string(length) + " body bytes"};
    }
    out.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return std::nullopt;
  }

  TransportOptions options_;
  int fd_ = -1;
  std::string connected_to_;
  std::string buffer_;
};

}  // namespace

std::unique_ptr<Transport> make_plain_http_transport(const TransportOptions& options) {
  return std::make_unique<PlainHttpTransport>(options);
}

}  // namespace client
