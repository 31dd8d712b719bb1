// Pact provider states as the mock's state. An interaction may name provider states
// ("providerStates", or a pact's providerState/providerStates); until a state is set up every
// interaction serves, as Pact's own mock server does. Once one is (serve --provider-state, or
// POST /__admin/provider-states with the body a Pact verifier sends to a provider's
// state-change URL), an interaction that names states serves only while one of them is set up;
// one without states always serves. A request may pick a state for itself with the header
// X-Pact-Provider-State (as pact-stub-server does). Each setup replaces the states set up before
// it (a verifier sets up each interaction's states in turn; for one with no state it sends the
// state "", which sets nothing up); teardown removes what it names.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "util/http.hpp"
#include "util/json_text.hpp"
#include "util/result.hpp"

namespace mockserver {

inline constexpr std::string_view kProviderStateHeader = "x-pact-provider-state";

// A near-miss entry for an interaction that matched but whose states are not set up.
util::Json provider_state_mismatch(const std::vector<std::string>& states, const std::vector<std::string>& active,
                                   const util::HttpRequest& request);

class ProviderStates {
 public:
  explicit ProviderStates(std::vector<std::string> initial = {}) : initial_(initial), active_(std::move(initial)) {}

  // Whether an interaction naming states may answer this request (states: not empty).
  bool allows(const std::vector<std::string>& states, const util::HttpRequest& request) const;
  // POST /__admin/provider-states: {"state": S, "states": [...], "params": {...}, "action":
  // "setup"|"teardown"} (action defaults to setup). known: the states loaded interactions name;
  // an unknown one is refused, as a provider without a handler for it would. The answer's body.
  util::Result<util::Json> change(const util::Json& body, const std::vector<std::string>& known);
  std::vector<std::string> active() const;
  // GET /__admin/provider-states ({"active", "known"}) and POST (change), answered.
  util::HttpResponse admin(const util::HttpRequest& request, const std::vector<std::string>& known);
  void reset();

 private:
  mutable std::mutex mu_;
  std::vector<std::string> initial_;
  std::vector<std::string> active_;
};

}  // namespace mockserver
