// cxone-mock's serve and check commands (see commands.hpp).
#include "mockserver/commands.hpp"

#include <pthread.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "contracts/api_spec.hpp"
#include "contracts/contract.hpp"
#include "mockserver/engine.hpp"
#include "mockserver/fixture_lint.hpp"
#include "mockserver/fixture_loader.hpp"
#include "mockserver/pact_file.hpp"
#include "mockserver/wiremock_import.hpp"
#include "util/exit_codes.hpp"
#include "util/file.hpp"
#include "util/http.hpp"
#include "util/strings.hpp"

namespace mockserver {

using util::kExitFailed, util::kExitOk, util::kExitUsage;

// Blocks the stop signals in every thread; the main thread waits for them with sigwait. A
// disposition inherited as "ignore" (nohup, some CI runners) would discard them before sigwait
// sees them, so the default is restored first. SIGHUP (the terminal went away) stops the mock
// like SIGTERM: answers in flight finish and the journal is written.
sigset_t block_stop_signals() {
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  std::signal(SIGHUP, SIG_DFL);
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  return stop_signals;
}

namespace {

std::vector<LintSource> lint_sources(const std::vector<Fixture>& fixtures) {
  std::vector<LintSource> sources;
  for (const auto& f : fixtures) {
    sources.push_back({f.file.string(), {}});
    for (const auto& x : f.interactions) sources.back().interactions.push_back(&x);
  }
  return sources;
}

}  // namespace

util::Result<std::string> resolve_admin_token(const std::string& token, const std::string& token_file) {
  if (!token.empty() && !token_file.empty())
    return util::Error{"--admin-token and --admin-token-file: give one of them"};
  std::string from = "--admin-token";
  std::string value = token;
  std::string file = token_file;
  if (!file.empty()) from = "--admin-token-file";
  const char* env = std::getenv("CXONE_MOCK_ADMIN_TOKEN");
  const char* env_file = std::getenv("CXONE_MOCK_ADMIN_TOKEN_FILE");
  if (value.empty() && file.empty() && env != nullptr && *env != '\0') {
    value = env;
    from = "CXONE_MOCK_ADMIN_TOKEN";
  } else if (value.empty() && file.empty() && env_file != nullptr && *env_file != '\0') {
    file = env_file;
    from = "CXONE_MOCK_ADMIN_TOKEN_FILE";
  }
  if (!file.empty()) {
    auto text = util::read_file(file, 4096);
    if (!text) return util::Error{from + ": " + text.error().message};
    value = std::string(util::trim(*text));
    if (value.empty()) return util::Error{from + ": " + file + ": the file is empty"};
  }
  if (!value.empty() && value.size() < 16)
    return util::Error{from + ": at least 16 characters (a guessable token guards nothing)"};
  return value;
}

namespace {

// "cxone-mock: MESSAGE" on stderr; the usage exit code.
int usage(const std::string& message) {
  std::cerr << "cxone-mock: " << message << "\n";
  return kExitUsage;
}

// The engine's options from the flags (the admin token also from the environment), or the
// usage error's exit code. Listening beyond loopback needs an admin token, or the explicit
// --admin-loopback-only: in a container every client is "remote", and an open admin API would
// let any of them rewrite the mock.
std::optional<int> engine_options_from(const ServeFlags& flags, const ServerOptions& options,
                                       EngineOptions& engine_options) {
  engine_options.journal_limit = flags.journal_limit;
  engine_options.journal_max_bytes = flags.journal_max_bytes;
  engine_options.provider_states = flags.provider_states;
  engine_options.default_scenario = flags.default_scenario;
  auto token = resolve_admin_token(flags.admin_token, flags.admin_token_file);
  if (!token) return usage(token.error().message);
  engine_options.admin_token = *token;
  const bool loopback = options.host.empty() || options.host == "localhost" || util::is_loopback_address(options.host);
  if (!loopback && engine_options.admin_token.empty() && !flags.admin_loopback_only)
    return usage("--host " + options.host +
                 " is not loopback: give the admin API a token (CXONE_MOCK_ADMIN_TOKEN, CXONE_MOCK_ADMIN_TOKEN_FILE, "
                 "--admin-token-file FILE or --admin-token), or say --admin-loopback-only to keep it to loopback "
                 "clients");
  if (!flags.contracts.empty()) {
    auto list = contracts::load_contracts(flags.contracts);
    if (!list) return usage("--validate-payloads: " + list.error().message);
    engine_options.payload_contracts = std::make_shared<std::vector<contracts::Contract>>(std::move(*list));
  }
  if (!flags.specs.empty()) {
    auto specs = std::make_shared<std::vector<contracts::ApiSpec>>();
    for (const auto& f : flags.specs) {
      auto spec = contracts::ApiSpec::load(f);
      if (!spec) return usage(spec.error().message);
      specs->push_back(std::move(*spec));
    }
    engine_options.spec = {.specs = std::move(specs), .strict = flags.spec_strict, .examples = flags.spec_examples};
  } else if (flags.spec_strict || flags.spec_examples) {
    return usage(std::string(flags.spec_strict ? "--spec-strict" : "--spec-examples") + " needs --spec FILE");
  }
  // The journal's folder is checked now, not when the mock stops and the traffic is gone.
  if (!flags.journal_file.empty())
    if (auto st = util::probe_writable(flags.journal_file); !st) return usage("--journal " + st.error().message);
  return std::nullopt;
}

// Every file loaded into engine; what the lints say goes to warnings (said once the mock runs:
// a mock that cannot start says only why). The usage error's exit code when a file is bad.
std::optional<int> load_into(MockEngine& engine, const std::vector<std::filesystem::path>& files,
                             const std::vector<std::string>& pacts, std::vector<std::string>& warnings) {
  std::vector<Fixture> loaded;
  for (const auto& f : pacts) {
    auto fixture = fixture_from_pact(f, warnings);
    if (!fixture) return usage("--pact " + fixture.error().message);
    loaded.push_back(std::move(*fixture));
  }
  for (const auto& f : files) {
    auto fixture = load_fixture(f);
    if (!fixture) return usage(fixture.error().message);
    for (auto& p : lint_fixture(*fixture)) warnings.push_back(std::move(p));
    loaded.push_back(std::move(*fixture));
  }
  for (auto& o : lint_together(lint_sources(loaded))) warnings.push_back(std::move(o.message));
  for (auto& fixture : loaded) engine.add_fixture(std::move(fixture));
  return std::nullopt;
}

// After the stop: the journal written (--journal), verify-on-exit's verdict.
int after_stop(const MockEngine& engine, const ServeFlags& flags) {
  util::Json report = engine.verify_report();
  if (!flags.journal_file.empty()) {
    util::Json requests = util::Json::array();
    for (const auto& e : engine.journal().snapshot()) requests.push_back(to_json(e));
    util::Json doc = {{"total", engine.journal().total()},
                      {"requests", requests},
                      {"verify", report},
                      {"interactions", engine.interactions_report()["interactions"]}};
    std::string text = util::dump_pretty(doc) + "\n";
    if (auto st = util::write_file_atomic(flags.journal_file, text); !st)
      return usage("--journal " + st.error().message);
  }
  if (flags.verify_on_exit && !report["ok"].get<bool>()) {
    for (const auto& id : report["requiredNotCalled"])
      std::cerr << "cxone-mock: verify: required interaction never called: " << id.get<std::string>() << "\n";
    for (const auto& u : report["unexpected"])
      std::cerr << "cxone-mock: verify: unexpected request " << u["method"].get<std::string>() << " "
                << u["path"].get<std::string>() << "\n";
    return kExitFailed;
  }
  return kExitOk;
}

}  // namespace

int serve_command(const std::vector<std::string>& paths, const ServerOptions& options, const ServeFlags& flags,
                  const std::shared_ptr<Upstream>& upstream) {
  if (paths.empty() && flags.specs.empty() && flags.pacts.empty() && !upstream)
    return usage("serve needs --fixtures, --pact, --spec or --proxy-unmatched");
  if (!flags.proxy_unmatched.empty() && !upstream)
    return usage("--proxy-unmatched: this program has no upstream client (cxone-mock runs cxone-mock-record for it)");
  auto files = paths.empty() ? util::Result<std::vector<std::filesystem::path>>(std::vector<std::filesystem::path>{})
                             : fixture_files(paths);
  if (!files) return usage(files.error().message);
  if (files->empty() && !paths.empty()) return usage("no fixture files (*.json) in " + paths.front());
  EngineOptions engine_options;
  if (auto code = engine_options_from(flags, options, engine_options)) return *code;
  if (!options.tls_cert.empty()) engine_options.scheme = "https";
  engine_options.upstream = upstream;
  auto engine = std::make_shared<MockEngine>(engine_options);
  std::vector<std::string> warnings;
  if (auto code = load_into(*engine, *files, flags.pacts, warnings)) return *code;
  if (!flags.default_scenario.empty() && !engine->has_fixture(flags.default_scenario)) {
    std::string served;
    for (const auto& n : engine->fixture_names()) served.append(served.empty() ? "" : ", ").append(n);
    return usage("--default-scenario " + flags.default_scenario + ": no scenario of that name is served (" + served +
                 ")");
  }
  if (!flags.provider_states.empty()) {  // each must be named by an interaction, as a POST's would
    util::HttpRequest probe;
    probe.method = "GET";
    probe.path = "/__admin/provider-states";
    const util::Json known = util::Json::parse(engine->handle(probe).response.body)["known"];
    for (const auto& state : flags.provider_states)
      if (std::find(known.begin(), known.end(), util::Json(state)) == known.end())
        return usage("--provider-state: no interaction names the provider state \"" + state + "\"");
  }

  sigset_t stop_signals = block_stop_signals();
  MockServer server(engine, options);
  auto port = server.start();
  if (!port) return usage(port.error().message);
  std::cout << "listening on " << server.base_url() << std::endl;
  for (const auto& w : warnings) std::cerr << "cxone-mock: warning: " << w << "\n";
  std::cerr << "cxone-mock: " << engine->interaction_count() << " interactions from " << files->size()
            << " fixture file(s)";
  if (!flags.pacts.empty()) std::cerr << " and " << flags.pacts.size() << " pact(s)";
  if (const auto& specs = engine_options.spec.specs) {
    std::size_t operations = 0;
    for (const auto& s : *specs) operations += s.operations().size();
    std::cerr << ", " << operations << " operations from " << specs->size() << " API description(s)"
              << (engine_options.spec.strict ? " (strict)" : "") << (engine_options.spec.examples ? " (examples)" : "");
  }
  std::cerr << "\n";
  if (upstream)
    std::cerr << "cxone-mock: requests no interaction answers go to " << upstream->base_url()
              << (flags.record_unmatched.empty() ? "" : ", recorded into " + flags.record_unmatched) << "\n";
  int sig = 0;
  sigwait(&stop_signals, &sig);
  server.stop();  // drains answers in flight first
  std::cerr << "cxone-mock: stopped (" << (sig == SIGINT ? "SIGINT" : sig == SIGHUP ? "SIGHUP" : "SIGTERM") << ")\n";
  if (upstream) {
    auto summary = upstream->finish();
    if (!summary) {
      std::cerr << "cxone-mock: " << summary.error().message << "\n";
      after_stop(*engine, flags);
      return kExitFailed;
    }
    if (!summary->empty()) std::cerr << "cxone-mock: " << *summary << "\n";
  }
  return after_stop(*engine, flags);
}

int import_wiremock_command(const std::string& path, const std::string& out, const std::string& name) {
  auto imported = import_wiremock(path, name);
  if (!imported) return usage(imported.error().message);
  for (const auto& note : imported->notes) std::cerr << "cxone-mock: note: " << note << "\n";
  std::string text = util::dump_pretty(imported->fixture) + "\n";
  // What is written must load as a scenario (a WireMock regex RE2 cannot run is said here).
  if (auto loaded = parse_fixture(text, out, SupportFiles::none); !loaded)
    return usage("the imported scenario does not load: " + loaded.error().message);
  if (auto st = util::write_file_atomic(out, text); !st) return usage("--out " + st.error().message);
  std::cerr << "cxone-mock: " << imported->fixture["interactions"].size() << " interactions written to " << out << "\n";
  return kExitOk;
}

int check_command(const std::vector<std::string>& paths) {
  auto files = fixture_files(paths);
  if (!files) {
    std::cerr << "cxone-mock: " << files.error().message << "\n";
    return kExitUsage;
  }
  int bad = 0;
  std::vector<Fixture> loaded;
  for (const auto& f : *files) {
    auto fixture = load_fixture(f);
    if (!fixture) {
      ++bad;
      std::cout << fixture.error().message << "\n";
      continue;
    }
    auto problems = lint_fixture(*fixture);
    for (const auto& p : problems) std::cout << p << "\n";
    if (!problems.empty()) ++bad;
    loaded.push_back(std::move(*fixture));
  }
  // Files that are each fine may still not be served together: said, not failed (replay and one
  // scenario per mock are the usual way to run them).
  auto together = lint_together(lint_sources(loaded));
  for (const auto& o : together) std::cout << "warning: " << o.message << "\n";
  std::cout << files->size() - static_cast<std::size_t>(bad) << " passed, " << bad << " failed";
  if (!together.empty())
    std::cout << "; served together in one mock, " << together.size() << " of them would not answer as written";
  std::cout << "\n";
  return bad ? kExitFailed : kExitOk;
}

}  // namespace mockserver
