// serve's command-line definition (see serve_cli.hpp).
#include "mockserver/serve_cli.hpp"

#include <string>

namespace mockserver {

namespace {

// --proxy-unmatched and what goes with it (cxone-mock-record serves then: serve_cli.hpp).
void add_proxy_options(CLI::App& serve_cmd, ServeFlags& flags) {
  serve_cmd
      .add_option("--proxy-unmatched", flags.proxy_unmatched,
                  "send requests no interaction answers to this upstream (http(s)://HOST[/PATH], TLS verified) "
                  "and answer with what it says; journaled as proxied")
      ->check([](const std::string& url) {
        return url.starts_with("http://") || url.starts_with("https://") ? std::string()
                                                                         : "expected an http:// or https:// URL";
      });
  auto* record_opt =
      serve_cmd.add_option("--record-unmatched", flags.record_unmatched,
                           "append the proxied exchanges to this scenario file, redacted as cxone-mock record does "
                           "(created if missing; what it already holds answers before the upstream)");
  auto* cacert_opt =
      serve_cmd.add_option("--proxy-cacert", flags.proxy_cacert, "CA bundle to verify the upstream's certificate with")
          ->check(CLI::ExistingFile);
  auto* timeout_opt =
      serve_cmd.add_option("--proxy-timeout-ms", flags.proxy_timeout_ms, "timeout of each upstream exchange")
          ->check(CLI::Range(1L, 600000L));
  for (auto* needs_proxy : {record_opt, cacert_opt, timeout_opt})
    needs_proxy->needs(serve_cmd.get_option("--proxy-unmatched"));
}

}  // namespace

CLI::App* add_serve(CLI::App& app, ServeArgs& a) {
  auto& [fixtures, options, flags] = a;
  options.port = 8089;
  auto* serve_cmd = app.add_subcommand("serve", "serve fixtures over HTTP");
  serve_cmd
      ->add_option("--fixtures", fixtures,
                   "fixture files or directories (optional with --spec, --pact or --proxy-unmatched)")
      ->expected(1, -1);
  serve_cmd->add_option("--host", options.host, "address to listen on (default loopback)");
  serve_cmd->add_option("--port", options.port, "port (0: the OS picks one)")->check(CLI::Range(0, 65535));
  serve_cmd->add_option("--threads", options.threads, "event loops (default: one per core but one, 1 to 8)")
      ->check(CLI::Range(1, 64));
  serve_cmd->add_option("--max-body", options.max_body, "largest request body in bytes (beyond: 413)");
  serve_cmd->add_option("--tls-cert", options.tls_cert, "PEM certificate (chain): serve HTTPS");
  serve_cmd->add_option("--tls-key", options.tls_key, "PEM private key of --tls-cert");
  serve_cmd->add_option("--max-header-bytes", options.max_header_bytes, "largest request line + headers in bytes");
  serve_cmd->add_option("--max-headers", options.max_headers, "most header fields in a request (beyond: 431)");
  serve_cmd
      ->add_option("--max-connections", options.max_connections,
                   "open connections at most; at the cap the least recently active idle one is closed for a new "
                   "one (default: the open-files limit, ulimit -n, less 64)")
      ->check(CLI::Range(static_cast<std::size_t>(1), static_cast<std::size_t>(10000000)));
  serve_cmd->add_option("--read-timeout", options.read_timeout_s, "seconds a connection may stay idle or trickle")
      ->check(CLI::Range(1, 3600));
  serve_cmd
      ->add_option("--validate-payloads", flags.contracts,
                   "check bodies at interactions marked validatePayload with this contract (name or file; repeatable)")
      ->allow_extra_args(false);
  serve_cmd->add_flag("--verify-on-exit", flags.verify_on_exit,
                      "exit 1 at stop if a required interaction was never called or a request matched nothing");
  serve_cmd->add_option("--journal", flags.journal_file,
                        "write the journal and the verify report to this file at stop");
  serve_cmd->add_option("--admin-token", flags.admin_token,
                        "let non-loopback clients use /__admin/ with this bearer token (16+ characters; "
                        "prefer the environment variable CXONE_MOCK_ADMIN_TOKEN or a file: flags show in ps)");
  serve_cmd->add_option("--admin-token-file", flags.admin_token_file,
                        "read the admin token from this file (a container secret; also CXONE_MOCK_ADMIN_TOKEN_FILE)");
  serve_cmd->add_flag("--admin-loopback-only", flags.admin_loopback_only,
                      "with a non-loopback --host and no admin token: keep the admin API to loopback clients "
                      "(otherwise such a --host needs a token)");
  serve_cmd
      ->add_option("--spec", flags.specs,
                   "judge requests against this Swagger 2.0 / OpenAPI 3 description (repeatable): an operation it "
                   "lacks is a 404 naming the nearest, what breaks the operation goes to the journal")
      ->allow_extra_args(false);
  serve_cmd
      ->add_option("--pact", flags.pacts,
                   "serve the HTTP interactions of this Pact file (v2, v3 or v4 JSON; repeatable): requests matched "
                   "with the pact's matching rules, answered with its responses")
      ->allow_extra_args(false);
  serve_cmd
      ->add_option("--provider-state", flags.provider_states,
                   "serve as if this Pact provider state were set up (repeatable): interactions naming other states "
                   "stay silent until POST /__admin/provider-states sets them up")
      ->allow_extra_args(false);
  serve_cmd->add_flag("--spec-strict", flags.spec_strict,
                      "answer 400 with the violations when a request breaks its operation");
  serve_cmd->add_flag("--spec-examples", flags.spec_examples,
                      "answer requests no fixture matches with the operation's example (or one generated from its "
                      "schema), marked X-Mock-Spec-Example");
  serve_cmd->add_option("--default-scenario", flags.default_scenario,
                        "answer requests that name no scenario (X-Mock-Scenario header, /__scenario/NAME/ path "
                        "prefix) from this one (default: from every served file)");
  serve_cmd->add_option("--journal-limit", flags.journal_limit, "requests kept in the journal ring")
      ->check(CLI::Range(1, 10000000));
  serve_cmd
      ->add_option("--journal-max-bytes", flags.journal_max_bytes,
                   "the journal's entries hold at most this much (bytes; 64KB, 32MB and the like; default 32MB): the "
                   "oldest go first")
      ->transform(CLI::AsSizeValue(false))
      ->check(CLI::Range(static_cast<std::size_t>(64 * 1024), static_cast<std::size_t>(1) << 40));
  add_proxy_options(*serve_cmd, flags);
  return serve_cmd;
}

}  // namespace mockserver
