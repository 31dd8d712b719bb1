// Private to the contracts module: the compiled form of a schema (SchemaNode), the lazily built
// instance path, and the walk over any JSON DOM through a value adapter (schema_check.cpp
// instantiates it for nlohmann::json and for simdjson's DOM, the fast path).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contracts/schema.hpp"
#include "util/regex.hpp"

namespace simdjson::dom {
class document;
}

namespace contracts {

class WalkKeys;  // key_table.hpp

enum TypeBit : unsigned {
  kNull = 1,
  kBoolean = 2,
  kInteger = 4,
  kNumber = 8,  // includes integers
  kString = 16,
  kArray = 32,
  kObject = 64,
};

struct Pattern {
  std::string source;
  util::Regex re;  // RE2: linear in the value, whatever the pattern
};

// Keyword groups present on a node, so the walk skips whole sections with one test.
enum KeywordGroup : unsigned {
  kKwEnum = 1,          // enum, const
  kKwString = 2,        // minLength, maxLength, pattern, format
  kKwNumber = 4,        // minimum, maximum, exclusive*, multipleOf
  kKwObject = 8,        // required, properties, ..., dependencies
  kKwArray = 16,        // items, ..., contains
  kKwApplicators = 32,  // allOf, anyOf, oneOf, not, if
};

// The first and last sizeof(Word) bytes of a and b the same (n at least sizeof(Word)).
template <typename Word>
[[gnu::always_inline]] inline bool same_ends(const char* a, const char* b, std::size_t n) {
  Word a0 = 0, a1 = 0, b0 = 0, b1 = 0;
  std::memcpy(&a0, a, sizeof(Word));
  std::memcpy(&b0, b, sizeof(Word));
  std::memcpy(&a1, a + n - sizeof(Word), sizeof(Word));
  std::memcpy(&b1, b + n - sizeof(Word), sizeof(Word));
  return ((a0 ^ b0) | (a1 ^ b1)) == 0;
}

// n bytes at a and at b the same? Inline for the short keys of payloads (a libc call per hit was
// 1.3-2 % of the validator's time): the first and last eight (or four) bytes of each.
[[gnu::always_inline]] inline bool same_bytes(const char* a, const char* b, std::size_t n) {
  if (n > 16) return std::memcmp(a, b, n) == 0;
  if (n >= 8) return same_ends<std::uint64_t>(a, b, n);
  if (n >= 4) return same_ends<std::uint32_t>(a, b, n);
  for (std::size_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return false;
  return true;
}

// A node's property names as an open-addressing hash table: one cheap hash and usually one
// string comparison per payload key, the innermost step of every object check.
class PropertyTable {
 public:
  void add(std::string key, int value);  // then build()
  void build();
  bool empty() const { return names_.empty(); }
  // The value, or -1.
  [[gnu::always_inline]] int find(std::string_view key) const {
    if (names_.empty()) return -1;
    for (std::size_t i = hash(key) & mask_; slots_[i].value >= 0; i = (i + 1) & mask_)
      if (slots_[i].key.size() == key.size() && same_bytes(slots_[i].key.data(), key.data(), key.size()))
        return slots_[i].value;
    return -1;
  }

 private:
  static std::size_t hash(std::string_view key) {
    // Length and three sampled characters: enough to spread property names, a handful of
    // instructions per lookup.
    std::size_t h = key.size();
    if (!key.empty())
      h ^= static_cast<std::size_t>(static_cast<unsigned char>(key[0])) << 8 ^
           static_cast<std::size_t>(static_cast<unsigned char>(key.back())) << 16 ^
           static_cast<std::size_t>(static_cast<unsigned char>(key[key.size() / 2])) << 24;
    return (h * 0x9E3779B97F4A7C15ull) >> 40;
  }
  struct Slot {
    std::string_view key;  // into names_
    int value = -1;        // -1: empty slot
  };
  std::vector<std::pair<std::string, int>> names_;
  std::vector<Slot> slots_;  // a power of two, at most a quarter full
  std::size_t mask_ = 0;
};

// The formats the walk checks (others are annotations in draft-07).
enum class FormatKind : unsigned char {
  kNone,
  kDateTime,
  kDate,
  kTime,
  kUuid,
  kIntegerId,
  kEmail,
  kIpv4,
  kUri,
  kOther
};

struct SchemaNode {
  std::string location;  // pointer into the schema, for messages
  unsigned groups = 0;   // KeywordGroup bits, set once compiled
  bool always_false = false;
  bool is_ref = false;
  bool plain_members = false;  // no patternProperties, propertyNames or dependencies: the fast member loop
  bool has_enum = false;
  // An enum of strings only (transferType, a transfer target's type) is matched as bytes.
  bool enum_strings_only = false;
  FormatKind format_kind = FormatKind::kNone;  // format (below), decided once
  int ref = -1;
  unsigned types = 0;  // 0: any
  // The types whose values need nothing but their type here (every type for a node with no
  // keywords, none for a node with more than a type): the walk's one test before a call.
  unsigned types_alone = 0;
  std::vector<util::Json> enum_values;
  std::vector<std::string> enum_strings;  // the enum, when enum_strings_only
  // "x-type-violation": {code, hint}: a wrong type here is this code (a Genesys attribute that is
  // not a string: ATTRIBUTE_NOT_STRING), not SCHEMA_TYPE. An index into Impl::type_violations
  // (rare: kept off the node, which the validation walk reads for every value).
  int type_violation = -1;
  std::optional<util::Json> const_value;
  std::string description;
  // strings
  std::optional<std::size_t> min_length, max_length;
  std::optional<Pattern> pattern;
  std::string format;
  std::string id_of;  // "x-id-of": what an ID names (queue, wrapup), for the display-name lint
  // contentMediaType "application/json": the string holds a JSON document; content_schema
  // (contentSchema, -1 if none) checks the parsed document.
  bool json_content = false;
  int content_schema = -1;
  // numbers
  std::optional<double> minimum, maximum, exclusive_minimum, exclusive_maximum, multiple_of;
  // objects
  std::vector<std::string> required;
  std::map<std::string, int, std::less<>> properties;
  std::vector<std::string> property_names_list;    // the keys of properties, for "did you mean"
  std::vector<std::string> folded_property_names;  // the same, case and separators folded (lint)
  PropertyTable property_table;                    // properties, for the per-key lookup
  PropertyTable folded_table;                      // folded property name -> index into property_names_list
  std::uint64_t folded_shapes = 0;                 // bit folded_shape(len, first char) of each folded name
  std::array<std::uint64_t, 2> folded_last{};      // bit (last char & 127) of each folded name
  std::vector<std::pair<Pattern, int>> pattern_properties;
  int additional_properties = -1;  // -1: anything allowed
  std::optional<std::size_t> min_properties, max_properties;
  int property_names = -1;
  std::map<std::string, std::vector<std::string>, std::less<>> dependency_required;
  std::map<std::string, int, std::less<>> dependency_schemas;
  // arrays
  int items = -1;
  std::vector<int> tuple_items;
  bool has_tuple = false;
  int additional_items = -1;
  std::optional<std::size_t> min_items, max_items;
  bool unique_items = false;
  int contains = -1;
  // combinators
  std::vector<int> all_of, any_of, one_of;
  int not_schema = -1, if_schema = -1, then_schema = -1, else_schema = -1;
};

// Where in the instance the walk is, as a chain on the stack; turned into an RFC 6901 pointer
// only when a violation is reported, so a clean payload allocates nothing for paths.
struct Path {
  const Path* parent = nullptr;
  std::string_view key;
  std::size_t index = static_cast<std::size_t>(-1);  // set for array items

  std::string pointer() const;
};

// Key folded for case/separator comparison: customer_name, Customer-Name -> customername.
std::string fold_key(std::string_view key);
// A type bit's name (kString -> "string"); a type mask as "string or null"; a number without
// trailing zeros (0.87, 100): the words of violation messages (contracts/schema_text.cpp).
std::string type_name(unsigned bit);
std::string type_list(unsigned types);
// prefix + "a " or "an " + words ("send an integer", "send a string or null").
std::string with_article(const std::string& words, const std::string& prefix);
std::string num_text(double x);
// Whether key holds a capital A-Z or a separator: whether fold_key would change it (inline: the
// fast member loop asks it of every key the contract does not name).
// Eight bytes at a time with the bit tricks for "a byte in a range" and "a byte equal to c" (exact
// for any byte: 0x80 or more is neither), where a byte-by-byte loop was most of the lookup's cost.
// The last word overlaps the one before (or, under eight bytes, is two overlapping 4-byte reads,
// or three single bytes): every byte tested is the key's own, and no word is assembled from a
// variable-length copy, which the CPU cannot forward to the next load (that stall was 30 % of
// this function on 1,500-key objects).
inline bool has_fold_characters(std::string_view key) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull, kLow7 = kOnes * 127;
  auto has_zero = [](std::uint64_t x) { return ((x - kOnes) & ~x & kHigh) != 0; };
  auto folds = [&](std::uint64_t w) {
    // 'A' - 1 < byte < 'Z' + 1, for bytes below 0x80 (a byte with its top bit set is cleared by ~w)
    std::uint64_t low = w & kLow7;
    std::uint64_t capital = (kOnes * (127 + ('Z' + 1)) - low) & ~w & (low + kOnes * (127 - ('A' - 1))) & kHigh;
    return capital || has_zero(w ^ (kOnes * '_')) || has_zero(w ^ (kOnes * '-')) || has_zero(w ^ (kOnes * ' ')) ||
           has_zero(w ^ (kOnes * '.'));
  };
  const char* p = key.data();
  const std::size_t n = key.size();
  std::uint64_t w = 0;
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 < n; i += 8) {
      std::memcpy(&w, p + i, 8);
      if (folds(w)) return true;
    }
    std::memcpy(&w, p + n - 8, 8);
    return folds(w);
  }
  if (n >= 4) {
    std::uint32_t a = 0, b = 0;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    return folds(a | std::uint64_t{b} << 32);
  }
  if (n == 0) return false;
  // 1-3 bytes: first, middle, last; the other bytes stay zero, which folds to itself
  w = static_cast<unsigned char>(p[0]) | std::uint64_t{static_cast<unsigned char>(p[n / 2])} << 8 |
      std::uint64_t{static_cast<unsigned char>(p[n - 1])} << 16;
  return folds(w);
}

constexpr bool is_key_separator(char c) { return c == '_' || c == '-' || c == ' ' || c == '.'; }
constexpr char fold_char(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
// A bit for a folded key's length and first character: a one-test prefilter before folding.
inline std::uint64_t folded_shape(std::size_t len, char first) {
  return std::uint64_t{1} << ((len * 7 + static_cast<unsigned char>(first)) & 63);
}

struct Schema::Impl {
  std::vector<SchemaNode> nodes;
  std::vector<std::pair<std::string, std::string>> type_violations;  // x-type-violation: code, hint
  std::string name;

  // A: value adapter (NlohmannAdapter, TapeAdapter in json_adapters.hpp). lints: also report the
  // schema-aware Cognigy lints; they never change validity (each replaces a schema violation at
  // the same place by a more precise code, or adds to a value the schema accepts).
  template <class A>
  void check(int node, typename A::Value v, const Path& path, std::vector<Violation>& out, bool lints) const;
  template <class A>
  bool valid(int node, typename A::Value v) const;
  // check's keyword groups (schema_check.cpp), each for a value check has found of the group's type.
  template <class A>
  [[gnu::cold]] void type_mismatch(const SchemaNode& n, typename A::Value v, unsigned bit, const Path& path,
                                   std::vector<Violation>& out, bool lints) const;
  // The hot groups are inlined into check (one frame per value, as before the split); the cold
  // ones (type mismatch, applicators) stay calls.
  template <class A>
  [[gnu::always_inline]] inline void check_enum(const SchemaNode& n, typename A::Value v, const Path& path,
                                                std::vector<Violation>& out) const;
  [[gnu::always_inline]] inline void check_string(const SchemaNode& n, std::string_view s, const Path& path,
                                                  std::vector<Violation>& out, bool lints) const;
  [[gnu::always_inline]] inline void check_number(const SchemaNode& n, double d, const Path& path,
                                                  std::vector<Violation>& out) const;
  template <class A>
  [[gnu::always_inline]] inline void check_object(const SchemaNode& n, typename A::Value v, const Path& path,
                                                  std::vector<Violation>& out, bool lints) const;
  // The general member check (patternProperties, the case-twin lint, a refused or constrained
  // additional property, propertyNames, dependencies); check_object decides most keys without it.
  template <class A>
  [[gnu::noinline]] void check_member(const SchemaNode& n, typename A::Value v, std::string_view key,
                                      typename A::Value value, const Path& path, std::vector<Violation>& out,
                                      bool lints) const;
  template <class A>
  void check_array(const SchemaNode& n, typename A::Value v, const Path& path, std::vector<Violation>& out,
                   bool lints) const;
  template <class A>
  void check_applicators(const SchemaNode& n, typename A::Value v, const Path& path, std::vector<Violation>& out,
                         bool lints) const;
  void check_json_content(const SchemaNode& n, std::string_view s, const Path& path, std::vector<Violation>& out,
                          bool lints) const;

  // After compiling: point every reference at its final target (no hop through $ref nodes at
  // validation time), fill the keyword groups and the property tables.
  void finalize();

  void check_json(const util::Json& v, std::vector<Violation>& out, bool lints) const;
  // keys: the walk adds each object's keys for DUPLICATE_KEY (key_table.hpp), or null.
  void check_dom(const simdjson::dom::document& doc, std::vector<Violation>& out, bool lints,
                 WalkKeys* keys = nullptr) const;
  bool valid_json(const util::Json& v) const;

  // minProperties/maxProperties and minItems/maxItems.
  void count_bounds(std::vector<Violation>& out, const Path& path, std::size_t count, std::optional<std::size_t> min,
                    std::optional<std::size_t> max, const char* what, const char* unit) const {
    if (min && count < *min)
      add(out, "SCHEMA_LENGTH", path, std::string(what) + " has fewer than " + std::to_string(*min) + " " + unit, "");
    if (max && count > *max)
      add(out, "SCHEMA_LENGTH", path, std::string(what) + " has more than " + std::to_string(*max) + " " + unit, "");
  }

  void add(std::vector<Violation>& out, const char* code, const Path& path, std::string message,
           std::string hint) const {
    out.push_back(Violation{code, path.pointer(), std::move(message), std::move(hint), name});
  }
};

}  // namespace contracts
