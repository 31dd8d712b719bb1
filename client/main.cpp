// handover-diag: argument parsing only; behaviour lives in the client library.
#include <unistd.h>
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>
#include <tuple>

#include "client/config.hpp"
#include "client/diagnose.hpp"
#include "client/replay.hpp"
#include "client/replay_report.hpp"
#include "client/report.hpp"
#include "client/save_fixture.hpp"
#include "client/validate.hpp"
#include "contracts/catalogue.hpp"
#include "contracts/compat.hpp"
#include "contracts/contract.hpp"
#include "contracts/embedded.hpp"
#include "mockserver/fixture_loader.hpp"
#include "util/cli.hpp"
#include "util/file.hpp"
#include "util/redact.hpp"
#include "util/strings.hpp"

namespace {

using util::kExitOk, util::kExitFailed, util::kExitUsage, util::kExitInternal;

bool color_stdout() { return isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR"); }

int usage_error(const std::string& message) {
  std::cerr << "handover-diag: " << message << "\n";
  return kExitUsage;
}

// Reports written to files besides what stdout shows (--junit FILE --sarif FILE ...): one run
// feeds every CI consumer. Each path is checked before the run, written atomically after it.
using ReportFiles = std::map<std::string, std::string>;  // format -> path

void add_report_options(CLI::App* cmd, ReportFiles& files,
                        std::initializer_list<std::pair<const char*, const char*>> formats) {
  for (const auto& [format, help] : formats) {
    std::string f = format;
    cmd->add_option_function<std::string>(
        "--" + f, [&files, f](const std::string& path) { files[f] = path; }, help);
  }
}

std::optional<int> probe_reports(const ReportFiles& files) {
  for (const auto& [format, path] : files)
    if (auto st = util::probe_writable(path); !st) return usage_error("--" + format + " " + st.error().message);
  return std::nullopt;
}

std::optional<int> write_reports(const ReportFiles& files,
                                 const std::function<std::string(const std::string&)>& render) {
  for (const auto& [format, path] : files)
    if (auto st = util::write_file_atomic(path, render(format)); !st)
      return usage_error("--" + format + " " + st.error().message);
  return std::nullopt;
}

struct DiagnoseArgs {
  std::map<std::string, std::string> flags;
  std::string env_file = ".env";
  std::string payload_file;
  std::vector<std::string> contracts;
  std::string profile = "v2";
  bool execute = false;
  std::string format = "text";
  long timeout_ms = 10000;
  long connect_timeout_ms = 5000;
  std::string cacert;
  bool insecure = false;
  bool verbose = false;
  std::vector<std::string> redact;
  std::string save_fixture;
};

int diagnose(const DiagnoseArgs& a, CLI::App& cmd) {
  auto catalogue = contracts::Catalogue::builtin();
  if (!catalogue) return usage_error(catalogue.error().message);
  auto profile = client::load_profile(a.profile);
  if (!profile) return usage_error(profile.error().message);
  std::vector<contracts::Contract> contract_set;
  for (const auto& name : a.contracts.empty() ? std::vector<std::string>{profile->contract} : a.contracts) {
    auto c = contracts::load_contract(name);
    if (!c) return usage_error(c.error().message);
    contract_set.push_back(std::move(*c));
  }
  for (const auto& p : a.redact)
    if (!util::is_json_pointer(p) || p.empty())
      return usage_error("--redact \"" + p +
                         "\": not a JSON pointer (RFC 6901: /contextData/customerName, not contextData.customerName)");
  // Every output path is checked before the first request: with --execute the transfer is sent
  // once, and a run whose reproduction cannot be written is lost.
  if (!a.save_fixture.empty())
    if (auto st = util::probe_writable(a.save_fixture); !st) return usage_error("--save-fixture " + st.error().message);
  client::ConfigInputs inputs;
  inputs.flags = a.flags;
  inputs.getenv = [](const char* n) { return std::getenv(n); };
  inputs.env_file = a.env_file;
  inputs.env_file_explicit = cmd.count("--env-file") > 0;
  client::Config cfg = client::resolve_config(inputs);
  cfg.execute = a.execute;
  cfg.insecure = a.insecure;
  cfg.redact_pointers = a.redact;
  if (!a.payload_file.empty()) {
    auto text = a.payload_file == "-"
                    ? util::Result<std::string>(std::string(std::istreambuf_iterator<char>(std::cin), {}))
                    : util::read_file(a.payload_file, 16u << 20);
    if (!text) return usage_error("--payload " + text.error().message);
    cfg.payload_text = std::move(*text);
    cfg.payload_source = a.payload_file == "-" ? "stdin" : a.payload_file;
  }
  if (a.insecure)
    std::cerr << "handover-diag: warning: --insecure: TLS certificates are not verified; credentials can be read by "
                 "anyone on the path\n";
  client::TransportOptions topts;
  topts.timeout_ms = a.timeout_ms;
  topts.connect_timeout_ms = std::min(a.timeout_ms, a.connect_timeout_ms);
  topts.cacert = a.cacert;
  topts.insecure = a.insecure;
  auto transport = client::make_transport(topts);
  client::SystemClock clock;
  client::DiagnoseContext ctx{*transport, clock, *catalogue, *profile, contract_set};
  if (a.verbose) {
    ctx.trace = [](const client::Exchange& x, bool done, const util::Redactor& redactor) {
      std::cerr << client::render_exchange(x, done, redactor) << (done ? "\n" : "") << std::flush;
    };
  }
  client::DiagnoseReport report = client::run_diagnose(cfg, ctx);
  // The result of what was sent is printed whatever happens to the saved copy.
  if (a.format == "json")
    std::cout << client::render_json(report);
  else if (a.format == "junit")
    std::cout << client::render_junit(report);
  else
    std::cout << client::render_text(report, client::TextStyle{color_stdout()});
  std::cout.flush();
  for (const auto& w : report.warnings) std::cerr << "handover-diag: warning: " << w << "\n";
  if (!a.save_fixture.empty()) {
    std::string name = std::filesystem::path(a.save_fixture).stem().string();
    auto scenario = client::scenario_from_run(report, cfg, *profile, a.profile, name.empty() ? "recorded" : name);
    if (auto st = util::write_file_atomic(a.save_fixture, client::scenario_text(scenario, report)); !st)
      return usage_error("--save-fixture " + st.error().message);
    std::cerr << "handover-diag: saved the run as " << a.save_fixture << " (" << report.exchanges.size()
              << " exchanges; replay it with: handover-diag replay " << a.save_fixture << ")\n";
  }
  return client::exit_code_for(report);
}

struct ReplayArgs {
  std::vector<std::string> paths;
  std::string format = "text";
  long timeout_ms = 5000;
  unsigned jobs = 0;
  std::string shard;
  std::vector<std::string> tags, names;
  std::string output;
  ReportFiles reports;
};

int replay(const ReplayArgs& a) {
  auto catalogue = contracts::Catalogue::builtin();
  if (!catalogue) return usage_error(catalogue.error().message);
  client::ReplaySelection selection;
  selection.tags = a.tags;
  selection.names = a.names;
  if (!a.shard.empty()) {
    auto shard = client::parse_shard(a.shard);
    if (!shard) return usage_error(shard.error().message);
    std::tie(selection.shard_index, selection.shard_count) = *shard;
  }
  if (!a.output.empty())
    if (auto st = util::probe_writable(a.output); !st) return usage_error("--output " + st.error().message);
  if (auto code = probe_reports(a.reports)) return *code;
  auto files = mockserver::fixture_files(a.paths);
  if (!files) return usage_error(files.error().message);
  if (files->empty()) return usage_error("no scenario files (*.json) found in " + util::join(a.paths, ", "));
  // A file that cannot be loaded is an errored scenario in every report; the others still run
  // (reported by the first shard only, so a CI matrix reports it once). Only what selection and
  // the reports' columns need is kept from this first load: each scenario is loaded again when it
  // runs and dropped after, so memory does not grow with the number of scenarios.
  unsigned jobs = a.jobs ? a.jobs : std::max(1u, std::thread::hardware_concurrency());
  auto [fixtures, unloadable] = client::list_scenarios(*files, jobs);
  for (const auto& [_, o] : unloadable) std::cerr << "handover-diag: " << o.input_error << "\n";
  std::map<std::string, std::size_t> order;  // file -> index
  for (std::size_t i = 0; i < files->size(); ++i) order.emplace((*files)[i].string(), i);
  if (selection.shard_index != 1) unloadable.clear();
  auto picked = client::select_scenarios(fixtures, selection);
  if (picked.empty() && unloadable.empty() && selection.shard_count == 1)
    return usage_error("no scenario matches the --tag/--name filters (" + std::to_string(fixtures.size()) + " loaded)");
  // The text columns: every name and expected label of the run.
  std::size_t name_width = 8, expected_width = 8;
  for (const auto* f : picked) {
    name_width = std::max(name_width, f->name.size());
    if (f->expect) {
      const auto& e = *f->expect;
      std::size_t label =
          e.classification.size() + (e.failed_step && !e.failed_step->empty() ? 3 + e.failed_step->size() : 0);
      expected_width = std::max(expected_width, label);
    }
  }
  for (const auto& [_, o] : unloadable) name_width = std::max(name_width, o.name.size());
  auto to_stdout = [](std::string_view text) -> util::Status {
    std::cout.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!std::cout) return util::make_error("standard output: write failed");
    return {};
  };
  // The main report (stdout, or --output) first, then each report file.
  std::vector<client::ReplayReport> reports;
  reports.emplace_back(a.format, a.output.empty() && color_stdout(), name_width, expected_width,
                       a.output.empty() ? std::function<util::Status(std::string_view)>(to_stdout) : nullptr);
  for (const auto& [format, path] : a.reports) reports.emplace_back(format, false, name_width, expected_width);
  bool input_error = false, failed = false;
  util::Status written;
  auto hand_on = [&](client::ScenarioOutcome&& o) {
    input_error = input_error || !o.input_error.empty();
    failed = failed || !o.passed;
    for (auto& r : reports)
      if (written) written = r.add(o);
  };
  // In file order: the scenarios that ran, and those that could not be loaded where they stand.
  std::size_t next_unloadable = 0;
  auto before = [&](std::size_t file_index) {
    while (next_unloadable < unloadable.size() && unloadable[next_unloadable].first < file_index)
      hand_on(std::move(unloadable[next_unloadable++].second));
  };
  // A progress line on a terminal only (stderr), rewritten in place.
  bool tty = isatty(STDERR_FILENO) != 0;
  auto progress = [&](std::size_t done, std::size_t total, std::size_t failed_so_far) {
    std::cerr << "\r" << done << "/" << total << " scenarios, " << failed_so_far << " failed"
              << (done == total ? "\n" : "") << std::flush;
  };
  client::replay_stream(
      picked, *catalogue, client::ReplayOptions{a.timeout_ms}, jobs,
      [&](std::size_t, client::ScenarioOutcome&& o) {
        auto it = order.find(o.file);
        before(it == order.end() ? files->size() : it->second);
        hand_on(std::move(o));
      },
      tty ? std::function<void(std::size_t, std::size_t, std::size_t)>(progress) : nullptr);
  before(files->size() + 1);
  if (!written) return usage_error(written.error().message);
  std::size_t k = 1;
  for (const auto& [format, path] : a.reports) {
    auto file = util::AtomicWriter::open(path);
    if (!file) return usage_error("--" + format + " " + file.error().message);
    auto st = reports[k++].finish([&](std::string_view text) { return file->write(text); });
    if (st) st = file->commit();
    if (!st) return usage_error("--" + format + " " + st.error().message);
  }
  if (!a.output.empty()) {
    auto file = util::AtomicWriter::open(a.output);
    if (!file) return usage_error("--output " + file.error().message);
    auto st = reports[0].finish([&](std::string_view text) { return file->write(text); });
    if (st) st = file->commit();
    if (!st) return usage_error("--output " + st.error().message);
  } else if (auto st = reports[0].finish(to_stdout); !st) {
    return usage_error(st.error().message);
  }
  return input_error ? kExitUsage : failed ? kExitFailed : kExitOk;
}

struct ValidateArgs {
  std::vector<std::string> inputs;
  std::vector<std::string> contracts;
  std::string profile = "v2";
  std::string format = "text";
  unsigned jobs = 0;
  bool jsonl = false;
  ReportFiles reports;
};

int validate(const ValidateArgs& a) {
  auto catalogue = contracts::Catalogue::builtin();
  if (!catalogue) return usage_error(catalogue.error().message);
  std::vector<std::string> names = a.contracts;
  if (names.empty()) {
    auto profile = client::load_profile(a.profile);
    if (!profile) return usage_error(profile.error().message);
    names.push_back(profile->contract);
  }
  std::vector<contracts::Contract> contract_set;
  for (const auto& n : names) {
    auto c = contracts::load_contract(n);
    if (!c) return usage_error(c.error().message);
    contract_set.push_back(std::move(*c));
  }
  if (auto code = probe_reports(a.reports)) return *code;
  auto reader = client::PayloadReader::open(a.inputs, a.jsonl);
  if (!reader) return usage_error(reader.error().message);
  unsigned jobs = a.jobs ? a.jobs : std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::string> contract_names;
  for (const auto& c : contract_set) contract_names.push_back(c.name);
  auto to_stdout = [](std::string_view text) -> util::Status {
    std::cout.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!std::cout) return util::make_error("standard output: write failed");
    return {};
  };
  std::vector<client::ValidateReport> reports;
  reports.emplace_back(a.format, contract_names, &*catalogue, color_stdout(), to_stdout);
  for (const auto& [format, path] : a.reports) reports.emplace_back(format, contract_names, &*catalogue, false);
  auto run = client::validate_stream(*reader, contract_set, jobs, reports);
  if (!run) return usage_error(run.error().message);
  const client::ValidateTotals& totals = *run;
  if (totals.payloads == 0) return usage_error("no payloads (*.json, *.jsonl) in " + util::join(a.inputs, ", "));
  std::size_t i = 1;
  for (const auto& [format, path] : a.reports) {
    auto file = util::AtomicWriter::open(path);
    if (!file) return usage_error("--" + format + " " + file.error().message);
    auto st = reports[i++].finish(totals, [&](std::string_view text) { return file->write(text); });
    if (st) st = file->commit();
    if (!st) return usage_error("--" + format + " " + st.error().message);
  }
  if (auto st = reports[0].finish(totals, to_stdout); !st) return usage_error(st.error().message);
  return totals.invalid ? kExitFailed : kExitOk;
}

// A built-in contract name or a file: the document and its base URI.
util::Result<contracts::SchemaDocument> schema_document(const std::string& name_or_path) {
  auto builtin = contracts::embedded_file("schemas/" + name_or_path + ".schema.json");
  auto text = builtin ? util::Result<std::string>(std::string(*builtin)) : util::read_file(name_or_path, 16u << 20);
  if (!text) return text.error();
  auto doc = util::parse_json(*text, name_or_path);
  if (!doc) return doc.error();
  return contracts::SchemaDocument{std::move(*doc), contracts::contract_base_uri(name_or_path)};
}

bool looks_like_schema(const std::string& name_or_path, const util::Json& doc) {
  if (contracts::embedded_file("schemas/" + name_or_path + ".schema.json")) return true;
  if (name_or_path.ends_with(".schema.json")) return true;
  if (!doc.is_object()) return false;
  for (const char* k : {"$schema", "$id", "$ref", "allOf", "anyOf", "oneOf", "definitions"})
    if (doc.contains(k)) return true;  // an overlay is often only {"allOf": [...]}
  return doc.contains("properties") && doc.contains("type");
}

int compat(const std::string& old_path, const std::string& new_path, std::string kind, const std::string& format,
           const ReportFiles& reports) {
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
      nlohmann::ordered_json list = nlohmann::ordered_json::array();
      for (const auto& f : findings)
        list.push_back({{"severity", f.breaking ? "breaking" : "compatible"},
                        {"pointer", f.pointer},
                        {"kind", f.kind},
                        {"message", f.message}});
      nlohmann::ordered_json doc = {{"tool", "handover-diag"}, {"version", HARNESS_VERSION},
                                    {"command", "compat"},     {"kind", kind},
                                    {"old", old_path},         {"new", new_path},
                                    {"breaking", breaking},    {"compatible", findings.size() - breaking},
                                    {"findings", list}};
      out << doc.dump(2, ' ', false, util::kInvalidUtf8Replaced) << "\n";
      return out.str();
    }
    bool color = color_stdout();
    for (const auto& f : findings) {
      std::string sev = f.breaking ? "BREAKING  " : "compatible";
      if (color) sev = (f.breaking ? "\033[1;31m" : "\033[32m") + sev + "\033[0m";
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

int contracts_cmd(const std::string& action, const std::string& name) {
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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"handover-diag: diagnose and contract-test the Cognigy -> CXone live handover"};
  app.set_version_flag("--version", std::string("handover-diag ") + HARNESS_VERSION);
  app.require_subcommand(1);

  DiagnoseArgs d;
  auto* dg = app.add_subcommand("diagnose", "run the handover checks against CXone or a mock");
  auto flag = [&](const char* name, const char* env, const char* help) {
    dg->add_option_function<std::string>(
        name, [&d, env](const std::string& v) { d.flags[env] = v; }, help);
  };
  flag("--client-id", client::kClientId, "OAuth client ID (CXONE_CLIENT_ID)");
  flag("--client-secret", client::kClientSecret, "OAuth client secret (CXONE_CLIENT_SECRET)");
  flag("--environment", client::kEnvironment, "CXone environment, e.g. mypurecloud.com (CXONE_ENVIRONMENT)");
  flag("--base-url", client::kBaseUrl, "API base URL, overrides the environment (CXONE_BASE_URL)");
  flag("--conversation", client::kConversation, "conversation ID (TEST_CONVERSATION_ID)");
  flag("--queue", client::kQueue, "target queue ID (TARGET_QUEUE_ID)");
  flag("--wrapup", client::kWrapup, "wrap-up code ID (WRAPUP_CODE_ID)");
  flag("--access-key-id", client::kAccessKeyId, "CXone access key ID, profile cxone (CXONE_ACCESS_KEY_ID)");
  flag("--access-key-secret", client::kAccessKeySecret,
       "CXone access key secret, profile cxone (CXONE_ACCESS_KEY_SECRET)");
  dg->add_option("--env-file", d.env_file, "the .env file (default ./.env)");
  dg->add_option("--payload", d.payload_file, "handover body to check and send (- for stdin)");
  dg->add_option("--contract", d.contracts, "contract name or schema file (repeatable)")->allow_extra_args(false);
  dg->add_option("--profile", d.profile, "API profile name or file (default v2)");
  dg->add_flag("--execute", d.execute, "send the transfer (default: dry run)");
  dg->add_option("--format", d.format, "text, json or junit")->check(CLI::IsMember({"text", "json", "junit"}));
  dg->add_option("--timeout-ms", d.timeout_ms, "total timeout of each HTTP exchange (default 10000)")
      ->check(CLI::Range(1L, 600000L));
  dg->add_option("--connect-timeout-ms", d.connect_timeout_ms, "connect timeout of each HTTP exchange (default 5000)")
      ->check(CLI::Range(1L, 600000L));
  dg->add_option("--cacert", d.cacert, "CA bundle (PEM) to verify the server with, e.g. a proxy's CA")
      ->check(CLI::ExistingFile);
  dg->add_flag("--insecure", d.insecure, "do not verify TLS certificates (warned about on every run)");
  dg->add_flag("--verbose,-v", d.verbose, "print every HTTP exchange (redacted) to stderr");
  dg->add_option("--redact", d.redact,
                 "JSON pointer whose value is masked in every output (repeatable; * for any element)")
      ->allow_extra_args(false);
  dg->add_option("--save-fixture", d.save_fixture,
                 "write this run's exchanges as a replayable scenario file (redacted)");

  ReplayArgs ra;
  auto* rp = app.add_subcommand("replay", "replay scenario files against an embedded mock and compare with expect");
  rp->add_option("paths", ra.paths, "scenario files or directories")->required()->expected(1, -1);
  rp->add_option("--format", ra.format, "text, json, junit or html")
      ->check(CLI::IsMember({"text", "json", "junit", "html"}));
  rp->add_option("--output,-o", ra.output, "write the report to this file (atomically) instead of stdout");
  add_report_options(rp, ra.reports,
                     {{"json", "also write the JSON report to this file"},
                      {"junit", "also write the JUnit XML report to this file"},
                      {"html", "also write the HTML report to this file"}});
  rp->add_option("--timeout-ms", ra.timeout_ms, "timeout of each HTTP exchange")->check(CLI::Range(1L, 600000L));
  rp->add_option("--jobs,-j", ra.jobs, "scenarios run in parallel, each on its own mock (default: one per core)")
      ->check(CLI::Range(1u, 256u));
  rp->add_option("--shard", ra.shard,
                 "run the i-th of N shards, e.g. 2/4 (a CI job matrix covers every scenario once)");
  rp->add_option("--tag", ra.tags, "only scenarios with this tag (repeatable: any of them)")->allow_extra_args(false);
  rp->add_option("--name", ra.names, "only scenarios whose name or file matches this glob (repeatable)")
      ->allow_extra_args(false);

  ValidateArgs v;
  auto* va =
      app.add_subcommand("validate", "check handover payloads against contracts and the Cognigy lints (offline)");
  va->add_option("payloads", v.inputs, "payload files, directories (*.json, *.jsonl), or - for stdin")
      ->required()
      ->expected(1, -1);
  va->add_option("--contract", v.contracts, "contract name or schema file (repeatable: all must hold)")
      ->allow_extra_args(false);
  va->add_option("--profile", v.profile, "API profile whose contract is the default (default v2)");
  va->add_option("--format", v.format, "text, json, junit or sarif")
      ->check(CLI::IsMember({"text", "json", "junit", "sarif"}));
  va->add_option("--jobs", v.jobs, "parallel workers (default: one per core)")->check(CLI::Range(1u, 256u));
  va->add_flag("--jsonl", v.jsonl, "read stdin as JSON Lines (one payload per line)");
  add_report_options(va, v.reports,
                     {{"json", "also write the JSON report to this file"},
                      {"junit", "also write the JUnit XML report to this file"},
                      {"sarif", "also write the SARIF 2.1.0 report to this file"}});

  std::string compat_old, compat_new, compat_kind = "auto", compat_format = "text";
  auto* cp = app.add_subcommand("compat", "breaking-change check between two contracts or two payload samples");
  cp->add_option("old", compat_old, "the released contract (name or file) or payload sample")->required();
  cp->add_option("new", compat_new, "the changed one")->required();
  cp->add_option("--kind", compat_kind, "auto, schema or payload")->check(CLI::IsMember({"auto", "schema", "payload"}));
  cp->add_option("--format", compat_format, "text or json")->check(CLI::IsMember({"text", "json"}));
  ReportFiles compat_reports;
  add_report_options(cp, compat_reports, {{"json", "also write the JSON report to this file"}});

  std::string code;
  bool explain_list = false;
  auto* ex = app.add_subcommand("explain", "cause, evidence and fix for a classification or violation code");
  ex->add_option("code", code, "the code, e.g. WRAPUP_CODE_NOT_FOUND");
  ex->add_flag("--list", explain_list, "every code with its one-line meaning");

  std::string action, contract_name;
  auto* ct = app.add_subcommand("contracts", "built-in contracts: list | show NAME | profile PROFILE");
  ct->add_option("action", action, "list, show or profile")
      ->required()
      ->check(CLI::IsMember({"list", "show", "profile"}));
  ct->add_option("name", contract_name, "contract name (for show) or profile (for profile: prints its contract)");

  if (auto code = util::parse_command_line(app, argc, argv, "handover-diag")) return *code;
  int exit_code = kExitUsage;
  try {
    if (*dg)
      exit_code = diagnose(d, *dg);
    else if (*rp)
      exit_code = replay(ra);
    else if (*va)
      exit_code = validate(v);
    else if (*cp)
      exit_code = compat(compat_old, compat_new, compat_kind, compat_format, compat_reports);
    else if (*ex)
      exit_code = explain(code, explain_list);
    else if (*ct)
      exit_code = contracts_cmd(action, contract_name);
  } catch (const std::exception& e) {
    std::cerr << "handover-diag: internal error: " << e.what() << "\n";
    return kExitInternal;
  }
  return util::finish_stdout("handover-diag", exit_code);
}
