// cxone-mock: argument parsing only; serve and check are mockserver/commands, and record is the
// program cxone-mock-record beside this one (recorder/), run in this process's place so that
// the mock does not carry the recording proxy's client.
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "mockserver/commands.hpp"
#include "mockserver/health.hpp"
#include "mockserver/serve_cli.hpp"
#include "mockserver/spec_check.hpp"
#include "util/cli.hpp"
#include "util/cli_docs.hpp"
#include "util/version.hpp"

namespace {

// "cxone-mock record ARGS" becomes "cxone-mock-record ARGS", found beside this executable (else,
// without /proc or beside it, on the PATH); "cxone-mock serve --proxy-unmatched URL ARGS" becomes
// "cxone-mock-record serve --proxy-unmatched URL ARGS" (the upstream is the client's transport).
// from: the first argument passed on.
int exec_record(int argc, char** argv, int from) {
  std::error_code ec;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  std::filesystem::path program = (ec ? std::filesystem::path(argv[0]) : self).parent_path() / "cxone-mock-record";
  std::vector<char*> args;
  std::string name = program.string();
  args.push_back(name.data());
  for (int i = from; i < argc; ++i) args.push_back(argv[i]);
  args.push_back(nullptr);
  if (!program.parent_path().empty()) execv(name.c_str(), args.data());
  if (program.parent_path().empty() || errno == ENOENT) {
    args[0] = const_cast<char*>("cxone-mock-record");
    execvp(args[0], args.data());
  }
  std::cerr << "cxone-mock: " << (from == 2 ? "record" : "serve --proxy-unmatched") << ": cannot run " << name << ": "
            << std::strerror(errno) << " (it is built and installed beside cxone-mock)\n";
  return util::kExitInternal;
}

struct CheckArgs {
  std::vector<std::string> paths;
  std::vector<std::string> specs;
};

CLI::App* add_check(CLI::App& app, CheckArgs& a) {
  auto* check_cmd = app.add_subcommand("check", "lint fixture files, or check them against an API description");
  check_cmd->add_option("paths", a.paths, "the scenario files or folders to check, e.g. cxone-mock check fixtures/")
      ->required()
      ->expected(1, -1);
  check_cmd
      ->add_option("--spec", a.specs,
                   "check each interaction against this Swagger 2.0 / OpenAPI 3 description (repeatable: the first "
                   "that has the operation is used)")
      ->allow_extra_args(false);

  return check_cmd;
}

struct ImportArgs {
  std::string path, out, name = "imported";
};

CLI::App* add_import(CLI::App& app, ImportArgs& a) {
  auto* import_cmd = app.add_subcommand("import", "turn another tool's stubs into a scenario file");
  import_cmd->require_subcommand(1);
  auto* wm =
      import_cmd->add_subcommand("wiremock", "WireMock stub mappings (a root with mappings/, the folder, or a file)");
  wm->add_option("path", a.path, "the WireMock root, its mappings/ folder or one mapping file")->required();
  wm->add_option("--out,-o", a.out, "the scenario file to write (atomically)")->required();
  wm->add_option("--name", a.name, "the scenario's name (default imported)");
  return import_cmd;
}

struct HealthArgs {
  mockserver::HealthArgs probe;
  std::string token_file;
};

CLI::App* add_health(CLI::App& app, HealthArgs& a) {
  auto* health_cmd = app.add_subcommand(
      "health", "ask a running mock whether it serves (GET /__admin/health): exit 0 if it does, 1 if not");
  health_cmd->add_option("--url", a.probe.url, "the mock's base URL (default http://127.0.0.1:8089)");
  health_cmd->add_option("--timeout-ms", a.probe.timeout_ms, "connect and answer within this many milliseconds")
      ->check(CLI::Range(1, 600000));
  health_cmd->add_option("--admin-token-file", a.token_file,
                         "the admin token's file (else CXONE_MOCK_ADMIN_TOKEN or CXONE_MOCK_ADMIN_TOKEN_FILE)");
  return health_cmd;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && std::string(argv[1]) == "record") return exec_record(argc, argv, 2);
  CLI::App app{"cxone-mock: a mock CXone API server that replays handover fixtures"};
  app.set_version_flag("--version", util::version_text("cxone-mock"));
  app.require_subcommand(1);
  mockserver::ServeArgs serve;
  auto* serve_cmd = mockserver::add_serve(app, serve);
  // Listed for --help; the command itself runs as cxone-mock-record (see exec_record).
  app.add_subcommand("record",
                     "proxy to a tenant and record the exchanges as a scenario (redacted); "
                     "cxone-mock record --help lists its options")
      ->allow_extras();
  CheckArgs check;
  auto* check_cmd = add_check(app, check);
  ImportArgs import_args;
  auto* import_cmd = add_import(app, import_args);
  HealthArgs health;
  auto* health_cmd = add_health(app, health);

  if (util::generate_docs(argc, argv, app,
                          {"cxone-mock", "a mock contact-centre API for the Cognigy handover", util::release_version(),
                           "handover-diag(1)",
                           ".TP\n0\nsuccess\n.TP\n1\na check failed\n.TP\n2\nusage or input error\n.TP\n3\ninternal "
                           "error"}))
    return 0;
  if (auto code = util::parse_command_line(app, argc, argv, "cxone-mock")) return *code;
  try {
    if (*serve_cmd && !serve.flags.proxy_unmatched.empty()) return exec_record(argc, argv, 1);
    if (*serve_cmd) return mockserver::serve_command(serve.fixtures, serve.options, serve.flags);
    if (*check_cmd && !check.specs.empty())
      return util::finish_stdout("cxone-mock", mockserver::check_spec_command(check.specs, check.paths));
    if (*check_cmd) return util::finish_stdout("cxone-mock", mockserver::check_command(check.paths));
    if (*import_cmd) return mockserver::import_wiremock_command(import_args.path, import_args.out, import_args.name);
    if (*health_cmd) {
      auto token = mockserver::resolve_admin_token("", health.token_file);
      if (!token) {
        std::cerr << "cxone-mock: " << token.error().message << "\n";
        return util::kExitUsage;
      }
      health.probe.admin_token = *token;
      return mockserver::health_command(health.probe);
    }
  } catch (const std::exception& e) {
    std::cerr << "cxone-mock: internal error: " << e.what() << "\n";
    return util::kExitInternal;
  }
  return util::kExitUsage;
}
