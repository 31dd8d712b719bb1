// Catalogue loading and rule evaluation.
#include "contracts/catalogue.hpp"

#include <algorithm>

#include "contracts/embedded.hpp"

namespace contracts {

namespace {

util::Error at(std::string_view source, const std::string& pointer, const std::string& what) {
  return util::make_error(std::string(source) + ": " + pointer + ": " + what);
}

}  // namespace

util::Result<Catalogue> Catalogue::builtin() {
  auto text = embedded_file("catalogue.json");
  if (!text) return util::make_error("built-in catalogue.json is missing from the build");
  return parse(*text, "catalogue.json");
}

util::Result<Catalogue> Catalogue::parse(std::string_view text, std::string_view source) {
  TRY_ASSIGN(auto doc, util::parse_json(text, source));
  const util::Json& d = doc;
  Catalogue c;
  if (!d.is_object() || !d.contains("codes") || !d["codes"].is_object())
    return at(source, "/codes", "missing object of codes");
  for (const auto& [code, e] : d["codes"].items()) {
    std::string ptr = util::pointer_append("/codes", code);
    if (!e.is_object() || !e.contains("cause") || !e.contains("fix"))
      return at(source, ptr, "each code needs \"cause\" and \"fix\"");
    c.entries_.push_back(CatalogueEntry{code, e.value("kind", "classification"), e.value("title", code),
                                        e.value("cause", ""), util::string_list(e["fix"])});
  }
  if (d.contains("evidence")) {
    c.evidence_headers_ = util::string_list(d["evidence"].value("headers", util::Json::array()));
    c.evidence_pointers_ = util::string_list(d["evidence"].value("bodyPointers", util::Json::array()));
  }
  const auto& rules = d.value("rules", util::Json::array());
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const auto& r = rules[i];
    std::string ptr = util::pointer_append("/rules", i);
    Rule rule;
    rule.id = r.value("id", "rule-" + std::to_string(i));
    rule.code = r.value("code", "");
    if (!c.find(rule.code)) return at(source, ptr + "/code", "unknown code \"" + rule.code + "\"");
    rule.steps = util::string_list(r.value("step", util::Json::array()));
    for (const auto& s : r.value("status", util::Json::array())) {
      if (s.is_number_integer())
        rule.statuses.push_back(s.get<int>());
      else if (s.is_string() && s.get<std::string>().size() == 3 && s.get<std::string>().substr(1) == "xx")
        rule.status_classes.push_back(s.get<std::string>()[0] - '0');
      else
        return at(source, ptr + "/status", "a status is a number or \"4xx\"/\"5xx\"");
    }
    for (const auto& b : r.value("body", util::Json::array())) {
      BodyCondition cond;
      cond.pointer = b.value("pointer", "");
      cond.source = b.value("matches", "");
      auto re = util::Regex::compile(cond.source, {.ignore_case = b.value("ignoreCase", false)});
      if (!re) return at(source, ptr + "/body", re.error().message);
      cond.re = std::move(*re);
      rule.body.push_back(std::move(cond));
    }
    c.rules_.push_back(std::move(rule));
  }
  return c;
}

const CatalogueEntry* Catalogue::find(std::string_view code) const {
  for (const auto& e : entries_)
    if (e.code == code) return &e;
  return nullptr;
}

std::optional<RuleMatch> Catalogue::classify(std::string_view step, int status, const util::Json* body,
                                             std::string_view body_text) const {
  for (const auto& r : rules_) {
    if (!r.steps.empty() && std::find(r.steps.begin(), r.steps.end(), step) == r.steps.end()) continue;
    bool status_ok =
        (r.statuses.empty() && r.status_classes.empty()) ||
        std::find(r.statuses.begin(), r.statuses.end(), status) != r.statuses.end() ||
        std::find(r.status_classes.begin(), r.status_classes.end(), status / 100) != r.status_classes.end();
    if (!status_ok) continue;
    bool body_ok = true;
    for (const auto& cond : r.body) {
      std::string subject;
      if (cond.pointer.empty()) {
        subject.assign(body_text);
      } else if (body) {
        try {
          const auto& v = body->at(util::Json::json_pointer(cond.pointer));
          subject = v.is_string() ? v.get<std::string>() : util::dump_line(v);
        } catch (const std::exception&) {
          body_ok = false;
          break;
        }
      } else {
        body_ok = false;
        break;
      }
      if (!cond.re.search(subject)) {
        body_ok = false;
        break;
      }
    }
    if (body_ok) return RuleMatch{r.code, r.id};
  }
  return std::nullopt;
}

}  // namespace contracts
