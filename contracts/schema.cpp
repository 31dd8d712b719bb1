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
#include "util/uri.hpp"

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

  // lints: also report the Cognigy lints that need the schema's view (they never change validity:
  // each either replaces a schema violation at the same place by a more precise code, or adds to
  // a value the schema accepts).
  void check(int node, const util::Json& v, const std::string& ptr, std::vector<Violation>& out, bool lints) const;
  bool valid(int node, const util::Json& v) const {
    std::vector<Violation> tmp;
    check(node, v, "", tmp, false);
    return tmp.empty();
  }
  void add(std::vector<Violation>& out, std::string code, const std::string& ptr, std::string message,
           std::string hint) const {
    out.push_back(Violation{std::move(code), ptr, std::move(message), std::move(hint), name});
  }
};

namespace {

// A schema resource: a document root or a subschema with its own $id.
struct Resource {
  const util::Json* node;
  std::string key;   // "<document uri>#<pointer>": the node key of the resource
  std::string base;  // its base URI
};

class Compiler {
 public:
  Compiler(Schema::Impl& impl, const SchemaLoader& loader) : impl_(impl), loader_(loader) {}

  util::Result<int> compile_root(const util::Json& doc, const std::string& uri) {
    register_document(doc, uri);
    base_ = uri;
    return compile(doc, uri + "#");
  }

 private:
  util::Result<int> compile(const util::Json& s, const std::string& loc) {
    auto seen = by_location_.find(loc);
    if (seen != by_location_.end()) return seen->second;
    int idx = static_cast<int>(impl_.nodes.size());
    impl_.nodes.emplace_back();
    impl_.nodes[idx].location = loc.substr(loc.find('#') + 1);
    by_location_[loc] = idx;
    // A subschema with its own $id changes the base URI for everything inside it.
    std::string saved = base_;
    if (s.is_object() && !s.contains("$ref") && s.contains("$id") && s["$id"].is_string())
      base_ = util::resolve_uri(base_, s["$id"].get<std::string>());
    auto st = fill(idx, s, loc);
    base_ = saved;
    if (!st) return st.error();
    return idx;
  }

  // Indexes every resource ($id) of a document, walking only schema positions (a property
  // named "$id" inside "properties" is a name, not an identifier).
  void register_document(const util::Json& doc, const std::string& uri) {
    resources_[uri] = Resource{&doc, uri + "#", uri};
    index(doc, uri, uri + "#");
  }

  void index(const util::Json& s, std::string base, const std::string& key) {
    if (!s.is_object()) return;
    if (!s.contains("$ref") && s.contains("$id") && s["$id"].is_string()) {
      base = util::resolve_uri(base, s["$id"].get<std::string>());
      std::string id = base.ends_with("#") ? base.substr(0, base.size() - 1) : base;
      resources_.emplace(id, Resource{&s, key, base});
    }
    for (const char* kw : {"additionalItems", "contains", "additionalProperties", "propertyNames", "not", "if", "then",
                           "else", "items"})
      if (s.contains(kw) && s[kw].is_object()) index(s[kw], base, util::pointer_append(key, kw));
    for (const char* kw : {"allOf", "anyOf", "oneOf", "items"})
      if (s.contains(kw) && s[kw].is_array())
        for (std::size_t i = 0; i < s[kw].size(); ++i)
          index(s[kw][i], base, util::pointer_append(util::pointer_append(key, kw), i));
    for (const char* kw : {"properties", "patternProperties", "definitions", "dependencies"})
      if (s.contains(kw) && s[kw].is_object())
        for (const auto& [name, sub] : s[kw].items())
          index(sub, base, util::pointer_append(util::pointer_append(key, kw), name));
  }

  const Resource* find_resource(const std::string& uri) {
    auto it = resources_.find(uri);
    if (it != resources_.end()) return &it->second;
    if (!loader_ || uri.empty() || !attempted_.insert(uri).second) return nullptr;
    auto loaded = loader_(uri);
    if (!loaded) return nullptr;
    documents_.push_back(std::make_unique<util::Json>(std::move(*loaded)));
    register_document(*documents_.back(), uri);
    it = resources_.find(uri);
    return it == resources_.end() ? nullptr : &it->second;
  }

  util::Result<int> compile_ref(const std::string& ref, const std::string& loc) {
    std::string target = util::resolve_uri(base_, ref);
    auto hash = target.find('#');
    std::string doc = target.substr(0, hash);
    std::string fragment = hash == std::string::npos ? "" : util::url_decode(target.substr(hash + 1));
    const Resource* res = nullptr;
    std::string pointer;
    if (!fragment.empty() && fragment[0] != '/') {
      res = find_resource(target);  // a plain-name fragment: {"$id": "#foo"}
    } else {
      res = find_resource(doc);
      pointer = fragment;
    }
    if (!res)
      return fail(loc, "$ref \"" + ref + "\" cannot be resolved (" + target + " is not in this schema" +
                           (loader_ ? " nor loadable" : "") + ")")
          .error();
    // Walk the pointer token by token: an intermediate subschema with its own $id changes the
    // base the target is resolved against (the target's own $id is applied by compile()).
    const util::Json* node = res->node;
    std::string base = res->base;
    try {
      util::Json::json_pointer jp(pointer);
      std::vector<std::string> tokens;
      for (auto p = jp; !p.empty(); p = p.parent_pointer()) tokens.insert(tokens.begin(), p.back());
      for (const auto& t : tokens) {
        if (node->is_object() && !node->contains("$ref") && node != res->node && node->contains("$id") &&
            (*node)["$id"].is_string())
          base = util::resolve_uri(base, (*node)["$id"].get<std::string>());
        node = node->is_array() ? &node->at(std::stoul(t)) : &node->at(t);
      }
    } catch (const std::exception&) {
      return fail(loc, "$ref \"" + ref + "\" points at nothing").error();
    }
    std::string saved = base_;
    base_ = base;
    auto r = compile(*node, res->key + pointer);
    base_ = saved;
    return r;
  }

  util::Status fail(const std::string& loc, const std::string& what) {
    std::string where = loc.substr(loc.find('#') + 1);
    return util::make_error("schema " + impl_.name + " at " + (where.empty() ? "/" : where) + ": " + what);
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
      auto r = compile_ref(s["$ref"].get<std::string>(), loc);
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

  Schema::Impl& impl_;
  const SchemaLoader& loader_;
  std::string base_;
  std::unordered_map<std::string, int> by_location_;
  std::map<std::string, Resource> resources_;
  std::set<std::string> attempted_;
  std::vector<std::unique_ptr<util::Json>> documents_;  // loaded remote documents, kept while compiling
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

// "Billing Support", "billing_queue": letters beyond hex digits, or spaces/underscores, so not an ID
// that lost a character.
bool looks_like_display_name(const std::string& s) {
  bool letter = false, beyond_hex = false;
  for (unsigned char c : s) {
    if (std::isalpha(c)) letter = true;
    if (!(std::isxdigit(c) || c == '-')) beyond_hex = true;
  }
  return letter && beyond_hex;
}

// Key folded for case/separator comparison: customer_name, Customer-Name, CUSTOMERNAME -> customername.
std::string fold_key(const std::string& key) {
  std::string out;
  for (unsigned char c : key)
    if (c != '_' && c != '-' && c != ' ' && c != '.') out += static_cast<char>(std::tolower(c));
  return out;
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

void Schema::Impl::check(int idx, const util::Json& v, const std::string& ptr, std::vector<Violation>& out,
                         bool lints) const {
  const SchemaNode& n = nodes[idx];
  if (n.is_ref) return check(n.ref, v, ptr, out, lints);
  if (n.always_false) {
    add(out, "SCHEMA_OTHER", ptr, "no value is allowed here (schema is false)", "remove this value");
    return;
  }
  unsigned bit = type_bit(v);
  if (n.types && !(n.types & bit)) {
    if (lints && v.is_string() && (n.types & (kObject | kArray))) {
      util::Json inner = util::Json::parse(v.get_ref<const std::string&>(), nullptr, false);
      if (!inner.is_discarded() && (type_bit(inner) & n.types)) {
        add(out, "STRINGIFIED_JSON", ptr, "expected " + type_list(n.types) + ", got a string holding JSON " + type_name(inner),
            "send the " + type_name(inner) + " itself, not JSON.stringify() of it (usually built in a Code node)");
        return;
      }
    }
    add(out, "SCHEMA_TYPE", ptr, "expected " + type_list(n.types) + ", got " + type_name(v), "send a " + type_list(n.types));
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
    if (!n.format.empty() && !format_ok(n.format, s)) {
      if (lints && n.format == "uuid" && looks_like_display_name(s))
        add(out, "QUEUE_NAME_NOT_ID", ptr, "\"" + util::excerpt(s, 60) + "\" is a display name where an ID (UUID) belongs",
            "copy the ID from admin or the routing API (GET /api/v2/routing/queues?name=...), not the name");
      else
        add(out, "SCHEMA_FORMAT", ptr, "value \"" + util::excerpt(s, 60) + "\" is not a valid " + n.format,
            n.format == "uuid" ? "send the ID (a UUID)" : "send a valid " + n.format);
    }
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
      } else if (lints && (it->is_null() || (it->is_string() && util::trim(it->get_ref<const std::string&>()).empty()))) {
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
        check(p->second, *it, child, out, lints);
      }
      for (const auto& [pat, sub] : n.pattern_properties) {
        if (std::regex_search(key, pat.re)) {
          matched = true;
          check(sub, *it, child, out, lints);
        }
      }
      // customer_name or CustomerName for customerName: a key the contract knows, spelt otherwise.
      std::string case_twin;
      if (lints && !matched)
        for (const auto& k : known)
          if (fold_key(k) == fold_key(key)) case_twin = k;
      if (!case_twin.empty())
        add(out, "KEY_CASE_MISMATCH", child, "key \"" + key + "\" differs from the contract's \"" + case_twin + "\" in case or separators",
            "did you mean \"" + case_twin + "\"? rename the key in the flow");
      if (!matched && n.additional_properties >= 0) {
        const SchemaNode& ap = nodes[n.additional_properties];
        if (ap.always_false && !case_twin.empty()) {
          // Already reported, more precisely, as KEY_CASE_MISMATCH.
        } else if (ap.always_false) {
          std::string near = util::closest_match(key, known);
          add(out, "SCHEMA_ADDITIONAL_PROPERTY", child, "property \"" + key + "\" is not allowed here",
              near.empty() ? "remove it, or add it to the contract" : "did you mean \"" + near + "\"?");
        } else {
          check(n.additional_properties, *it, child, out, lints);
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
      if (auto d = n.dependency_schemas.find(key); d != n.dependency_schemas.end()) check(d->second, v, ptr, out, lints);
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
        if (i < n.tuple_items.size()) check(n.tuple_items[i], v[i], child, out, lints);
        else if (n.additional_items >= 0) check(n.additional_items, v[i], child, out, lints);
      } else if (n.items >= 0) {
        check(n.items, v[i], child, out, lints);
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

  for (int s : n.all_of) check(s, v, ptr, out, lints);
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
      if (n.then_schema >= 0) check(n.then_schema, v, ptr, out, lints);
    } else if (n.else_schema >= 0) {
      check(n.else_schema, v, ptr, out, lints);
    }
  }
}

util::Result<Schema> Schema::compile(const util::Json& document, std::string name, const SchemaLoader& loader,
                                     std::string base_uri) {
  Schema s;
  s.name_ = name;
  s.document_ = std::make_shared<const util::Json>(document);
  s.impl_ = std::make_unique<Impl>();
  s.impl_->name = name;
  if (base_uri.empty()) base_uri = "urn:handover-harness:schema:" + name;
  if (document.is_object() && document.contains("$id") && document["$id"].is_string())
    base_uri = util::resolve_uri(base_uri, document["$id"].get<std::string>());
  base_uri = util::strip_fragment(base_uri);
  Compiler c(*s.impl_, loader);
  auto root = c.compile_root(*s.document_, base_uri);
  if (!root) return root.error();
  return s;
}

void Schema::validate(const util::Json& instance, std::vector<Violation>& out, bool lints) const {
  impl_->check(0, instance, "", out, lints);
}

bool Schema::is_valid(const util::Json& instance) const { return impl_->valid(0, instance); }

Schema::Schema(Schema&&) noexcept = default;
Schema& Schema::operator=(Schema&&) noexcept = default;
Schema::~Schema() = default;

}  // namespace contracts
