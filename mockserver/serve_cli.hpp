// serve's command-line definition, shared by cxone-mock and by cxone-mock-record, which runs
// serve in its place when requests fall through to an upstream (--proxy-unmatched: the client's
// transport lives in the recorder's program, not in the mock).
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "mockserver/commands.hpp"

namespace mockserver {

// serve's options, parsed into the structs its command takes.
struct ServeArgs {
  std::vector<std::string> fixtures;
  ServerOptions options;
  ServeFlags flags;
};

// Adds the serve subcommand and its options to app.
CLI::App* add_serve(CLI::App& app, ServeArgs& a);

}  // namespace mockserver
