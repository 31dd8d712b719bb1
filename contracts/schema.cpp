// Draft-07 validator: compile() turns the schema into SchemaNode records (regexes compiled once,
// $refs resolved to node indices), validate() walks instance and nodes together.
#include "contracts/schema.hpp"

#include <cmath>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <unordered_map>

#include "util/strings.hpp"

namespace contracts {

namespace {

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
  std::regex re;
};

}  // namespace

struct SchemaNode {
  std::string location;     // pointer into the schema, for messages
  bool always_false = false;
  bool is_ref = false;
  int ref = -1;
  unsigned types = 0;       // 0: any
  std::vector<util::Json> enum_values;
  bool has_enum = false;
  std::optional<util::Json> const_value;
  std::string description;
  // strings
  std::optional<std::size_t> min_length, max_length;
  std::optional<Pattern> pattern;
  std::string format;
  // numbers
  std::optional<double> minimum, maximum, exclusive_minimum, exclusive_maximum, multiple_of;
  // objects
  std::vector<std::string> required;
  std::map<std::string, int> properties;
  std::vector<std::pair<Pattern, int>> pattern_properties;
  int additional_properties = -1;  // -1: anything allowed
  std::optional<std::size_t> min_properties, max_properties;
  int property_names = -1;
  std::map<std::string, std::vector<std::string>> dependency_required;
  std::map<std::string, int> dependency_schemas;
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

struct Schema::Impl {
  std::vector<SchemaNode> nodes;
  std::string name;

  void check(int node, const util::Json& v, const std::string& ptr, std::vector<Violation>& out) const;
  bool valid(int node, const util::Json& v) const {
    std::vector<Violation> tmp;
    check(node, v, "", tmp);
    return tmp.empty();
  }
  void add(std::vector<Violation>& out, std::string code, const std::string& ptr, std::string message,
           std::string hint) const {
    out.push_back(Violation{std::move(code), ptr, std::move(message), std::move(hint), name});
  }
};

namespace {

class Compiler {
 public:
  Compiler(const util::Json& root, Schema::Impl& impl) : root_(root), impl_(impl) {}

  util::Result<int> compile(const util::Json& s, const std::string& loc) {
    auto seen = by_location_.find(loc);
    if (seen != by_location_.end()) return seen->second;
    int idx = static_cast<int>(impl_.nodes.size());
    impl_.nodes.emplace_back();
    impl_.nodes[idx].location = loc;
    by_location_[loc] = idx;
    if (auto st = fill(idx, s, loc); !st) return st.error();
    return idx;
  }

 private:
  util::Status fail(const std::string& loc, const std::string& what) {
    return util::make_error("schema " + impl_.name + " at " + (loc.empty() ? "/" : loc) + ": " + what);
  }

  util::Result<int> sub(const util::Json& s, const std::string& loc) { return compile(s, loc); }

  // Compiles s[key] when present; stores its index in *slot.
  util::Status sub_into(const util::Json& s, const char* key, const std::string& loc, int SchemaNode::*slot,
                        int idx) {
    if (!s.contains(key)) return {};
    auto r = sub(s[key], util::pointer_append(loc, key));
    if (!r) return r.error();
    impl_.nodes[idx].*slot = *r;
    return {};
  }

  util::Result<std::vector<int>> sub_list(const util::Json& s, const char* key, const std::string& loc) {
    std::vector<int> out;
    const auto& arr = s[key];
    if (!arr.is_array() || arr.empty()) return fail(loc, std::string(key) + " must be a non-empty array").error();
    for (std::size_t i = 0; i < arr.size(); ++i) {
      auto r = sub(arr[i], util::pointer_append(util::pointer_append(loc, key), i));
      if (!r) return r.error();
      out.push_back(*r);
    }
    return out;
  }

  util::Result<Pattern> regex(const std::string& src, const std::string& loc) {
    try {
      return Pattern{src, std::regex(src, std::regex::ECMAScript | std::regex::optimize)};
    } catch (const std::regex_error& e) {
      return fail(loc, "invalid regular expression \"" + src + "\": " + e.what()).error();
    }
  }

  static std::optional<double> number(const util::Json& s, const char* key) {
    if (s.contains(key) && s[key].is_number()) return s[key].get<double>();
    return std::nullopt;
  }
  static std::optional<std::size_t> count(const util::Json& s, const char* key) {
    if (s.contains(key) && s[key].is_number() && s[key].get<double>() >= 0)
      return static_cast<std::size_t>(s[key].get<double>());
    return std::nullopt;
  }

  util::Status fill(int idx, const util::Json& s, const std::string& loc) {
    if (s.is_boolean()) {
      impl_.nodes[idx].always_false = !s.get<bool>();
      return {};
    }
    if (!s.is_object()) return fail(loc, "a schema must be an object or a boolean");

    if (s.contains("$ref")) {
      // Draft-07: $ref makes sibling keywords irrelevant.
      if (!s["$ref"].is_string()) return fail(loc, "$ref must be a string");
      std::string ref = s["$ref"].get<std::string>();
      if (ref.empty() || ref[0] != '#')
        return fail(loc, "$ref \"" + ref + "\" is not a local reference (only \"#...\" is supported)");
      std::string pointer = util::url_decode(ref.substr(1));
      const util::Json* target = nullptr;
      try {
        target = &root_.at(util::Json::json_pointer(pointer));
      } catch (const std::exception&) {
        return fail(loc, "$ref \"" + ref + "\" points at nothing");
      }
      auto r = sub(*target, pointer);
      if (!r) return r.error();
      impl_.nodes[idx].is_ref = true;
      impl_.nodes[idx].ref = *r;
      return {};
    }

    {
      SchemaNode& n = impl_.nodes[idx];
      if (s.contains("description") && s["description"].is_string()) n.description = s["description"];
      if (s.contains("type")) {
        auto bit = [](const std::string& t) -> unsigned {
          if (t == "null") return kNull;
          if (t == "boolean") return kBoolean;
          if (t == "integer") return kInteger;
          if (t == "number") return kNumber | kInteger;
          if (t == "string") return kString;
          if (t == "array") return kArray;
          if (t == "object") return kObject;
          return 0;
        };
        const auto& t = s["type"];
        std::vector<std::string> names;
        if (t.is_string()) names.push_back(t);
        else if (t.is_array())
          for (const auto& e : t)
            if (e.is_string()) names.push_back(e);
        for (const auto& name : names) {
          unsigned b = bit(name);
          if (!b) return fail(loc, "unknown type \"" + name + "\"");
          n.types |= b;
        }
      }
      if (s.contains("enum")) {
        if (!s["enum"].is_array()) return fail(loc, "enum must be an array");
        n.has_enum = true;
        n.enum_values.assign(s["enum"].begin(), s["enum"].end());
      }
      if (s.contains("const")) n.const_value = s["const"];
      n.min_length = count(s, "minLength");
      n.max_length = count(s, "maxLength");
      if (s.contains("format") && s["format"].is_string()) n.format = s["format"];
      n.minimum = number(s, "minimum");
      n.maximum = number(s, "maximum");
      n.exclusive_minimum = number(s, "exclusiveMinimum");
      n.exclusive_maximum = number(s, "exclusiveMaximum");
      n.multiple_of = number(s, "multipleOf");
      if (s.contains("required") && s["required"].is_array())
        for (const auto& r : s["required"])
          if (r.is_string()) n.required.push_back(r);
      n.min_properties = count(s, "minProperties");
      n.max_properties = count(s, "maxProperties");
      n.min_items = count(s, "minItems");
      n.max_items = count(s, "maxItems");
      n.unique_items = s.contains("uniqueItems") && s["uniqueItems"].is_boolean() && s["uniqueItems"].get<bool>();
    }
    if (s.contains("pattern") && s["pattern"].is_string()) {
      auto p = regex(s["pattern"], util::pointer_append(loc, "pattern"));
      if (!p) return p.error();
      impl_.nodes[idx].pattern = std::move(*p);
    }
    if (s.contains("properties") && s["properties"].is_object()) {
      for (const auto& [key, sch] : s["properties"].items()) {
        auto r = sub(sch, util::pointer_append(util::pointer_append(loc, "properties"), key));
        if (!r) return r.error();
        impl_.nodes[idx].properties[key] = *r;
      }
    }
    if (s.contains("patternProperties") && s["patternProperties"].is_object()) {
      for (const auto& [key, sch] : s["patternProperties"].items()) {
        std::string at = util::pointer_append(util::pointer_append(loc, "patternProperties"), key);
        auto p = regex(key, at);
        if (!p) return p.error();
        auto r = sub(sch, at);
        if (!r) return r.error();
        impl_.nodes[idx].pattern_properties.emplace_back(std::move(*p), *r);
      }
    }
    if (auto st = sub_into(s, "additionalProperties", loc, &SchemaNode::additional_properties, idx); !st) return st;
    if (auto st = sub_into(s, "propertyNames", loc, &SchemaNode::property_names, idx); !st) return st;
    if (s.contains("dependencies") && s["dependencies"].is_object()) {
      for (const auto& [key, dep] : s["dependencies"].items()) {
        if (dep.is_array()) {
          std::vector<std::string> names;
          for (const auto& d : dep)
            if (d.is_string()) names.push_back(d);
          impl_.nodes[idx].dependency_required[key] = names;
        } else {
          auto r = sub(dep, util::pointer_append(util::pointer_append(loc, "dependencies"), key));
          if (!r) return r.error();
          impl_.nodes[idx].dependency_schemas[key] = *r;
        }
      }
    }
    if (s.contains("items")) {
      if (s["items"].is_array()) {
        std::vector<int> list;
        for (std::size_t i = 0; i < s["items"].size(); ++i) {
          auto r = sub(s["items"][i], util::pointer_append(util::pointer_append(loc, "items"), i));
          if (!r) return r.error();
          list.push_back(*r);
        }
        impl_.nodes[idx].tuple_items = std::move(list);
        impl_.nodes[idx].has_tuple = true;
        if (auto st = sub_into(s, "additionalItems", loc, &SchemaNode::additional_items, idx); !st) return st;
      } else if (auto st = sub_into(s, "items", loc, &SchemaNode::items, idx); !st) {
        return st;
      }
    }
    if (auto st = sub_into(s, "contains", loc, &SchemaNode::contains, idx); !st) return st;
    for (auto [key, member] : {std::pair{"allOf", &SchemaNode::all_of}, std::pair{"anyOf", &SchemaNode::any_of},
                               std::pair{"oneOf", &SchemaNode::one_of}}) {
      if (!s.contains(key)) continue;
      auto r = sub_list(s, key, loc);
      if (!r) return r.error();
      impl_.nodes[idx].*member = std::move(*r);
    }
    if (auto st = sub_into(s, "not", loc, &SchemaNode::not_schema, idx); !st) return st;
    if (s.contains("if")) {
      if (auto st = sub_into(s, "if", loc, &SchemaNode::if_schema, idx); !st) return st;
      if (auto st = sub_into(s, "then", loc, &SchemaNode::then_schema, idx); !st) return st;
      if (auto st = sub_into(s, "else", loc, &SchemaNode::else_schema, idx); !st) return st;
    }
    return {};
  }

  const util::Json& root_;
  Schema::Impl& impl_;
  std::unordered_map<std::string, int> by_location_;
};

std::string type_name(const util::Json& v) {
  switch (v.type()) {
    case util::Json::value_t::null: return "null";
    case util::Json::value_t::boolean: return "boolean";
    case util::Json::value_t::number_integer:
    case util::Json::value_t::number_unsigned: return "integer";
    case util::Json::value_t::number_float: return "number";
    case util::Json::value_t::string: return "string";
    case util::Json::value_t::array: return "array";
    case util::Json::value_t::object: return "object";
    default: return "value";
  }
}

unsigned type_bit(const util::Json& v) {
  switch (v.type()) {
    case util::Json::value_t::null: return kNull;
    case util::Json::value_t::boolean: return kBoolean;
    case util::Json::value_t::number_integer:
    case util::Json::value_t::number_unsigned: return kInteger;
    case util::Json::value_t::number_float: {
      double d = v.get<double>();
      return (std::isfinite(d) && std::floor(d) == d) ? kInteger : kNumber;
    }
    case util::Json::value_t::string: return kString;
    case util::Json::value_t::array: return kArray;
    case util::Json::value_t::object: return kObject;
    default: return 0;
  }
}

std::string type_list(unsigned types) {
  std::vector<std::string> names;
  if (types & kNull) names.push_back("null");
  if (types & kBoolean) names.push_back("boolean");
  if ((types & kNumber)) names.push_back("number");
  else if (types & kInteger) names.push_back("integer");
  if (types & kString) names.push_back("string");
  if (types & kArray) names.push_back("array");
  if (types & kObject) names.push_back("object");
  return util::join(names, " or ");
}

// JSON equality with numbers compared by value (1 == 1.0), as JSON Schema requires.
bool json_equal(const util::Json& a, const util::Json& b) {
  if (a.is_number() && b.is_number()) return a.get<double>() == b.get<double>();
  if (a.type() != b.type()) return false;
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!json_equal(a[i], b[i])) return false;
    return true;
  }
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto it = a.begin(); it != a.end(); ++it) {
      auto jt = b.find(it.key());
      if (jt == b.end() || !json_equal(*it, *jt)) return false;
    }
    return true;
  }
  return a == b;
}

// Length in Unicode code points, as JSON Schema counts string length.
std::size_t utf8_length(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

bool digits(const std::string& s, std::size_t at, std::size_t count) {
  if (at + count > s.size()) return false;
  for (std::size_t i = at; i < at + count; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

bool is_date(const std::string& s, std::size_t at = 0) {
  if (!(digits(s, at, 4) && s.size() >= at + 10 && s[at + 4] == '-' && digits(s, at + 5, 2) && s[at + 7] == '-' &&
        digits(s, at + 8, 2)))
    return false;
  int month = std::stoi(s.substr(at + 5, 2)), day = std::stoi(s.substr(at + 8, 2));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

bool is_time(const std::string& s, std::size_t at) {
  // hh:mm:ss[.frac](Z|+hh:mm|-hh:mm)
  if (!(digits(s, at, 2) && s.size() > at + 8 && s[at + 2] == ':' && digits(s, at + 3, 2) && s[at + 5] == ':' &&
        digits(s, at + 6, 2)))
    return false;
  if (std::stoi(s.substr(at, 2)) > 23 || std::stoi(s.substr(at + 3, 2)) > 59 || std::stoi(s.substr(at + 6, 2)) > 60)
    return false;
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

bool format_ok(const std::string& format, const std::string& s) {
  if (format == "date-time") return is_date(s) && s.size() > 10 && (s[10] == 'T' || s[10] == 't') && is_time(s, 11);
  if (format == "date") return s.size() == 10 && is_date(s);
  if (format == "time") return is_time(s, 0);
  if (format == "uuid") return util::is_uuid(s);
  if (format == "email") {
    auto at = s.find('@');
    return at != std::string::npos && at > 0 && at + 1 < s.size() && s.find('@', at + 1) == std::string::npos &&
           s.find(' ') == std::string::npos;
  }
  if (format == "ipv4") {
    auto parts = util::split(s, '.');
    if (parts.size() != 4) return false;
    for (const auto& p : parts) {
      if (p.empty() || p.size() > 3 || !digits(p, 0, p.size()) || (p.size() > 1 && p[0] == '0') || std::stoi(p) > 255)
        return false;
    }
    return true;
  }
  if (format == "uri") {
    auto colon = s.find(':');
    if (colon == std::string::npos || colon == 0 || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
    return s.find(' ') == std::string::npos;
  }
  return true;  // unknown formats are annotations in draft-07
}

}  // namespace

void Schema::Impl::check(int idx, const util::Json& v, const std::string& ptr, std::vector<Violation>& out) const {
  const SchemaNode& n = nodes[idx];
  if (n.is_ref) return check(n.ref, v, ptr, out);
  if (n.always_false) {
    add(out, "SCHEMA_OTHER", ptr, "no value is allowed here (schema is false)", "remove this value");
    return;
  }
  unsigned bit = type_bit(v);
  if (n.types && !(n.types & bit)) {
    std::string hint = "send a " + type_list(n.types);
    if (v.is_string() && (n.types & (kObject | kArray)) && !v.get<std::string>().empty() &&
        (v.get<std::string>()[0] == '{' || v.get<std::string>()[0] == '['))
      hint = "this looks like JSON sent as a string: send the object itself, not JSON.stringify() of it";
    add(out, "SCHEMA_TYPE", ptr, "expected " + type_list(n.types) + ", got " + type_name(v), hint);
    return;  // further keywords would only repeat the type error
  }
  if (n.has_enum) {
    bool hit = false;
    for (const auto& e : n.enum_values)
      if (json_equal(e, v)) hit = true;
    if (!hit) {
      std::vector<std::string> allowed;
      for (const auto& e : n.enum_values) allowed.push_back(e.dump());
      add(out, "SCHEMA_ENUM", ptr, "value " + util::excerpt(v.dump(), 60) + " is not one of " + util::join(allowed, ", "),
          "use one of " + util::join(allowed, ", "));
    }
  }
  if (n.const_value && !json_equal(*n.const_value, v))
    add(out, "SCHEMA_ENUM", ptr, "value must be " + n.const_value->dump(), "use " + n.const_value->dump());

  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    if (n.min_length || n.max_length) {
      std::size_t len = utf8_length(s);
      if (n.min_length && len < *n.min_length)
        add(out, "SCHEMA_LENGTH", ptr,
            "string is " + std::to_string(len) + " characters, at least " + std::to_string(*n.min_length) + " required",
            len == 0 ? "fill in this value: an empty string reaches the agent as nothing" : "send a longer value");
      if (n.max_length && len > *n.max_length)
        add(out, "SCHEMA_LENGTH", ptr,
            "string is " + std::to_string(len) + " characters, at most " + std::to_string(*n.max_length) + " allowed",
            "shorten the value to " + std::to_string(*n.max_length) + " characters");
    }
    if (n.pattern && !std::regex_search(s, n.pattern->re))
      add(out, "SCHEMA_PATTERN", ptr, "value \"" + util::excerpt(s, 60) + "\" does not match " + n.pattern->source,
          n.description.empty() ? "send a value matching " + n.pattern->source : n.description);
    if (!n.format.empty() && !format_ok(n.format, s))
      add(out, "SCHEMA_FORMAT", ptr, "value \"" + util::excerpt(s, 60) + "\" is not a valid " + n.format,
          n.format == "uuid" ? "send the ID (a UUID), not a display name" : "send a valid " + n.format);
  }

  if (v.is_number()) {
    double d = v.get<double>();
    auto num = [](double x) {
      std::string s = std::to_string(x);
      s.erase(s.find_last_not_of('0') + 1);
      if (!s.empty() && s.back() == '.') s.pop_back();
      return s;
    };
    if (n.minimum && d < *n.minimum) add(out, "SCHEMA_OTHER", ptr, "value is below the minimum " + num(*n.minimum), "");
    if (n.maximum && d > *n.maximum) add(out, "SCHEMA_OTHER", ptr, "value is above the maximum " + num(*n.maximum), "");
    if (n.exclusive_minimum && d <= *n.exclusive_minimum)
      add(out, "SCHEMA_OTHER", ptr, "value must be greater than " + num(*n.exclusive_minimum), "");
    if (n.exclusive_maximum && d >= *n.exclusive_maximum)
      add(out, "SCHEMA_OTHER", ptr, "value must be less than " + num(*n.exclusive_maximum), "");
    if (n.multiple_of && *n.multiple_of > 0) {
      double q = d / *n.multiple_of;
      if (!std::isfinite(q) || std::fabs(q - std::round(q)) > 1e-9)
        add(out, "SCHEMA_OTHER", ptr, "value is not a multiple of " + num(*n.multiple_of), "");
    }
  }

  if (v.is_object()) {
    for (const auto& r : n.required) {
      auto it = v.find(r);
      if (it == v.end()) {
        std::string hint = "add \"" + r + "\"";
        // A near-miss key (customer_name for customerName) is the usual cause.
        std::vector<std::string> present;
        for (auto kv = v.begin(); kv != v.end(); ++kv) present.push_back(kv.key());
        std::string near = util::closest_match(r, present);
        if (!near.empty()) hint = "did you mean \"" + r + "\"? the payload has \"" + near + "\"";
        add(out, "SCHEMA_REQUIRED", util::pointer_append(ptr, r), "required property \"" + r + "\" is missing", hint);
      } else if (it->is_null() || (it->is_string() && util::trim(it->get_ref<const std::string&>()).empty())) {
        add(out, "EMPTY_VALUE", util::pointer_append(ptr, r), "required property \"" + r + "\" is empty",
            "a Cognigy expression that resolved to nothing sends null or \"\": check the flow fills it");
      }
    }
    if (n.min_properties && v.size() < *n.min_properties)
      add(out, "SCHEMA_LENGTH", ptr, "object has fewer than " + std::to_string(*n.min_properties) + " properties", "");
    if (n.max_properties && v.size() > *n.max_properties)
      add(out, "SCHEMA_LENGTH", ptr, "object has more than " + std::to_string(*n.max_properties) + " properties", "");
    std::vector<std::string> known;
    for (const auto& [k, _] : n.properties) known.push_back(k);
    for (auto it = v.begin(); it != v.end(); ++it) {
      const std::string& key = it.key();
      std::string child = util::pointer_append(ptr, key);
      bool matched = false;
      if (auto p = n.properties.find(key); p != n.properties.end()) {
        matched = true;
        check(p->second, *it, child, out);
      }
      for (const auto& [pat, sub] : n.pattern_properties) {
        if (std::regex_search(key, pat.re)) {
          matched = true;
          check(sub, *it, child, out);
        }
      }
      if (!matched && n.additional_properties >= 0) {
        const SchemaNode& ap = nodes[n.additional_properties];
        if (ap.always_false) {
          std::string near = util::closest_match(key, known);
          add(out, "SCHEMA_ADDITIONAL_PROPERTY", child, "property \"" + key + "\" is not allowed here",
              near.empty() ? "remove it, or add it to the contract" : "did you mean \"" + near + "\"?");
        } else {
          check(n.additional_properties, *it, child, out);
        }
      }
      if (n.property_names >= 0 && !valid(n.property_names, util::Json(key)))
        add(out, "SCHEMA_OTHER", child, "property name \"" + key + "\" is not allowed", "");
      if (auto d = n.dependency_required.find(key); d != n.dependency_required.end()) {
        for (const auto& need : d->second)
          if (!v.contains(need))
            add(out, "SCHEMA_REQUIRED", util::pointer_append(ptr, need),
                "property \"" + need + "\" is required when \"" + key + "\" is present", "add \"" + need + "\"");
      }
      if (auto d = n.dependency_schemas.find(key); d != n.dependency_schemas.end()) check(d->second, v, ptr, out);
    }
  }

  if (v.is_array()) {
    if (n.min_items && v.size() < *n.min_items)
      add(out, "SCHEMA_LENGTH", ptr, "array has fewer than " + std::to_string(*n.min_items) + " items", "");
    if (n.max_items && v.size() > *n.max_items)
      add(out, "SCHEMA_LENGTH", ptr, "array has more than " + std::to_string(*n.max_items) + " items", "");
    for (std::size_t i = 0; i < v.size(); ++i) {
      std::string child = util::pointer_append(ptr, i);
      if (n.has_tuple) {
        if (i < n.tuple_items.size()) check(n.tuple_items[i], v[i], child, out);
        else if (n.additional_items >= 0) check(n.additional_items, v[i], child, out);
      } else if (n.items >= 0) {
        check(n.items, v[i], child, out);
      }
    }
    if (n.unique_items) {
      for (std::size_t i = 0; i < v.size(); ++i)
        for (std::size_t j = i + 1; j < v.size(); ++j)
          if (json_equal(v[i], v[j])) {
            add(out, "SCHEMA_OTHER", util::pointer_append(ptr, j), "duplicate array item (items must be unique)", "");
            i = j = v.size();
          }
    }
    if (n.contains >= 0) {
      bool any = false;
      for (const auto& e : v)
        if (valid(n.contains, e)) any = true;
      if (!any) add(out, "SCHEMA_OTHER", ptr, "no array item matches the \"contains\" schema", "");
    }
  }

  for (int s : n.all_of) check(s, v, ptr, out);
  if (!n.any_of.empty()) {
    bool any = false;
    for (int s : n.any_of)
      if (valid(s, v)) {
        any = true;
        break;
      }
    if (!any) add(out, "SCHEMA_OTHER", ptr, "value matches none of the allowed alternatives (anyOf)", "");
  }
  if (!n.one_of.empty()) {
    int hits = 0;
    for (int s : n.one_of)
      if (valid(s, v)) ++hits;
    if (hits != 1)
      add(out, "SCHEMA_OTHER", ptr,
          "value must match exactly one alternative (oneOf), it matches " + std::to_string(hits), "");
  }
  if (n.not_schema >= 0 && valid(n.not_schema, v))
    add(out, "SCHEMA_OTHER", ptr, "value matches a schema it must not match (not)", "");
  if (n.if_schema >= 0) {
    if (valid(n.if_schema, v)) {
      if (n.then_schema >= 0) check(n.then_schema, v, ptr, out);
    } else if (n.else_schema >= 0) {
      check(n.else_schema, v, ptr, out);
    }
  }
}

util::Result<Schema> Schema::compile(const util::Json& document, std::string name) {
  Schema s;
  s.name_ = name;
  s.document_ = std::make_shared<const util::Json>(document);
  s.impl_ = std::make_unique<Impl>();
  s.impl_->name = std::move(name);
  Compiler c(*s.document_, *s.impl_);
  auto root = c.compile(*s.document_, "");
  if (!root) return root.error();
  return s;
}

void Schema::validate(const util::Json& instance, std::vector<Violation>& out) const {
  impl_->check(0, instance, "", out);
}

bool Schema::is_valid(const util::Json& instance) const { return impl_->valid(0, instance); }

Schema::Schema(Schema&&) noexcept = default;
Schema& Schema::operator=(Schema&&) noexcept = default;
Schema::~Schema() = default;

}  // namespace contracts
