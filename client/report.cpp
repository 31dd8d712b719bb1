// Text and JSON renderings of a diagnose report.
#include "client/report.hpp"

#include <cstdio>

#include "client/validate.hpp"
#include "util/redact.hpp"
#include "util/strings.hpp"
#include "util/version.hpp"

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
    case StepStatus::ok:
      return "\033[32m";
    case StepStatus::warning:
      return "\033[33m";
    case StepStatus::failed:
      return "\033[31m";
    case StepStatus::skipped:
      return "\033[2m";
  }
  return "";
}

// One request a dry run would send (n of count), as sent: method and URL, headers, body.
std::string dry_run_request(const util::Json& req, std::size_t n, std::size_t count) {
  std::string out = "\nrequest";
  if (count > 1) out += " " + std::to_string(n) + " of " + std::to_string(count);
  if (req.contains("name") && req["name"].is_string() && count > 1) out += " (" + req["name"].get<std::string>() + ")";
  out += n == 1 ? " (dry run, not sent; --execute sends it):\n  " : ":\n  ";
  out += req.value("method", "") + " " + req.value("url", "") + "\n";
  if (req.contains("headers") && req["headers"].is_object())
    for (const auto& [name, value] : req["headers"].items())
      out += "  " + name + ": " + (value.is_string() ? value.get<std::string>() : value.dump()) + "\n";
  if (req.contains("bodyText") && req["bodyText"].is_string()) {
    if (req["bodyText"].get<std::string>().empty()) return out;
    out += "\n";
    for (const auto& line : util::split(req["bodyText"].get<std::string>(), '\n')) out += "  " + line + "\n";
  } else if (req.contains("body")) {
    const auto& body = req["body"];
    std::string text = body.is_string() ? body.get<std::string>() : util::dump_pretty(body);
    out += "\n";
    for (const auto& line : util::split(text, '\n')) out += "  " + line + "\n";
  }
  return out;
}

}  // namespace

std::string render_text(const DiagnoseReport& r, const TextStyle& style) {
  auto paint = [&](const std::string& text, const char* code) {
    return style.color ? std::string(code) + text + "\033[0m" : text;
  };
  std::string out;
  out += "handover-diag " HARNESS_VERSION " · profile " + r.profile + " · " +
         (r.target.empty() ? "(no target)" : r.target) + " · " + (r.executed ? "execute" : "dry run") + "\n\n";
  out += "  " + pad("STEP", 14) + pad("STATUS", 9) + pad("HTTP", 6) + pad("TIME", 10) + "DETAIL\n";
  for (const auto& s : r.steps) {
    std::string status(step_status_name(s.status));
    out += "  " + pad(s.name, 14) + paint(pad(status, 9), color_of(s.status)) +
           pad(s.http_status ? std::to_string(*s.http_status) : "", 6) +
           pad(s.status == StepStatus::skipped ? "" : ms(s.duration_ms), 10) + s.summary + "\n";
  }
  for (const auto& s : r.steps) {
    if (s.status != StepStatus::failed || !s.evidence.is_object() || !s.evidence.contains("problems")) continue;
    out += "\nconfiguration problems (each numbered fix below answers the problem of its number):\n";
    std::size_t n = 0;
    for (const auto& p : s.evidence["problems"])
      out += "  " + std::to_string(++n) + ". " + (p.is_object() ? p.value("problem", "") : p.dump()) + "\n";
  }
  if (!r.violations.empty()) {
    out += "\nviolations:\n";
    for (const auto& v : r.violations) {
      out += "  " + pad(v.code, 27) + (v.pointer.empty() ? "(whole payload)" : v.pointer) + "  " + v.message + "\n";
      if (!v.hint.empty()) out += "  " + std::string(27, ' ') + "hint: " + v.hint + "\n";
    }
  }
  for (const auto& s : r.steps) {
    // A dry run shows what --execute would send, as sent (the token masked): the request, or
    // each of a profile's requests in order.
    if (!s.evidence.is_object() || !s.evidence.value("dryRun", false) || !s.evidence.contains("request")) continue;
    util::Json shown =
        s.evidence.contains("requests") ? s.evidence["requests"] : util::Json::array({s.evidence["request"]});
    for (std::size_t i = 0; i < shown.size(); ++i) out += dry_run_request(shown[i], i + 1, shown.size());
  }
  out += "\nresult: ";
  bool ok = r.classification == "OK";
  out += paint(r.classification, ok ? "\033[1;32m" : "\033[1;31m");
  if (!r.failed_step.empty()) out += " (failed step: " + r.failed_step + ")";
  out += "\n";
  if (!r.remediation.empty()) {
    out += ok ? "" : "fix:\n";
    if (ok)
      out += r.executed ? "  the transfer was sent and accepted\n" : "  " + r.remediation.front() + "\n";
    else
      for (std::size_t i = 0; i < r.remediation.size(); ++i)
        out += "  " + std::to_string(i + 1) + ". " + r.remediation[i] + "\n";
  }
  if (!ok) out += "  (handover-diag explain " + r.classification + " for cause and evidence)\n";
  for (const auto& w : r.warnings) out += paint("warning: ", "\033[33m") + w + "\n";
  return r.redactor.text(std::move(out));
}

util::OrderedJson report_json(const DiagnoseReport& r) {
  using OJson = util::OrderedJson;
  OJson steps = OJson::array();
  for (const auto& s : r.steps) {
    OJson j = {{"name", s.name},
               {"status", step_status_name(s.status)},
               {"httpStatus", s.http_status ? OJson(*s.http_status) : OJson(nullptr)},
               {"durationMs", s.duration_ms},
               {"summary", s.summary},
               {"evidence", OJson::parse(util::dump_line(s.evidence))},
               {"classification", s.classification.empty() ? OJson(nullptr) : OJson(s.classification)}};
    steps.push_back(std::move(j));
  }
  OJson violations = OJson::array();
  for (const auto& v : r.violations)
    violations.push_back(
        {{"code", v.code}, {"pointer", v.pointer}, {"message", v.message}, {"hint", v.hint}, {"contract", v.contract}});
  return {{"tool", "handover-diag"},
          {"version", HARNESS_VERSION},
          {"schemaVersion", util::kReportSchemaVersion},
          {"profile", r.profile},
          {"target", r.target},
          {"execute", r.executed},
          {"classification", r.classification},
          {"failedStep", r.failed_step.empty() ? OJson(nullptr) : OJson(r.failed_step)},
          {"steps", steps},
          {"violations", violations},
          {"remediation", r.remediation},
          {"warnings", r.warnings}};
}

std::string render_json(const DiagnoseReport& r) { return r.redactor.text(util::dump_pretty(report_json(r)) + "\n"); }

std::string render_junit(const DiagnoseReport& r) {
  std::size_t failures = 0, skipped = 0;
  double total_ms = 0;
  for (const auto& s : r.steps) {
    failures += s.status == StepStatus::failed ? 1 : 0;
    skipped += s.status == StepStatus::skipped ? 1 : 0;
    total_ms += s.duration_ms;
  }
  auto seconds = [](double ms) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", ms / 1000.0);
    return std::string(buf);
  };
  std::string suite = "handover-diag diagnose (profile " + r.profile + ", " + r.target + ")";
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"handover-diag diagnose\" tests=\"" +
                    std::to_string(r.steps.size()) + "\" failures=\"" + std::to_string(failures) + "\" time=\"" +
                    seconds(total_ms) + "\">\n";
  out += "  <testsuite name=\"" + xml_escape(suite) + "\" tests=\"" + std::to_string(r.steps.size()) +
         "\" failures=\"" + std::to_string(failures) + "\" errors=\"0\" skipped=\"" + std::to_string(skipped) +
         "\" time=\"" + seconds(total_ms) + "\">\n";
  out += "    <properties>\n      <property name=\"classification\" value=\"" + xml_escape(r.classification) +
         "\"/>\n      <property name=\"mode\" value=\"" + (r.executed ? "execute" : "dry run") +
         "\"/>\n    </properties>\n";
  for (const auto& s : r.steps) {
    out += "    <testcase classname=\"diagnose." + xml_escape(r.profile) + "\" name=\"" + xml_escape(s.name) +
           "\" time=\"" + seconds(s.duration_ms) + "\"";
    if (s.status == StepStatus::ok || s.status == StepStatus::warning) {
      if (s.status == StepStatus::ok) {
        out += "/>\n";
      } else {
        out += ">\n      <system-out>" + xml_escape("warning: " + s.summary) + "</system-out>\n    </testcase>\n";
      }
      continue;
    }
    if (s.status == StepStatus::skipped) {
      out += ">\n      <skipped message=\"" + xml_escape(s.summary) + "\"/>\n    </testcase>\n";
      continue;
    }
    std::string body = s.summary + "\n\nevidence: " + util::dump_pretty(s.evidence) + "\n";
    if (s.name == "payload")
      for (const auto& v : r.violations)
        body += v.code + " " + (v.pointer.empty() ? "/" : v.pointer) + ": " + v.message + "\n";
    if (s.name == r.failed_step && !r.remediation.empty()) {
      body += "\nfix:\n";
      for (std::size_t i = 0; i < r.remediation.size(); ++i)
        body += "  " + std::to_string(i + 1) + ". " + r.remediation[i] + "\n";
    }
    out += ">\n      <failure type=\"" + xml_escape(s.classification) + "\" message=\"" +
           xml_escape(s.classification + ": " + s.summary) + "\">" + xml_escape(body) + "</failure>\n    </testcase>\n";
  }
  out += "  </testsuite>\n</testsuites>\n";
  return r.redactor.text(std::move(out));
}

namespace {

// A body for the trace: JSON re-printed with the redactor's pointers masked, else the text.
std::string trace_body(const std::string& body, const util::Redactor& redactor, std::size_t max) {
  std::string text = body;
  if (!body.empty() && (body.front() == '{' || body.front() == '[')) {
    util::Json doc = util::parse_json_lenient(body);
    if (!doc.is_discarded()) {
      redactor.json_const(doc);
      text = util::dump_line(doc);
    }
  }
  text = redactor.text(std::move(text));
  if (text.size() > max) text = util::excerpt(text, max) + " (" + std::to_string(body.size()) + " bytes)";
  return text;
}

}  // namespace

std::string render_exchange(const Exchange& x, bool done, const util::Redactor& redactor, std::size_t max_body) {
  std::string out;
  if (!done) {
    out += "* " + x.step + (x.attempt > 1 || !x.note.empty() ? ", attempt " + std::to_string(x.attempt) : "") +
           (x.note.empty() ? "" : " (" + x.note + ")") + "\n";
    out += "> " + x.request.method + " " + x.request.url + "\n";
    for (const auto& [k, v] : x.request.headers) {
      // Credentials are masked whole, whatever the scheme.
      bool credential = util::iequals(k, "authorization");
      std::string shown =
          credential ? v.substr(0, v.find(' ') == std::string::npos ? 0 : v.find(' ') + 1) + util::kMask : v;
      out.append("> ").append(k).append(": ").append(shown).append("\n");
    }
    if (!x.request.body.empty()) {
      std::string body = x.request.body;
      if (util::iequals(x.request.headers.get("content-type"), "application/x-www-form-urlencoded")) {
        // Form fields that carry credentials are masked by name as well as by value.
        std::string shown;
        for (const auto& [k, v] : util::parse_form(body)) {
          bool credential = util::is_credential_field(k);
          shown += (shown.empty() ? "" : "&") + k + "=" + (credential ? std::string(util::kMask) : util::url_encode(v));
        }
        body = shown;
      }
      out += ">\n> " + trace_body(body, redactor, max_body) + "\n";
    }
    return redactor.text(std::move(out));
  }
  char took[48];
  std::snprintf(took, sizeof took, "%.1f ms", x.duration_ms);
  if (x.result.error) {
    out += "! " + std::string(network_error_kind_name(x.result.error->kind)) + ": " + x.result.error->message + " (" +
           took + ")\n";
    return redactor.text(std::move(out));
  }
  if (!x.result.response) return out;
  const auto& r = *x.result.response;
  std::string reason(util::reason_phrase(r.status));
  out += "< " + std::to_string(r.status) + (reason.empty() ? "" : " " + reason) + " (" + took + ")\n";
  for (const auto& [k, v] : r.headers)
    out += "< " + k + ": " + (util::iequals(k, "set-cookie") ? util::kMask : v) + "\n";
  if (!r.body.empty()) out += "<\n< " + trace_body(r.body, redactor, max_body) + "\n";
  return redactor.text(std::move(out));
}

}  // namespace client
