// Replay reports.
#include "client/replay_report.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "client/report.hpp"
#include "client/validate.hpp"
#include "util/redact.hpp"
#include "util/strings.hpp"

namespace client {

namespace {

std::string fixed(double v, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

}  // namespace

namespace {

std::string html_escape(std::string_view s) { return util::escape_markup(s, util::Markup::html); }

const char* kStyle = R"CSS(
:root{--ok:#1a7f37;--fail:#cf222e;--warn:#9a6700;--skip:#6e7781;--bg:#fff;--fg:#1f2328;--muted:#656d76;--line:#d0d7de;--soft:#f6f8fa}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#8d96a0;--line:#30363d;--soft:#161b22}}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;background:var(--bg);color:var(--fg)}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:0}.muted{color:var(--muted)}
.summary{display:flex;gap:12px;margin:16px 0 20px;flex-wrap:wrap}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 16px;min-width:120px}
.card b{display:block;font-size:24px}.card.ok b{color:var(--ok)}.card.fail b{color:var(--fail)}
table{border-collapse:collapse;width:100%}td.t{white-space:nowrap}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.badge{display:inline-block;border-radius:12px;padding:1px 9px;font-size:12px;font-weight:600;color:#fff}
.b-ok,.b-PASS{background:var(--ok)}.b-failed,.b-FAIL,.b-ERROR{background:var(--fail)}.b-warning{background:var(--warn)}.b-skipped{background:var(--skip)}
section{border:1px solid var(--line);border-radius:8px;margin:0 0 14px;overflow:hidden}
section>header{display:flex;gap:10px;align-items:center;padding:10px 14px;background:var(--soft);border-bottom:1px solid var(--line)}
section>div{padding:10px 14px}
.diff{display:grid;grid-template-columns:110px 1fr;gap:2px 12px;margin:4px 0 10px;font-family:ui-monospace,monospace;font-size:13px}
.diff .exp{color:var(--ok)}.diff .got{color:var(--fail)}.same .got{color:inherit}
pre{background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:8px;overflow:auto;font-size:12px;margin:6px 0}
details summary{cursor:pointer;color:var(--muted)}ul.diffs{margin:4px 0 8px;padding-left:20px;color:var(--fail)}
code{font-family:ui-monospace,monospace;font-size:13px}
)CSS";

std::string step_rows(const DiagnoseReport& r) {
  std::string rows;
  for (const auto& s : r.steps) {
    std::string status(step_status_name(s.status));
    rows.append("<tr><td><code>").append(html_escape(s.name)).append("</code></td><td><span class=\"badge b-");
    rows.append(status).append("\">").append(status).append("</span></td><td>");
    rows.append(s.http_status ? std::to_string(*s.http_status) : "").append("</td><td class=\"t\">");
    rows.append(s.status == StepStatus::skipped ? "" : fixed(s.duration_ms, 1) + " ms");
    rows.append("</td><td>").append(html_escape(s.summary));
    if (!s.evidence.empty())
      rows +=
          "<details><summary>evidence</summary><pre>" + html_escape(util::dump_pretty(s.evidence)) + "</pre></details>";
    rows += "</td></tr>\n";
  }
  return rows;
}

}  // namespace

ReplayReport::ReplayReport(std::string format, bool color, std::size_t name_width, std::size_t expected_width,
                           std::function<util::Status(std::string_view)> direct)
    : format_(std::move(format)),
      color_(color),
      name_width_(std::max<std::size_t>(8, name_width)),
      expected_width_(std::max<std::size_t>(8, expected_width)),
      direct_(format_ == "text" ? std::move(direct) : nullptr) {}

util::Status ReplayReport::text_part(const ScenarioOutcome& o) {
  auto paint = [&](const std::string& t, const char* c) { return color_ ? std::string(c) + t + "\033[0m" : t; };
  char time[32];
  std::snprintf(time, sizeof time, "%7.1f ms", o.duration_ms);
  std::string name = o.name + std::string(name_width_ > o.name.size() ? name_width_ - o.name.size() : 0, ' ');
  std::string out;
  if (!o.input_error.empty()) {
    out = paint("ERROR", "\033[1;31m") + "  " + name + "  " + o.input_error + "\n";
  } else {
    std::string expected = o.expected.empty() ? "(none)" : o.expected;
    expected.resize(std::max(expected.size(), expected_width_), ' ');
    std::string actual = o.actual;
    actual.resize(std::max(actual.size(), expected_width_), ' ');
    out = (o.passed ? paint("PASS ", "\033[32m") : paint("FAIL ", "\033[1;31m")) + "  " + name + "  expected " +
          expected + "  got " + actual + time + "\n";
    for (const auto& d : o.differences) out += "       - " + d + "\n";
  }
  return direct_ ? direct_(out) : parts_.append(out);
}

util::Status ReplayReport::html_part(const ScenarioOutcome& o) {
  // Anchors by the scenario's place in the run; failures are listed (and shown) first.
  std::string id = "s" + std::to_string(count_ - 1);
  std::string verdict = !o.input_error.empty() ? "ERROR" : o.passed ? "PASS" : "FAIL";
  std::string row = o.report.redactor.text(
      "<tr><td><span class=\"badge b-" + verdict + "\">" + verdict + "</span></td><td><a href=\"#" + id + "\">" +
      html_escape(o.name) + "</a></td><td><code>" + html_escape(o.expected) + "</code></td><td><code>" +
      html_escape(o.actual) + "</code></td><td class=\"t\">" + fixed(o.duration_ms, 1) + " ms</td></tr>\n");
  std::string sec;  // masked with this scenario's own secrets: linear in the number of scenarios
  sec += "<section id=\"" + id + "\"><header><span class=\"badge b-" + verdict + "\">" + verdict + "</span><h2>" +
         html_escape(o.name) + "</h2><span class=\"muted\">" + html_escape(o.file) + "</span></header><div>\n";
  if (!o.input_error.empty()) {
    sec += "<ul class=\"diffs\"><li>" + html_escape(o.input_error) + "</li></ul></div></section>\n";
  } else {
    bool same = o.expected.empty() || o.actual.starts_with(o.expected);
    sec += "<div class=\"diff" + std::string(same ? " same" : "") +
           "\"><span class=\"muted\">expected</span><span class=\"exp\">" +
           html_escape(o.expected.empty() ? "(no expect block)" : o.expected) +
           "</span><span class=\"muted\">got</span><span class=\"got\">" + html_escape(o.actual) + "</span></div>\n";
    if (!o.differences.empty()) {
      sec += "<ul class=\"diffs\">";
      for (const auto& d : o.differences) sec += "<li>" + html_escape(d) + "</li>";
      sec += "</ul>\n";
    }
    sec +=
        "<table><thead><tr><th>step</th><th>status</th><th>HTTP</th><th>time</th><th>detail</th></tr></"
        "thead><tbody>\n" +
        step_rows(o.report) + "</tbody></table>\n";
    if (!o.report.violations.empty()) {
      sec +=
          "<table "
          "style=\"margin-top:8px\"><thead><tr><th>violation</th><th>pointer</th><th>message</th></tr></"
          "thead><tbody>\n";
      for (const auto& v : o.report.violations)
        sec += "<tr><td><code>" + html_escape(v.code) + "</code></td><td><code>" +
               html_escape(v.pointer.empty() ? "/" : v.pointer) + "</code></td><td>" + html_escape(v.message) +
               (v.hint.empty() ? "" : "<div class=\"muted\">hint: " + html_escape(v.hint) + "</div>") + "</td></tr>\n";
      sec += "</tbody></table>\n";
    }
    if (!o.report.remediation.empty() && o.report.classification != "OK") {
      sec += "<details open><summary>fix for " + html_escape(o.report.classification) + "</summary><ol>";
      for (const auto& f : o.report.remediation) sec += "<li>" + html_escape(f) + "</li>";
      sec += "</ol></details>\n";
    }
    sec += "</div></section>\n";
  }
  sec = o.report.redactor.text(std::move(sec));
  if (o.passed) {
    if (auto st = passed_rows_.append(row); !st) return st;
    return passed_sections_.append(sec);
  }
  if (auto st = parts_.append(row); !st) return st;
  return failed_sections_.append(sec);
}

util::Status ReplayReport::add(const ScenarioOutcome& o) {
  ++count_;
  if (!o.input_error.empty())
    ++errors_;
  else if (o.passed)
    ++passed_;
  else
    ++failures_;
  total_ms_ += o.duration_ms;
  if (format_ == "json") {
    // Each scenario dumped and masked with its own redactor: linear in the number of scenarios
    // (masking the whole document with every scenario's secrets was quadratic).
    using OJson = util::OrderedJson;
    OJson j = {{"name", o.name},
               {"file", o.file},
               {"passed", o.passed},
               {"expected", o.expected},
               {"actual", o.actual},
               {"differences", o.differences},
               {"durationMs", o.duration_ms}};
    if (!o.input_error.empty())
      j["error"] = o.input_error;
    else
      j["report"] = report_json(o.report);
    std::string text = o.report.redactor.text(util::dump_pretty(j));
    std::string part = count_ > 1 ? ",\n    " : "\n    ";
    for (char c : text) {
      part += c;
      if (c == '\n') part += "    ";
    }
    return parts_.append(part);
  }
  if (format_ == "junit") {
    std::string c = "    <testcase classname=\"replay\" name=\"" + xml_escape(o.name) + "\" file=\"" +
                    xml_escape(o.file) + "\" time=\"" + fixed(o.duration_ms / 1000, 3) + "\"";
    if (!o.input_error.empty()) {
      c += ">\n      <error message=\"" + xml_escape(o.input_error) + "\"/>\n    </testcase>\n";
    } else if (!o.passed) {
      std::string body = "expected " + o.expected + "\ngot      " + o.actual + "\n";
      for (const auto& d : o.differences) body += "- " + d + "\n";
      c += ">\n      <failure type=\"" + xml_escape(o.report.classification) + "\" message=\"" +
           xml_escape("expected " + o.expected + ", got " + o.actual) + "\">" + xml_escape(body) +
           "</failure>\n    </testcase>\n";
    } else {
      c += "/>\n";
    }
    return parts_.append(o.report.redactor.text(std::move(c)));  // each scenario masked with its own secrets
  }
  if (format_ == "html") return html_part(o);
  return text_part(o);
}

util::Status ReplayReport::finish(const std::function<util::Status(std::string_view)>& write) {
  std::size_t failed = count_ - passed_;
  if (format_ == "json") {
    using OJson = util::OrderedJson;
    OJson head = {{"tool", "handover-diag"},
                  {"version", HARNESS_VERSION},
                  {"command", "replay"},
                  {"passed", static_cast<int>(passed_)},
                  {"failed", static_cast<int>(failed)}};
    std::string out = util::dump_pretty(head);
    out.pop_back();  // the closing brace
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    out += ",\n  \"scenarios\": [";
    if (auto st = write(out); !st) return st;
    if (auto st = parts_.copy_to(write); !st) return st;
    return write(count_ ? "\n  ]\n}\n" : "]\n}\n");
  }
  if (format_ == "junit") {
    std::string counts = "tests=\"" + std::to_string(count_) + "\" failures=\"" + std::to_string(failures_) +
                         "\" errors=\"" + std::to_string(errors_) + "\" time=\"" + fixed(total_ms_ / 1000, 3) + "\"";
    std::string head =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"handover-diag replay\" " + counts + ">\n";
    head += "  <testsuite name=\"scenarios\" " + counts + ">\n";
    if (auto st = write(head); !st) return st;
    if (auto st = parts_.copy_to(write); !st) return st;
    return write("  </testsuite>\n</testsuites>\n");
  }
  if (format_ == "html") {
    char when[64];
    std::time_t now = std::time(nullptr);
    std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", std::gmtime(&now));
    std::string out =
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<title>handover-diag replay: " +
        std::to_string(passed_) + " passed, " + std::to_string(failed) + " failed</title><style>" + kStyle +
        "</style></head><body><main>\n";
    out += "<h1>Handover scenario replay</h1><div class=\"muted\">handover-diag " HARNESS_VERSION " · " +
           std::string(when) + "</div>\n";
    out += "<div class=\"summary\"><div class=\"card\"><span class=\"muted\">scenarios</span><b>" +
           std::to_string(count_) + "</b></div><div class=\"card ok\"><span class=\"muted\">passed</span><b>" +
           std::to_string(passed_) + "</b></div><div class=\"card fail\"><span class=\"muted\">failed</span><b>" +
           std::to_string(failed) + "</b></div><div class=\"card\"><span class=\"muted\">time</span><b>" +
           fixed(total_ms_, 0) + " ms</b></div></div>\n";
    // The index: failures first, so the reader starts where the work is.
    out +=
        "<table><thead><tr><th>result</th><th>scenario</th><th>expected</th><th>got</th><th>time</th></tr></"
        "thead><tbody>\n";
    if (auto st = write(out); !st) return st;
    if (auto st = parts_.copy_to(write); !st) return st;
    if (auto st = passed_rows_.copy_to(write); !st) return st;
    if (auto st = write("</tbody></table>\n<h2 style=\"margin:24px 0 10px\">Scenarios</h2>\n"); !st) return st;
    if (auto st = failed_sections_.copy_to(write); !st) return st;
    if (auto st = passed_sections_.copy_to(write); !st) return st;
    return write("</main></body></html>\n");
  }
  if (auto st = parts_.copy_to(write); !st) return st;
  return write(std::to_string(passed_) + " passed, " + std::to_string(failed) + " failed\n");
}

namespace {

std::string render_all(const std::string& format, const std::vector<ScenarioOutcome>& outcomes, bool color) {
  std::size_t width = 8, exp_width = 8;
  for (const auto& o : outcomes) {
    width = std::max(width, o.name.size());
    exp_width = std::max(exp_width, o.expected.size());
  }
  ReplayReport report(format, color, width, exp_width);
  std::string out;
  auto to_string = [&](std::string_view t) -> util::Status {
    out.append(t);
    return {};
  };
  for (const auto& o : outcomes) (void)report.add(o);
  (void)report.finish(to_string);
  return out;
}

}  // namespace

std::string render_replay_text(const std::vector<ScenarioOutcome>& outcomes, bool color) {
  return render_all("text", outcomes, color);
}
std::string render_replay_json(const std::vector<ScenarioOutcome>& outcomes) {
  return render_all("json", outcomes, false);
}
std::string render_replay_junit(const std::vector<ScenarioOutcome>& outcomes) {
  return render_all("junit", outcomes, false);
}
std::string render_replay_html(const std::vector<ScenarioOutcome>& outcomes) {
  return render_all("html", outcomes, false);
}

}  // namespace client
