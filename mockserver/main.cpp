// cxone-mock: argument parsing only; behaviour lives in the mockserver library.
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdlib>
#include <cstdio>
#include <iostream>
#include <pthread.h>

#include "mockserver/fixture_lint.hpp"
#include "mockserver/fixture_loader.hpp"
#include "mockserver/server.hpp"
#include "recorder/recorder.hpp"
#include "contracts/contract.hpp"
#include "util/cli.hpp"
#include "util/file.hpp"
#include "util/redact.hpp"
#include "util/http.hpp"

namespace {

constexpr int kExitOk = 0, kExitFailed = 1, kExitUsage = 2, kExitInternal = 3;

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

struct ServeFlags {
  std::vector<std::string> contracts;  // --validate-payloads
  bool verify_on_exit = false;
  std::string journal_file;
  std::size_t journal_limit = 10000;
  std::string admin_token;  // --admin-token or CXONE_MOCK_ADMIN_TOKEN
};

std::vector<mockserver::LintSource> lint_sources(const std::vector<mockserver::Fixture>& fixtures) {
  std::vector<mockserver::LintSource> sources;
  for (const auto& f : fixtures) {
    sources.push_back({f.file.string(), {}});
    for (const auto& x : f.interactions) sources.back().interactions.push_back(&x);
  }
  return sources;
}

int serve(const std::vector<std::string>& paths, mockserver::ServerOptions options, const ServeFlags& flags) {
  auto files = mockserver::fixture_files(paths);
  if (!files) {
    std::cerr << "cxone-mock: " << files.error().message << "\n";
    return kExitUsage;
  }
  if (files->empty()) {
    std::cerr << "cxone-mock: no fixture files (*.json) in " << paths.front() << "\n";
    return kExitUsage;
  }
  mockserver::EngineOptions engine_options;
  engine_options.journal_limit = flags.journal_limit;
  engine_options.admin_token = flags.admin_token;
  if (engine_options.admin_token.empty())
    if (const char* env = std::getenv("CXONE_MOCK_ADMIN_TOKEN")) engine_options.admin_token = env;
  if (!engine_options.admin_token.empty() && engine_options.admin_token.size() < 16) {
    std::cerr << "cxone-mock: --admin-token: at least 16 characters (a guessable token guards nothing)\n";
    return kExitUsage;
  }
  if (!flags.contracts.empty()) {
    auto list = std::make_shared<std::vector<contracts::Contract>>();
    for (const auto& name : flags.contracts) {
      auto c = contracts::load_contract(name);
      if (!c) {
        std::cerr << "cxone-mock: --validate-payloads: " << c.error().message << "\n";
        return kExitUsage;
      }
      list->push_back(std::move(*c));
    }
    engine_options.payload_contracts = std::move(list);
  }
  // The journal's folder is checked now, not when the mock stops and the traffic is gone.
  if (!flags.journal_file.empty())
    if (auto st = util::probe_writable(flags.journal_file); !st) {
      std::cerr << "cxone-mock: --journal " << st.error().message << "\n";
      return kExitUsage;
    }
  auto engine = std::make_shared<mockserver::MockEngine>(engine_options);
  std::vector<mockserver::Fixture> loaded;
  std::vector<std::string> warnings;  // said once the mock runs: a mock that cannot start says only why
  for (const auto& f : *files) {
    auto fixture = mockserver::load_fixture(f);
    if (!fixture) {
      std::cerr << "cxone-mock: " << fixture.error().message << "\n";
      return kExitUsage;
    }
    for (auto& p : mockserver::lint_fixture(*fixture)) warnings.push_back(std::move(p));
    loaded.push_back(std::move(*fixture));
  }
  for (auto& o : mockserver::lint_together(lint_sources(loaded))) warnings.push_back(std::move(o.message));
  for (auto& fixture : loaded) engine->add_fixture(std::move(fixture));

  sigset_t stop_signals = block_stop_signals();
  mockserver::MockServer server(engine, options);
  auto port = server.start();
  if (!port) {
    std::cerr << "cxone-mock: " << port.error().message << "\n";
    return kExitUsage;
  }
  std::cout << "listening on " << server.base_url() << std::endl;
  for (const auto& w : warnings) std::cerr << "cxone-mock: warning: " << w << "\n";
  if (!util::is_loopback_address(options.host) && options.host != "localhost" && engine_options.admin_token.empty())
    std::cerr << "cxone-mock: warning: listening on " << options.host
              << ": the admin API still answers loopback clients only (--admin-token opens it to others)\n";
  std::cerr << "cxone-mock: " << engine->interaction_count() << " interactions from " << files->size()
            << " fixture file(s)\n";
  int sig = 0;
  sigwait(&stop_signals, &sig);
  server.stop();  // drains answers in flight first
  std::cerr << "cxone-mock: stopped (" << (sig == SIGINT ? "SIGINT" : sig == SIGHUP ? "SIGHUP" : "SIGTERM") << ")\n";
  util::Json report = engine->verify_report();
  if (!flags.journal_file.empty()) {
    util::Json requests = util::Json::array();
    for (const auto& e : engine->journal().snapshot()) requests.push_back(mockserver::to_json(e));
    util::Json doc = {{"total", engine->journal().total()}, {"requests", requests}, {"verify", report},
                      {"interactions", engine->interactions_report()["interactions"]}};
    if (auto st = util::write_file_atomic(flags.journal_file, doc.dump(2, ' ', false, util::kInvalidUtf8Replaced) + "\n"); !st) {
      std::cerr << "cxone-mock: --journal " << st.error().message << "\n";
      return kExitUsage;
    }
  }
  if (flags.verify_on_exit && !report["ok"].get<bool>()) {
    for (const auto& id : report["requiredNotCalled"]) std::cerr << "cxone-mock: verify: required interaction never called: " << id.get<std::string>() << "\n";
    for (const auto& u : report["unexpected"])
      std::cerr << "cxone-mock: verify: unexpected request " << u["method"].get<std::string>() << " "
                << u["path"].get<std::string>() << "\n";
    return kExitFailed;
  }
  return kExitOk;
}

struct RecordFlags {
  std::string mode = "once";
  std::vector<std::string> routes;
};

int record(recorder::RecordOptions ro, const RecordFlags& flags, mockserver::ServerOptions options) {
  auto mode = recorder::parse_mode(flags.mode);
  if (!mode) {
    std::cerr << "cxone-mock: " << mode.error().message << "\n";
    return kExitUsage;
  }
  ro.mode = *mode;
  for (const auto& r : flags.routes) {
    auto route = recorder::parse_route(r);
    if (!route) {
      std::cerr << "cxone-mock: " << route.error().message << "\n";
      return kExitUsage;
    }
    ro.routes.push_back(*route);
  }
  for (const auto& p : ro.redact_pointers)
    if (!util::is_json_pointer(p) || p.empty()) {
      std::cerr << "cxone-mock: --redact \"" << p << "\": not a JSON pointer (RFC 6901: /contextData/customerName, not contextData.customerName)\n";
      return kExitUsage;
    }
  auto rec = recorder::Recorder::create(ro);
  if (!rec) {
    std::cerr << "cxone-mock: record: " << rec.error().message << "\n";
    return kExitUsage;
  }
  std::shared_ptr<recorder::Recorder> shared = std::move(*rec);
  sigset_t stop_signals = block_stop_signals();
  options.threads = 1;  // one upstream exchange at a time, recorded in order
  mockserver::MockServer server([shared](const util::HttpRequest& r) { return shared->handle(r); }, options);
  auto port = server.start();
  if (!port) {
    std::cerr << "cxone-mock: " << port.error().message << "\n";
    return kExitUsage;
  }
  std::cout << "listening on " << server.base_url() << std::endl;
  if (shared->replay_only())
    std::cerr << "cxone-mock: replaying " << ro.out.string() << " (mode " << recorder::mode_name(ro.mode) << ")\n";
  else
    std::cerr << "cxone-mock: recording " << ro.target << " into " << ro.out.string() << " (mode "
              << recorder::mode_name(ro.mode) << ")\n";
  int sig = 0;
  sigwait(&stop_signals, &sig);
  server.stop();
  auto summary = shared->finish();
  if (!summary) {
    std::cerr << "cxone-mock: record: " << summary.error().message << "\n";
    return kExitUsage;
  }
  std::cerr << "cxone-mock: " << *summary << "\n";
  return kExitOk;
}

int check(const std::vector<std::string>& paths) {
  auto files = mockserver::fixture_files(paths);
  if (!files) {
    std::cerr << "cxone-mock: " << files.error().message << "\n";
    return kExitUsage;
  }
  int bad = 0;
  std::vector<mockserver::Fixture> loaded;
  for (const auto& f : *files) {
    auto fixture = mockserver::load_fixture(f);
    if (!fixture) {
      ++bad;
      std::cout << fixture.error().message << "\n";
      continue;
    }
    auto problems = mockserver::lint_fixture(*fixture);
    for (const auto& p : problems) std::cout << p << "\n";
    if (!problems.empty()) ++bad;
    loaded.push_back(std::move(*fixture));
  }
  // Files that are each fine may still not be served together: said, not failed (replay and one
  // scenario per mock are the usual way to run them).
  auto together = mockserver::lint_together(lint_sources(loaded));
  for (const auto& o : together) std::cout << "warning: " << o.message << "\n";
  std::cout << files->size() - static_cast<std::size_t>(bad) << " passed, " << bad << " failed";
  if (!together.empty())
    std::cout << "; served together in one mock, " << together.size() << " of them would not answer as written";
  std::cout << "\n";
  return bad ? kExitFailed : kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"cxone-mock: a mock CXone API server that replays handover fixtures"};
  app.set_version_flag("--version", std::string("cxone-mock ") + HARNESS_VERSION);
  app.require_subcommand(1);

  std::vector<std::string> fixtures;
  mockserver::ServerOptions options;
  options.port = 8089;
  auto* serve_cmd = app.add_subcommand("serve", "serve fixtures over HTTP");
  serve_cmd->add_option("--fixtures", fixtures, "fixture files or directories")->required()->expected(1, -1);
  serve_cmd->add_option("--host", options.host, "address to listen on (default loopback)");
  serve_cmd->add_option("--port", options.port, "port (0: the OS picks one)")->check(CLI::Range(0, 65535));
  ServeFlags flags;
  serve_cmd->add_option("--threads", options.threads, "event loops (default: one per core but one, 1 to 8)")
      ->check(CLI::Range(1, 64));
  serve_cmd->add_option("--max-body", options.max_body, "largest request body in bytes (beyond: 413)");
  serve_cmd->add_option("--tls-cert", options.tls_cert, "PEM certificate (chain): serve HTTPS");
  serve_cmd->add_option("--tls-key", options.tls_key, "PEM private key of --tls-cert");
  serve_cmd->add_option("--max-header-bytes", options.max_header_bytes, "largest request line + headers in bytes");
  serve_cmd->add_option("--max-headers", options.max_headers, "most header fields in a request (beyond: 431)");
  serve_cmd->add_option("--max-connections", options.max_connections,
                        "open connections at most; at the cap the least recently active idle one is closed for a new "
                        "one (default: the open-files limit, ulimit -n, less 64)")
      ->check(CLI::Range(static_cast<std::size_t>(1), static_cast<std::size_t>(10000000)));
  serve_cmd->add_option("--read-timeout", options.read_timeout_s, "seconds a connection may stay idle or trickle")
      ->check(CLI::Range(1, 3600));
  serve_cmd->add_option("--validate-payloads", flags.contracts,
                        "check bodies at interactions marked validatePayload with this contract (name or file; repeatable)")
      ->allow_extra_args(false);
  serve_cmd->add_flag("--verify-on-exit", flags.verify_on_exit,
                      "exit 1 at stop if a required interaction was never called or a request matched nothing");
  serve_cmd->add_option("--journal", flags.journal_file, "write the journal and the verify report to this file at stop");
  serve_cmd->add_option("--admin-token", flags.admin_token,
                        "let non-loopback clients use /__admin/ with this bearer token (16+ characters; "
                        "prefer the environment variable CXONE_MOCK_ADMIN_TOKEN: flags show in ps)");
  serve_cmd->add_option("--journal-limit", flags.journal_limit, "requests kept in the journal ring")
      ->check(CLI::Range(1, 10000000));

  recorder::RecordOptions ro;
  RecordFlags record_flags;
  mockserver::ServerOptions record_options;
  record_options.port = 8089;
  auto* record_cmd = app.add_subcommand("record", "proxy to a tenant and record the exchanges as a scenario (redacted)");
  record_cmd->add_option("--target", ro.target, "the upstream base URL (the tenant, or a mock playing it)");
  std::string out_file;
  record_cmd->add_option("--out", out_file, "the scenario file to write")->required();
  record_cmd->add_option("--host", record_options.host, "address to listen on (default loopback)");
  record_cmd->add_option("--port", record_options.port, "port (0: the OS picks one)")->check(CLI::Range(0, 65535));
  record_cmd->add_option("--mode", record_flags.mode, "once (default), none, new_episodes or all (as VCR)");
  record_cmd->add_option("--redact", ro.redact_pointers, "JSON pointer whose values become stable placeholders (repeatable, * for any element)")
      ->allow_extra_args(false);
  record_cmd->add_option("--route", record_flags.routes, "/PATH-PREFIX=URL: send these paths to another upstream (repeatable)")
      ->allow_extra_args(false);
  record_cmd->add_option("--profile", ro.profile, "API profile, to derive the scenario's inputs from the traffic (default v2)");
  record_cmd->add_option("--cacert", ro.upstream.cacert, "CA bundle to verify the upstream with")->check(CLI::ExistingFile);
  record_cmd->add_flag("--insecure", ro.upstream.insecure, "do not verify the upstream's TLS certificate");
  record_cmd->add_option("--timeout-ms", ro.upstream.timeout_ms, "timeout of each upstream exchange")->check(CLI::Range(1L, 600000L));

  std::vector<std::string> check_paths;
  auto* check_cmd = app.add_subcommand("check", "lint fixture files");
  check_cmd->add_option("paths", check_paths, "the scenario files or folders to check, e.g. cxone-mock check fixtures/")->required()->expected(1, -1);

  if (auto code = util::parse_command_line(app, argc, argv, "cxone-mock")) return *code;
  try {
    if (*serve_cmd) return serve(fixtures, options, flags);
    if (*check_cmd) return util::finish_stdout("cxone-mock", check(check_paths));
    if (*record_cmd) {
      ro.out = out_file;
      if (ro.upstream.insecure) std::cerr << "cxone-mock: warning: --insecure: the upstream's TLS certificate is not verified\n";
      return record(ro, record_flags, record_options);
    }
  } catch (const std::exception& e) {
    std::cerr << "cxone-mock: internal error: " << e.what() << "\n";
    return kExitInternal;
  }
  return kExitUsage;
}
