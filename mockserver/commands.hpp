// The commands of cxone-mock, behind its argument parsing: serve fixtures until a stop signal,
// check fixture files. Each returns the program's exit code (util/cli.hpp) and says on stderr
// what went wrong; the record command is the recorder module's (recorder/command.hpp).
#pragma once

#include <csignal>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "mockserver/server.hpp"
#include "mockserver/upstream.hpp"
#include "util/result.hpp"

namespace mockserver {

// serve's options beyond the server's own.
struct ServeFlags {
  std::vector<std::string> contracts;  // --validate-payloads
  bool verify_on_exit = false;
  std::string journal_file;
  std::size_t journal_limit = 10000;
  std::size_t journal_max_bytes = 32u << 20;  // --journal-max-bytes
  std::string admin_token;                    // --admin-token (else the environment: resolve_admin_token)
  std::string admin_token_file;               // --admin-token-file
  bool admin_loopback_only = false;           // --admin-loopback-only: a non-loopback --host without a token
  std::string default_scenario;               // --default-scenario: answers requests that name none
  std::vector<std::string> specs;             // --spec: API descriptions requests are judged against
  std::vector<std::string> pacts;             // --pact: Pact files served as scenarios
  std::vector<std::string> provider_states;   // --provider-state: set up from the start
  bool spec_strict = false;
  bool spec_examples = false;
  std::string proxy_unmatched;    // --proxy-unmatched: the upstream's base URL
  std::string record_unmatched;   // --record-unmatched: the scenario file the proxied exchanges go to
  std::string proxy_cacert;       // --proxy-cacert
  long proxy_timeout_ms = 10000;  // --proxy-timeout-ms
};

// The admin token, from the first that is set: --admin-token, --admin-token-file, the
// environment's CXONE_MOCK_ADMIN_TOKEN, or the file CXONE_MOCK_ADMIN_TOKEN_FILE names (a container
// secret); "" when none is. The file's text is trimmed; an unreadable or empty file, or a token
// under 16 characters, is an error naming where it came from.
util::Result<std::string> resolve_admin_token(const std::string& token, const std::string& token_file);

// Loads the fixtures (none with --spec: the descriptions' examples answer), serves them on options' port and runs until
// SIGINT, SIGTERM or SIGHUP; then writes the journal and checks verify-on-exit.
// upstream: where unmatched requests go (--proxy-unmatched; made by cxone-mock-record, which runs
// serve then), else null.
int serve_command(const std::vector<std::string>& paths, const ServerOptions& options, const ServeFlags& flags,
                  const std::shared_ptr<Upstream>& upstream = nullptr);
// Lints the fixture files under paths: one line per problem on stdout, then the totals.
int check_command(const std::vector<std::string>& paths);

// cxone-mock import wiremock: the mappings as one scenario file, checked by the scenario loader
// before it is written; what does not map is a note on stderr.
int import_wiremock_command(const std::string& path, const std::string& out, const std::string& name);

// Blocks the stop signals (SIGINT, SIGTERM, SIGHUP) in every thread to come, for the main
// thread to sigwait on; SIGPIPE ignored.
sigset_t block_stop_signals();

}  // namespace mockserver
