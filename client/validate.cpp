// The validate command's engine and its four report formats.
#include "client/validate.hpp"

#include <algorithm>
#include <atomic>
#include <iostream>
#include <iterator>
#include <thread>

#include "util/file.hpp"
#include "util/json_text.hpp"
#include "util/strings.hpp"

namespace client {

namespace {

constexpr std::size_t kMaxPayloadFile = 64u << 20;

void split_jsonl(const std::string& file, const std::shared_ptr<const std::string>& buffer,
                 std::vector<PayloadItem>& out) {
  const std::string& text = *buffer;
  std::size_t line = 0, start = 0;
  while (start <= text.size()) {
    auto nl = text.find('\n', start);
    std::string_view row(text.data() + start, (nl == std::string::npos ? text.size() : nl) - start);
    ++line;
    if (!util::trim(row).empty()) out.push_back(PayloadItem{file, line, buffer, row});
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
}

}  // namespace

util::Result<std::vector<PayloadItem>> collect_payloads(const std::vector<std::string>& inputs, bool stdin_jsonl) {
  std::vector<PayloadItem> items;
  for (const auto& input : inputs) {
    if (input == "-") {
      std::string text(std::istreambuf_iterator<char>(std::cin), {});
      text.reserve(text.size() + contracts::kPayloadPadding);
      auto buffer = std::make_shared<const std::string>(std::move(text));
      if (stdin_jsonl) split_jsonl("-", buffer, items);
      else items.push_back(PayloadItem{"-", 0, buffer, *buffer});
      continue;
    }
    auto files = util::expand_paths({input}, {".json", ".jsonl"});
    if (!files) return files.error();
    for (const auto& f : *files) {
      auto text = util::read_file(f, kMaxPayloadFile, contracts::kPayloadPadding);
      if (!text) return text.error();
      auto buffer = std::make_shared<const std::string>(std::move(*text));
      if (f.extension() == ".jsonl") split_jsonl(f.string(), buffer, items);
      else items.push_back(PayloadItem{f.string(), 0, buffer, *buffer});
    }
  }
  return items;
}

std::vector<PayloadResult> validate_payloads(std::vector<PayloadItem> items,
                                             const std::vector<contracts::Contract>& contracts, unsigned jobs) {
  std::vector<PayloadResult> results(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) results[i].item = std::move(items[i]);
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < results.size();)
      results[i].violations = contracts::check_payload_text(contracts, results[i].item.text, results[i].item.padded());
  };
  jobs = std::max(1u, std::min<unsigned>(jobs, static_cast<unsigned>(results.size())));
  std::vector<std::thread> pool;
  for (unsigned j = 1; j < jobs; ++j) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  return results;
}

util::TextPosition violation_position(const PayloadItem& item, const contracts::Violation& v) {
  util::TextPosition pos;
  if (v.line) {
    pos = {v.line, v.column};
  } else if (!v.pointer.empty()) {
    std::string p = v.pointer;
    while (true) {
      if (auto at = util::locate_pointer(item.text, p)) {
        pos = *at;
        break;
      }
      auto slash = p.rfind('/');
      if (slash == std::string::npos || p.empty()) break;
      p.resize(slash);  // a missing member: point at its parent object
    }
  }
  if (item.line) pos.line = item.line;  // .jsonl: one payload per line of the file
  return pos;
}

std::string xml_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // XML 1.0 forbids most control characters even escaped.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') out += "?";
        else out += c;
    }
  }
  return out;
}

std::string render_validate_text(const std::vector<PayloadResult>& results, bool color) {
  auto paint = [&](const std::string& t, const char* c) { return color ? std::string(c) + t + "\033[0m" : t; };
  std::string out;
  std::size_t invalid = 0, total_violations = 0;
  for (const auto& r : results) {
    if (r.violations.empty()) {
      out += paint("ok  ", "\033[32m") + "  " + r.source() + "\n";
      continue;
    }
    ++invalid;
    total_violations += r.violations.size();
    out += paint("FAIL", "\033[1;31m") + "  " + r.source() + "\n";
    for (const auto& v : r.violations) {
      std::string code = v.code;
      code.resize(std::max<std::size_t>(code.size(), 26), ' ');
      auto pos = violation_position(r.item, v);
      std::string where = v.pointer.empty() ? "(whole payload)" : v.pointer;
      where += " (" + r.item.file + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column) + ")";
      out += "      " + paint(code, "\033[33m") + " " + where + "  " + v.message + "  [" + v.contract + "]\n";
      if (!v.hint.empty()) out += "      " + std::string(27, ' ') + "hint: " + v.hint + "\n";
    }
  }
  out += std::to_string(results.size() - invalid) + " passed, " + std::to_string(invalid) + " failed (" +
         std::to_string(total_violations) + " violation" + (total_violations == 1 ? "" : "s") + ")\n";
  return out;
}

std::string render_validate_json(const std::vector<PayloadResult>& results, const std::vector<std::string>& contracts) {
  using OJson = nlohmann::ordered_json;
  OJson list = OJson::array();
  std::size_t invalid = 0;
  for (const auto& r : results) {
    OJson vs = OJson::array();
    for (const auto& v : r.violations) {
      auto at = violation_position(r.item, v);  // the line and column in the file, as text and SARIF show
      vs.push_back({{"code", v.code}, {"pointer", v.pointer}, {"line", at.line}, {"column", at.column},
                    {"message", v.message}, {"hint", v.hint}, {"contract", v.contract}});
    }
    invalid += r.violations.empty() ? 0 : 1;
    OJson j = {{"source", r.source()}, {"file", r.item.file}};
    if (r.item.line) j["line"] = r.item.line;
    j["valid"] = r.violations.empty();
    j["violations"] = vs;
    list.push_back(std::move(j));
  }
  OJson doc = {{"tool", "handover-diag"}, {"version", HARNESS_VERSION}, {"command", "validate"},
               {"contracts", contracts},  {"payloads", results.size()}, {"valid", results.size() - invalid},
               {"invalid", invalid},       {"results", list}};
  return doc.dump(2, ' ', false, OJson::error_handler_t::replace) + "\n";
}

std::string render_validate_junit(const std::vector<PayloadResult>& results) {
  std::size_t failures = 0;
  for (const auto& r : results) failures += r.violations.empty() ? 0 : 1;
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"handover-diag validate\" tests=\"" +
                    std::to_string(results.size()) + "\" failures=\"" + std::to_string(failures) + "\">\n";
  out += "  <testsuite name=\"payload contracts\" tests=\"" + std::to_string(results.size()) + "\" failures=\"" +
         std::to_string(failures) + "\" errors=\"0\">\n";
  for (const auto& r : results) {
    out += "    <testcase classname=\"validate\" name=\"" + xml_escape(r.source()) + "\"";
    if (r.violations.empty()) {
      out += "/>\n";
      continue;
    }
    std::string body;
    for (const auto& v : r.violations)
      body += v.code + " " + (v.pointer.empty() ? "/" : v.pointer) + ": " + v.message + (v.hint.empty() ? "" : " (hint: " + v.hint + ")") + "\n";
    out += ">\n      <failure type=\"" + xml_escape(r.violations.front().code) + "\" message=\"" +
           xml_escape(std::to_string(r.violations.size()) + " violation(s), first: " + r.violations.front().code) + "\">" +
           xml_escape(body) + "</failure>\n    </testcase>\n";
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

std::string render_validate_sarif(const std::vector<PayloadResult>& results, const contracts::Catalogue& catalogue) {
  using OJson = nlohmann::ordered_json;
  OJson rules = OJson::array();
  for (const auto& e : catalogue.entries()) {
    if (e.kind != "violation") continue;
    std::string help;
    for (std::size_t i = 0; i < e.fix.size(); ++i) help += std::to_string(i + 1) + ". " + e.fix[i] + "\n";
    rules.push_back({{"id", e.code},
                     {"name", e.title},
                     {"shortDescription", {{"text", e.title}}},
                     {"fullDescription", {{"text", e.cause}}},
                     {"help", {{"text", help}}},
                     {"defaultConfiguration", {{"level", "error"}}}});
  }
  OJson sarif_results = OJson::array();
  for (const auto& r : results) {
    for (const auto& v : r.violations) {
      util::TextPosition pos = violation_position(r.item, v);
      std::string uri = r.item.file == "-" ? "stdin" : r.item.file;
      if (uri.starts_with("./")) uri = uri.substr(2);
      OJson loc = {{"physicalLocation",
                    {{"artifactLocation", {{"uri", uri}}},
                     {"region", {{"startLine", std::max<std::size_t>(1, pos.line)},
                                 {"startColumn", std::max<std::size_t>(1, pos.column)}}}}}};
      if (!v.pointer.empty()) loc["logicalLocations"] = OJson::array({{{"fullyQualifiedName", v.pointer}, {"kind", "member"}}});
      sarif_results.push_back({{"ruleId", v.code},
                               {"level", "error"},
                               {"message", {{"text", v.message + (v.hint.empty() ? "" : ". Hint: " + v.hint) +
                                                         " [contract: " + v.contract + "]"}}},
                               {"locations", OJson::array({loc})}});
    }
  }
  OJson doc = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
               {"version", "2.1.0"},
               {"runs", OJson::array({{{"tool", {{"driver", {{"name", "handover-diag"},
                                                             {"version", HARNESS_VERSION},
                                                             {"rules", rules}}}}},
                                       {"results", sarif_results}}})}};
  return doc.dump(2, ' ', false, OJson::error_handler_t::replace) + "\n";
}

}  // namespace client
