// The pieces of Pact matching that the JSON comparison (pact.cpp) and the XML comparison
// (pact_xml.cpp) share: a place in a body, the rule that applies there, and one matcher applied
// to a value. Internal to the mockserver module.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "mockserver/pact.hpp"

namespace mockserver::pact::detail {

// A place in a body: the tokens of the actual path ("$", names, indices).
struct Place {
  std::vector<std::pair<std::string, bool>> tokens;  // text, is an index
  std::string pointer() const;
};

// The rule that applies at a place: the one whose JSONPath weighs most there (an exact name or
// index outweighs a wildcard; a rule on a parent applies below it); nullptr when none does.
// own: set to whether that rule's path names this place itself rather than a parent of it.
const Rule* best_rule(const Rules& rules, const Place& place, bool* own = nullptr);

// Whether one matcher accepts actual (expected: the pact's example); why not, otherwise.
// arrayContains and contentType are not decided here (the caller compares those as a whole).
std::optional<std::string> apply(const Matcher& m, const util::Json& expected, const util::Json& actual);

// Whether two values are of one JSON type (null, boolean, number, string, array, object).
bool same_type(const util::Json& a, const util::Json& b);

// A value shown in a mismatch: one line, at most 80 characters.
std::string shown(const util::Json& v);

// Whether a rule whose matchers failed `failures` times accepts: none failed (AND), or not all of
// them (OR, v3's "combine").
inline bool combined_accepts(const Rule& rule, std::size_t failures) {
  return rule.any ? failures < rule.matchers.size() : failures == 0;
}

// Whether a rule (its matchers combined AND, or OR with "combine") accepts a text value.
bool rule_accepts_text(const Rule& rule, const std::string& expected, const std::string& actual);

// Whether a rule makes the pact's elements examples (type, min, max, values).
bool has_kind(const Rule* rule, std::string_view kind);

}  // namespace mockserver::pact::detail
