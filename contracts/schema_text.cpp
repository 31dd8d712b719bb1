// The words of violations and keys: a walk position as an RFC 6901 pointer, a key folded for
// the case-twin lint, a type mask and a number as a message says them. Off the validation walk's
// file (contracts/schema_check.cpp): the pointer, type names and numbers are made only when
// something is reported; fold_key when a contract is compiled and for a payload key that passed
// the case-twin prefilter (few: validate_throughput A/B unchanged by the move).
#include <string>
#include <string_view>
#include <vector>

#include "contracts/schema_impl.hpp"
#include "util/strings.hpp"

namespace contracts {

std::string Path::pointer() const {
  std::vector<const Path*> chain;
  for (const Path* p = this; p && p->parent; p = p->parent) chain.push_back(p);
  std::string out;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    out += '/';
    if ((*it)->index != static_cast<std::size_t>(-1))
      out += std::to_string((*it)->index);
    else
      out += util::escape_pointer_token((*it)->key);
  }
  return out;
}

std::string fold_key(std::string_view key) {
  std::string out;
  for (char c : key)
    if (!is_key_separator(c)) out += fold_char(c);
  return out;
}

std::string type_name(unsigned bit) {
  switch (bit) {
    case kNull:
      return "null";
    case kBoolean:
      return "boolean";
    case kInteger:
      return "integer";
    case kNumber:
      return "number";
    case kString:
      return "string";
    case kArray:
      return "array";
    case kObject:
      return "object";
  }
  return "value";
}

std::string type_list(unsigned types) {
  std::vector<std::string> names;
  if (types & kNull) names.push_back("null");
  if (types & kBoolean) names.push_back("boolean");
  if (types & kNumber)
    names.push_back("number");
  else if (types & kInteger)
    names.push_back("integer");
  if (types & kString) names.push_back("string");
  if (types & kArray) names.push_back("array");
  if (types & kObject) names.push_back("object");
  return util::join(names, " or ");
}

std::string with_article(const std::string& words, const std::string& prefix) {
  const bool vowel = !words.empty() && std::string_view("aeiou").find(words.front()) != std::string_view::npos;
  return prefix + (vowel ? "an " : "a ") + words;
}

std::string num_text(double x) {
  std::string s = std::to_string(x);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

}  // namespace contracts
