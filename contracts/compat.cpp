// Structural comparison of two contracts (following $refs) or two payload samples.
#include "contracts/compat.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "contracts/contract.hpp"
#include "util/strings.hpp"
#include "util/uri.hpp"

namespace contracts {

namespace {

void add(std::vector<CompatFinding>& out, bool breaking, const std::string& ptr, std::string kind, std::string msg) {
  out.push_back({breaking, ptr.empty() ? "/" : ptr, std::move(kind), std::move(msg)});
}

// A schema node with what is needed to follow its $refs.
struct Node {
  const util::Json* json = nullptr;
  std::string doc_uri;
  const util::Json* doc_root = nullptr;
};

class RefFollower {
 public:
  explicit RefFollower(const SchemaDocument& d) : root_uri_(util::strip_fragment(d.base_uri)) {
    if (d.doc.is_object() && d.doc.contains("$id") && d.doc["$id"].is_string())
      root_uri_ = util::strip_fragment(util::resolve_uri(root_uri_, d.doc["$id"].get<std::string>()));
    root_ = &d.doc;
  }
  Node root() const { return {root_, root_uri_, root_}; }

  // Follows $ref chains (bounded); a ref that cannot be followed leaves the node as it is.
  Node resolve(Node n) {
    for (int hops = 0; hops < 32 && n.json && n.json->is_object() && n.json->contains("$ref") &&
                       (*n.json)["$ref"].is_string();
         ++hops) {
      std::string target = util::resolve_uri(n.doc_uri, (*n.json)["$ref"].get<std::string>());
      std::string doc = util::strip_fragment(target);
      auto hash = target.find('#');
      std::string pointer = hash == std::string::npos ? "" : util::url_decode(target.substr(hash + 1));
      const util::Json* root = nullptr;
      if (doc == n.doc_uri) {
        root = n.doc_root;
      } else {
        auto it = loaded_.find(doc);
        if (it == loaded_.end()) {
          auto loaded = load_schema_document(doc);
          it = loaded_.emplace(doc, loaded ? std::make_unique<util::Json>(std::move(*loaded)) : nullptr).first;
        }
        root = it->second.get();
      }
      if (!root) return n;
      try {
        n = {&root->at(util::Json::json_pointer(pointer)), doc, root};
      } catch (const std::exception&) {
        return n;
      }
    }
    return n;
  }

  Node child(const Node& parent, const util::Json& j) const { return {&j, parent.doc_uri, parent.doc_root}; }

 private:
  std::string root_uri_;
  const util::Json* root_ = nullptr;
  std::map<std::string, std::unique_ptr<util::Json>> loaded_;
};

// Keywords whose value is one schema, a list of schemas, or a map of schemas.
const std::set<std::string> kOneSchema = {"items", "additionalItems", "additionalProperties", "not", "if", "then", "else",
                                          "contains", "propertyNames"};
const std::set<std::string> kSchemaList = {"allOf", "anyOf", "oneOf", "items"};
const std::set<std::string> kSchemaMap = {"properties", "patternProperties"};

// The schema with every $ref replaced by what it points at (recursion cut at a depth).
util::Json deref(RefFollower& f, Node n, int depth) {
  n = f.resolve(n);
  if (!n.json->is_object() || depth > 24) return n.json->is_object() ? util::Json::object() : *n.json;
  util::Json out = util::Json::object();
  for (auto it = n.json->begin(); it != n.json->end(); ++it) {
    const std::string& k = it.key();
    if (k == "$ref" || k == "definitions" || k == "$id" || k == "$schema") continue;
    if (kSchemaList.count(k) && it->is_array()) {
      util::Json list = util::Json::array();
      for (const auto& e : *it) list.push_back(deref(f, f.child(n, e), depth + 1));
      out[k] = list;
    } else if (kOneSchema.count(k) && it->is_object()) {
      out[k] = deref(f, f.child(n, *it), depth + 1);
    } else if (kSchemaMap.count(k) && it->is_object()) {
      util::Json map = util::Json::object();
      for (const auto& [name, sub] : it->items()) map[name] = deref(f, f.child(n, sub), depth + 1);
      out[k] = map;
    } else {
      out[k] = *it;
    }
  }
  return out;
}

util::Json flatten(util::Json s);

// Both a and b hold: the effective constraints of their conjunction.
util::Json merge(util::Json a, const util::Json& b) {
  if (!a.is_object() || !b.is_object()) return a.is_object() ? a : b;
  for (auto it = b.begin(); it != b.end(); ++it) {
    const std::string& k = it.key();
    if (!a.contains(k)) {
      a[k] = *it;
    } else if (k == "properties" && it->is_object()) {
      for (const auto& [name, sub] : it->items())
        a[k][name] = a[k].contains(name) ? flatten(util::Json{{"allOf", {a[k][name], sub}}}) : sub;
    } else if (k == "required") {
      for (const auto& r : *it)
        if (std::find(a[k].begin(), a[k].end(), r) == a[k].end()) a[k].push_back(r);
    } else if (k == "type") {
      std::set<std::string> ta, tb;
      for (const auto& t : util::string_list(a[k])) ta.insert(t);
      for (const auto& t : util::string_list(*it)) tb.insert(t);
      util::Json both = util::Json::array();
      for (const auto& t : ta)
        if (tb.count(t) || (t == "integer" && tb.count("number"))) both.push_back(t);
      for (const auto& t : tb)
        if (t == "integer" && ta.count("number") && !ta.count("integer")) both.push_back(t);
      a[k] = both;
    } else if (k == "enum" && it->is_array() && a[k].is_array()) {
      util::Json both = util::Json::array();
      for (const auto& v : a[k])
        if (std::find(it->begin(), it->end(), v) != it->end()) both.push_back(v);
      a[k] = both;
    } else if ((k == "maxLength" || k == "maximum" || k == "maxItems" || k == "maxProperties" || k == "exclusiveMaximum") &&
               it->is_number() && a[k].is_number()) {
      if (it->get<double>() < a[k].get<double>()) a[k] = *it;
    } else if ((k == "minLength" || k == "minimum" || k == "minItems" || k == "minProperties" || k == "exclusiveMinimum") &&
               it->is_number() && a[k].is_number()) {
      if (it->get<double>() > a[k].get<double>()) a[k] = *it;
    } else if (k == "additionalProperties") {
      if (*it == false || a[k] == false) a[k] = false;
      else if (it->is_object() && a[k].is_object()) a[k] = flatten(util::Json{{"allOf", {a[k], *it}}});
    }
  }
  return a;
}

// allOf folded into its parent, recursively, so composed overlays compare like plain contracts.
util::Json flatten(util::Json s) {
  if (!s.is_object()) return s;
  for (const char* k : {"properties", "patternProperties"})
    if (s.contains(k) && s[k].is_object())
      for (auto& [name, sub] : s[k].items()) sub = flatten(sub);
  for (const char* k : {"items", "additionalProperties"})
    if (s.contains(k) && s[k].is_object()) s[k] = flatten(s[k]);
  if (!s.contains("allOf") || !s["allOf"].is_array()) return s;
  util::Json parts = s["allOf"];
  s.erase("allOf");
  for (const auto& part : parts) s = merge(s, flatten(part));
  return s;
}

std::set<std::string> types_of(const util::Json& s) {
  std::set<std::string> out;
  if (!s.is_object() || !s.contains("type")) return out;  // empty: any type
  for (const auto& t : util::string_list(s["type"])) out.insert(t);
  if (out.count("number")) out.insert("integer");
  return out;
}

std::optional<double> num(const util::Json& s, const char* k) {
  if (s.is_object() && s.contains(k) && s[k].is_number()) return s[k].get<double>();
  return std::nullopt;
}

std::string fmt(double d) {
  std::string s = std::to_string(d);
  s.erase(s.find_last_not_of('0') + 1);
  if (s.back() == '.') s.pop_back();
  return s;
}

class SchemaComparer {
 public:
  SchemaComparer(const SchemaDocument& o, const SchemaDocument& n) {
    RefFollower fo(o), fn(n);
    old_ = flatten(deref(fo, fo.root(), 0));
    new_ = flatten(deref(fn, fn.root(), 0));
  }

  std::vector<CompatFinding> run() {
    compare(old_, new_, "", 0);
    return std::move(out_);
  }

 private:
  void compare(const util::Json& a, const util::Json& b, const std::string& ptr, int depth) {
    if (depth > 64) return;
    if (!a.is_object() || !b.is_object()) {
      if (a.is_boolean() && b.is_boolean() && a.get<bool>() && !b.get<bool>())
        add(out_, true, ptr, "schema-false", "no value is accepted here any more");
      return;
    }
    compare_types(a, b, ptr);
    compare_enums(a, b, ptr);
    for (const char* k : {"maxLength", "maximum", "exclusiveMaximum", "maxItems", "maxProperties"}) bound(a, b, ptr, k, true);
    for (const char* k : {"minLength", "minimum", "exclusiveMinimum", "minItems", "minProperties"}) bound(a, b, ptr, k, false);
    for (const char* k : {"pattern", "format"}) {
      std::string was = a.value(k, ""), now = b.value(k, "");
      if (was == now) continue;
      if (now.empty()) add(out_, false, ptr, std::string(k) + "-removed", std::string(k) + " \"" + was + "\" removed");
      else add(out_, true, ptr, std::string(k) + "-changed",
               std::string(k) + (was.empty() ? " added: \"" : " changed to \"") + now + "\"" +
                   (was.empty() ? "" : " (was \"" + was + "\")"));
    }
    compare_objects(a, b, ptr, depth);
    if (a.contains("items") && b.contains("items") && a["items"].is_object() && b["items"].is_object())
      compare(a["items"], b["items"], ptr + "/*", depth + 1);
  }

  void compare_types(const util::Json& a, const util::Json& b, const std::string& ptr) {
    auto ta = types_of(a), tb = types_of(b);
    if (ta == tb) return;
    if (tb.empty()) {
      add(out_, false, ptr, "type-widened", "any type is accepted now (was " + util::join({ta.begin(), ta.end()}, ", ") + ")");
      return;
    }
    std::vector<std::string> lost, gained;
    if (ta.empty()) lost.push_back("any other type");
    for (const auto& t : ta)
      if (!tb.count(t)) lost.push_back(t);
    for (const auto& t : tb)
      if (!ta.count(t) && !ta.empty()) gained.push_back(t);
    if (!lost.empty())
      add(out_, true, ptr, "type-narrowed", "type narrowed to " + util::join({tb.begin(), tb.end()}, ", ") +
                                                ": no longer accepts " + util::join(lost, ", "));
    if (!gained.empty()) add(out_, false, ptr, "type-widened", "also accepts " + util::join(gained, ", "));
  }

  void compare_enums(const util::Json& a, const util::Json& b, const std::string& ptr) {
    auto values = [](const util::Json& s) -> std::optional<std::vector<util::Json>> {
      if (s.contains("enum") && s["enum"].is_array()) return std::vector<util::Json>(s["enum"].begin(), s["enum"].end());
      if (s.contains("const")) return std::vector<util::Json>{s["const"]};
      return std::nullopt;
    };
    auto va = values(a), vb = values(b);
    if (!vb) {
      if (va) add(out_, false, ptr, "enum-removed", "any value is accepted now (the list of values was dropped)");
      return;
    }
    if (!va) {
      add(out_, true, ptr, "enum-added", "values are now restricted to " + util::Json(*vb).dump(-1, ' ', false, util::kInvalidUtf8Replaced));
      return;
    }
    for (const auto& v : *va)
      if (std::find(vb->begin(), vb->end(), v) == vb->end())
        add(out_, true, ptr, "enum-value-removed", "value " + v.dump(-1, ' ', false, util::kInvalidUtf8Replaced) + " is no longer allowed");
    for (const auto& v : *vb)
      if (std::find(va->begin(), va->end(), v) == va->end())
        add(out_, false, ptr, "enum-value-added", "value " + v.dump(-1, ' ', false, util::kInvalidUtf8Replaced) + " is now allowed");
  }

  // upper: a lower (or new) maximum breaks; lower bound: a higher (or new) minimum breaks.
  void bound(const util::Json& a, const util::Json& b, const std::string& ptr, const char* key, bool upper) {
    auto was = num(a, key), now = num(b, key);
    if (was == now) return;
    std::string k = key;
    if (!now) {
      add(out_, false, ptr, k + "-removed", k + " " + fmt(*was) + " removed");
    } else if (!was) {
      add(out_, true, ptr, k + "-added", k + " " + fmt(*now) + " added");
    } else if (upper ? *now < *was : *now > *was) {
      add(out_, true, ptr, k + (upper ? "-lowered" : "-raised"), k + " " + (upper ? "lowered" : "raised") + " from " +
                                                                      fmt(*was) + " to " + fmt(*now));
    } else {
      add(out_, false, ptr, k + (upper ? "-raised" : "-lowered"), k + " " + (upper ? "raised" : "lowered") + " from " +
                                                                       fmt(*was) + " to " + fmt(*now));
    }
  }

  void compare_objects(const util::Json& a, const util::Json& b, const std::string& ptr, int depth) {
    std::set<std::string> req_a, req_b;
    for (const auto& r : util::string_list(a.value("required", util::Json::array()))) req_a.insert(r);
    for (const auto& r : util::string_list(b.value("required", util::Json::array()))) req_b.insert(r);
    for (const auto& r : req_b)
      if (!req_a.count(r))
        add(out_, true, util::pointer_append(ptr, r), "newly-required", "property \"" + r + "\" is now required");
    for (const auto& r : req_a)
      if (!req_b.count(r))
        add(out_, false, util::pointer_append(ptr, r), "no-longer-required", "property \"" + r + "\" is no longer required");

    static const util::Json kEmpty = util::Json::object();
    const auto& pa = a.contains("properties") && a["properties"].is_object() ? a["properties"] : kEmpty;
    const auto& pb = b.contains("properties") && b["properties"].is_object() ? b["properties"] : kEmpty;
    for (const auto& [key, sub] : pa.items()) {
      std::string child = util::pointer_append(ptr, key);
      if (!pb.contains(key))
        add(out_, true, child, "property-removed", "property \"" + key + "\" was removed from the contract");
      else
        compare(sub, pb[key], child, depth + 1);
    }
    for (const auto& [key, sub] : pb.items())
      if (!pa.contains(key) && !req_b.count(key))
        add(out_, false, util::pointer_append(ptr, key), "property-added", "optional property \"" + key + "\" added");

    auto closed = [](const util::Json& s) { return s.contains("additionalProperties") && s["additionalProperties"] == false; };
    auto has_schema = [](const util::Json& s) { return s.contains("additionalProperties") && s["additionalProperties"].is_object(); };
    if (!closed(a) && closed(b)) {
      add(out_, true, ptr, "additional-properties-tightened", "properties other than the listed ones are no longer allowed");
    } else if (!has_schema(a) && has_schema(b) && !closed(a)) {
      add(out_, true, ptr, "additional-properties-tightened", "other properties must now satisfy a schema");
    } else if (closed(a) && !closed(b)) {
      add(out_, false, ptr, "additional-properties-loosened", "other properties are allowed now");
    } else if (has_schema(a) && has_schema(b)) {
      compare(a["additionalProperties"], b["additionalProperties"], ptr + "/*", depth + 1);
    }
  }

  util::Json old_, new_;
  std::vector<CompatFinding> out_;
};

std::string json_kind(const util::Json& v) {
  if (v.is_number()) return "number";
  return v.type_name();
}

std::string fold(const std::string& k) {
  std::string out;
  for (unsigned char c : k)
    if (c != '_' && c != '-' && c != ' ') out += static_cast<char>(std::tolower(c));
  return out;
}

void compare_sample(const util::Json& a, const util::Json& b, const std::string& ptr, std::vector<CompatFinding>& out) {
  if (json_kind(a) != json_kind(b)) {
    add(out, true, ptr, "type-changed", "type changed from " + json_kind(a) + " to " + json_kind(b));
    return;
  }
  if (a.is_object()) {
    std::vector<std::string> added;
    for (auto it = b.begin(); it != b.end(); ++it)
      if (!a.contains(it.key())) added.push_back(it.key());
    std::set<std::string> used;
    for (auto it = a.begin(); it != a.end(); ++it) {
      std::string child = util::pointer_append(ptr, it.key());
      if (b.contains(it.key())) {
        compare_sample(*it, b[it.key()], child, out);
        continue;
      }
      std::string twin;
      for (const auto& k : added)
        if (fold(k) == fold(it.key())) twin = k;
      if (!twin.empty()) {
        used.insert(twin);
        add(out, true, child, "key-renamed", "key \"" + it.key() + "\" renamed to \"" + twin + "\" (case or separators)");
        continue;
      }
      std::string near = util::closest_match(it.key(), added);
      if (!near.empty()) {
        used.insert(near);
        add(out, true, child, "key-renamed", "key \"" + it.key() + "\" removed; did it become \"" + near + "\"?");
      } else {
        add(out, true, child, "key-removed", "key \"" + it.key() + "\" removed");
      }
    }
    for (const auto& k : added)
      if (!used.count(k)) add(out, false, util::pointer_append(ptr, k), "key-added", "key \"" + k + "\" added");
  } else if (a.is_array() && !a.empty() && !b.empty()) {
    compare_sample(a[0], b[0], ptr + "/0", out);
  }
}

}  // namespace

std::vector<CompatFinding> compare_schemas(const SchemaDocument& old_schema, const SchemaDocument& new_schema) {
  return SchemaComparer(old_schema, new_schema).run();
}

std::vector<CompatFinding> compare_samples(const util::Json& old_payload, const util::Json& new_payload) {
  std::vector<CompatFinding> out;
  compare_sample(old_payload, new_payload, "", out);
  return out;
}

}  // namespace contracts
