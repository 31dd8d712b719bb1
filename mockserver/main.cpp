// cxone-mock: argument parsing only; behaviour lives in the mockserver library.
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <pthread.h>

#include "mockserver/fixture_lint.hpp"
#include "mockserver/fixture_loader.hpp"
#include "mockserver/server.hpp"
#include "contracts/contract.hpp"
#include "util/cli.hpp"
#include "util/file.hpp"

namespace {

constexpr int kExitOk = 0, kExitFailed = 1, kExitUsage = 2, kExitInternal = 3;

struct ServeFlags {
  std::vector<std::string> contracts;  // --validate-payloads
  bool verify_on_exit = false;
  std::string journal_file;
  std::size_t journal_limit = 10000;
};

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
  auto engine = std::make_shared<mockserver::MockEngine>(engine_options);
  for (const auto& f : *files) {
    auto fixture = mockserver::load_fixture(f);
    if (!fixture) {
      std::cerr << "cxone-mock: " << fixture.error().message << "\n";
      return kExitUsage;
    }
    for (const auto& p : mockserver::lint_fixture(*fixture)) std::cerr << "cxone-mock: warning: " << p << "\n";
    engine->add_fixture(*fixture);
  }

  // Block the stop signals in every thread; the main thread waits for them with sigwait. A
  // disposition inherited as "ignore" (nohup, some CI runners) would discard them before sigwait
  // sees them, so restore the default first.
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  mockserver::MockServer server(engine, options);
  auto port = server.start();
  if (!port) {
    std::cerr << "cxone-mock: " << port.error().message << "\n";
    return kExitUsage;
  }
  std::cout << "listening on " << server.base_url() << std::endl;
  std::cerr << "cxone-mock: " << engine->interaction_count() << " interactions from " << files->size()
            << " fixture file(s)\n";
  int sig = 0;
  sigwait(&stop_signals, &sig);
  server.stop();  // drains answers in flight first
  std::cerr << "cxone-mock: stopped (" << (sig == SIGINT ? "SIGINT" : "SIGTERM") << ")\n";
  util::Json report = engine->verify_report();
  if (!flags.journal_file.empty()) {
    util::Json requests = util::Json::array();
    for (const auto& e : engine->journal().snapshot()) requests.push_back(mockserver::to_json(e));
    util::Json doc = {{"total", engine->journal().total()}, {"requests", requests}, {"verify", report},
                      {"interactions", engine->interactions_report()["interactions"]}};
    if (auto st = util::write_file_atomic(flags.journal_file, doc.dump(2) + "\n"); !st)
      std::cerr << "cxone-mock: --journal: " << st.error().message << "\n";
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

int check(const std::vector<std::string>& paths) {
  auto files = mockserver::fixture_files(paths);
  if (!files) {
    std::cerr << "cxone-mock: " << files.error().message << "\n";
    return kExitUsage;
  }
  int bad = 0;
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
  }
  std::cout << files->size() - static_cast<std::size_t>(bad) << " passed, " << bad << " failed\n";
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
  serve_cmd->add_option("--read-timeout", options.read_timeout_s, "seconds a connection may stay idle or trickle")
      ->check(CLI::Range(1, 3600));
  serve_cmd->add_option("--validate-payloads", flags.contracts,
                        "check bodies at interactions marked validatePayload with this contract (name or file; repeatable)")
      ->allow_extra_args(false);
  serve_cmd->add_flag("--verify-on-exit", flags.verify_on_exit,
                      "exit 1 at stop if a required interaction was never called or a request matched nothing");
  serve_cmd->add_option("--journal", flags.journal_file, "write the journal and the verify report to this file at stop");
  serve_cmd->add_option("--journal-limit", flags.journal_limit, "requests kept in the journal ring")
      ->check(CLI::Range(1, 10000000));

  std::vector<std::string> check_paths;
  auto* check_cmd = app.add_subcommand("check", "lint fixture files");
  check_cmd->add_option("paths", check_paths, "fixture files or directories")->required()->expected(1, -1);

  if (auto code = util::parse_command_line(app, argc, argv, "cxone-mock")) return *code;
  try {
    if (*serve_cmd) return serve(fixtures, options, flags);
    if (*check_cmd) return check(check_paths);
  } catch (const std::exception& e) {
    std::cerr << "cxone-mock: internal error: " << e.what() << "\n";
    return kExitInternal;
  }
  return kExitUsage;
}
