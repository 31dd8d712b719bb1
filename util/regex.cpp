// RE2 behind util::Regex, with the ECMA-262 spellings translated.
#include "util/regex.hpp"

#include <re2/re2.h>

#include <cctype>
#include <cstdio>

#include "util/strings.hpp"

namespace util {

namespace {

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

Error refused(std::string_view source, std::string_view why) {
  return make_error("invalid regular expression \"" + std::string(source) + "\": " + std::string(why));
}

}  // namespace

namespace {

// The backslash sequence at s[i] (i at the backslash, a character follows), into out; i moves to
// its last character. \uXXXX, \u{...} and \cX become \x{...}; backreferences are refused.
Status translate_escape(std::string_view s, std::size_t& i, bool in_class, std::string& out) {
  char c = s[i];
  char e = s[i + 1];
  if (e == 'u' && i + 5 < s.size() && is_hex(s[i + 2]) && is_hex(s[i + 3]) && is_hex(s[i + 4]) && is_hex(s[i + 5])) {
    out += "\\x{" + std::string(s.substr(i + 2, 4)) + "}";
    i += 5;
    return {};
  }
  if (e == 'u' && i + 2 < s.size() && s[i + 2] == '{') {  // \u{1F600} (the u flag's form)
    auto close = s.find('}', i + 3);
    if (close == std::string_view::npos) return refused(s, "unterminated \\u{...}");
    out += "\\x{" + std::string(s.substr(i + 3, close - i - 3)) + "}";
    i = close;
    return {};
  }
  if (e == 'c' && i + 2 < s.size() && std::isalpha(static_cast<unsigned char>(s[i + 2]))) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "\\x{%02x}", static_cast<unsigned>(s[i + 2]) % 32);
    out += buf;
    i += 2;
    return {};
  }
  if (!in_class && e >= '1' && e <= '9')
    return refused(s, "backreferences (\\" + std::string(1, e) +
                          ") are not supported: patterns run on RE2, in time linear in the input");
  if (e == 'k' && i + 2 < s.size() && s[i + 2] == '<')
    return refused(
        s, "named backreferences (\\k<...>) are not supported: patterns run on RE2, in time linear in the input");
  if (e == 'd' || e == 'D' || e == 'w' || e == 'W' || e == 's' || e == 'S' || e == 'b' || e == 'B') {
    out += c;
    out += e;
    ++i;
    return {};
  }
  if (e == '/') {  // "\/" is common in ECMA source; RE2 takes the plain slash
    out += '/';
    ++i;
    return {};
  }
  out += c;
  out += e;
  ++i;
  return {};
}

// "[" at s[i]: a class opened (in_class set), or "[]" (nothing) and "[^]" (anything) translated
// whole.
void translate_class_open(std::string_view s, std::size_t& i, std::string& out, bool& in_class) {
  in_class = true;
  out += '[';
  if (i + 1 < s.size() && s[i + 1] == '^') out += s[++i];
  if (i + 1 < s.size() && s[i + 1] == ']') {  // "[]" matches nothing in ECMA; "[^]" anything
    ++i;
    in_class = false;
    if (out.back() == '^') {
      out.resize(out.size() - 2);
      out += "(?s:.)";
    } else {
      out.resize(out.size() - 1);
      out += "[^\\x00-\\x{10FFFF}]";
    }
  }
}

// "(?" at s[i]: (?<name> becomes (?P<name>; look-ahead and look-behind are refused. false: some
// other group, copied as it is.
Result<bool> translate_group(std::string_view s, std::size_t& i, std::string& out) {
  char k = s[i + 2];
  if (k == '=' || k == '!')
    return refused(s, std::string("look-ahead (?") + k +
                          "...) is not supported: patterns run on RE2, in time linear in the input");
  if (k == '<' && i + 3 < s.size() && (s[i + 3] == '=' || s[i + 3] == '!'))
    return refused(s, std::string("look-behind (?<") + s[i + 3] +
                          "...) is not supported: patterns run on RE2, in time linear in the input");
  if (k == '<') {  // (?<name>...) -> (?P<name>...)
    out += "(?P<";
    i += 2;
    return true;
  }
  return false;
}

}  // namespace

Result<std::string> ecma_to_re2(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  bool in_class = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\\' && i + 1 < s.size()) {
      TRY(translate_escape(s, i, in_class, out));
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      out += c;
      continue;
    }
    if (c == '[') {
      translate_class_open(s, i, out, in_class);
      continue;
    }
    if (c == '(' && i + 2 < s.size() && s[i + 1] == '?') {
      TRY_ASSIGN(auto translated, translate_group(s, i, out));
      if (translated) continue;
    }
    out += c;
  }
  return out;
}

Result<Regex> Regex::compile(std::string_view source, Options options) {
  if (source.size() > kMaxPatternBytes)
    return make_error("invalid regular expression \"" + excerpt(source, 40) + "\": longer than " +
                      std::to_string(kMaxPatternBytes) + " bytes");
  TRY_ASSIGN(auto translated, ecma_to_re2(source));
  RE2::Options o;
  o.set_log_errors(false);
  o.set_case_sensitive(!options.ignore_case);
  o.set_max_mem(8 << 20);
  auto re = std::make_shared<const RE2>(translated, o);
  if (!re->ok()) {
    std::string why = re->error();
    if (re->error_code() == RE2::ErrorPatternTooLarge) why = "the pattern is too large (its automaton passes 8 MB)";
    return refused(source, why);
  }
  Regex r;
  r.source_ = std::string(source);
  r.re_ = std::move(re);
  return r;
}

std::string Regex::anchored_prefix() const {
  // Anchored at the start for every match: a leading ^ and no | anywhere (a | could open an
  // unanchored branch; an escaped one is refused too, which only costs the optimisation).
  if (!re_ || !source_.starts_with('^') || source_.find('|') != std::string::npos) return "";
  std::string min, max;
  if (!re_->PossibleMatchRange(&min, &max, 64)) return "";
  std::size_t n = 0;
  while (n < min.size() && n < max.size() && min[n] == max[n]) ++n;
  return min.substr(0, n);
}

bool Regex::search(std::string_view text) const {
  if (!re_) return false;
  return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *re_);
}

std::optional<std::vector<std::string>> Regex::captures(std::string_view text) const {
  if (!re_) return std::nullopt;
  int n = re_->NumberOfCapturingGroups();
  std::vector<re2::StringPiece> groups(static_cast<std::size_t>(n) + 1);
  if (!re_->Match(re2::StringPiece(text.data(), text.size()), 0, text.size(), RE2::UNANCHORED, groups.data(), n + 1))
    return std::nullopt;
  std::vector<std::string> out;
  for (int i = 1; i <= n; ++i)
    out.emplace_back(groups[static_cast<std::size_t>(i)].data(), groups[static_cast<std::size_t>(i)].size());
  return out;
}

std::string regex_literal(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::string_view(".^$|?*+()[]{}\\/").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

}  // namespace util
