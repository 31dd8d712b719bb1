// handover-diag's commands behind its argument parsing (client/main.cpp): each takes what the
// command line gave, does the work through the client library, prints, and returns the exit
// code (util/exit_codes.hpp). Usage and input errors are one line on stderr.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace client::commands {

// Reports written to files besides what stdout shows (--junit FILE --sarif FILE ...): one run
// feeds every CI consumer. Each path is checked before the run, written atomically after it.
using ReportFiles = std::map<std::string, std::string>;  // format -> path

struct DiagnoseArgs {
  std::map<std::string, std::string> flags;  // configuration variable -> value given as a flag
  std::string env_file = ".env";
  bool env_file_explicit = false;  // --env-file given: a missing file is then an error
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
int diagnose(const DiagnoseArgs& args);  // commands/diagnose.cpp

struct VerifyArgs {
  DiagnoseArgs common;  // configuration, profile, --execute, format, timeouts, TLS, --verbose
  std::vector<std::string> paths;
  std::string target;
  bool strict_values = false;
  std::vector<std::string> interactions;
  std::string provider_states_setup_url;
  std::string output;
  bool profile_given = false;
};
int verify(const VerifyArgs& args);  // commands/verify.cpp

struct ExportArgs {
  std::vector<std::string> paths;
  std::string consumer = "cognigy-bot", provider = "contact-centre-api";
  std::string out;  // empty or "-": stdout
};
int export_pact(const ExportArgs& args);  // commands/export.cpp

struct ReplayArgs {
  std::vector<std::string> paths;
  std::string format = "text";
  long timeout_ms = 5000;
  unsigned jobs = 0;
  std::string shard;
  std::vector<std::string> tags, names;
  std::string output;
  ReportFiles reports;
  std::string mock_url;  // --mock: a running cxone-mock instead of embedded ones
};
int replay(const ReplayArgs& args);  // commands/replay.cpp

struct ValidateArgs {
  std::vector<std::string> inputs;
  std::vector<std::string> contracts;
  std::string profile = "v2";
  std::string format = "text";
  unsigned jobs = 0;
  bool jsonl = false;
  ReportFiles reports;
};
int validate(const ValidateArgs& args);  // commands/validate.cpp

struct FlowsArgs {
  std::string path;        // a Cognigy-CLI agent folder, its flows/, a chart.json or a package zip
  std::string cases_file;  // --cases: render each handover node for each case
  std::string format = "text";
  ReportFiles reports;
};
int flows(const FlowsArgs& args);  // commands/flows.cpp

struct CompatArgs {
  std::string old_path, new_path;
  std::string kind = "auto";
  std::string format = "text";
  ReportFiles reports;
};
int compat(const CompatArgs& args);                                 // commands/inspect.cpp
int explain(const std::string& code, bool list);                    // commands/inspect.cpp
int contracts(const std::string& action, const std::string& name);  // commands/inspect.cpp

}  // namespace client::commands
