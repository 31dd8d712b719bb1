// Text and JSON renderings of a diagnose report.
#include "client/report.hpp"

#include <cstdio>

#include "util/redact.hpp"
#include "util/strings.hpp"

namespace client {

namespace {

std::string pad(std::string s, std::size_t width) {
  // Pad by display width (count code points, not bytes).
  std::size_t len = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++len;
  if (len < width) s.append(width - len, ' ');
  return s;
}

std::string ms(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f ms", v);
  return buf;
}

const char* color_of(StepStatus s) {
  switch (s) {
    case StepStatus::ok: return "\033[32m";
    case StepStatus::warning: return "\033[33m";
    case StepStatus::failed: return "\033[31m";
    case StepStatus::skipped: return "\033[2m";
  }
  return "";
}

}  // namespace

std::string render_text(const DiagnoseReport& r, const TextStyle& style) {
  auto paint = [&](const std::string& text, const char* code) {
    return style.color ? std::string(code) + text + "\033[0m" : text;
  };
  std::string out;
  out += "handover-diag " HARNESS_VERSION " · profile " + r.profile + " · " + (r.target.empty() ? "(no target)" : r.target) +
         " · " + (r.executed ? "execute" : "dry run") + "\n\n";
  out += "  " + pad("STEP", 14) + pad("STATUS", 9) + pad("HTTP", 6) + pad("TIME", 10) + "DETAIL\n";
  for (const auto& s : r.steps) {
    std::string status(step_status_name(s.status));
    out += "  " + pad(s.name, 14) + paint(pad(status, 9), color_of(s.status)) +
           pad(s.http_status ? std::to_string(*s.http_status) : "", 6) +
           pad(s.status == StepStatus::skipped ? "" : ms(s.duration_ms), 10) + s.summary + "\n";
  }
  if (!r.violations.empty()) {
    out += "\nviolations:\n";
    for (const auto& v : r.violations) {
      out += "  " + pad(v.code, 27) + (v.pointer.empty() ? "(whole payload)" : v.pointer) + "  " + v.message + "\n";
      if (!v.hint.empty()) out += "  " + std::string(27, ' ') + "hint: " + v.hint + "\n";
    }
  }
  out += "\nresult: ";
  bool ok = r.classification == "OK";
  out += paint(r.classification, ok ? "\033[1;32m" : "\033[1;31m");
  if (!r.failed_step.empty()) out += " (failed step: " + r.failed_step + ")";
  out += "\n";
  if (!r.remediation.empty()) {
    out += ok ? "" : "fix:\n";
    if (ok) out += "  " + r.remediation.front() + "\n";
    else
      for (std::size_t i = 0; i < r.remediation.size(); ++i)
        out += "  " + std::to_string(i + 1) + ". " + r.remediation[i] + "\n";
  }
  if (!ok) out += "  (handover-diag explain " + r.classification + " for cause and evidence)\n";
  return r.redactor.text(std::move(out));
}

nlohmann::ordered_json report_json(const DiagnoseReport& r) {
  using OJson = nlohmann::ordered_json;
  OJson steps = OJson::array();
  for (const auto& s : r.steps) {
    OJson j = {{"name", s.name},
               {"status", step_status_name(s.status)},
               {"httpStatus", s.http_status ? OJson(*s.http_status) : OJson(nullptr)},
               {"durationMs", s.duration_ms},
               {"summary", s.summary},
               {"evidence", OJson::parse(s.evidence.dump())},
               {"classification", s.classification.empty() ? OJson(nullptr) : OJson(s.classification)}};
    steps.push_back(std::move(j));
  }
  OJson violations = OJson::array();
  for (const auto& v : r.violations)
    violations.push_back({{"code", v.code}, {"pointer", v.pointer}, {"message", v.message}, {"hint", v.hint},
                          {"contract", v.contract}});
  return {{"tool", "handover-diag"},
          {"version", HARNESS_VERSION},
          {"profile", r.profile},
          {"target", r.target},
          {"execute", r.executed},
          {"classification", r.classification},
          {"failedStep", r.failed_step.empty() ? OJson(nullptr) : OJson(r.failed_step)},
          {"steps", steps},
          {"violations", violations},
          {"remediation", r.remediation}};
}

std::string render_json(const DiagnoseReport& r) {
  return r.redactor.text(report_json(r).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n");
}

}  // namespace client
