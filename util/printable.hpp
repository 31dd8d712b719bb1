// Text from outside made safe to print as one line (header only: util/result.hpp holds it for
// every error, and the modules, which link nothing of util, for theirs).
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>

namespace util {

// Whether s is printable ASCII only (space to '~'): printable_line would give it back unchanged.
inline bool plain_ascii(std::string_view s) {
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c >= 0x7F) return false;
  }
  return true;
}

// s with every control character (a newline, ESC, DEL, ...) and every byte that does not belong to
// a well-formed UTF-8 sequence written as \xNN: an error quoting a hostile file (a zip entry's
// name, a YAML parser's "unknown escape character") stays one line and cannot drive the terminal.
inline std::string printable_line(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  auto escape = [&out](unsigned char c) {
    char buf[5];
    std::snprintf(buf, sizeof buf, "\\x%02X", c);
    out += buf;
  };
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7F) {
      escape(c), ++i;
      continue;
    }
    if (c < 0x80) {
      out += static_cast<char>(c), ++i;
      continue;
    }
    // A lead byte and its continuation bytes (overlong forms and surrogates refused as well).
    std::size_t n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    bool ok = n != 0 && i + n <= s.size();
    for (std::size_t k = 1; ok && k < n; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      unsigned lo = 0x80, hi = 0xBF;
      if (k == 1 && c == 0xE0) lo = 0xA0;
      if (k == 1 && c == 0xED) hi = 0x9F;
      if (k == 1 && c == 0xF0) lo = 0x90;
      if (k == 1 && c == 0xF4) hi = 0x8F;
      ok = b >= lo && b <= hi;
    }
    if (!ok) {
      escape(c), ++i;
      continue;
    }
    out.append(s.substr(i, n));
    i += n;
  }
  return out;
}

}  // namespace util
