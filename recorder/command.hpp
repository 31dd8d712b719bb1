// cxone-mock record, behind its argument parsing (recorder/main.cpp, the program
// cxone-mock-record that cxone-mock runs for it): a recording proxy on a local port until a
// stop signal, then the scenario finished and summarised.
#pragma once

#include <string>
#include <vector>

#include "mockserver/serve_cli.hpp"
#include "mockserver/server.hpp"
#include "recorder/recorder.hpp"

namespace recorder {

// What the command line gives as text, parsed here.
struct RecordFlags {
  std::string mode = "once";
  std::vector<std::string> routes;
};

// Returns the program's exit code (util/cli.hpp).
int record_command(RecordOptions options, const RecordFlags& flags, mockserver::ServerOptions server_options);

// cxone-mock serve with --proxy-unmatched (cxone-mock runs this program for it): the upstream
// made (recorder/proxy.hpp), then mockserver's serve with it.
int proxy_serve_command(const mockserver::ServeArgs& serve);

}  // namespace recorder
