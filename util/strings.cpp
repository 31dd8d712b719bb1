// String helpers; ASCII-only case folding on purpose (header names, JSON keys, codes).
#include "util/strings.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace util {

namespace {

constexpr char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c; }

}  // namespace

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    auto pos = s.find(sep, start);
    out.emplace_back(s.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string url_decode(std::string_view s, bool form) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%' && i + 2 < s.size()) {
      int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += (form && c == '+') ? ' ' : c;
  }
  return out;
}

std::string url_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::map<std::string, std::string> parse_form(std::string_view body) {
  std::map<std::string, std::string> out;
  for (const auto& pair : split(body, '&')) {
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    std::string name = url_decode(std::string_view(pair).substr(0, eq), true);
    std::string value = eq == std::string::npos ? "" : url_decode(std::string_view(pair).substr(eq + 1), true);
    out[name] = value;
  }
  return out;
}

std::string build_form(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    if (!out.empty()) out += '&';
    out += url_encode(k) + '=' + url_encode(v);
  }
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t bound) {
  // Two rows; on the stack for the short words this is used on (keys, codes, flags).
  constexpr std::size_t kInline = 64;
  std::size_t inline_rows[2][kInline + 1];
  std::vector<std::size_t> heap;
  std::size_t* prev = inline_rows[0];
  std::size_t* cur = inline_rows[1];
  if (b.size() > kInline) {
    heap.resize(2 * (b.size() + 1));
    prev = heap.data();
    cur = heap.data() + b.size() + 1;
  }
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    std::size_t row_min = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      row_min = std::min(row_min, cur[j]);
    }
    // A row never goes below its minimum later on: past the bound, the answer is "more".
    if (row_min > bound) return bound + 1;
    std::swap(prev, cur);
  }
  return std::min(prev[b.size()], bound + 1);
}

namespace {

// p1 and p3, line1 and line2: members of one numbered family, not misspellings of each other.
bool differ_only_in_digits(std::string_view a, std::string_view b) {
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  if (a.size() != b.size() || a == b || std::none_of(a.begin(), a.end(), is_digit)) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i] && !(is_digit(a[i]) && is_digit(b[i]))) return false;
  return true;
}

// The candidate nearest to word, ignoring ASCII case; no allocation per candidate (a payload's
// missing key is compared with every key it has).
template <class Candidates>
std::string closest_match_in(std::string_view word, const Candidates& candidates) {
  // Close enough: at most a third of the word differs (and at least one edit allowed).
  std::size_t limit = std::max<std::size_t>(1, word.size() / 3);
  std::string lw = to_lower(word);
  std::string lower;  // the candidate, lowered (its capacity reused)
  // The word's characters counted (lowered, folded to 7 bits: folding only makes more of them
  // match, so what follows stays a lower bound).
  std::array<std::uint16_t, 128> word_counts{};
  for (char ch : lw) ++word_counts[static_cast<unsigned char>(ch) & 127u];
  std::string_view best;
  bool found = false;
  std::size_t best_d = limit + 1;
  for (const auto& candidate : candidates) {
    std::string_view c = candidate;
    if (differ_only_in_digits(word, c)) continue;
    // The distance is at least the difference in length: skip what cannot win.
    std::size_t gap = c.size() > word.size() ? c.size() - word.size() : word.size() - c.size();
    if (gap >= best_d) continue;
    // And at least the bag distance (the longer one's characters the other lacks, as multisets):
    // custom07 shares one letter with intent, so it is passed without the table of edits.
    std::array<std::uint16_t, 128> left = word_counts;
    std::size_t shared = 0;
    for (char ch : c) {
      std::uint16_t& n = left[static_cast<unsigned char>(ascii_lower(ch)) & 127u];
      if (n > 0) {
        --n;
        ++shared;
      }
    }
    if (std::max(word.size(), c.size()) - shared >= best_d) continue;
    lower.assign(c);
    for (char& ch : lower) ch = ascii_lower(ch);  // inline: a libc call per character was most of this loop
    std::size_t d = edit_distance(lw, lower, best_d - 1);
    if (d < best_d) {
      best_d = d;
      best = c;
      found = true;
    }
  }
  return found ? std::string(best) : std::string();
}

}  // namespace

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  return closest_match_in(word, candidates);
}

std::string closest_match_views(std::string_view word, const std::vector<std::string_view>& candidates) {
  return closest_match_in(word, candidates);
}

bool looks_like_display_name(std::string_view s) {
  bool letter = false, beyond_hex = false;
  for (unsigned char c : s) {
    if (std::isalpha(c)) letter = true;
    if (!(std::isxdigit(c) || c == '-')) beyond_hex = true;
  }
  return letter && beyond_hex;
}

std::vector<std::string> path_segments(std::string_view path) {
  std::vector<std::string> out;
  for (auto& s : split(path, '/'))
    if (!s.empty()) out.push_back(std::move(s));
  return out;
}

bool is_uuid(std::string_view s) {
  // 8-4-4-4-12 hex digits: the dashes first, then the 32 digits from a table.
  static constexpr auto kHex = [] {
    std::array<bool, 256> t{};
    for (int c = 0; c < 256; ++c) t[c] = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    return t;
  }();
  if (s.size() != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-') return false;
  bool ok = true;
  for (std::size_t i = 0; i < 36; ++i)
    ok &= (i == 8 || i == 13 || i == 18 || i == 23) || kHex[static_cast<unsigned char>(s[i])];
  return ok;
}

std::string excerpt(std::string_view s, std::size_t n) {
  if (s.size() <= n) return std::string(s);
  std::size_t cut = n;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return std::string(s.substr(0, cut)) + "…";
}

namespace {
constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                 static_cast<unsigned char>(bytes[i + 2]);
    for (int shift : {18, 12, 6, 0}) out += kBase64[(v >> shift) & 63];
  }
  if (std::size_t rest = bytes.size() - i) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (rest == 2) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kBase64[(v >> 18) & 63];
    out += kBase64[(v >> 12) & 63];
    out += rest == 2 ? kBase64[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  std::string out;
  unsigned acc = 0;
  int bits = 0;
  for (char c : text) {
    int v;
    if (c >= 'A' && c <= 'Z')
      v = c - 'A';
    else if (c >= 'a' && c <= 'z')
      v = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      v = c - '0' + 52;
    else if (c == '+' || c == '-')
      v = 62;
    else if (c == '/' || c == '_')
      v = 63;
    else if (c == '=')
      break;
    else
      return std::nullopt;
    acc = (acc << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return out;
}

std::string escape_markup(std::string_view s, Markup markup) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += markup == Markup::xml ? "&apos;" : "&#39;";
        break;
      default:
        if (markup == Markup::xml && static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r')
          out += '?';
        else
          out += c;
    }
  }
  return out;
}

}  // namespace util
