// verify's reports: text (one line per interaction, its drift below), JSON and JUnit; every one
// through the run's redactor.
#include <cstdio>

#include "client/verify.hpp"
#include "util/strings.hpp"

namespace client {

namespace {

std::string summary(const VerifyReport& r) {
  using S = InteractionVerdict::Status;
  return std::to_string(r.count(S::ok) + r.count(S::drift)) + " compared, " + std::to_string(r.count(S::drift)) +
         " drifted, " + std::to_string(r.count(S::skipped)) + " skipped, " + std::to_string(r.count(S::error)) +
         " failed to answer";
}

std::string xml(std::string_view s) { return util::escape_markup(s, util::Markup::xml); }

}  // namespace

std::string render_verify_text(const VerifyReport& r) {
  std::string out = "verify " + r.target + " (profile " + r.profile + ")\n";
  for (const auto& s : r.setup)
    if (s.status == StepStatus::failed) out += "FAILED " + s.name + ": " + s.summary + "\n";
  for (const auto& v : r.results) {
    std::string tag(verdict_name(v.status));
    for (auto& c : tag) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    tag.resize(8, ' ');
    out += tag + v.fixture + "  " + v.id + "  " + v.method + " " + v.path;
    if (v.status == InteractionVerdict::Status::ok || v.status == InteractionVerdict::Status::drift)
      out += "  (" + std::to_string(v.actual_status) + ")";
    if (!v.note.empty()) out += ": " + v.note;
    out += "\n";
    for (const auto& m : v.drift)
      out += "        " + (m.location.empty() ? std::string(mockserver::kind_name(m.kind)) : m.location) + ": " +
             m.message + (m.actual.empty() ? "" : " (got " + m.actual + ")") + "\n";
  }
  out += r.setup_failed ? "setup failed: nothing was compared\n" : summary(r) + "\n";
  return r.redactor.text(out);
}

std::string render_verify_json(const VerifyReport& r) {
  using S = InteractionVerdict::Status;
  util::OrderedJson doc = {
      {"tool", "handover-diag"}, {"command", "verify"}, {"target", r.target}, {"profile", r.profile}};
  util::OrderedJson setup = util::OrderedJson::array();
  for (const auto& s : r.setup)
    setup.push_back({{"name", s.name}, {"status", step_status_name(s.status)}, {"summary", s.summary}});
  doc["setup"] = setup;
  doc["summary"] = {{"compared", r.count(S::ok) + r.count(S::drift)},
                    {"drifted", r.count(S::drift)},
                    {"skipped", r.count(S::skipped)},
                    {"errors", r.count(S::error)},
                    {"ok", r.exit_code() == 0}};
  util::OrderedJson list = util::OrderedJson::array();
  for (const auto& v : r.results) {
    util::OrderedJson item = {{"fixture", v.fixture},
                              {"id", v.id},
                              {"method", v.method},
                              {"path", v.path},
                              {"status", verdict_name(v.status)}};
    if (v.status == S::ok || v.status == S::drift) {
      item["expectedStatus"] = v.expected_status;
      item["actualStatus"] = v.actual_status;
    }
    if (!v.note.empty()) item["note"] = v.note;
    util::OrderedJson drift = util::OrderedJson::array();
    for (const auto& m : v.drift)
      drift.push_back({{"kind", mockserver::kind_name(m.kind)},
                       {"location", m.location},
                       {"expected", m.expected},
                       {"actual", m.actual},
                       {"message", m.message}});
    item["drift"] = drift;
    list.push_back(item);
  }
  doc["interactions"] = list;
  return r.redactor.text(util::dump_pretty(doc) + "\n");
}

std::string render_verify_junit(const VerifyReport& r) {
  using S = InteractionVerdict::Status;
  const std::size_t failures = r.count(S::drift), errors = r.count(S::error) + (r.setup_failed ? 1 : 0);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"handover-diag verify\" tests=\"" +
                    std::to_string(r.results.size()) + "\" failures=\"" + std::to_string(failures) + "\">\n";
  out += "  <testsuite name=\"" + xml("handover-diag verify (profile " + r.profile + ", " + r.target + ")") +
         "\" tests=\"" + std::to_string(r.results.size()) + "\" failures=\"" + std::to_string(failures) +
         "\" errors=\"" + std::to_string(errors) + "\" skipped=\"" + std::to_string(r.count(S::skipped)) + "\">\n";
  for (const auto& s : r.setup)
    if (s.status == StepStatus::failed)
      out += "    <testcase classname=\"verify.setup\" name=\"" + xml(s.name) + "\">\n      <error message=\"" +
             xml(s.summary) + "\"/>\n    </testcase>\n";
  for (const auto& v : r.results) {
    out += "    <testcase classname=\"verify." + xml(v.fixture) + "\" name=\"" +
           xml(v.id + " " + v.method + " " + v.path) + "\">";
    if (v.status == S::drift) {
      std::string text;
      for (const auto& m : v.drift)
        text +=
            (m.location.empty() ? std::string(mockserver::kind_name(m.kind)) : m.location) + ": " + m.message + "\n";
      out += "\n      <failure message=\"" + xml(std::to_string(v.drift.size()) + " difference(s)") + "\">" +
             xml(text) + "</failure>\n    ";
    } else if (v.status == S::error) {
      out += "\n      <error message=\"" + xml(v.note) + "\"/>\n    ";
    } else if (v.status == S::skipped) {
      out += "\n      <skipped message=\"" + xml(v.note) + "\"/>\n    ";
    }
    out += "</testcase>\n";
  }
  out += "  </testsuite>\n</testsuites>\n";
  return r.redactor.text(out);
}

}  // namespace client
