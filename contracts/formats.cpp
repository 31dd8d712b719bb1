// The string formats of JSON Schema draft-07 the validation walk checks, and the CXone ID format.
#include "contracts/formats.hpp"

#include <cctype>
#include <string>

#include "util/strings.hpp"

namespace contracts {

namespace {

bool digits(std::string_view s, std::size_t at, std::size_t count) {
  if (at + count > s.size()) return false;
  for (std::size_t i = at; i < at + count; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

int two(std::string_view s, std::size_t at) { return (s[at] - '0') * 10 + (s[at + 1] - '0'); }

bool is_date(std::string_view s, std::size_t at = 0) {
  if (!(digits(s, at, 4) && s.size() >= at + 10 && s[at + 4] == '-' && digits(s, at + 5, 2) && s[at + 7] == '-' &&
        digits(s, at + 8, 2)))
    return false;
  int month = two(s, at + 5), day = two(s, at + 8);
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

bool is_time(std::string_view s, std::size_t at) {
  // hh:mm:ss[.frac](Z|+hh:mm|-hh:mm)
  if (!(digits(s, at, 2) && s.size() > at + 8 && s[at + 2] == ':' && digits(s, at + 3, 2) && s[at + 5] == ':' &&
        digits(s, at + 6, 2)))
    return false;
  if (two(s, at) > 23 || two(s, at + 3) > 59 || two(s, at + 6) > 60) return false;
  std::size_t i = at + 8;
  if (i < s.size() && s[i] == '.') {
    ++i;
    std::size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == start) return false;
  }
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) return i + 1 == s.size();
  if (i < s.size() && (s[i] == '+' || s[i] == '-'))
    return s.size() == i + 6 && digits(s, i + 1, 2) && s[i + 3] == ':' && digits(s, i + 4, 2);
  return false;
}

bool email_ok(std::string_view s) {
  auto at = s.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < s.size() && s.find('@', at + 1) == std::string_view::npos &&
         s.find(' ') == std::string_view::npos;
}

bool ipv4_ok(std::string_view s) {
  auto parts = util::split(s, '.');
  if (parts.size() != 4) return false;
  for (const auto& p : parts) {
    if (p.empty() || p.size() > 3 || !digits(p, 0, p.size()) || (p.size() > 1 && p[0] == '0') || std::stoi(p) > 255)
      return false;
  }
  return true;
}

bool uri_ok(std::string_view s) {
  auto colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  return s.find(' ') == std::string_view::npos;
}

}  // namespace

std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

bool format_ok(FormatKind format, std::string_view s) {
  switch (format) {
    case FormatKind::kDateTime:
      return is_date(s) && s.size() > 10 && (s[10] == 'T' || s[10] == 't') && is_time(s, 11);
    case FormatKind::kDate:
      return s.size() == 10 && is_date(s);
    case FormatKind::kTime:
      return is_time(s, 0);
    case FormatKind::kUuid:
      return util::is_uuid(s);
    case FormatKind::kIntegerId:
      // CXone platform IDs (skills, dispositions, contacts) travel as strings of digits.
      return !s.empty() && s.size() < 19 && digits(s, 0, s.size());
    case FormatKind::kEmail:
      return email_ok(s);
    case FormatKind::kIpv4:
      return ipv4_ok(s);
    case FormatKind::kUri:
      return uri_ok(s);
    case FormatKind::kNone:
    case FormatKind::kOther:
      break;
  }
  return true;  // unknown formats are annotations in draft-07
}

}  // namespace contracts
