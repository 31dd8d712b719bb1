// Reference resolution (RFC 3986 §5.2) for the URI shapes schemas use.
#include "util/uri.hpp"

#include <cctype>
#include <vector>

#include "util/strings.hpp"

namespace util {

namespace {

bool has_scheme(std::string_view s) {
  auto colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  if (!std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  for (std::size_t i = 1; i < colon; ++i) {
    char c = s[i];
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.')) return false;
  }
  return true;
}

std::string remove_dot_segments(std::string_view path) {
  std::vector<std::string> out;
  auto parts = split(path, '/');
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto& p = parts[i];
    bool last = i + 1 == parts.size();
    if (p == ".") {
      if (last) out.emplace_back();
    } else if (p == "..") {
      if (out.size() > 1) out.pop_back();
      if (last) out.emplace_back();
    } else {
      out.push_back(p);
    }
  }
  return join(out, "/");
}

// Splits "scheme://authority/path?query#fragment" into prefix (scheme://authority) and the rest.
std::pair<std::string, std::string> split_authority(std::string_view uri) {
  auto colon = uri.find(':');
  if (colon == std::string_view::npos) return {"", std::string(uri)};
  if (uri.substr(colon + 1, 2) == "//") {
    auto slash = uri.find('/', colon + 3);
    if (slash == std::string_view::npos) return {std::string(uri), ""};
    return {std::string(uri.substr(0, slash)), std::string(uri.substr(slash))};
  }
  return {std::string(uri.substr(0, colon + 1)), std::string(uri.substr(colon + 1))};
}

}  // namespace

std::string strip_fragment(std::string_view uri) {
  auto hash = uri.find('#');
  return std::string(uri.substr(0, hash));
}

std::string resolve_uri(std::string_view base, std::string_view ref) {
  if (has_scheme(ref)) {
    auto [prefix, rest] = split_authority(ref);
    return prefix + remove_dot_segments(rest);
  }
  if (ref.empty()) return strip_fragment(base);
  if (ref.front() == '#') return strip_fragment(base) + std::string(ref);
  std::string b = strip_fragment(base);
  auto [prefix, path] = split_authority(b);
  if (ref.starts_with("//")) {
    auto colon = b.find(':');
    return b.substr(0, colon + 1) + std::string(ref);
  }
  if (ref.front() == '/') return prefix + remove_dot_segments(ref);
  // Merge with the base path's directory (drop any query on the base).
  path = path.substr(0, path.find('?'));
  auto slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
  return prefix + remove_dot_segments(dir + std::string(ref));
}

}  // namespace util
