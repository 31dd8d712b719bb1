// MockEngine: the mock's behaviour without sockets. Given a request it picks the interaction
// (most specific match in the current scenario state, then file order), moves scenario state
// on, journals the exchange, answers misses with a near-miss 404, and serves /__admin/.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "contracts/contract.hpp"
#include "mockserver/fixture.hpp"
#include "mockserver/journal.hpp"
#include "mockserver/matcher.hpp"
#include "mockserver/provider_states.hpp"
#include "mockserver/spec_gate.hpp"
#include "mockserver/upstream.hpp"
#include "util/http.hpp"

namespace mockserver {

struct EngineOptions {
  std::size_t journal_limit = 10000;
  std::size_t journal_max_bytes = 32u << 20;  // the journal's entries hold at most this much
  // --validate-payloads: bodies at interactions marked "validatePayload" are checked with these;
  // without them, with the contract of the fixture's profile (v2: transfer, cxone: cxone-signal).
  std::shared_ptr<const std::vector<contracts::Contract>> payload_contracts;
  int near_miss_count = 3;
  int timeout_hold_ms = 30000;  // how long a "timeout" fault holds the connection at most
  // The admin API answers loopback clients only, unless a token is set: then any client that
  // sends it ("Authorization: Bearer T" or "X-Admin-Token: T"), and no client without it.
  std::string admin_token;
  SpecOptions spec;                          // serve --spec, --spec-strict, --spec-examples
  std::vector<std::string> provider_states;  // serve --provider-state: set up from the start (and on reset)
  std::string scheme = "http";               // "https" with --tls-cert: the mock's own URLs (MockServerURL)
  // serve --default-scenario: the scenario a request naming none is answered from ("" = all).
  std::string default_scenario;
  // serve --proxy-unmatched: what no interaction answers goes here (MockEngine::forward), not to
  // the near-miss 404.
  std::shared_ptr<Upstream> upstream;
};

// What the transport layer must do: send response after delay, or misbehave per fault.
struct Reply {
  util::HttpResponse response;
  int delay_ms = 0;  // drawn already when the fixture gives a range
  Fault fault = Fault::none;
  Drip drip;
  int hold_ms = 0;  // timeout fault: how long to hold the connection before closing it
  std::string interaction_id;
  // No interaction answers and an upstream is set: the server calls MockEngine::forward on a
  // worker thread (an upstream exchange never blocks the event loop).
  bool to_upstream = false;
};

inline constexpr std::string_view kAdminPrefix = "/__admin/";
// A request picks the scenario (a served file, by its name) it is answered from by this path
// prefix, stripped before matching, or by this header; else the default scenario, else all.
inline constexpr std::string_view kScenarioPrefix = "/__scenario/";
inline constexpr std::string_view kScenarioHeader = "X-Mock-Scenario";

// A JSON answer (pretty-printed).
util::HttpResponse json_response(int status, const util::Json& body);
// The mock's own error answer (misses, admin errors, limits): JSON {message, code, status} plus
// any extra members, shaped like a CXone error body.
util::HttpResponse error_response(int status, const std::string& message, const std::string& code,
                                  const util::Json& extra = util::Json::object());

class MockEngine {
 public:
  explicit MockEngine(EngineOptions options = {});

  // Adds a fixture's interactions after those already loaded; a fixture of the same name is
  // replaced (its counters start again).
  void add_fixture(const Fixture& fixture) { add_fixture(Fixture(fixture)); }
  void add_fixture(Fixture&& fixture);  // the interactions are moved in (a large file is not copied)
  // What serving fixture beside the loaded ones (another of its name is replaced) would hide: one
  // message per loaded fixture it shadows or is shadowed by (lint_together).
  std::vector<std::string> overlaps_with_loaded(const Fixture& fixture) const;
  // Removes one fixture by name (false if unknown), or all with an empty name.
  bool remove_fixture(const std::string& name);
  std::size_t interaction_count() const;
  bool has_fixture(const std::string& name) const;
  std::vector<std::string> fixture_names() const;

  Reply handle(const util::HttpRequest& request);
  // A request handle() gave to_upstream: sent to the upstream (its scenario prefix and header
  // removed), answered with what came back, journaled as proxied. Blocks for the exchange.
  Reply forward(const util::HttpRequest& request);

  const Journal& journal() const { return journal_; }
  // Required interactions never called, as "fixture/id".
  std::vector<std::string> required_not_called() const;
  // The Pact-style end-of-test report: {"ok", "requiredNotCalled", "unexpected"}.
  util::Json verify_report() const;
  // Every interaction with its unbounded call counter.
  util::Json interactions_report() const;
  void reset();

 private:
  struct Entry {
    Interaction interaction;
    std::string fixture;
    std::uint64_t calls = 0;  // unbounded, unlike the journal
    int rank = 0;             // priority, then specificity: compared first when selecting
    // validatePayload without --validate-payloads: the fixture profile's contract (shared).
    std::shared_ptr<const std::vector<contracts::Contract>> profile_contracts;
    // validatePayload where the profile's parameters may travel in the query (payload_form.hpp):
    // the contract's parameter names; null when the body is the payload.
    std::shared_ptr<const std::vector<std::string>> query_keys;
  };
  // The contract of a profile, compiled once per engine; null if it cannot be loaded.
  std::shared_ptr<const std::vector<contracts::Contract>> contracts_of_profile(const std::string& profile);
  // The parameter names of a profile whose transfer puts some in the query; null otherwise.
  std::shared_ptr<const std::vector<std::string>> query_keys_of_profile(const std::string& profile);
  std::mutex profile_contracts_mu_;
  std::map<std::string, std::shared_ptr<const std::vector<contracts::Contract>>> profile_contracts_;
  std::map<std::string, std::shared_ptr<const std::vector<std::string>>> profile_query_keys_;

  // Which entries a request's path can match, without trying each: a trie over the literal
  // segments of the path templates (a {param} is a wildcard edge), one root per segment count;
  // a pathPattern anchored to a fixed first segment (^/p9/...) is filed under it, any other is
  // a candidate always. Rebuilt (under mu_) when the entries change, so
  // matching costs what the candidates cost, not the number of interactions.
  class PathIndex {
   public:
    void build(const std::vector<Entry>& entries);
    // Appends the candidate entry indices for these path segments, ascending (file order).
    void candidates(const std::vector<std::string_view>& segments, std::vector<std::size_t>& out) const;

   private:
    struct Node {
      int param = -1;                    // the {param} edge
      std::vector<std::size_t> entries;  // templates that end here
    };
    int child(int node, std::string_view literal) const;
    void walk(int node, const std::vector<std::string_view>& segments, std::size_t depth,
              std::vector<std::size_t>& out) const;
    std::vector<Node> nodes_;
    std::unordered_map<std::size_t, int> roots_;                          // segment count -> node
    std::unordered_map<std::string, int> edges_;                          // node id bytes + literal -> node
    std::unordered_map<std::string, std::vector<std::size_t>> by_first_;  // anchored pathPatterns by first segment
    std::vector<std::size_t> always_;                                     // other pathPattern entries
  };
  void reindex() { index_.build(entries_); }  // requires mu_
  // The entries of a fixture's interactions (moved in), with their profile's contracts.
  std::vector<Entry> make_entries(std::vector<Interaction>&& interactions, const std::string& fixture,
                                  const std::string& profile);

  // The scenario a request names (prefix, header, else the default) and, when it came by the
  // /__scenario/NAME/ prefix, the path without it.
  std::string scope_of(const util::HttpRequest& request, std::optional<std::string>& stripped_path) const;
  // A request answered from one scenario (a fixture's name; "" = every loaded fixture).
  Reply handle_in(const util::HttpRequest& request, const std::string& scope);
  // The parts of handle_in: a request no interaction answers; a marked interaction's payload check.
  void answer_unmatched(const util::HttpRequest& request, const std::string& scope,
                        const std::optional<SpecVerdict>& verdict, util::Json closest, Reply& reply,
                        JournalEntry& entry) const;
  void check_payload(const util::HttpRequest& request, const std::vector<contracts::Contract>& payload_contracts,
                     const std::vector<std::string>* query_keys, int reject_status, Reply& reply,
                     JournalEntry& entry) const;
  Reply handle_admin(const util::HttpRequest& request);
  util::HttpResponse fixtures_admin(const util::HttpRequest& request);  // POST and DELETE fixtures
  // /__admin/scenarios[/NAME[/state|/reset]] and /__admin/interactions/ID (engine_scenarios.cpp).
  util::HttpResponse scenarios_admin(const util::HttpRequest& request, std::string_view what);
  util::HttpResponse requests_admin(const util::HttpRequest& request, std::string_view what);
  util::HttpResponse interactions_admin(const util::HttpRequest& request, std::string_view id);
  util::HttpResponse place_interaction(const std::string& fixture, const std::string& id, Fixture replacement,
                                       const std::vector<std::size_t>& found);  // requires mu_
  util::Json scenario_json(const std::string& name) const;                      // requires mu_
  void reset_scenario(const std::string& name);                                 // requires mu_
  // Whether a file of this name is served. Requires mu_.
  bool serves(const std::string& name) const {
    return std::find(fixtures_.begin(), fixtures_.end(), name) != fixtures_.end();
  }
  // The key of a fixture's state machine in scenario_state_: each fixture keeps its own.
  static std::string state_key(const std::string& fixture, const std::string& machine) {
    return std::string(fixture).append(1, '\n').append(machine);
  }
  const std::string& state_of(const std::string& fixture, const std::string& machine) const;  // requires mu_
  util::HttpResponse unmatched_response(const util::HttpRequest& request, const std::optional<SpecVerdict>& verdict,
                                        const util::Json& closest) const;
  std::optional<Reply> admin_refusal(const util::HttpRequest& request) const;
  Reply console_login(const util::HttpRequest& request) const;  // GET /__admin/ui?token=T
  std::vector<std::string> known_provider_states() const;       // named by the loaded interactions
  util::Json near_misses(const IncomingRequest& request, const std::string& scope) const;  // requires mu_
  // The interaction that answers: of the scope's fixture (any when ""), allowed by its scenario
  // state and times, matching, the best rank (ties: the earlier one); null when none. Requires mu_.
  Entry* select(const IncomingRequest& request, const std::string& scope);

  EngineOptions options_;
  mutable std::mutex mu_;
  std::vector<Entry> entries_;
  PathIndex index_;
  std::vector<std::string> fixtures_;
  std::map<std::string, std::string> fixture_profiles_;  // fixture name -> its profile
  std::map<std::string, std::string> scenario_state_;
  ProviderStates provider_states_;
  Journal journal_;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace mockserver
