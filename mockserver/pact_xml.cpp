// XML bodies compared as Pact defines (see pact_xml.hpp). Parsed with pugixml (Debian's
// libpugixml-dev): no DTD is loaded and no entity but the five predefined ones and character
// references is expanded, so a body cannot reach the network or expand itself; its parser is not
// recursive, and the comparison stops at kMaxDepth.
#include "mockserver/pact_xml.hpp"

#include <pugixml.hpp>

#include <algorithm>
#include <string>
#include <utility>

#include "mockserver/pact_detail.hpp"
#include "util/strings.hpp"

namespace mockserver::pact {

namespace {

using detail::best_rule;
using detail::Place;

constexpr std::size_t kMaxDepth = 256;  // element nesting compared

// A name as compared: the namespace its prefix (or the default namespace) is bound to, and the
// local part. What is shown and put in a path is the name as written.
struct QName {
  std::string ns, local;
  bool operator==(const QName& o) const { return ns == o.ns && local == o.local; }
};

std::string_view written(const pugi::xml_node& n) { return n.name(); }

std::pair<std::string_view, std::string_view> split_name(std::string_view name) {
  auto colon = name.find(':');
  if (colon == std::string_view::npos) return {{}, name};
  return {name.substr(0, colon), name.substr(colon + 1)};
}

// The namespace a prefix ("" for the default namespace) is bound to where node is.
std::string namespace_of(pugi::xml_node node, std::string_view prefix) {
  if (prefix == "xml") return "http://www.w3.org/XML/1998/namespace";
  std::string attr = "xmlns";
  if (!prefix.empty()) attr.append(":").append(prefix);
  for (; node && node.type() == pugi::node_element; node = node.parent())
    if (auto a = node.attribute(attr.c_str())) return a.value();
  return {};
}

QName element_name(const pugi::xml_node& n) {
  auto [prefix, local] = split_name(written(n));
  return {namespace_of(n, prefix), std::string(local)};
}

// An attribute's token in a path ("@name").
std::string attribute_token(std::string_view name) {
  std::string token(1, '@');
  token.append(name);
  return token;
}

bool is_declaration(std::string_view name) { return name == "xmlns" || name.rfind("xmlns:", 0) == 0; }

struct Attribute {
  QName name;
  std::string_view written, value;
};

// An element's attributes, without its namespace declarations. An unprefixed attribute is in no
// namespace (the default namespace is for elements only).
std::vector<Attribute> attributes_of(const pugi::xml_node& n) {
  std::vector<Attribute> out;
  for (const auto& a : n.attributes()) {
    std::string_view name = a.name();
    if (is_declaration(name)) continue;
    auto [prefix, local] = split_name(name);
    out.push_back({{prefix.empty() ? std::string() : namespace_of(n, prefix), std::string(local)}, name, a.value()});
  }
  return out;
}

std::vector<pugi::xml_node> child_elements(const pugi::xml_node& n) {
  std::vector<pugi::xml_node> out;
  for (const auto& c : n.children())
    if (c.type() == pugi::node_element) out.push_back(c);
  return out;
}

// Children grouped by name, in the order each name first appears.
std::vector<std::pair<QName, std::vector<pugi::xml_node>>> by_name(const std::vector<pugi::xml_node>& children) {
  std::vector<std::pair<QName, std::vector<pugi::xml_node>>> groups;
  for (const auto& c : children) {
    QName q = element_name(c);
    auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == q; });
    if (it == groups.end()) {
      groups.emplace_back(std::move(q), std::vector<pugi::xml_node>{c});
    } else {
      it->second.push_back(c);
    }
  }
  return groups;
}

// An element's own text: its text and CDATA children, each trimmed, joined.
std::string text_of(const pugi::xml_node& n) {
  std::string out;
  for (const auto& c : n.children())
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) out += util::trim(c.value());
  return out;
}

// XML text as a number matcher sees it: a number (or true/false for boolean) when it reads as
// one, else the text; every other matcher sees the text.
util::Json as_value(const Matcher& m, const std::string& text) {
  const bool numeric = m.kind == "integer" || m.kind == "decimal" || m.kind == "number";
  if (!numeric && m.kind != "boolean") return util::Json(text);
  util::Json v = util::Json::parse(text, nullptr, false);
  if (v.is_discarded() || !(numeric ? v.is_number() : v.is_boolean())) return util::Json(text);
  return v;
}

std::string shown_name(const QName& q) { return q.ns.empty() ? q.local : q.ns + ":" + q.local; }

bool type_rule(const Rule* rule) {
  return detail::has_kind(rule, "type") || detail::has_kind(rule, "min") || detail::has_kind(rule, "max") ||
         detail::has_kind(rule, "values");
}

struct XmlCompare {
  const Rules& rules;
  bool allow_unexpected;
  std::vector<Mismatch>& out;
  Place place;

  void add(std::string expected, std::string actual, std::string message) {
    out.push_back({MismatchKind::body, place.pointer(), std::move(expected), std::move(actual), std::move(message)});
  }

  // A rule on an element: type and equality compare its name; min and max count its child
  // elements when the rule names this element (own), not when it is inherited from a parent.
  // Value matchers (regex, include, number…) are for its text and attributes, where the rule
  // applies too ("$.a.colour" with a regex checks each <colour>'s text).
  std::optional<std::string> element_differs(const Matcher& m, const pugi::xml_node& e, const pugi::xml_node& a,
                                             bool own) {
    const std::string& k = m.kind;
    if ((k == "type" || k == "equality") && !(element_name(e) == element_name(a)))
      return "expected element <" + std::string(written(e)) + ">, got <" + std::string(written(a)) + ">";
    if (own && (k == "type" || k == "min" || k == "max")) {
      std::size_t n = child_elements(a).size();
      if (m.min && n < *m.min)
        return "expected at least " + std::to_string(*m.min) + " child elements, got " + std::to_string(n);
      if (m.max && n > *m.max)
        return "expected at most " + std::to_string(*m.max) + " child elements, got " + std::to_string(n);
    }
    return std::nullopt;
  }

  void element(const pugi::xml_node& e, const pugi::xml_node& a) {
    if (place.tokens.size() > kMaxDepth) return add("", "", "nested deeper than " + std::to_string(kMaxDepth));
    bool own = false;
    if (const Rule* rule = best_rule(rules, place, &own)) {
      std::vector<std::string> why;
      for (const auto& m : rule->matchers)
        if (auto w = element_differs(m, e, a, own)) why.push_back(*w);
      if (!why.empty() && !detail::combined_accepts(*rule, why.size()))
        return add(std::string(written(e)), std::string(written(a)), util::join(why, "; "));
    } else if (!(element_name(e) == element_name(a))) {
      return add(shown_name(element_name(e)), shown_name(element_name(a)),
                 "expected element <" + shown_name(element_name(e)) + ">, got <" + shown_name(element_name(a)) + ">");
    }
    compare_attributes(e, a);
    compare_children(e, a);
    compare_text(e, a);
  }

  void value(std::string_view expected, std::string_view actual) {
    const std::string ev(expected), av(actual);
    if (const Rule* rule = best_rule(rules, place)) {
      std::vector<std::string> why;
      for (const auto& m : rule->matchers)
        if (auto w = detail::apply(m, util::Json(ev), as_value(m, av))) why.push_back(*w);
      if (!why.empty() && !detail::combined_accepts(*rule, why.size())) add(ev, av, util::join(why, "; "));
    } else if (ev != av) {
      add(ev, av, "expected \"" + util::excerpt(ev, 80) + "\", got \"" + util::excerpt(av, 80) + "\"");
    }
  }

  void compare_attributes(const pugi::xml_node& e, const pugi::xml_node& a) {
    const auto expected = attributes_of(e), actual = attributes_of(a);
    for (const auto& x : expected) {
      auto it = std::find_if(actual.begin(), actual.end(), [&](const Attribute& y) { return y.name == x.name; });
      place.tokens.push_back({attribute_token(x.written), false});
      if (it == actual.end()) {
        add(std::string(x.value), "", "expected attribute " + std::string(x.written) + " is missing");
      } else {
        value(x.value, it->value);
      }
      place.tokens.pop_back();
    }
    if (allow_unexpected) return;
    for (const auto& y : actual)
      if (std::none_of(expected.begin(), expected.end(), [&](const Attribute& x) { return x.name == y.name; })) {
        place.tokens.push_back({attribute_token(y.written), false});
        add("", std::string(y.value), "unexpected attribute " + std::string(y.written));
        place.tokens.pop_back();
      }
  }

  void compare_children(const pugi::xml_node& e, const pugi::xml_node& a) {
    const auto expected = by_name(child_elements(e)), actual = by_name(child_elements(a));
    // A type rule on this element itself makes its children a list of examples: a child of
    // another name is then unexpected even in a response. One inherited from above does not.
    bool own = false;
    const bool typed_list = type_rule(best_rule(rules, place, &own)) && own;
    for (const auto& group : expected) {
      const QName& name = group.first;  // (clang 14 cannot capture a structured binding)
      const auto& examples = group.second;
      place.tokens.push_back({std::string(written(examples.front())), false});
      auto it = std::find_if(actual.begin(), actual.end(), [&](const auto& g) { return g.first == name; });
      const std::size_t have = it == actual.end() ? 0 : it->second.size();
      if (have > 0 && type_rule(best_rule(rules, place))) {
        for (const auto& child : it->second) element(examples.front(), child);
      } else {
        for (std::size_t i = 0; i < examples.size() && i < have; ++i) element(examples[i], it->second[i]);
        if (have < examples.size())
          add(shown_name(name), std::to_string(have),
              "expected " + std::to_string(examples.size()) + " <" + std::string(written(examples.front())) +
                  "> elements, got " + std::to_string(have));
        else if (have > examples.size() && !allow_unexpected)
          add(std::to_string(examples.size()), shown_name(name),
              "unexpected <" + std::string(written(examples.front())) + "> element (" + std::to_string(have) +
                  " where " + std::to_string(examples.size()) + " expected)");
      }
      place.tokens.pop_back();
    }
    for (const auto& group : actual) {
      const QName& name = group.first;
      const auto& children = group.second;
      if (std::any_of(expected.begin(), expected.end(), [&](const auto& g) { return g.first == name; })) continue;
      place.tokens.push_back({std::string(written(children.front())), false});
      if (!allow_unexpected || typed_list)
        add("", shown_name(name), "unexpected element <" + std::string(written(children.front())) + ">");
      place.tokens.pop_back();
    }
  }

  void compare_text(const pugi::xml_node& e, const pugi::xml_node& a) {
    place.tokens.push_back({"#text", false});
    value(text_of(e), text_of(a));
    place.tokens.pop_back();
  }
};

// The body's root element, or why there is none.
std::optional<std::string> parse(std::string_view body, pugi::xml_document& doc) {
  auto result = doc.load_buffer(body.data(), body.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!result) return std::string(result.description()) + " at offset " + std::to_string(result.offset);
  if (!doc.document_element()) return std::string("no root element");
  return std::nullopt;
}

}  // namespace

bool is_xml_type(std::string_view ct) {
  return ct == "application/xml" || ct == "text/xml" || (ct.size() > 4 && ct.substr(ct.size() - 4) == "+xml");
}

void match_xml(std::string_view expected, std::string_view actual, const Rules& rules, bool allow_unexpected,
               std::vector<Mismatch>& out) {
  pugi::xml_document e, a;
  if (auto why = parse(expected, e)) {
    out.push_back({MismatchKind::body, "$", util::excerpt(std::string(expected), 80), "",
                   "the expected body is not XML: " + *why});
    return;
  }
  if (auto why = parse(actual, a)) {
    out.push_back(
        {MismatchKind::body, "$", "XML", util::excerpt(std::string(actual), 80), "the body is not XML: " + *why});
    return;
  }
  XmlCompare compare{rules, allow_unexpected, out, {}};
  compare.place.tokens.push_back({"$", false});
  compare.place.tokens.push_back({std::string(written(e.document_element())), false});
  compare.element(e.document_element(), a.document_element());
}

}  // namespace mockserver::pact
