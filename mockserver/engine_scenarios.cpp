// The admin API's scenario and interaction control (engine.hpp): each served scenario (a file,
// by its name) with the states of its state machines, set or reset one or all; one interaction
// read, replaced, added or deleted by id, taking effect for the next request.
#include <algorithm>
#include <set>

#include "mockserver/engine.hpp"
#include "mockserver/fixture_loader.hpp"
#include "util/strings.hpp"

namespace mockserver {

namespace {

constexpr const char* kStart = "Started";

util::HttpResponse admin_error(int status, const std::string& message, const std::string& code,
                               const util::Json& extra = util::Json::object()) {
  return error_response(status, message, std::string("mock.admin.").append(code), extra);
}

util::Json interaction_json(const Interaction& x) {
  util::Json j = {{"id", x.id},
                  {"origin", x.origin},
                  {"method", x.request.method},
                  {"path", x.request.path()},
                  {"status", x.response.status},
                  {"required", x.required}};
  if (x.times) j["times"] = *x.times;
  if (x.priority) j["priority"] = x.priority;
  if (x.scenario) {
    auto& step = j["stateMachine"] = {{"name", x.scenario->name}};
    if (!x.scenario->required_state.empty()) step["requiredState"] = x.scenario->required_state;
    if (!x.scenario->new_state.empty()) step["newState"] = x.scenario->new_state;
  }
  return j;
}

// PUT interactions/ID's body: one interaction in the scenario format, its id the path's (or
// none), checked by the scenario loader as part of a file of that scenario's profile.
util::Result<Fixture> parse_put_interaction(const std::string& text, const std::string& id, const std::string& fixture,
                                            const std::string& profile) {
  util::Json body = util::parse_json_lenient(text);
  if (!body.is_object()) return util::Error{"expected one interaction in the scenario format as the body"};
  if (!body.contains("id")) body["id"] = id;
  if (body["id"] != id) return util::Error{"the body's \"id\" is not the one in the path (\"" + id + "\")"};
  util::Json wrapper = {{"fixtureVersion", 1},
                        {"name", fixture.empty() ? "admin" : fixture},
                        {"interactions", util::Json::array({body})}};
  if (!profile.empty()) wrapper["profile"] = profile;
  return parse_fixture(util::dump_pretty(wrapper), "(PUT interaction)", SupportFiles::none);
}

}  // namespace

util::Json MockEngine::scenario_json(const std::string& name) const {
  std::map<std::string, std::set<std::string>> possible;  // machine -> states it can be in
  std::uint64_t calls = 0;
  std::size_t count = 0;
  util::Json missing = util::Json::array();
  for (const auto& e : entries_) {
    if (e.fixture != name) continue;
    ++count;
    calls += e.calls;
    if (e.interaction.required && e.calls == 0) missing.push_back(e.interaction.id);
    if (const auto& sc = e.interaction.scenario) {
      auto& states = possible[sc->name];
      states.insert(kStart);
      if (!sc->required_state.empty()) states.insert(sc->required_state);
      if (!sc->new_state.empty()) states.insert(sc->new_state);
    }
  }
  util::Json states = util::Json::object();
  util::Json possible_json = util::Json::object();
  for (const auto& [machine, set] : possible) {
    states[machine] = state_of(name, machine);
    possible_json[machine] = util::Json(std::vector<std::string>(set.begin(), set.end()));
  }
  return {{"name", name},
          {"interactions", count},
          {"calls", calls},
          {"states", states},
          {"possibleStates", possible_json},
          {"requiredNotCalled", missing},
          {"default", name == options_.default_scenario}};
}

void MockEngine::reset_scenario(const std::string& name) {
  std::erase_if(scenario_state_, [&](const auto& kv) { return kv.first.starts_with(state_key(name, "")); });
  for (auto& e : entries_)
    if (e.fixture == name) e.calls = 0;
}

// GET scenarios, GET scenarios/NAME, PUT scenarios/NAME/state, POST scenarios/reset,
// POST scenarios/NAME/reset.
util::HttpResponse MockEngine::scenarios_admin(const util::HttpRequest& request, std::string_view what) {
  const bool get = request.method == "GET";
  const bool post = request.method == "POST";
  auto unknown = [&] {
    return admin_error(404, "unknown admin endpoint " + request.method + " " + request.path, "unknown",
                       {{"endpoints",
                         {"GET scenarios", "GET scenarios/NAME", "PUT scenarios/NAME/state", "POST scenarios/reset",
                          "POST scenarios/NAME/reset"}}});
  };
  std::lock_guard lock(mu_);
  if (what.empty() && get) {
    util::Json list = util::Json::array();
    for (const auto& f : fixtures_) list.push_back(scenario_json(f));
    return json_response(200, {{"scenarios", list}});
  }
  if (what == "/reset" && post) {
    for (const auto& f : fixtures_) reset_scenario(f);
    return json_response(200, {{"reset", fixtures_}});
  }
  if (what.empty()) return unknown();  // "scenarios" by any other method
  std::string_view rest = what.substr(1);
  auto slash = rest.find('/');
  std::string name = util::url_decode(rest.substr(0, slash));
  std::string_view action = slash == std::string_view::npos ? "" : rest.substr(slash);
  if (!serves(name))
    return admin_error(404, "no scenario named \"" + name + "\"", "scenario_unknown", {{"scenarios", fixtures_}});
  if (action.empty() && get) {
    util::Json body = scenario_json(name);
    util::Json unmatched = util::Json::array();
    for (const auto& e : journal_.unmatched_in(name)) unmatched.push_back(to_json(e));
    body["unmatched"] = std::move(unmatched);
    return json_response(200, body);
  }
  if (action == "/reset" && post) {
    reset_scenario(name);
    journal_.clear_scenario(name);
    return json_response(200, scenario_json(name));
  }
  if (action == "/state" && request.method == "PUT") {
    util::Json doc = util::parse_json_lenient(request.body, 8);
    util::Json now = scenario_json(name);
    const util::Json& possible = now["possibleStates"];
    if (!doc.is_object() || !doc.contains("state") || !doc["state"].is_string())
      return admin_error(400, "expected {\"state\": \"NAME\"} (and \"scenario\" when the file has several)",
                         "bad_body");
    std::string machine;
    if (doc.contains("scenario") && doc["scenario"].is_string()) {
      machine = doc["scenario"].get<std::string>();
    } else if (possible.size() == 1) {
      machine = possible.begin().key();
    } else {
      return admin_error(400,
                         possible.empty() ? "\"" + name + "\" has no scenario states"
                                          : "\"" + name + "\" has several state machines: say which (\"scenario\")",
                         "bad_body", {{"possibleStates", possible}});
    }
    std::string state = doc["state"].get<std::string>();
    if (!possible.contains(machine))
      return admin_error(400, "\"" + name + "\" has no state machine \"" + machine + "\"", "bad_body",
                         {{"possibleStates", possible}});
    const auto& allowed = possible[machine];
    if (std::find(allowed.begin(), allowed.end(), util::Json(state)) == allowed.end())
      return admin_error(400, "\"" + machine + "\" is never in state \"" + state + "\"", "bad_body",
                         {{"possibleStates", possible}});
    scenario_state_[state_key(name, machine)] = state;
    return json_response(200, scenario_json(name));
  }
  return unknown();
}

// GET, PUT or DELETE interactions/ID, where ID is "SCENARIO/ID" or an ID no other scenario uses.
util::HttpResponse MockEngine::interactions_admin(const util::HttpRequest& request, std::string_view id_text) {
  std::string fixture;
  std::string id = util::url_decode(id_text);
  if (auto slash = id.find('/'); slash != std::string::npos) {
    fixture = id.substr(0, slash);
    id = id.substr(slash + 1);
  }
  std::optional<Fixture> replacement;  // PUT: parsed outside the lock
  if (request.method == "PUT") {
    std::string profile;
    {
      std::lock_guard lock(mu_);
      if (fixture.empty() && fixtures_.size() == 1) fixture = fixtures_.front();
      if (auto it = fixture_profiles_.find(fixture); it != fixture_profiles_.end()) profile = it->second;
    }
    auto parsed = parse_put_interaction(request.body, id, fixture, profile);
    if (!parsed) return admin_error(400, parsed.error().message, "bad_body");
    replacement = std::move(*parsed);
  }
  std::lock_guard lock(mu_);
  std::vector<std::size_t> found;
  for (std::size_t i = 0; i < entries_.size(); ++i)
    if (entries_[i].interaction.id == id && (fixture.empty() || entries_[i].fixture == fixture)) found.push_back(i);
  if (found.size() > 1) {
    util::Json which = util::Json::array();
    for (auto i : found) which.push_back(entries_[i].fixture + "/" + id);
    return admin_error(409, "\"" + id + "\" is in several scenarios: name one as SCENARIO/ID", "ambiguous",
                       {{"candidates", which}});
  }
  if (request.method == "PUT") return place_interaction(fixture, id, std::move(*replacement), found);
  if (found.empty())
    return admin_error(404, "no interaction \"" + (fixture.empty() ? id : fixture + "/" + id) + "\"",
                       "interaction_unknown");
  Entry& e = entries_[found.front()];
  if (request.method == "GET") {
    util::Json j = interaction_json(e.interaction);
    j["scenario"] = e.fixture;
    j["calls"] = e.calls;
    return json_response(200, j);
  }
  if (request.method == "DELETE") {
    std::string removed = e.fixture + "/" + e.interaction.id;
    entries_.erase(entries_.begin() + static_cast<std::ptrdiff_t>(found.front()));
    reindex();
    return json_response(200, {{"removed", removed}});
  }
  return admin_error(405, "interactions/ID takes GET, PUT or DELETE", "unknown");
}

// PUT interactions/ID: the parsed interaction in place of the one found, or added after its
// scenario's last interaction. Requires mu_.
util::HttpResponse MockEngine::place_interaction(const std::string& fixture, const std::string& id, Fixture replacement,
                                                 const std::vector<std::size_t>& found) {
  if (found.empty() && fixture.empty())
    return admin_error(404,
                       "no interaction \"" + id + "\"; to add one, name its scenario: PUT interactions/SCENARIO/ID",
                       "interaction_unknown", {{"scenarios", fixtures_}});
  if (found.empty() && !serves(fixture))
    return admin_error(404,
                       "no scenario named \"" + fixture + "\" to add \"" + id + "\" to (PUT interactions/SCENARIO/ID)",
                       "scenario_unknown", {{"scenarios", fixtures_}});
  const std::string owner = found.empty() ? fixture : entries_[found.front()].fixture;
  auto made = make_entries(std::move(replacement.interactions), owner, replacement.profile);
  std::size_t at = found.empty() ? 0 : found.front();
  if (found.empty()) {
    // Added after the scenario's last interaction: file order stays the tie-break.
    auto last = std::find_if(entries_.rbegin(), entries_.rend(), [&](const Entry& e) { return e.fixture == owner; });
    at = static_cast<std::size_t>(entries_.rend() - last);
    entries_.insert(entries_.begin() + static_cast<std::ptrdiff_t>(at), std::move(made.front()));
  } else {
    entries_[at] = std::move(made.front());
  }
  reindex();
  util::Json j = interaction_json(entries_[at].interaction);
  j["scenario"] = owner;
  return json_response(found.empty() ? 201 : 200, j);
}

}  // namespace mockserver
