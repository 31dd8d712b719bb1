// Below the event loops: the listening sockets, the connection cap and the checks of a
// request's framing that evhttp does not make.
#include "mockserver/net.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <memory>

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/strings.hpp"

namespace mockserver {

namespace {

// File descriptors kept back from the connection cap (listening sockets, fixture and journal
// files, the modules, a worker's files).
constexpr std::size_t kDescriptorReserve = 64;

// RFC 9110 tchar: what a header field name may hold.
bool is_token(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
    if (!ok || c == '\0') return false;
  }
  return true;
}

}  // namespace

// What makes a request's framing ambiguous (RFC 9112 §6: a server must answer 400 and close):
// a field name with whitespace before the colon, a Content-Length that is not digits or
// given twice with different values, Transfer-Encoding with Content-Length or other than
// chunked. evhttp would take the first length and read the rest as the next request (request
// smuggling through any proxy in front of the mock).
std::optional<std::string> framing_error(const evkeyvalq* headers) {
  std::optional<std::string> length;
  bool transfer_encoding = false;
  for (const evkeyval* h = headers->tqh_first; h; h = h->next.tqe_next) {
    std::string_view name = h->key;
    if (!is_token(name))
      return "header field name \"" + util::excerpt(std::string(name), 60) +
             "\" is not a token (whitespace before the colon?)";
    if (util::iequals(name, "Content-Length")) {
      std::string_view v = h->value;
      if (v.empty() || v.size() > 18 || !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return "Content-Length \"" + util::excerpt(std::string(v), 40) + "\" is not a decimal number";
      if (length && *length != v) return "two Content-Length fields with different values";
      length = std::string(v);
    } else if (util::iequals(name, "Transfer-Encoding")) {
      if (transfer_encoding || !util::iequals(util::trim(h->value), "chunked"))
        return "Transfer-Encoding other than one \"chunked\" is not supported";
      transfer_encoding = true;
    }
  }
  if (length && transfer_encoding) return "both Transfer-Encoding and Content-Length";
  return std::nullopt;
}

const char* method_name(evhttp_cmd_type c) {
  switch (c) {
    case EVHTTP_REQ_GET:
      return "GET";
    case EVHTTP_REQ_POST:
      return "POST";
    case EVHTTP_REQ_HEAD:
      return "HEAD";
    case EVHTTP_REQ_PUT:
      return "PUT";
    case EVHTTP_REQ_DELETE:
      return "DELETE";
    case EVHTTP_REQ_OPTIONS:
      return "OPTIONS";
    case EVHTTP_REQ_TRACE:
      return "TRACE";
    case EVHTTP_REQ_CONNECT:
      return "CONNECT";
    case EVHTTP_REQ_PATCH:
      return "PATCH";
  }
  return "GET";
}

timeval millis(int ms) { return timeval{ms / 1000, static_cast<suseconds_t>(ms % 1000) * 1000}; }

int bound_port(int fd) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return -1;
  if (addr.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port);
  return ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
}

// count listening sockets on host:port (port 0: the OS picks one port for all), one per event
// loop, sharing the port with SO_REUSEPORT so the kernel spreads new connections evenly over
// the loops. A port already taken is refused first by a plain bind (no SO_REUSEPORT), so a
// second mock on the same port is an error instead of silently sharing the traffic.
util::Result<std::vector<int>> listen_on(const std::string& host, int port, int count) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE;
  addrinfo* found = nullptr;
  std::string service = std::to_string(port);
  if (int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0)
    return util::make_error("cannot listen on " + host + ":" + service + ": " + gai_strerror(rc));
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> addresses(found, freeaddrinfo);
  auto fail = [&](const std::string& why) {
    return util::make_error("cannot listen on " + host + ":" + service + " (" + why +
                            "; in use, or not an address of this machine)");
  };
  auto open_socket = [](const addrinfo* a, bool share, const sockaddr* at, socklen_t at_len) -> int {
    int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) return -1;
    int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (share) setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &yes, sizeof yes);
    // No Nagle: an answer goes out in more than one write (headers, body; with TLS, records),
    // and Nagle held the last until the client's delayed ACK, 40 ms an exchange. Accepted
    // sockets inherit it on Linux; register_fresh sets it on each connection as well.
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    if (::bind(fd, at, at_len) != 0 || (share && ::listen(fd, 1024) != 0)) {
      int err = errno;
      ::close(fd);
      errno = err;
      return -1;
    }
    return fd;
  };
  std::string last_error = "no address";
  for (const addrinfo* a = found; a; a = a->ai_next) {
    if (port != 0) {
      int probe = open_socket(a, false, a->ai_addr, a->ai_addrlen);
      if (probe < 0) {
        last_error = std::strerror(errno);
        continue;
      }
      ::close(probe);
    }
    std::vector<int> fds;
    int first = open_socket(a, true, a->ai_addr, a->ai_addrlen);
    if (first < 0) {
      last_error = std::strerror(errno);
      continue;
    }
    fds.push_back(first);
    sockaddr_storage bound{};
    socklen_t bound_len = sizeof bound;
    getsockname(first, reinterpret_cast<sockaddr*>(&bound), &bound_len);  // the port the OS picked
    while (static_cast<int>(fds.size()) < count) {
      int fd = open_socket(a, true, reinterpret_cast<sockaddr*>(&bound), bound_len);
      if (fd < 0) break;
      fds.push_back(fd);
    }
    if (static_cast<int>(fds.size()) == count) return fds;
    last_error = std::strerror(errno);
    for (int fd : fds) ::close(fd);
  }
  return fail(last_error);
}

// Open connections at most without --max-connections: the open-files limit less a reserve.
std::size_t default_connection_cap() {
  rlimit files{};
  std::size_t limit = getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY
                          ? static_cast<std::size_t>(files.rlim_cur)
                          : 1u << 20;
  return limit > 2 * kDescriptorReserve ? limit - kDescriptorReserve : limit / 2;
}

}  // namespace mockserver
