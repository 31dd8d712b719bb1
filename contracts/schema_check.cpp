// The validation walk, written once over a value adapter and instantiated for nlohmann::json
// (tools, tests, response contracts) and simdjson's DOM (the payload hot path).
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "contracts/formats.hpp"
#include "contracts/json_adapters.hpp"
#include "contracts/key_table.hpp"
#include "contracts/schema_impl.hpp"
#include "util/strings.hpp"

namespace contracts {

namespace {

// ---- helpers --------------------------------------------------------------------------------

// expected (from the schema) equals actual, numbers compared by value (1 == 1.0).
template <class A>
bool equal(const util::Json& e, typename A::Value a) {
  unsigned bit = A::type_bit(a);
  switch (e.type()) {
    case util::Json::value_t::null:
      return bit == kNull;
    case util::Json::value_t::boolean:
      return bit == kBoolean && A::boolean(a) == e.get<bool>();
    case util::Json::value_t::number_integer:
    case util::Json::value_t::number_unsigned:
    case util::Json::value_t::number_float:
      return (bit & (kInteger | kNumber)) && A::num(a) == e.get<double>();
    case util::Json::value_t::string:
      return bit == kString && A::str(a) == e.get_ref<const std::string&>();
    case util::Json::value_t::array: {
      if (bit != kArray || A::size(a) != e.size()) return false;
      bool same = true;
      A::items(a, [&](std::size_t i, typename A::Value x) { same = same && equal<A>(e[i], x); });
      return same;
    }
    case util::Json::value_t::object: {
      if (bit != kObject || A::size(a) != e.size()) return false;
      for (auto it = e.begin(); it != e.end(); ++it) {
        typename A::Value x{};
        if (!A::find(a, it.key(), x) || !equal<A>(*it, x)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

// The contract's property name that key folds to (customer_name -> customerName), or null.
const std::string* case_twin_of(const SchemaNode& n, std::string_view key) {
  if (n.folded_table.empty()) return nullptr;
  if (key.size() > 64) {
    int i = n.folded_table.find(fold_key(key));
    return i < 0 ? nullptr : &n.property_names_list[i];
  }
  // Most keys are already in folded form (no capitals, no separators): look them up as they are.
  bool folded_already = !has_fold_characters(key);
  if (folded_already) {
    if (key.empty() || !(n.folded_shapes & folded_shape(key.size(), key[0]))) return nullptr;  // one test, no hash
    int i = n.folded_table.find(key);
    return i < 0 ? nullptr : &n.property_names_list[i];
  }
  char buffer[64];
  std::size_t len = 0;
  for (char c : key) {
    buffer[len] = fold_char(c);  // written always, kept only if not a separator: no branch
    len += !is_key_separator(c);
  }
  if (!(n.folded_shapes & folded_shape(len, len ? buffer[0] : '\0'))) return nullptr;
  int i = n.folded_table.find(std::string_view(buffer, len));
  return i < 0 ? nullptr : &n.property_names_list[i];
}

// Whether case_twin_of could find a twin for key: a cheap test that passes every key it would
// (a key to fold, or one whose length and first character some folded property name has).
// First the key's last character, folded: most keys the contract does not name end otherwise than
// every name it does (custom07 against intent, customerName, ...), and are passed with a shift.
// (The last-character test inline at the call, once per key the contract does not name; the rest
// out of line.)
[[gnu::noinline]] bool may_be_case_twin_by_shape(const SchemaNode& n, std::string_view key) {
  if (key.size() > 64 || has_fold_characters(key)) return true;
  return !key.empty() && (n.folded_shapes & folded_shape(key.size(), key[0]));
}

[[gnu::always_inline]] inline bool may_be_case_twin(const SchemaNode& n, std::string_view key) {
  if (key.empty()) return false;
  if (const char last = key.back(); !is_key_separator(last)) {
    const unsigned c = static_cast<unsigned char>(fold_char(last)) & 127u;
    if (!((n.folded_last[c >> 6] >> (c & 63)) & 1)) return false;
  }
  return may_be_case_twin_by_shape(n, key);
}

bool blank(std::string_view s) { return util::trim(s).empty(); }

// Could s be a JSON object or array? (its first non-blank character; a parse only then)
bool may_hold_json_container(std::string_view s) {
  auto first = s.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && (s[first] == '{' || s[first] == '[');
}

// kObject or kArray when s is a whole JSON object or array, else 0. A parser of its own: the
// caller may be walking a DOM of the payload's parser.
unsigned json_container_kind(std::string_view s) {
  thread_local simdjson::dom::parser parser;
  thread_local std::string padded;
  padded.reserve(s.size() + simdjson::SIMDJSON_PADDING);
  padded.assign(s);
  simdjson::dom::element e;
  if (parser.parse(padded.data(), padded.size(), false).get(e) != simdjson::SUCCESS) return 0;
  return e.type() == simdjson::dom::element_type::OBJECT  ? unsigned{kObject}
         : e.type() == simdjson::dom::element_type::ARRAY ? unsigned{kArray}
                                                          : 0u;
}

}  // namespace

// ---- the walk -------------------------------------------------------------------------------

// A string declared to hold a JSON document (contentMediaType application/json): it must parse,
// and the document inside must satisfy contentSchema. Violations inside keep the string's own
// pointer (a pointer cannot enter a string) and name the inner location in the message.
void Schema::Impl::check_json_content(const SchemaNode& n, std::string_view s, const Path& path,
                                      std::vector<Violation>& out, bool lints) const {
  util::Json inner;
  if (auto err = util::parse_json_into(s, inner, 64)) {
    add(out, "SCHEMA_FORMAT", path,
        "the string must hold a JSON document: " + err->reason + " at column " + std::to_string(err->position.column),
        "build this value with JSON.stringify() of the context object");
    return;
  }
  if (n.content_schema < 0) return;
  std::vector<Violation> found;
  check<NlohmannAdapter>(n.content_schema, &inner, Path{}, found, lints);
  std::string where = path.pointer();
  for (auto& v : found) {
    v.message = "inside the JSON string" + (v.pointer.empty() ? "" : " at " + v.pointer) + ": " + v.message;
    v.pointer = where;
    out.push_back(std::move(v));
  }
}

// A node with nothing but a type that v has (most context keys): nothing to check, no call.
template <class A>
[[gnu::always_inline]] inline bool only_type_and_satisfied(const SchemaNode& c, typename A::Value v) {
  return (c.types_alone & A::type_bit(v)) != 0;
}

// The key table of the walk in progress (check_dom sets it for the first contract's walk), for
// the tape walk with lints only: valid() (lints off) and a string's inner JSON document (another
// DOM) leave it alone.
thread_local WalkKeys* t_walk_keys = nullptr;

template <class A>
[[gnu::always_inline]] inline WalkKeys* walk_keys(bool lints) {
  if constexpr (std::is_same_v<A, TapeAdapter>)
    return lints ? t_walk_keys : nullptr;
  else
    return nullptr;
}

// The walk goes past v (an object or array among them is not walked: the lint pass will be).
template <class A>
[[gnu::always_inline]] inline void passed(bool lints, unsigned bit) {
  if (WalkKeys* keys = walk_keys<A>(lints)) keys->passed(bit);
}

template <class A>
bool Schema::Impl::valid(int node, typename A::Value v) const {
  std::vector<Violation> tmp;
  check<A>(node, v, Path{}, tmp, false);
  return tmp.empty();
}

template <class A>
void Schema::Impl::check(int idx, typename A::Value v, const Path& path, std::vector<Violation>& out,
                         bool lints) const {
  const SchemaNode& n = nodes[idx];
  if (n.is_ref) return check<A>(n.ref, v, path, out, lints);
  unsigned bit = A::type_bit(v);
  if (n.always_false) {
    passed<A>(lints, bit);
    add(out, "SCHEMA_OTHER", path, "no value is allowed here (schema is false)", "remove this value");
    return;
  }
  if (n.types && !(n.types & bit)) {
    passed<A>(lints, bit);
    return type_mismatch<A>(n, v, bit, path, out, lints);
  }
  if (n.groups & kKwEnum) check_enum<A>(n, v, path, out);
  if (bit == kString && (n.groups & kKwString)) check_string(n, A::str(v), path, out, lints);
  if ((bit & (kInteger | kNumber)) && (n.groups & kKwNumber)) check_number(n, A::num(v), path, out);
  if (bit == kObject) {
    if (n.groups & kKwObject)
      check_object<A>(n, v, path, out, lints);
    else
      passed<A>(lints, bit);
  }
  if (bit == kArray) {
    if (n.groups & kKwArray)
      check_array<A>(n, v, path, out, lints);
    else
      passed<A>(lints, bit);
  }
  if (n.groups & kKwApplicators) check_applicators<A>(n, v, path, out, lints);
}

// A value of another type than the schema's: one violation (further keywords would only repeat
// it); a string holding the JSON object or array the schema wants is STRINGIFIED_JSON.
template <class A>
void Schema::Impl::type_mismatch(const SchemaNode& n, typename A::Value v, unsigned bit, const Path& path,
                                 std::vector<Violation>& out, bool lints) const {
  if (lints && bit == kString && (n.types & (kObject | kArray)) && may_hold_json_container(A::str(v))) {
    unsigned inner_bit = json_container_kind(A::str(v));
    if (inner_bit & n.types) {
      add(out, "STRINGIFIED_JSON", path,
          "expected " + type_list(n.types) + ", got a string holding JSON " + type_name(inner_bit),
          "send the " + type_name(inner_bit) + " itself, not JSON.stringify() of it (usually built in a Code node)");
      return;
    }
  }
  // The contract's own code and hint (x-type-violation), else SCHEMA_TYPE.
  const auto* own = n.type_violation >= 0 ? &type_violations[static_cast<std::size_t>(n.type_violation)] : nullptr;
  add(out, own ? own->first.c_str() : "SCHEMA_TYPE", path, "expected " + type_list(n.types) + ", got " + type_name(bit),
      own ? own->second : with_article(type_list(n.types), "send "));
}

// enum and const.
template <class A>
void Schema::Impl::check_enum(const SchemaNode& n, typename A::Value v, const Path& path,
                              std::vector<Violation>& out) const {
  if (n.has_enum) {
    bool hit = false;
    if (n.enum_strings_only) {
      if (A::type_bit(v) == kString) {
        const std::string_view s = A::str(v);
        for (const auto& e : n.enum_strings)
          if (e.size() == s.size() && same_bytes(e.data(), s.data(), s.size())) {
            hit = true;
            break;
          }
      }
    } else {
      for (const auto& e : n.enum_values)
        if (equal<A>(e, v)) {
          hit = true;
          break;
        }
    }
    if (!hit) {
      std::vector<std::string> allowed;
      for (const auto& e : n.enum_values) allowed.push_back(util::dump_line(e));
      add(out, "SCHEMA_ENUM", path,
          "value " + util::excerpt(A::text(v), 60) + " is not one of " + util::join(allowed, ", "),
          "use one of " + util::join(allowed, ", "));
    }
  }
  if (n.const_value && !equal<A>(*n.const_value, v))
    add(out, "SCHEMA_ENUM", path, "value must be " + n.const_value->dump(), "use " + n.const_value->dump());
}

// minLength, maxLength, pattern, format (with the display-name lints), contentMediaType.
void Schema::Impl::check_string(const SchemaNode& n, std::string_view s, const Path& path, std::vector<Violation>& out,
                                bool lints) const {
  // A string of b bytes holds between b/4 and b characters: counting them (a pass over the
  // bytes) only when the byte count cannot decide.
  bool count = (n.min_length && s.size() / 4 < *n.min_length) || (n.max_length && s.size() > *n.max_length);
  if (count) {
    std::size_t len = utf8_length(s);
    if (n.min_length && len < *n.min_length)
      add(out, "SCHEMA_LENGTH", path,
          "string is " + std::to_string(len) + " characters, at least " + std::to_string(*n.min_length) + " required",
          len == 0 ? "fill in this value: an empty string reaches the agent as nothing" : "send a longer value");
    if (n.max_length && len > *n.max_length)
      add(out, "SCHEMA_LENGTH", path,
          "string is " + std::to_string(len) + " characters, at most " + std::to_string(*n.max_length) + " allowed",
          "shorten the value to " + std::to_string(*n.max_length) + " characters");
  }
  if (n.pattern && !n.pattern->re.search(s))
    add(out, "SCHEMA_PATTERN", path, "value \"" + util::excerpt(s, 60) + "\" does not match " + n.pattern->source,
        n.description.empty() ? "send a value matching " + n.pattern->source : n.description);
  if (n.format_kind != FormatKind::kNone && !format_ok(n.format_kind, s)) {
    bool id_format = n.format == "uuid" || n.format == "integer-id";
    std::string id_kind = n.format == "uuid" ? "a UUID" : "a numeric ID";
    if (lints && id_format && util::looks_like_display_name(s)) {
      // Which ID: the schema says ("x-id-of"), else the place does (/wrapupCode/id).
      std::string of = n.id_of;
      if (of.empty()) {
        std::string where = path.pointer();
        for (auto& c : where) c = fold_char(c);
        of = where.find("wrapup") != std::string::npos || where.find("disposition") != std::string::npos ? "wrapup"
                                                                                                         : "queue";
      }
      if (of == "wrapup")
        add(out, "WRAPUP_NAME_NOT_ID", path,
            "\"" + util::excerpt(s, 60) + "\" is a wrap-up code's display name where its ID (" + id_kind + ") belongs",
            n.format == "uuid"
                ? "copy the code's ID from admin or GET /api/v2/routing/queues/{queueId}/wrapupcodes, not its name"
                : "copy the disposition ID (digits) from CXone admin (ACD > Dispositions), not its name");
      else
        add(out, "QUEUE_NAME_NOT_ID", path,
            "\"" + util::excerpt(s, 60) + "\" is a display name where an ID (" + id_kind + ") belongs",
            n.format == "uuid"
                ? "copy the ID from admin or the routing API (GET /api/v2/routing/queues?name=...), not the name"
                : "copy the skill ID (digits) from CXone admin (ACD > Skills), not its name");
    } else
      add(out, "SCHEMA_FORMAT", path, "value \"" + util::excerpt(s, 60) + "\" is not a valid " + n.format,
          id_format ? "send the ID (" + id_kind + ")" : "send a valid " + n.format);
  }
  if (n.json_content) check_json_content(n, s, path, out, lints);
}

// minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf.
void Schema::Impl::check_number(const SchemaNode& n, double d, const Path& path, std::vector<Violation>& out) const {
  if (n.minimum && d < *n.minimum)
    add(out, "SCHEMA_RANGE", path, "value " + num_text(d) + " is below the minimum " + num_text(*n.minimum),
        "send a value of at least " + num_text(*n.minimum));
  if (n.maximum && d > *n.maximum)
    add(out, "SCHEMA_RANGE", path, "value " + num_text(d) + " is above the maximum " + num_text(*n.maximum),
        "send a value of at most " + num_text(*n.maximum) +
            (*n.maximum == 1 && d > 1 && d <= 100 ? " (a fraction such as 0.87, not a percentage)" : ""));
  if (n.exclusive_minimum && d <= *n.exclusive_minimum)
    add(out, "SCHEMA_RANGE", path, "value " + num_text(d) + " must be greater than " + num_text(*n.exclusive_minimum),
        "send a value above " + num_text(*n.exclusive_minimum));
  if (n.exclusive_maximum && d >= *n.exclusive_maximum)
    add(out, "SCHEMA_RANGE", path, "value " + num_text(d) + " must be less than " + num_text(*n.exclusive_maximum),
        "send a value below " + num_text(*n.exclusive_maximum));
  if (n.multiple_of && *n.multiple_of > 0) {
    double q = d / *n.multiple_of;
    if (!std::isfinite(q) || std::fabs(q - std::round(q)) > 1e-9)
      add(out, "SCHEMA_RANGE", path, "value " + num_text(d) + " is not a multiple of " + num_text(*n.multiple_of),
          "send a multiple of " + num_text(*n.multiple_of));
  }
}

// required (with EMPTY_VALUE), min/maxProperties, then each member.
template <class A>
void Schema::Impl::check_object(const SchemaNode& n, typename A::Value v, const Path& path, std::vector<Violation>& out,
                                bool lints) const {
  using Value = typename A::Value;
  for (const auto& r : n.required) {
    Value present{};
    if (!A::find(v, r, present)) {
      std::string hint = "add \"" + r + "\"";
      // A near-miss key (customer_name for customerName) is the usual cause.
      std::vector<std::string_view> keys;
      keys.reserve(A::size(v));
      A::members(v, [&](std::string_view k, Value) { keys.push_back(k); });
      std::string near = util::closest_match_views(r, keys);
      if (!near.empty())
        hint = std::string("did you mean \"").append(r).append("\"? the payload has \"").append(near).append("\"");
      add(out, "SCHEMA_REQUIRED", Path{&path, r}, "required property \"" + r + "\" is missing", hint);
    } else if (lints) {
      unsigned pb = A::type_bit(present);
      if (pb == kNull || (pb == kString && blank(A::str(present))))
        add(out, "EMPTY_VALUE", Path{&path, r}, "required property \"" + r + "\" is empty",
            "a Cognigy expression that resolved to nothing sends null or \"\": check the flow fills it");
    }
  }
  if (n.min_properties || n.max_properties)
    count_bounds(out, path, A::size(v), n.min_properties, n.max_properties, "object", "properties");
  // The first walk of this object (with lints, on the tape) adds its keys for DUPLICATE_KEY.
  WalkKeys* keys = walk_keys<A>(lints);
  std::size_t at = 0;
  if constexpr (std::is_same_v<A, TapeAdapter>) at = v.at;
  if (keys && !keys->first_visit(at)) keys = nullptr;
  if (!n.plain_members) {
    A::members(v, [&](std::string_view key, Value value) {
      if (keys) keys->add(at, key);
      check_member<A>(n, v, key, value, path, out, lints);
    });
    return;
  }
  // Most keys are decided here, with no call: a property whose value needs no more than its type,
  // or another key that cannot be a case twin of one, in an object that allows it by type.
  A::members(v, [&](std::string_view key, Value value) {
    if (keys) keys->add(at, key);
    if (int p = n.property_table.find(key); p >= 0) {
      const unsigned bit = A::type_bit(value);
      if (nodes[p].types_alone & bit)
        passed<A>(lints, bit);
      else
        check<A>(p, value, Path{&path, key}, out, lints);
      return;
    }
    bool maybe_twin = lints && !n.folded_table.empty() && may_be_case_twin(n, key);
    if (!maybe_twin) {
      const unsigned bit = A::type_bit(value);
      if (n.additional_properties < 0 || (nodes[n.additional_properties].types_alone & bit)) {
        passed<A>(lints, bit);
        return;
      }
    }
    check_member<A>(n, v, key, value, path, out, lints);
  });
}

// One member: properties, patternProperties, the case-twin lint, additionalProperties,
// propertyNames, dependencies.
template <class A>
void Schema::Impl::check_member(const SchemaNode& n, typename A::Value v, std::string_view key, typename A::Value value,
                                const Path& path, std::vector<Violation>& out, bool lints) const {
  using Value = typename A::Value;
  Path child{&path, key};
  bool matched = false, walked = false;
  if (int p = n.property_table.find(key); p >= 0) {
    matched = true;
    if (!only_type_and_satisfied<A>(nodes[p], value)) {
      check<A>(p, value, child, out, lints);
      walked = true;
    }
  }
  for (const auto& [pat, sub] : n.pattern_properties) {
    if (pat.re.search(key)) {
      matched = true;
      check<A>(sub, value, child, out, lints);
      walked = true;
    }
  }
  // customer_name or CustomerName for customerName: a key the contract knows, spelt otherwise.
  const std::string* case_twin = lints && !matched ? case_twin_of(n, key) : nullptr;
  if (case_twin)
    add(out, "KEY_CASE_MISMATCH", child,
        "key \"" + std::string(key) + "\" differs from the contract's \"" + *case_twin + "\" in case or separators",
        "did you mean \"" + *case_twin + "\"? rename the key in the flow");
  if (!matched && n.additional_properties >= 0) {
    const SchemaNode& ap = nodes[n.additional_properties];
    if (ap.always_false && case_twin) {
      // Already reported, more precisely, as KEY_CASE_MISMATCH.
    } else if (ap.always_false) {
      std::string near = util::closest_match(key, n.property_names_list);
      add(out, "SCHEMA_ADDITIONAL_PROPERTY", child, "property \"" + std::string(key) + "\" is not allowed here",
          near.empty() ? "remove it, or add it to the contract" : "did you mean \"" + near + "\"?");
    } else if (!only_type_and_satisfied<A>(ap, value)) {
      check<A>(n.additional_properties, value, child, out, lints);
      walked = true;
    }
  }
  if (!walked) passed<A>(lints, A::type_bit(value));
  if (n.property_names >= 0) [[unlikely]] {
    const util::Json name_value(key);
    if (!valid<NlohmannAdapter>(n.property_names, &name_value))
      add(out, "SCHEMA_OTHER", child, "property name \"" + std::string(key) + "\" is not allowed", "");
  }
  if (n.dependency_required.empty() && n.dependency_schemas.empty()) return;
  if (auto d = n.dependency_required.find(key); d != n.dependency_required.end()) {
    for (const auto& need : d->second) {
      Value unused{};
      if (!A::find(v, need, unused))
        add(out, "SCHEMA_REQUIRED", Path{&path, need},
            "property \"" + need + "\" is required when \"" + std::string(key) + "\" is present",
            "add \"" + need + "\"");
    }
  }
  if (auto d = n.dependency_schemas.find(key); d != n.dependency_schemas.end())
    check<A>(d->second, v, path, out, lints);
}

// min/maxItems, items (or the tuple and additionalItems), uniqueItems, contains.
template <class A>
void Schema::Impl::check_array(const SchemaNode& n, typename A::Value v, const Path& path, std::vector<Violation>& out,
                               bool lints) const {
  using Value = typename A::Value;
  if (n.min_items || n.max_items) count_bounds(out, path, A::size(v), n.min_items, n.max_items, "array", "items");
  A::items(v, [&](std::size_t i, Value item) {
    Path child{&path, {}, i};
    if (n.has_tuple) {
      if (i < n.tuple_items.size())
        check<A>(n.tuple_items[i], item, child, out, lints);
      else if (n.additional_items >= 0)
        check<A>(n.additional_items, item, child, out, lints);
      else
        passed<A>(lints, A::type_bit(item));
    } else if (n.items >= 0 && !only_type_and_satisfied<A>(nodes[n.items], item)) {
      check<A>(n.items, item, child, out, lints);
    } else {
      passed<A>(lints, A::type_bit(item));
    }
  });
  if (n.unique_items) {
    std::vector<util::Json> seen;
    A::items(v, [&](std::size_t, Value item) { seen.push_back(A::to_json(item)); });
    bool reported = false;
    for (std::size_t i = 0; i < seen.size() && !reported; ++i)
      for (std::size_t j = i + 1; j < seen.size() && !reported; ++j)
        if (equal<NlohmannAdapter>(seen[i], &seen[j])) {
          add(out, "SCHEMA_OTHER", Path{&path, {}, j}, "duplicate array item (items must be unique)", "");
          reported = true;
        }
  }
  if (n.contains >= 0) {
    bool any = false;
    A::items(v, [&](std::size_t, Value item) { any = any || valid<A>(n.contains, item); });
    if (!any) add(out, "SCHEMA_OTHER", path, "no array item matches the \"contains\" schema", "");
  }
}

// allOf, anyOf, oneOf, not, if/then/else.
template <class A>
void Schema::Impl::check_applicators(const SchemaNode& n, typename A::Value v, const Path& path,
                                     std::vector<Violation>& out, bool lints) const {
  for (int s : n.all_of) check<A>(s, v, path, out, lints);
  if (!n.any_of.empty()) {
    bool any = false;
    for (int s : n.any_of)
      if (valid<A>(s, v)) {
        any = true;
        break;
      }
    if (!any) add(out, "SCHEMA_OTHER", path, "value matches none of the allowed alternatives (anyOf)", "");
  }
  if (!n.one_of.empty()) {
    int hits = 0;
    for (int s : n.one_of)
      if (valid<A>(s, v)) ++hits;
    if (hits != 1)
      add(out, "SCHEMA_OTHER", path,
          "value must match exactly one alternative (oneOf), it matches " + std::to_string(hits), "");
  }
  if (n.not_schema >= 0 && valid<A>(n.not_schema, v))
    add(out, "SCHEMA_OTHER", path, "value matches a schema it must not match (not)", "");
  if (n.if_schema >= 0) {
    if (valid<A>(n.if_schema, v)) {
      if (n.then_schema >= 0) check<A>(n.then_schema, v, path, out, lints);
    } else if (n.else_schema >= 0) {
      check<A>(n.else_schema, v, path, out, lints);
    }
  }
}

void Schema::Impl::check_json(const util::Json& v, std::vector<Violation>& out, bool lints) const {
  check<NlohmannAdapter>(0, &v, Path{}, out, lints);
}

void Schema::Impl::check_dom(const simdjson::dom::document& doc, std::vector<Violation>& out, bool lints,
                             WalkKeys* keys) const {
  const TapeDocument tape{doc.tape.get(), doc.string_buf.get()};
  if (keys) keys->start(tape);
  t_walk_keys = keys;
  check<TapeAdapter>(0, TapeAdapter::root(tape), Path{}, out, lints);
  t_walk_keys = nullptr;
}

bool Schema::Impl::valid_json(const util::Json& v) const { return valid<NlohmannAdapter>(0, &v); }

}  // namespace contracts
