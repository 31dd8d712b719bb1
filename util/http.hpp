// HTTP value types shared by the mock (what arrived) and the client (what to send, what came back).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace util {

// Header list that keeps order and duplicates; names compare case-insensitively.
class Headers {
 public:
  void add(std::string name, std::string value) { items_.emplace_back(std::move(name), std::move(value)); }
  void set(std::string name, std::string value);
  void erase(std::string_view name);  // every field of this name
  const std::string* find(std::string_view name) const;
  std::string get(std::string_view name, std::string_view fallback = "") const;
  bool empty() const { return items_.empty(); }
  std::size_t size() const { return items_.size(); }
  auto begin() const { return items_.begin(); }
  auto end() const { return items_.end(); }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

struct HttpRequest {
  std::string method;                        // upper case
  std::string path;                          // without query string
  std::map<std::string, std::string> query;  // decoded
  Headers headers;
  std::string body;
  std::string peer;  // the client's address ("127.0.0.1", "::1"); empty when not from a socket
};

// Is this a loopback address (127.0.0.0/8, ::1, or IPv4-mapped 127.x)?
bool is_loopback_address(std::string_view address);

struct HttpResponse {
  int status = 0;
  Headers headers;
  std::string body;
};

// Splits "/a/b?x=1&y=2" into path and decoded query parameters.
std::pair<std::string, std::map<std::string, std::string>> split_target(std::string_view target);

// An HTTP date (RFC 9110: IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", the obsolete RFC 850
// and asctime forms) as seconds since the Unix epoch; nullopt when it is none of them.
std::optional<double> parse_http_date(std::string_view text);

// Reason phrase for a status code ("Not Found"), or "" when unknown.
std::string_view reason_phrase(int status);

}  // namespace util
