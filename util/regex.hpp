// Regular expressions for everything that comes from outside (fixture matchers, schema
// "pattern"s, catalogue conditions): RE2, which matches in time linear in the input, never
// recurses per character and bounds its memory, so no request can freeze or crash a program
// with a pathological pattern or a huge value. Patterns are written in the ECMA-262 dialect
// JSON Schema and fixtures use; the common forms RE2 spells differently (\uXXXX, \cX,
// (?<name>...)) are translated, and what RE2 cannot do in linear time (backreferences,
// look-around) is refused at load time with a message naming the pattern, never weakened.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace re2 {
class RE2;
}

namespace util {

// The one regular-expression type: every pattern is capped in length (kMaxPatternBytes) and in
// compiled size (8 MB), and matches in time linear in the input.
class Regex {
 public:
  static constexpr std::size_t kMaxPatternBytes = 16u << 10;
  struct Options {
    bool ignore_case = false;
  };

  Regex() = default;
  // "invalid regular expression \"SRC\": why" on failure.
  static Result<Regex> compile(std::string_view source, Options options);
  static Result<Regex> compile(std::string_view source) { return compile(source, Options{}); }

  // Whether the pattern matches anywhere in text (ECMA-262 RegExp.prototype.test).
  bool search(std::string_view text) const;
  // The capture groups of the first match (group 1 first), or nullopt without a match.
  std::optional<std::vector<std::string>> captures(std::string_view text) const;

  // Text every match must begin with at the start of the input, when the pattern is anchored
  // there (it starts with ^ and has no alternation); "" when nothing can be said. Lets a caller
  // index patterns by a fixed prefix instead of trying each one.
  std::string anchored_prefix() const;

  const std::string& source() const { return source_; }
  bool valid() const { return re_ != nullptr; }

 private:
  std::string source_;
  std::shared_ptr<const re2::RE2> re_;
};

// A pattern matching exactly text (its metacharacters escaped; the same in ECMA-262 and RE2).
std::string regex_literal(std::string_view text);

// ECMA-262 pattern text as RE2 syntax; an error names what RE2 cannot run in linear time.
Result<std::string> ecma_to_re2(std::string_view source);

}  // namespace util
