// cxone-mock: argument parsing only; behaviour lives in the mockserver library.
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <pthread.h>

#include "mockserver/fixture_loader.hpp"
#include "mockserver/server.hpp"
#include "util/cli.hpp"

namespace {

constexpr int kExitOk = 0, kExitFailed = 1, kExitUsage = 2, kExitInternal = 3;

int serve(const std::vector<std::string>& paths, mockserver::ServerOptions options) {
  auto files = mockserver::fixture_files(paths);
  if (!files) {
    std::cerr << "cxone-mock: " << files.error().message << "\n";
    return kExitUsage;
  }
  if (files->empty()) {
    std::cerr << "cxone-mock: no fixture files (*.json) in " << paths.front() << "\n";
    return kExitUsage;
  }
  auto engine = std::make_shared<mockserver::MockEngine>();
  for (const auto& f : *files) {
    auto fixture = mockserver::load_fixture(f);
    if (!fixture) {
      std::cerr << "cxone-mock: " << fixture.error().message << "\n";
      return kExitUsage;
    }
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
  server.stop();
  std::cerr << "cxone-mock: stopped (" << (sig == SIGINT ? "SIGINT" : "SIGTERM") << ")\n";
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
    }
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
  serve_cmd->add_option("--threads", options.threads, "worker threads")->check(CLI::Range(1, 4096));
  serve_cmd->add_option("--max-body", options.max_body, "largest request body in bytes");

  std::vector<std::string> check_paths;
  auto* check_cmd = app.add_subcommand("check", "lint fixture files");
  check_cmd->add_option("paths", check_paths, "fixture files or directories")->required()->expected(1, -1);

  if (auto code = util::parse_command_line(app, argc, argv, "cxone-mock")) return *code;
  try {
    if (*serve_cmd) return serve(fixtures, options);
    if (*check_cmd) return check(check_paths);
  } catch (const std::exception& e) {
    std::cerr << "cxone-mock: internal error: " << e.what() << "\n";
    return kExitInternal;
  }
  return kExitUsage;
}
