// handover-diag compat, explain and contracts: looking at contracts and codes, no traffic.
#include "client/commands/commands.hpp"
#include "client/commands/common.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "client/profile.hpp"
#include "contracts/catalogue.hpp"
#include "contracts/compat.hpp"
#include "contracts/contract.hpp"
#include "contracts/embedded.hpp"
#include "contracts/openapi.hpp"
#include "util/exit_codes.hpp"
#include "util/strings.hpp"

namespace client::commands {

using util::kExitFailed, util::kExitOk, util::kExitUsage;

namespace {

// A built-in contract name, a file, or FILE#/pointer (a schema inside an API description): the
// document and its base URI.
util::Result<contracts::SchemaDocument> schema_document(const std::string& name_or_path) {
  auto builtin = contracts::embedded_file("schemas/" + name_or_path + ".schema.json");
  std::error_code ec;
  if (auto hash = name_or_path.find('#');
      !builtin && hash != std::string::npos && !std::filesystem::exists(name_or_path, ec)) {
    std::string file = name_or_path.substr(0, hash);
    TRY_ASSIGN(auto schema, contracts::schema_in_file(file, name_or_path.substr(hash + 1)));
    return contracts::SchemaDocument{std::move(schema), contracts::contract_base_uri(file)};
  }
  TRY_ASSIGN(auto text,
             builtin ? util::Result<std::string>(std::string(*builtin)) : util::read_file(name_or_path, 16u << 20));
  TRY_ASSIGN(auto doc, util::parse_json(text, name_or_path));
  return contracts::SchemaDocument{std::move(doc), contracts::contract_base_uri(name_or_path)};
}

bool looks_like_schema(const std::string& name_or_path, const util::Json& doc) {
  if (contracts::embedded_file("schemas/" + name_or_path + ".schema.json")) return true;
  if (name_or_path.ends_with(".schema.json")) return true;
  if (!doc.is_object()) return false;
  for (const char* k : {"$schema", "$id", "$ref", "allOf", "anyOf", "oneOf", "definitions"})
    if (doc.contains(k)) return true;  // an overlay is often only {"allOf": [...]}
  return doc.contains("properties") && doc.contains("type");
}

}  // namespace

int compat(const CompatArgs& args) {
  const std::string &old_path = args.old_path, &new_path = args.new_path, &format = args.format;
  const ReportFiles& reports = args.reports;
  std::string kind = args.kind;
  if (auto code = probe_reports(reports)) return *code;
  auto a = schema_document(old_path);
  if (!a) return usage_error(a.error().message);
  auto b = schema_document(new_path);
  if (!b) return usage_error(b.error().message);
  if (kind == "auto") {
    bool sa = looks_like_schema(old_path, a->doc), sb = looks_like_schema(new_path, b->doc);
    if (sa != sb)
      return usage_error("one of " + old_path + ", " + new_path +
                         " is a schema and the other a payload sample (use --kind)");
    kind = sa ? "schema" : "payload";
  }
  auto findings = kind == "schema" ? contracts::compare_schemas(*a, *b) : contracts::compare_samples(a->doc, b->doc);
  std::stable_sort(findings.begin(), findings.end(),
                   [](const auto& x, const auto& y) { return x.breaking > y.breaking; });
  std::size_t breaking = std::count_if(findings.begin(), findings.end(), [](const auto& f) { return f.breaking; });
  auto render = [&](const std::string& fmt) {
    std::ostringstream out;
    if (fmt == "json") {
      util::OrderedJson list = util::OrderedJson::array();
      for (const auto& f : findings)
        list.push_back({{"severity", f.breaking ? "breaking" : "compatible"},
                        {"pointer", f.pointer},
                        {"kind", f.kind},
                        {"message", f.message}});
      util::OrderedJson doc = {{"tool", "handover-diag"}, {"version", HARNESS_VERSION},
                               {"command", "compat"},     {"kind", kind},
                               {"old", old_path},         {"new", new_path},
                               {"breaking", breaking},    {"compatible", findings.size() - breaking},
                               {"findings", list}};
      out << util::dump_pretty(doc) << "\n";
      return out.str();
    }
    bool color = color_stdout();
    for (const auto& f : findings) {
      std::string sev = f.breaking ? "BREAKING  " : "compatible";
      if (color) sev = std::string(f.breaking ? "\033[1;31m" : "\033[32m").append(sev).append("\033[0m");
      out << sev << "  " << f.pointer << "  " << f.message << "  [" << f.kind << "]\n";
    }
    out << breaking << " breaking, " << findings.size() - breaking << " compatible change"
        << (findings.size() - breaking == 1 ? "" : "s") << " (" << kind << "s " << old_path << " -> " << new_path
        << ")\n";
    return out.str();
  };
  if (auto code = write_reports(reports, render)) return *code;
  std::cout << render(format);
  return breaking ? kExitFailed : kExitOk;
}

int explain(const std::string& code, bool list) {
  auto catalogue = contracts::Catalogue::builtin();
  if (!catalogue) return usage_error(catalogue.error().message);
  if (list) {
    // Every code with its one-line meaning, classifications first, then payload violations.
    std::size_t width = 0;
    for (const auto& x : catalogue->entries()) width = std::max(width, x.code.size());
    for (const char* kind : {"classification", "violation"}) {
      for (const auto& x : catalogue->entries())
        if (x.kind == kind)
          std::cout << x.code << std::string(width + 2 - x.code.size(), ' ') << x.title << "  [" << x.kind << "]\n";
    }
    for (const auto& x : catalogue->entries())
      if (x.kind != "classification" && x.kind != "violation")
        std::cout << x.code << std::string(width + 2 - x.code.size(), ' ') << x.title << "  [" << x.kind << "]\n";
    return kExitOk;
  }
  if (code.empty()) return usage_error("explain CODE, or explain --list for every code");
  std::string upper = code;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const auto* e = catalogue->find(upper);
  if (!e) {
    std::vector<std::string> codes;
    for (const auto& x : catalogue->entries()) codes.push_back(x.code);
    std::string near = util::closest_match(upper, codes);
    return usage_error("unknown code \"" + code + "\"" + (near.empty() ? "" : " (did you mean " + near + "?)"));
  }
  std::cout << e->code << " — " << e->title << " (" << e->kind << ")\n\ncause:\n  " << e->cause << "\n";
  if (e->kind == "classification") {
    std::vector<std::string> when;
    for (const auto& r : catalogue->rules()) {
      if (r.code != e->code) continue;
      std::vector<std::string> statuses;
      for (int st : r.statuses) statuses.push_back(std::to_string(st));
      for (int c : r.status_classes) statuses.push_back(std::to_string(c) + "xx");
      std::string line = "HTTP " + (statuses.empty() ? std::string("any status") : util::join(statuses, "/")) + " on " +
                         (r.steps.empty() ? std::string("any step") : util::join(r.steps, ", "));
      for (const auto& b : r.body)
        line += ", body " + (b.pointer.empty() ? std::string("text") : b.pointer) + " matching /" + b.source + "/";
      when.push_back(line + "  [rule " + r.id + "]");
    }
    std::cout << "\nevidence:\n";
    for (const auto& w : when) std::cout << "  " << w << "\n";
    std::cout << "  kept from the answer: headers " << util::join(catalogue->evidence_headers(), ", ")
              << "; body fields " << util::join(catalogue->evidence_pointers(), ", ") << "\n";
  }
  std::cout << "\nfix:\n";
  for (std::size_t i = 0; i < e->fix.size(); ++i) std::cout << "  " << i + 1 << ". " << e->fix[i] << "\n";
  return kExitOk;
}

int contracts(const std::string& action, const std::string& name) {
  if (action == "list") {
    for (const auto& n : contracts::builtin_contract_names()) std::cout << n << "\n";
    return kExitOk;
  }
  if (action == "show") {
    if (name.empty()) return usage_error("contracts show NAME (see: handover-diag contracts list)");
    auto text = contracts::embedded_file("schemas/" + name + ".schema.json");
    if (!text) return usage_error("no built-in contract \"" + name + "\" (see: handover-diag contracts list)");
    std::cout << *text;
    return kExitOk;
  }
  if (action == "profile") {
    if (name.empty())
      return usage_error(
          "contracts profile NAME: the contract a profile's payloads are checked against (v2, cxone or a profile "
          "file)");
    auto profile = client::load_profile(name);
    if (!profile) return usage_error(profile.error().message);
    std::cout << profile->contract << "\n";
    return kExitOk;
  }
  return usage_error("contracts list | contracts show NAME | contracts profile PROFILE");
}

}  // namespace client::commands
