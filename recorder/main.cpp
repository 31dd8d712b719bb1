// cxone-mock-record: the record command of cxone-mock (which runs this program in its place),
// argument parsing only; the command is recorder/command. Its messages say "cxone-mock", the
// name users type.
#include <CLI/CLI.hpp>

#include <iostream>
#include <string>
#include <vector>

#include "recorder/command.hpp"
#include "util/cli.hpp"
#include "util/cli_docs.hpp"
#include "util/version.hpp"

namespace {

// "cxone-mock serve --proxy-unmatched URL ...", run here by cxone-mock: serve's own options.
int serve_main(int argc, char** argv) {
  CLI::App app{"cxone-mock serve, with requests no interaction answers sent to an upstream", "cxone-mock"};
  app.require_subcommand(1);
  mockserver::ServeArgs serve;
  mockserver::add_serve(app, serve);
  if (auto code = util::parse_command_line(app, argc, argv, "cxone-mock")) return *code;
  try {
    return recorder::proxy_serve_command(serve);
  } catch (const std::exception& e) {
    std::cerr << "cxone-mock: internal error: " << e.what() << "\n";
    return util::kExitInternal;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && std::string(argv[1]) == "serve") return serve_main(argc, argv);
  CLI::App app{"cxone-mock record: proxy to a tenant and record the exchanges as a scenario (redacted)",
               "cxone-mock record"};
  app.set_version_flag("--version", util::version_text("cxone-mock"));
  recorder::RecordOptions ro;
  recorder::RecordFlags flags;
  mockserver::ServerOptions options;
  options.port = 8089;
  app.add_option("--target", ro.target, "the upstream base URL (the tenant, or a mock playing it)");
  std::string out_file;
  app.add_option("--out", out_file, "the scenario file to write")->required();
  app.add_option("--host", options.host, "address to listen on (default loopback)");
  app.add_option("--port", options.port, "port (0: the OS picks one)")->check(CLI::Range(0, 65535));
  app.add_option("--mode", flags.mode, "once (default), none, new_episodes or all (as VCR)");
  app.add_option("--redact", ro.redact_pointers,
                 "JSON pointer whose values become stable placeholders (repeatable, * for any element)")
      ->allow_extra_args(false);
  app.add_option("--route", flags.routes, "/PATH-PREFIX=URL: send these paths to another upstream (repeatable)")
      ->allow_extra_args(false);
  app.add_option("--profile", ro.profile, "API profile, to derive the scenario's inputs from the traffic (default v2)");
  app.add_option("--cacert", ro.upstream.cacert, "CA bundle to verify the upstream with")->check(CLI::ExistingFile);
  app.add_flag("--insecure", ro.upstream.insecure, "do not verify the upstream's TLS certificate");
  app.add_option("--timeout-ms", ro.upstream.timeout_ms, "timeout of each upstream exchange")
      ->check(CLI::Range(1L, 600000L));

  if (util::generate_docs(argc, argv, app,
                          {"cxone-mock record", "record a tenant's answers as a scenario", util::release_version(),
                           "cxone-mock(1)", ""}))
    return 0;
  if (auto code = util::parse_command_line(app, argc, argv, "cxone-mock record")) return *code;
  try {
    ro.out = out_file;
    if (ro.upstream.insecure)
      std::cerr << "cxone-mock: warning: --insecure: the upstream's TLS certificate is not verified\n";
    return recorder::record_command(ro, flags, options);
  } catch (const std::exception& e) {
    std::cerr << "cxone-mock: internal error: " << e.what() << "\n";
    return util::kExitInternal;
  }
}
