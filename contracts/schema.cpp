// Draft-07 validator: compile() turns the schema into SchemaNode records (regexes compiled once,
// $refs resolved to node indices), validate() walks instance and nodes together.
#include "contracts/schema.hpp"
#include "contracts/schema_impl.hpp"

#include <algorithm>
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
    for (const char* kw :
         {"additionalItems", "contains", "additionalProperties", "propertyNames", "not", "if", "then", "else", "items"})
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
  util::Status sub_into(const util::Json& s, const char* key, const std::string& loc, int SchemaNode::*slot, int idx) {
    if (!s.contains(key)) return {};
    TRY_ASSIGN(auto r, sub(s[key], util::pointer_append(loc, key)));
    impl_.nodes[idx].*slot = r;
    return {};
  }

  util::Result<std::vector<int>> sub_list(const util::Json& s, const char* key, const std::string& loc) {
    std::vector<int> out;
    const auto& arr = s[key];
    if (!arr.is_array() || arr.empty()) return fail(loc, std::string(key) + " must be a non-empty array").error();
    for (std::size_t i = 0; i < arr.size(); ++i) {
      TRY_ASSIGN(auto r, sub(arr[i], util::pointer_append(util::pointer_append(loc, key), i)));
      out.push_back(r);
    }
    return out;
  }

  util::Result<Pattern> regex(const std::string& src, const std::string& loc) {
    auto re = util::Regex::compile(src);
    if (!re) return fail(loc, re.error().message).error();
    return Pattern{src, std::move(*re)};
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
      TRY_ASSIGN(auto r, compile_ref(s["$ref"].get<std::string>(), loc));
      impl_.nodes[idx].is_ref = true;
      impl_.nodes[idx].ref = r;
      return {};
    }

    if (auto st = fill_own(impl_.nodes[idx], s, loc); !st) return st;
    // The groups below compile subschemas: sub() appends nodes, so the vector may move and
    // impl_.nodes[idx] is looked up again after each call instead of held by reference.
    for (auto group :
         {&Compiler::fill_strings, &Compiler::fill_objects, &Compiler::fill_arrays, &Compiler::fill_applicators})
      if (auto st = (this->*group)(idx, s, loc); !st) return st;
    return {};
  }

  // The keywords without subschemas: type, enum, const, lengths, format, numbers, required, counts.
  util::Status fill_own(SchemaNode& n, const util::Json& s, const std::string& loc) {
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
      if (t.is_string())
        names.push_back(t);
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
      n.enum_strings_only =
          std::all_of(n.enum_values.begin(), n.enum_values.end(), [](const util::Json& e) { return e.is_string(); });
      if (n.enum_strings_only)
        for (const auto& e : n.enum_values) n.enum_strings.push_back(e.get<std::string>());
    }
    if (s.contains("const")) n.const_value = s["const"];
    n.min_length = count(s, "minLength");
    n.max_length = count(s, "maxLength");
    if (s.contains("format") && s["format"].is_string()) n.format = s["format"];
    if (s.contains("x-id-of") && s["x-id-of"].is_string()) n.id_of = s["x-id-of"];
    if (s.contains("x-type-violation") && s["x-type-violation"].is_object()) {
      // A value of another type here is reported under the contract's own code and hint.
      const auto& x = s["x-type-violation"];
      if (x.contains("code") && x["code"].is_string()) {
        n.type_violation = static_cast<int>(impl_.type_violations.size());
        impl_.type_violations.emplace_back(x["code"].get<std::string>(), x.value("hint", ""));
      }
    }
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
    return {};
  }

  // contentMediaType/contentSchema, pattern.
  util::Status fill_strings(int idx, const util::Json& s, const std::string& loc) {
    if (s.contains("contentMediaType") && s["contentMediaType"] == "application/json") {
      impl_.nodes[idx].json_content = true;
      if (s.contains("contentSchema")) {
        TRY_ASSIGN(auto r, sub(s["contentSchema"], util::pointer_append(loc, "contentSchema")));
        impl_.nodes[idx].content_schema = r;
      }
    }
    if (s.contains("pattern") && s["pattern"].is_string()) {
      TRY_ASSIGN(auto p, regex(s["pattern"], util::pointer_append(loc, "pattern")));
      impl_.nodes[idx].pattern = std::move(p);
    }
    return {};
  }

  // properties, patternProperties, additionalProperties, propertyNames, dependencies.
  util::Status fill_objects(int idx, const util::Json& s, const std::string& loc) {
    if (s.contains("properties") && s["properties"].is_object()) {
      for (const auto& [key, sch] : s["properties"].items()) {
        TRY_ASSIGN(auto r, sub(sch, util::pointer_append(util::pointer_append(loc, "properties"), key)));
        impl_.nodes[idx].properties[key] = r;
      }
      for (const auto& [key, _] : impl_.nodes[idx].properties) {
        SchemaNode& n = impl_.nodes[idx];
        n.property_names_list.push_back(key);
        n.folded_property_names.push_back(fold_key(key));
      }
    }
    if (s.contains("patternProperties") && s["patternProperties"].is_object()) {
      for (const auto& [key, sch] : s["patternProperties"].items()) {
        std::string at = util::pointer_append(util::pointer_append(loc, "patternProperties"), key);
        TRY_ASSIGN(auto p, regex(key, at));
        TRY_ASSIGN(auto r, sub(sch, at));
        impl_.nodes[idx].pattern_properties.emplace_back(std::move(p), r);
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
          TRY_ASSIGN(auto r, sub(dep, util::pointer_append(util::pointer_append(loc, "dependencies"), key)));
          impl_.nodes[idx].dependency_schemas[key] = r;
        }
      }
    }
    return {};
  }

  // items (a schema, or a tuple with additionalItems), contains.
  util::Status fill_arrays(int idx, const util::Json& s, const std::string& loc) {
    if (s.contains("items")) {
      if (s["items"].is_array()) {
        std::vector<int> list;
        for (std::size_t i = 0; i < s["items"].size(); ++i) {
          TRY_ASSIGN(auto r, sub(s["items"][i], util::pointer_append(util::pointer_append(loc, "items"), i)));
          list.push_back(r);
        }
        impl_.nodes[idx].tuple_items = std::move(list);
        impl_.nodes[idx].has_tuple = true;
        if (auto st = sub_into(s, "additionalItems", loc, &SchemaNode::additional_items, idx); !st) return st;
      } else if (auto st = sub_into(s, "items", loc, &SchemaNode::items, idx); !st) {
        return st;
      }
    }
    if (auto st = sub_into(s, "contains", loc, &SchemaNode::contains, idx); !st) return st;
    return {};
  }

  // allOf, anyOf, oneOf, not, if/then/else.
  util::Status fill_applicators(int idx, const util::Json& s, const std::string& loc) {
    for (auto [key, member] : {std::pair{"allOf", &SchemaNode::all_of}, std::pair{"anyOf", &SchemaNode::any_of},
                               std::pair{"oneOf", &SchemaNode::one_of}}) {
      if (!s.contains(key)) continue;
      TRY_ASSIGN(auto r, sub_list(s, key, loc));
      impl_.nodes[idx].*member = std::move(r);
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

}  // namespace

void PropertyTable::add(std::string key, int value) { names_.emplace_back(std::move(key), value); }

void PropertyTable::build() {
  std::size_t size = 8;
  while (size < names_.size() * 4) size *= 2;
  slots_.assign(size, Slot{});
  mask_ = size - 1;
  for (const auto& [name, value] : names_) {
    std::size_t i = hash(name) & mask_;
    while (slots_[i].value >= 0) i = (i + 1) & mask_;
    slots_[i] = Slot{name, value};
  }
}

namespace {

FormatKind format_kind_of(const std::string& format) {
  if (format.empty()) return FormatKind::kNone;
  static const std::map<std::string, FormatKind, std::less<>> kKinds = {{"date-time", FormatKind::kDateTime},
                                                                        {"date", FormatKind::kDate},
                                                                        {"time", FormatKind::kTime},
                                                                        {"uuid", FormatKind::kUuid},
                                                                        {"integer-id", FormatKind::kIntegerId},
                                                                        {"email", FormatKind::kEmail},
                                                                        {"ipv4", FormatKind::kIpv4},
                                                                        {"uri", FormatKind::kUri}};
  auto it = kKinds.find(format);
  return it == kKinds.end() ? FormatKind::kOther : it->second;
}

}  // namespace

void Schema::Impl::finalize() {
  auto target = [&](int i) {
    // Follow a chain of $ref nodes; a cycle (a schema that is only references) stays as it is.
    int at = i;
    for (std::size_t hops = 0; at >= 0 && nodes[at].is_ref && hops <= nodes.size(); ++hops) at = nodes[at].ref;
    return at >= 0 && !nodes[at].is_ref ? at : i;
  };
  for (auto& n : nodes) {
    for (int* child : {&n.ref, &n.additional_properties, &n.property_names, &n.items, &n.additional_items, &n.contains,
                       &n.not_schema, &n.if_schema, &n.then_schema, &n.else_schema})
      if (*child >= 0) *child = target(*child);
    for (auto& [_, child] : n.properties) child = target(child);
    for (auto& [_, child] : n.pattern_properties) child = target(child);
    for (auto& [_, child] : n.dependency_schemas) child = target(child);
    for (auto* list : {&n.tuple_items, &n.all_of, &n.any_of, &n.one_of})
      for (int& child : *list) child = target(child);

    n.groups = 0;
    if (n.has_enum || n.const_value) n.groups |= kKwEnum;
    if (n.min_length || n.max_length || n.pattern || !n.format.empty() || n.json_content) n.groups |= kKwString;
    if (n.minimum || n.maximum || n.exclusive_minimum || n.exclusive_maximum || n.multiple_of) n.groups |= kKwNumber;
    if (!n.required.empty() || !n.properties.empty() || !n.pattern_properties.empty() || n.additional_properties >= 0 ||
        n.min_properties || n.max_properties || n.property_names >= 0 || !n.dependency_required.empty() ||
        !n.dependency_schemas.empty())
      n.groups |= kKwObject;
    if (n.has_tuple || n.items >= 0 || n.min_items || n.max_items || n.unique_items || n.contains >= 0)
      n.groups |= kKwArray;
    if (!n.all_of.empty() || !n.any_of.empty() || !n.one_of.empty() || n.not_schema >= 0 || n.if_schema >= 0)
      n.groups |= kKwApplicators;

    if (n.groups == 0 && !n.always_false && !n.is_ref) n.types_alone = n.types ? n.types : ~0u;
    n.format_kind = format_kind_of(n.format);

    n.plain_members = n.pattern_properties.empty() && n.property_names < 0 && n.dependency_required.empty() &&
                      n.dependency_schemas.empty();
    for (const auto& [key, child] : n.properties) n.property_table.add(key, child);
    n.property_table.build();
    for (std::size_t i = 0; i < n.folded_property_names.size(); ++i) {
      const std::string& f = n.folded_property_names[i];
      n.folded_table.add(f, static_cast<int>(i));
      n.folded_shapes |= folded_shape(f.size(), f.empty() ? '\0' : f[0]);
      if (!f.empty()) {
        const unsigned last = static_cast<unsigned char>(f.back()) & 127u;
        n.folded_last[last >> 6] |= std::uint64_t{1} << (last & 63);
      }
    }
    n.folded_table.build();
  }
}

util::Result<Schema> Schema::compile(const util::Json& document, const std::string& name, const SchemaLoader& loader,
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
  TRY(c.compile_root(*s.document_, base_uri));
  s.impl_->finalize();
  return s;
}

void Schema::validate(const util::Json& instance, std::vector<Violation>& out, bool lints) const {
  impl_->check_json(instance, out, lints);
}

bool Schema::is_valid(const util::Json& instance) const { return impl_->valid_json(instance); }

Schema::Schema(Schema&&) noexcept = default;
Schema& Schema::operator=(Schema&&) noexcept = default;
Schema::~Schema() = default;

}  // namespace contracts
