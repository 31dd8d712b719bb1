// Structural comparison of two contracts (following $refs) or two payload samples.
#include "contracts/compat.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "contracts/contract.hpp"
#include "util/regex.hpp"
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
    for (int hops = 0;
         hops < 32 && n.json && n.json->is_object() && n.json->contains("$ref") && (*n.json)["$ref"].is_string();
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
const std::set<std::string> kOneSchema = {"items", "additionalItems", "additionalProperties", "not", "if", "then",
                                          "else",  "contains",        "propertyNames"};
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

// ---- The effective schema ------------------------------------------------------------------
// Contracts are compared in a normal form: `true` is {}, `false` stays false (nothing is
// accepted), annotations are dropped, "const" is a one-value "enum", "pattern"/"format" may hold
// a list (every entry applies), and "allOf" is folded into its parent as a conjunction that never
// loses a constraint: what has no folding rule is kept in a residual "allOf" list, which the
// comparison treats as one more constraint. A type list may be empty: no value is accepted.

const std::set<std::string> kAnnotations = {"title",    "description", "default",    "examples", "$comment",
                                            "readOnly", "writeOnly",   "deprecated", "$defs"};
const std::set<std::string> kUpper = {"maxLength", "maximum", "exclusiveMaximum", "maxItems", "maxProperties"};
const std::set<std::string> kLower = {"minLength", "minimum", "exclusiveMinimum", "minItems", "minProperties"};
const std::set<std::string> kObjectKeywords = {"properties", "patternProperties", "additionalProperties"};

bool is_false(const util::Json& s) { return s.is_boolean() && !s.get<bool>(); }

util::Json merge(util::Json a, const util::Json& b, int depth);

util::Json normalise(const util::Json& in, int depth) {
  if (in.is_boolean()) return in.get<bool>() ? util::Json::object() : util::Json(false);
  if (!in.is_object() || depth > 64) return util::Json::object();
  util::Json s = util::Json::object();
  for (auto it = in.begin(); it != in.end(); ++it)
    if (!kAnnotations.count(it.key())) s[it.key()] = *it;
  for (const char* k : {"properties", "patternProperties"})
    if (s.contains(k) && s[k].is_object())
      for (auto& [name, sub] : s[k].items()) sub = normalise(sub, depth + 1);
  for (const char* k : {"items", "additionalProperties"})
    if (s.contains(k) && (s[k].is_object() || s[k].is_boolean())) s[k] = normalise(s[k], depth + 1);
  if (s.contains("const")) {
    util::Json value = s["const"];
    s.erase("const");
    s = merge(std::move(s), util::Json{{"enum", util::Json::array({value})}}, depth);
  }
  if (!s.contains("allOf") || !s["allOf"].is_array()) return s;
  util::Json parts = s["allOf"];
  s.erase("allOf");
  util::Json out = s;
  for (const auto& part : parts) out = merge(std::move(out), normalise(part, depth + 1), depth);
  return out;
}

// The set of types a schema accepts: nullopt = any; an empty set = none.
std::optional<std::set<std::string>> types_of(const util::Json& s) {
  if (!s.is_object() || !s.contains("type")) return std::nullopt;
  std::set<std::string> out;
  for (const auto& t : util::string_list(s["type"])) out.insert(t);
  if (out.count("number")) out.insert("integer");
  return out;
}

util::Json intersect_types(const util::Json& a, const util::Json& b) {
  std::set<std::string> ta, tb;
  for (const auto& t : util::string_list(a)) ta.insert(t);
  for (const auto& t : util::string_list(b)) tb.insert(t);
  util::Json both = util::Json::array();
  for (const auto& t : ta)
    if (tb.count(t) || (t == "integer" && tb.count("number"))) both.push_back(t);
  for (const auto& t : tb)
    if (t == "integer" && ta.count("number") && !ta.count("integer")) both.push_back(t);
  return both;
}

util::Json as_list(const util::Json& v) { return v.is_array() ? v : util::Json::array({v}); }

void add_residual(util::Json& a, util::Json part) {
  if (!a.contains("allOf") || !a["allOf"].is_array()) a["allOf"] = util::Json::array();
  if (std::find(a["allOf"].begin(), a["allOf"].end(), part) == a["allOf"].end()) a["allOf"].push_back(std::move(part));
}

// The schema one key of an object is validated against: its "properties" entry, every matching
// "patternProperties" entry, else "additionalProperties". narrow: how to read a pattern that does
// not compile (applies: the narrower reading, for the new side; does not: for the old side).
util::Json key_schema(const util::Json& s, const std::string& key, bool narrow, int depth) {
  if (!s.is_object()) return s;
  util::Json out = util::Json::object();
  bool listed = false;
  if (s.contains("properties") && s["properties"].is_object() && s["properties"].contains(key)) {
    out = merge(std::move(out), s["properties"][key], depth);
    listed = true;
  }
  if (s.contains("patternProperties") && s["patternProperties"].is_object())
    for (const auto& [pattern, sub] : s["patternProperties"].items()) {
      auto re = util::Regex::compile(pattern);
      bool applies = re ? re->search(key) : narrow;
      if (!applies) continue;
      out = merge(std::move(out), normalise(sub, depth + 1), depth);
      listed = true;
    }
  if (!listed && s.contains("additionalProperties")) out = merge(std::move(out), s["additionalProperties"], depth);
  return out;
}

// The conjunction of two normalised schemas, itself normalised.
util::Json merge(util::Json a, const util::Json& b, int depth) {
  if (is_false(a) || is_false(b)) return false;
  if (!a.is_object()) a = util::Json::object();
  if (!b.is_object() || depth > 64) return a;
  for (auto it = b.begin(); it != b.end(); ++it) {
    const std::string& k = it.key();
    if (kObjectKeywords.count(k)) continue;
    if (!a.contains(k)) {
      a[k] = *it;
    } else if (a[k] == *it) {
      continue;
    } else if (k == "required" && it->is_array() && a[k].is_array()) {
      for (const auto& r : *it)
        if (std::find(a[k].begin(), a[k].end(), r) == a[k].end()) a[k].push_back(r);
    } else if (k == "type") {
      a[k] = intersect_types(a[k], *it);
    } else if (k == "enum" && it->is_array() && a[k].is_array()) {
      util::Json both = util::Json::array();
      for (const auto& v : a[k])
        if (std::find(it->begin(), it->end(), v) != it->end()) both.push_back(v);
      a[k] = both;
    } else if ((kUpper.count(k) || kLower.count(k)) && it->is_number() && a[k].is_number()) {
      bool stricter = kUpper.count(k) ? it->get<double>() < a[k].get<double>() : it->get<double>() > a[k].get<double>();
      if (stricter) a[k] = *it;
    } else if (k == "pattern" || k == "format") {
      util::Json all = as_list(a[k]);
      for (const auto& p : as_list(*it))
        if (std::find(all.begin(), all.end(), p) == all.end()) all.push_back(p);
      a[k] = all;
    } else if (k == "items" && it->is_object() && a[k].is_object()) {
      a[k] = merge(a[k], *it, depth + 1);
    } else if (k == "allOf" && it->is_array()) {
      for (const auto& part : *it) add_residual(a, part);
    } else {
      add_residual(a, util::Json{{k, *it}});  // no folding rule: kept whole, never weakened
    }
  }
  bool a_object = a.contains("properties") || a.contains("patternProperties") || a.contains("additionalProperties");
  bool b_object = b.contains("properties") || b.contains("patternProperties") || b.contains("additionalProperties");
  if (!b_object) return a;
  if (!a_object) {
    for (const auto& k : kObjectKeywords)
      if (b.contains(k)) a[k] = b[k];
    return a;
  }
  if (a.contains("patternProperties") || b.contains("patternProperties")) {
    // Which keys each side's additionalProperties reaches depends on the other's patterns: kept
    // whole rather than folded approximately.
    util::Json part = util::Json::object();
    for (const auto& k : kObjectKeywords)
      if (b.contains(k)) part[k] = b[k];
    add_residual(a, std::move(part));
    return a;
  }
  // Every listed key gets both sides' schema for it (the other side's additionalProperties when
  // it does not list the key); unlisted keys get both additionalProperties.
  std::set<std::string> names;
  const util::Json* sides[] = {&a, &b};
  for (const auto* s : sides)
    if (s->contains("properties") && (*s)["properties"].is_object())
      for (const auto& [name, sub] : (*s)["properties"].items()) names.insert(name);
  util::Json props = util::Json::object();
  for (const auto& name : names)
    props[name] = merge(key_schema(a, name, true, depth + 1), key_schema(b, name, true, depth + 1), depth + 1);
  if (b.contains("additionalProperties"))
    a["additionalProperties"] = a.contains("additionalProperties")
                                    ? merge(a["additionalProperties"], b["additionalProperties"], depth + 1)
                                    : b["additionalProperties"];
  if (!props.empty()) a["properties"] = props;
  return a;
}

std::optional<double> num(const util::Json& s, const std::string& k) {
  if (s.is_object() && s.contains(k) && s[k].is_number()) return s[k].get<double>();
  return std::nullopt;
}

std::string fmt(double d) {
  std::string s = std::to_string(d);
  s.erase(s.find_last_not_of('0') + 1);
  if (s.back() == '.') s.pop_back();
  return s;
}

std::string show(const util::Json& v) {
  std::string s = util::dump_line(v);
  return s.size() > 120 ? s.substr(0, 117) + "..." : s;
}

std::string type_names(std::set<std::string> types) {
  if (types.count("number")) types.erase("integer");  // "number" says it
  return util::join({types.begin(), types.end()}, ", ");
}

class SchemaComparer {
 public:
  SchemaComparer(const SchemaDocument& o, const SchemaDocument& n) {
    RefFollower fo(o), fn(n);
    old_ = normalise(deref(fo, fo.root(), 0), 0);
    new_ = normalise(deref(fn, fn.root(), 0), 0);
  }

  std::vector<CompatFinding> run() {
    compare(old_, new_, "", 0);
    return std::move(out_);
  }

 private:
  // Reports every way b accepts less than a (breaking) or more (compatible). Whatever it cannot
  // judge precisely it reports as breaking: it may over-report, it never calls a narrowing
  // compatible.
  void compare(const util::Json& a, const util::Json& b, const std::string& ptr, int depth) {
    if (is_false(b)) {
      if (!is_false(a)) add(out_, true, ptr, "schema-false", "no value is accepted here any more");
      return;
    }
    if (is_false(a)) {
      add(out_, false, ptr, "schema-loosened", "values are accepted here now (none were)");
      return;
    }
    if (!a.is_object() || !b.is_object()) return;
    if (depth > 64) {
      if (a != b) add(out_, true, ptr, "constraint-changed", "the schema changed below the comparison depth");
      return;
    }
    compare_types(a, b, ptr);
    compare_enums(a, b, ptr);
    for (const auto& k : kUpper) bound(a, b, ptr, k, true);
    for (const auto& k : kLower) bound(a, b, ptr, k, false);
    for (const char* k : {"pattern", "format"}) compare_lists(a, b, ptr, k);
    compare_objects(a, b, ptr, depth);
    compare_items(a, b, ptr, depth);
    compare_others(a, b, ptr);
  }

  void compare_types(const util::Json& a, const util::Json& b, const std::string& ptr) {
    auto ta = types_of(a), tb = types_of(b);
    if (ta == tb) return;
    if (tb && tb->empty()) {
      add(out_, true, ptr, "type-narrowed",
          "no type is accepted any more: the combined schemas ask for types that do not overlap" +
              (ta ? " (was " + type_names(*ta) + ")" : std::string()));
      return;
    }
    if (!tb) {
      add(out_, false, ptr, "type-widened", "any type is accepted now (was " + type_names(*ta) + ")");
      return;
    }
    std::set<std::string> lost, gained;
    if (!ta) lost.insert("any other type");
    for (const auto& t : ta.value_or(std::set<std::string>{}))
      if (!tb->count(t)) lost.insert(t);
    for (const auto& t : *tb)
      if (ta && !ta->count(t)) gained.insert(t);
    if (!lost.empty())
      add(out_, true, ptr, "type-narrowed",
          "type narrowed to " + type_names(*tb) + ": no longer accepts " + type_names(lost));
    if (!gained.empty()) add(out_, false, ptr, "type-widened", "also accepts " + type_names(gained));
  }

  void compare_enums(const util::Json& a, const util::Json& b, const std::string& ptr) {
    auto values = [](const util::Json& s) -> std::optional<std::vector<util::Json>> {
      if (s.contains("enum") && s["enum"].is_array())
        return std::vector<util::Json>(s["enum"].begin(), s["enum"].end());
      return std::nullopt;
    };
    auto va = values(a), vb = values(b);
    if (!vb) {
      if (va) add(out_, false, ptr, "enum-removed", "any value is accepted now (the list of values was dropped)");
      return;
    }
    if (!va) {
      add(out_, true, ptr, "enum-added", "values are now restricted to " + show(util::Json(*vb)));
      return;
    }
    for (const auto& v : *va)
      if (std::find(vb->begin(), vb->end(), v) == vb->end())
        add(out_, true, ptr, "enum-value-removed", "value " + show(v) + " is no longer allowed");
    for (const auto& v : *vb)
      if (std::find(va->begin(), va->end(), v) == va->end())
        add(out_, false, ptr, "enum-value-added", "value " + show(v) + " is now allowed");
  }

  // upper: a lower (or new) maximum breaks; lower bound: a higher (or new) minimum breaks. A bound
  // that is not a number (draft-04's boolean exclusiveMaximum) is compared as a plain keyword.
  void bound(const util::Json& a, const util::Json& b, const std::string& ptr, const std::string& k, bool upper) {
    if ((a.contains(k) && !a[k].is_number()) || (b.contains(k) && !b[k].is_number())) return;
    auto was = num(a, k), now = num(b, k);
    if (was == now) return;
    if (!now) {
      add(out_, false, ptr, k + "-removed", k + " " + fmt(*was) + " removed");
    } else if (!was) {
      add(out_, true, ptr, k + "-added", k + " " + fmt(*now) + " added");
    } else if (upper ? *now < *was : *now > *was) {
      add(out_, true, ptr, k + (upper ? "-lowered" : "-raised"),
          k + " " + (upper ? "lowered" : "raised") + " from " + fmt(*was) + " to " + fmt(*now));
    } else {
      add(out_, false, ptr, k + (upper ? "-raised" : "-lowered"),
          k + " " + (upper ? "raised" : "lowered") + " from " + fmt(*was) + " to " + fmt(*now));
    }
  }

  // pattern, format: every entry applies, so a new entry narrows and a dropped one widens.
  void compare_lists(const util::Json& a, const util::Json& b, const std::string& ptr, const std::string& k) {
    auto list = [&](const util::Json& s) {
      return s.contains(k) ? util::string_list(s[k]) : std::vector<std::string>{};
    };
    auto la = list(a), lb = list(b);
    std::vector<std::string> added, removed;
    for (const auto& p : lb)
      if (std::find(la.begin(), la.end(), p) == la.end()) added.push_back(p);
    for (const auto& p : la)
      if (std::find(lb.begin(), lb.end(), p) == lb.end()) removed.push_back(p);
    if (added.size() == 1 && removed.size() == 1) {
      add(out_, true, ptr, k + "-changed", k + " changed to \"" + added[0] + "\" (was \"" + removed[0] + "\")");
      return;
    }
    for (const auto& p : added)
      add(out_, true, ptr, k + "-added",
          std::string(k)
              .append(" \"")
              .append(p)
              .append("\" added")
              .append(la.empty() ? "" : " (the old " + k + " still applies too)"));
    for (const auto& p : removed)
      add(out_, false, ptr, k + "-removed", std::string(k).append(" \"").append(p).append("\" removed"));
  }

  void compare_objects(const util::Json& a, const util::Json& b, const std::string& ptr, int depth) {
    std::set<std::string> req_a, req_b;
    if (a.contains("required"))
      for (const auto& r : util::string_list(a["required"])) req_a.insert(r);
    if (b.contains("required"))
      for (const auto& r : util::string_list(b["required"])) req_b.insert(r);
    for (const auto& r : req_b)
      if (!req_a.count(r))
        add(out_, true, util::pointer_append(ptr, r), "newly-required", "property \"" + r + "\" is now required");
    for (const auto& r : req_a)
      if (!req_b.count(r))
        add(out_, false, util::pointer_append(ptr, r), "no-longer-required",
            "property \"" + r + "\" is no longer required");

    auto listed = [](const util::Json& s, const std::string& key) {
      return s.contains("properties") && s["properties"].is_object() && s["properties"].contains(key);
    };
    std::vector<std::string> names;
    for (const auto* s : {&a, &b})
      if (s->contains("properties") && (*s)["properties"].is_object())
        for (const auto& [name, sub] : (*s)["properties"].items())
          if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    for (const auto& key : names) {
      std::string child = util::pointer_append(ptr, key);
      util::Json was = key_schema(a, key, false, depth + 1), now = key_schema(b, key, true, depth + 1);
      if (listed(a, key) && !listed(b, key)) {
        if (is_false(now)) {
          add(out_, true, child, "property-removed",
              "property \"" + key + "\" was removed and other properties are not allowed");
          continue;
        }
        add(out_, false, child, "property-unlisted",
            "property \"" + key + "\" is no longer listed (it is judged as any other property now)");
      } else if (!listed(a, key) && listed(b, key) && !req_b.count(key)) {
        add(out_, false, child, "property-added", "optional property \"" + key + "\" added");
      }
      compare(was, now, child, depth + 1);
    }

    bool ha = a.contains("additionalProperties"), hb = b.contains("additionalProperties");
    if (!ha && !hb) return;
    const util::Json& xa = ha ? a["additionalProperties"] : util::Json::object();
    const util::Json& xb = hb ? b["additionalProperties"] : util::Json::object();
    if (xa == xb) return;
    if (!is_false(xa) && is_false(xb)) {
      add(out_, true, ptr, "additional-properties-tightened",
          "properties other than the listed ones are no longer allowed");
    } else if (is_false(xa)) {
      add(out_, false, ptr, "additional-properties-loosened", "other properties are allowed now");
      compare(util::Json::object(), xb, ptr + "/*", depth + 1);
    } else if (!ha) {
      add(out_, true, ptr, "additional-properties-tightened", "other properties must now satisfy a schema");
    } else {
      compare(xa, xb, ptr + "/*", depth + 1);
    }
  }

  void compare_items(const util::Json& a, const util::Json& b, const std::string& ptr, int depth) {
    bool ha = a.contains("items"), hb = b.contains("items");
    if ((!ha && !hb) || (ha && a["items"].is_array()) || (hb && b["items"].is_array()))
      return;  // tuples: compare_others
    compare(ha ? a["items"] : util::Json::object(), hb ? b["items"] : util::Json::object(), ptr + "/*", depth + 1);
  }

  // Every other keyword (multipleOf, uniqueItems, not, anyOf, oneOf, if/then/else, dependencies,
  // propertyNames, contains, patternProperties, tuple items, the residual allOf): any change that
  // adds or alters one is breaking, one that only drops one is compatible.
  void compare_others(const util::Json& a, const util::Json& b, const std::string& ptr) {
    auto judged = [&](const std::string& k) {
      if (k == "type" || k == "enum" || k == "pattern" || k == "format" || k == "required" || k == "properties" ||
          k == "additionalProperties")
        return true;
      if (kUpper.count(k) || kLower.count(k))
        return (!a.contains(k) || a[k].is_number()) && (!b.contains(k) || b[k].is_number());
      if (k == "items") return !(a.contains(k) && a[k].is_array()) && !(b.contains(k) && b[k].is_array());
      return false;
    };
    for (auto it = b.begin(); it != b.end(); ++it) {
      const std::string& k = it.key();
      if (judged(k) || (a.contains(k) && a[k] == *it)) continue;
      std::string what = k == "allOf" ? "a combined constraint" : "\"" + k + "\"";
      if (a.contains(k))
        add(out_, true, ptr, "constraint-changed", what + " changed to " + show(*it) + " (was " + show(a[k]) + ")");
      else
        add(out_, true, ptr, "constraint-added", what + " added: " + show(*it));
    }
    for (auto it = a.begin(); it != a.end(); ++it)
      if (!judged(it.key()) && !b.contains(it.key()))
        add(out_, false, ptr, "constraint-removed", "\"" + it.key() + "\" removed (was " + show(*it) + ")");
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
        add(out, true, child, "key-renamed",
            "key \"" + it.key() + "\" renamed to \"" + twin + "\" (case or separators)");
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
