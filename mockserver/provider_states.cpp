// Provider states: what is set up, and what an interaction naming states may answer.
#include "mockserver/provider_states.hpp"

#include <algorithm>

#include "mockserver/engine.hpp"
#include "util/strings.hpp"

namespace mockserver {

namespace {

constexpr std::size_t kMaxStates = 64;  // named by one state change

bool contains(const std::vector<std::string>& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

}  // namespace

bool ProviderStates::allows(const std::vector<std::string>& states, const util::HttpRequest& request) const {
  if (const std::string* chosen = request.headers.find(kProviderStateHeader))
    return contains(states, std::string(util::trim(*chosen)));
  std::lock_guard lock(mu_);
  if (active_.empty()) return true;
  return std::any_of(states.begin(), states.end(), [&](const std::string& s) { return contains(active_, s); });
}

util::Result<util::Json> ProviderStates::change(const util::Json& body, const std::vector<std::string>& known) {
  if (!body.is_object())
    return util::make_error(
        R"(expected a JSON object such as {"state": "an alligator named Mary exists", "action": "setup"})");
  std::vector<std::string> named;
  if (body.contains("state")) {  // "" (or null): an interaction with no state, as a verifier sends it
    if (!body["state"].is_string() && !body["state"].is_null()) return util::make_error("\"state\" must be a string");
    if (body["state"].is_string() && !body["state"].get_ref<const std::string&>().empty())
      named.push_back(body["state"].get<std::string>());
  }
  if (body.contains("states")) {
    const auto& list = body["states"];
    if (!list.is_array() || list.size() > kMaxStates)
      return util::make_error("\"states\" must be an array of at most " + std::to_string(kMaxStates) + " names");
    for (const auto& s : list) {
      // A verifier may send the states as names or as {"name", "params"} objects.
      const util::Json* name = s.is_object() && s.contains("name") ? &s["name"] : &s;
      if (!name->is_string()) return util::make_error("\"states\" must name each state as a string");
      if (!contains(named, name->get<std::string>())) named.push_back(name->get<std::string>());
    }
  }
  const std::string action =
      body.contains("action") && body["action"].is_string() ? body["action"].get<std::string>() : std::string("setup");
  if (action != "setup" && action != "teardown")
    return util::make_error("\"action\" must be \"setup\" or \"teardown\", not \"" + action + "\"");
  for (const auto& s : named)
    if (!contains(known, s))
      return util::make_error(
          "no interaction names the provider state \"" + s + "\"" +
          (known.empty() ? std::string(" (none names any)") : "; known: \"" + util::join(known, "\", \"") + "\""));
  std::lock_guard lock(mu_);
  if (action == "setup") {
    active_ = std::move(named);  // naming none: nothing set up, every interaction answers
  } else if (named.empty()) {
    active_.clear();
  } else {
    std::erase_if(active_, [&](const std::string& s) { return contains(named, s); });
  }
  return util::Json{{"action", action}, {"active", active_}};
}

util::Json provider_state_mismatch(const std::vector<std::string>& states, const std::vector<std::string>& active,
                                   const util::HttpRequest& request) {
  const std::string* chosen = request.headers.find(kProviderStateHeader);
  return {{"kind", "providerState"},
          {"location", chosen ? "header X-Pact-Provider-State" : "provider state"},
          {"expected", util::join(states, " | ")},
          {"actual", chosen ? *chosen : util::join(active, " | ")},
          {"message", "the interaction is for provider state \"" + util::join(states, "\" or \"") +
                          "\", which is not set up (POST /__admin/provider-states)"}};
}

util::HttpResponse ProviderStates::admin(const util::HttpRequest& request, const std::vector<std::string>& known) {
  if (request.method == "GET") return json_response(200, {{"active", active()}, {"known", known}});
  auto changed = change(util::parse_json_lenient(request.body), known);
  if (!changed) return error_response(400, "provider-states: " + changed.error().message, "mock.admin.provider_state");
  return json_response(200, *changed);
}

std::vector<std::string> ProviderStates::active() const {
  std::lock_guard lock(mu_);
  return active_;
}

void ProviderStates::reset() {
  std::lock_guard lock(mu_);
  active_ = initial_;
}

}  // namespace mockserver
