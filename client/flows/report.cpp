// handover-diag flows' reports (see report.hpp).
#include "client/flows/report.hpp"

#include <algorithm>

#include "util/strings.hpp"

namespace client::flows {

namespace {

using OJson = util::OrderedJson;

std::string xml(std::string_view s) { return util::escape_markup(s, util::Markup::xml); }

std::string node_name(const FlowNode& n) { return n.flow + "/" + n.locale + " \"" + n.label + "\" (" + n.id + ")"; }

// s, then spaces to n characters (one at least).
std::string pad(std::string s, std::size_t n) {
  s.append(s.size() < n ? n - s.size() : 1, ' ');
  return s;
}

std::string render_text(const FlowsRun& run) {
  const auto& p = *run.project;
  std::string out = "handover-diag flows " + p.source + " (" + p.kind + ": " + std::to_string(p.flows.size()) +
                    " flow(s), " + std::to_string(p.nodes.size()) + " node(s) across locales)\n\n";
  std::vector<std::vector<std::string>> rows = {{"FLOW", "LOCALE", "NODE", "ID", "KIND", "PROFILE", "WHERE"}};
  for (const auto& h : run.handovers) {
    const auto& n = *h.node;
    rows.push_back({n.flow, n.locale, n.label + (n.disabled ? " (disabled)" : ""), n.id, std::string(kind_name(h.kind)),
                    h.profile.empty() ? "-" : h.profile, n.where});
  }
  std::vector<std::size_t> width(rows[0].size(), 0);
  for (const auto& r : rows)
    for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size() + 2);
  for (const auto& r : rows) {
    out += "  ";
    for (std::size_t i = 0; i + 1 < r.size(); ++i) out += pad(r[i], width[i]);
    out += r.back() + "\n";
  }
  int errors = 0, warnings = 0;
  if (!run.findings.empty()) out += "\n";
  for (const auto& f : run.findings) {
    (f.severity == "error" ? errors : warnings)++;
    out += pad(f.severity, 8) + pad(f.code, 28) + f.where + "  " + f.message +
           (f.node->disabled ? " [disabled node]" : "") + "\n";
    if (!f.hint.empty()) out += std::string(36, ' ') + "hint: " + f.hint + "\n";
  }
  int passed = 0, failed = 0;
  if (!run.cases.empty()) out += "\n";
  for (const auto& r : run.cases) {
    (r.passed ? passed : failed)++;
    out += std::string(r.passed ? "PASS  " : "FAIL  ") + pad("case \"" + r.flow_case->name + "\"", 22) +
           node_name(*r.handover->node) + ": " + r.verdict + "\n";
    out += "      sends " + util::dump_line(r.request) + "\n";
    if (r.not_evaluated)
      out += "      " + std::to_string(r.not_evaluated) + " expression(s) not evaluated here (rendered as undefined)\n";
    if (!r.passed || r.flow_case->expect)
      for (const auto& v : r.violations)
        out += "      " + pad(v.code, 26) + (v.pointer.empty() ? "/" : v.pointer) + "  " + v.message + "\n";
  }
  std::size_t disabled =
      std::count_if(run.handovers.begin(), run.handovers.end(), [](const auto& h) { return h.node->disabled; });
  out += "\n" + std::to_string(run.handovers.size()) + " handover node(s) (" + std::to_string(disabled) +
         " disabled), " + std::to_string(errors) + " error(s), " + std::to_string(warnings) + " warning(s)";
  if (!run.cases.empty())
    out += "; cases: " + std::to_string(passed) + " passed, " + std::to_string(failed) + " failed";
  return out + "\n";
}

OJson node_json(const FlowNode& n) {
  return {{"flow", n.flow}, {"locale", n.locale},     {"id", n.id},      {"label", n.label},
          {"type", n.type}, {"disabled", n.disabled}, {"where", n.where}};
}

std::string render_json(const FlowsRun& run) {
  OJson handovers = OJson::array(), findings = OJson::array(), cases = OJson::array();
  for (const auto& h : run.handovers) {
    OJson j = node_json(*h.node);
    j["kind"] = kind_name(h.kind);
    j["profile"] = h.profile;
    j["call"] = h.call;
    handovers.push_back(std::move(j));
  }
  for (const auto& f : run.findings)
    findings.push_back({{"code", f.code},
                        {"severity", f.severity},
                        {"where", f.where},
                        {"message", f.message},
                        {"hint", f.hint},
                        {"node", node_json(*f.node)}});
  for (const auto& r : run.cases) {
    OJson vs = OJson::array();
    for (const auto& v : r.violations) vs.push_back({{"code", v.code}, {"pointer", v.pointer}, {"message", v.message}});
    cases.push_back({{"case", r.flow_case->name},
                     {"node", node_json(*r.handover->node)},
                     {"passed", r.passed},
                     {"verdict", r.verdict},
                     {"contract", r.contract},
                     {"request", r.request},
                     {"violations", vs},
                     {"notEvaluated", r.not_evaluated}});
  }
  OJson doc = {{"source", run.project->source}, {"kind", run.project->kind}, {"ok", !run.failed()},
               {"handovers", handovers},        {"findings", findings},      {"cases", cases}};
  return util::dump_pretty(doc) + "\n";
}

std::string render_junit(const FlowsRun& run) {
  std::string body;
  int tests = 0, failures = 0;
  for (const auto& h : run.handovers) {
    ++tests;
    std::string fail;
    for (const auto& f : run.findings)
      if (f.node == h.node && f.severity == "error") fail += f.code + " " + f.where + ": " + f.message + "\n";
    body += "    <testcase classname=\"flows.static\" name=\"" + xml(node_name(*h.node)) + "\" file=\"" +
            xml(h.node->file) + "\"";
    if (fail.empty()) {
      body += "/>\n";
    } else {
      ++failures;
      body +=
          ">\n      <failure type=\"FLOW\" message=\"static findings\">" + xml(fail) + "</failure>\n    </testcase>\n";
    }
  }
  for (const auto& r : run.cases) {
    ++tests;
    body += "    <testcase classname=\"flows.cases\" name=\"" +
            xml(r.flow_case->name + ": " + node_name(*r.handover->node)) + "\"";
    if (r.passed) {
      body += "/>\n";
    } else {
      ++failures;
      std::string detail;
      for (const auto& v : r.violations) detail += v.code + " " + v.pointer + ": " + v.message + "\n";
      body += ">\n      <failure type=\"CASE\" message=\"" + xml(r.verdict) + "\">" + xml(detail) +
              "</failure>\n    </testcase>\n";
    }
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\"flows\" tests=\"" +
         std::to_string(tests) + "\" failures=\"" + std::to_string(failures) + "\">\n" + body +
         "  </testsuite>\n</testsuites>\n";
}

// "file:line:col" (a zip entry keeps its "pkg.zip!entry" as the artifact) into a SARIF location.
OJson sarif_location(const std::string& where) {
  std::size_t line = 1, col = 1;
  std::string uri = where;
  auto last = where.rfind(':');
  auto prev = last == std::string::npos ? last : where.rfind(':', last - 1);
  if (prev != std::string::npos && where.find_first_not_of("0123456789", prev + 1) == last &&
      where.find_first_not_of("0123456789", last + 1) == std::string::npos && last + 1 < where.size()) {
    line = std::stoul(where.substr(prev + 1, last - prev - 1));
    col = std::stoul(where.substr(last + 1));
    uri = where.substr(0, prev);
  }
  if (uri.starts_with("./")) uri = uri.substr(2);
  return {{"physicalLocation",
           {{"artifactLocation", {{"uri", uri}}}, {"region", {{"startLine", line}, {"startColumn", col}}}}}};
}

std::string render_sarif(const FlowsRun& run, const contracts::Catalogue& catalogue) {
  OJson rules = OJson::array(), results = OJson::array();
  for (const auto& e : catalogue.entries()) {
    if (e.kind != "flow" && e.kind != "violation") continue;
    rules.push_back({{"id", e.code},
                     {"name", e.title},
                     {"shortDescription", {{"text", e.title}}},
                     {"fullDescription", {{"text", e.cause}}}});
  }
  for (const auto& f : run.findings)
    results.push_back({{"ruleId", f.code},
                       {"level", f.severity == "error" ? "error" : "warning"},
                       {"message", {{"text", f.message + (f.hint.empty() ? "" : ". Hint: " + f.hint)}}},
                       {"locations", OJson::array({sarif_location(f.where)})}});
  for (const auto& r : run.cases)
    if (!r.passed)
      for (const auto& v : r.violations)
        results.push_back(
            {{"ruleId", v.code},
             {"level", "error"},
             {"message", {{"text", "case \"" + r.flow_case->name + "\": " + v.pointer + " " + v.message}}},
             {"locations", OJson::array({sarif_location(r.handover->node->where)})}});
  OJson doc = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs",
       OJson::array(
           {{{"tool", {{"driver", {{"name", "handover-diag"}, {"version", HARNESS_VERSION}, {"rules", rules}}}}},
             {"results", results}}})}};
  return util::dump_pretty(doc) + "\n";
}

}  // namespace

bool FlowsRun::failed() const {
  return std::any_of(findings.begin(), findings.end(), [](const auto& f) { return f.severity == "error"; }) ||
         std::any_of(cases.begin(), cases.end(), [](const auto& r) { return !r.passed; });
}

std::string render_flows(const FlowsRun& run, const std::string& format, const contracts::Catalogue& catalogue) {
  if (format == "json") return render_json(run);
  if (format == "junit") return render_junit(run);
  if (format == "sarif") return render_sarif(run, catalogue);
  return render_text(run);
}

}  // namespace client::flows
