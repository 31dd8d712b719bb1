// MockEngine: selection, scenario transitions, near-miss answers and the admin API.
#include "mockserver/engine.hpp"

#include <algorithm>
#include <random>

#include "mockserver/matcher.hpp"

namespace mockserver {

namespace {

constexpr std::string_view kAdminPrefix = "/__admin/";
constexpr const char* kStartState = "Started";

util::HttpResponse json_response(int status, const util::Json& body) {
  util::HttpResponse r;
  r.status = status;
  r.headers.add("Content-Type", "application/json");
  r.body = body.dump(2);
  return r;
}

std::string query_text(const std::map<std::string, std::string>& q) {
  std::string out;
  for (const auto& [k, v] : q) out += (out.empty() ? "" : "&") + k + "=" + v;
  return out;
}

}  // namespace

MockEngine::MockEngine(EngineOptions options)
    : options_(options), journal_(options.journal_limit), started_(std::chrono::steady_clock::now()) {}

void MockEngine::add_fixture(const Fixture& fixture) {
  std::lock_guard lock(mu_);
  fixtures_.push_back(fixture.name);
  for (const auto& i : fixture.interactions) entries_.push_back(Entry{i, fixture.name, 0});
}

std::size_t MockEngine::interaction_count() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

Reply MockEngine::handle(const util::HttpRequest& request) {
  if (std::string_view(request.path).starts_with(kAdminPrefix)) return handle_admin(request);

  IncomingRequest in(request);
  std::unique_lock lock(mu_);
  Entry* best = nullptr;
  int best_score = -1;
  for (auto& e : entries_) {
    const auto& sc = e.interaction.scenario;
    int score = e.interaction.request.specificity();
    if (sc && !sc->required_state.empty()) {
      auto it = scenario_state_.find(sc->name);
      const std::string& state = it == scenario_state_.end() ? kStartState : it->second;
      if (state != sc->required_state) continue;
      score += 1;  // a state-bound interaction is more specific than a free one
    }
    if (score <= best_score) continue;  // ties: the earlier one (file order) wins
    if (!match_request(e.interaction.request, in).matched()) continue;
    best = &e;
    best_score = score;
  }

  JournalEntry entry{0, request.method, request.path, query_text(request.query), 0, "", "", nullptr};
  Reply reply;
  if (!best) {
    util::Json closest = near_misses(in);
    lock.unlock();
    util::Json body = {{"message", "No interaction matched " + request.method + " " + request.path},
                       {"code", "mock.unmatched"},
                       {"status", 404},
                       {"closest", closest}};
    reply.response = json_response(404, body);
    reply.response.headers.add("X-Mock-Miss", "true");
    entry.status = 404;
    entry.closest = std::move(closest);
    journal_.record(std::move(entry));
    return reply;
  }
  ++best->calls;
  const auto& sc = best->interaction.scenario;
  if (sc && !sc->new_state.empty()) scenario_state_[sc->name] = sc->new_state;
  const ResponseSpec& spec = best->interaction.response;
  reply.response.status = spec.status;
  reply.response.headers = spec.headers;
  reply.response.body = spec.body;
  reply.delay_ms = spec.delay_ms;
  if (spec.delay_max_ms > spec.delay_ms) {
    thread_local std::minstd_rand rng{std::random_device{}()};
    reply.delay_ms = std::uniform_int_distribution<int>(spec.delay_ms, spec.delay_max_ms)(rng);
  }
  reply.fault = spec.fault;
  reply.drip = spec.drip;
  reply.interaction_id = best->interaction.id;
  entry.interaction_id = best->interaction.id;
  entry.fixture = best->fixture;
  lock.unlock();

  if (reply.fault == Fault::malformed_body) {
    // Cut the body mid-way: what a proxy that dropped the connection leaves behind.
    reply.response.body = reply.response.body.substr(0, reply.response.body.size() / 2);
    if (reply.response.body.empty()) reply.response.body = "{\"";
  } else if (reply.fault == Fault::timeout) {
    reply.hold_ms = options_.timeout_hold_ms;
  }
  entry.status = reply.response.status;
  journal_.record(std::move(entry));
  return reply;
}

util::Json MockEngine::near_misses(const IncomingRequest& in) const {
  std::vector<std::pair<double, util::Json>> ranked;
  for (const auto& e : entries_) {
    auto m = match_request(e.interaction.request, in);
    util::Json diffs = util::Json::array();
    for (const auto& mm : m.mismatches)
      diffs.push_back({{"kind", mm.kind}, {"location", mm.location}, {"expected", mm.expected},
                       {"actual", mm.actual}, {"message", mm.message}});
    const auto& sc = e.interaction.scenario;
    if (m.matched() && sc) {
      auto it = scenario_state_.find(sc->name);
      diffs.push_back({{"kind", "scenario"}, {"location", sc->name}, {"expected", sc->required_state},
                       {"actual", it == scenario_state_.end() ? kStartState : it->second},
                       {"message", "scenario is in another state"}});
    }
    ranked.emplace_back(m.distance, util::Json{{"id", e.interaction.id},
                                               {"fixture", e.fixture},
                                               {"origin", e.interaction.origin},
                                               {"method", e.interaction.request.method},
                                               {"path", e.interaction.request.path},
                                               {"mismatches", diffs}});
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  util::Json out = util::Json::array();
  for (std::size_t i = 0; i < ranked.size() && static_cast<int>(i) < options_.near_miss_count; ++i)
    out.push_back(std::move(ranked[i].second));
  return out;
}

Reply MockEngine::handle_admin(const util::HttpRequest& request) {
  std::string what = request.path.substr(kAdminPrefix.size());
  Reply reply;
  if (request.method == "GET" && what == "health") {
    std::lock_guard lock(mu_);
    auto up = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started_);
    reply.response = json_response(200, {{"status", "ok"},
                                         {"interactions", entries_.size()},
                                         {"fixtures", fixtures_},
                                         {"requests", journal_.total()},
                                         {"uptimeMs", up.count()}});
  } else if (request.method == "GET" && (what == "requests" || what == "unmatched")) {
    util::Json list = util::Json::array();
    for (const auto& e : what == "requests" ? journal_.snapshot() : journal_.unmatched()) list.push_back(to_json(e));
    reply.response = json_response(200, {{"total", journal_.total()}, {"requests", list}});
  } else if (request.method == "GET" && what == "verify") {
    util::Json unexpected = util::Json::array();
    for (const auto& e : journal_.unmatched()) unexpected.push_back(to_json(e));
    auto missing = required_not_called();
    bool ok = missing.empty() && unexpected.empty();
    reply.response = json_response(200, {{"ok", ok}, {"requiredNotCalled", missing}, {"unexpected", unexpected}});
  } else if (request.method == "POST" && what == "reset") {
    reset();
    reply.response = json_response(200, {{"status", "reset"}});
  } else {
    reply.response = json_response(404, {{"message", "unknown admin endpoint " + request.method + " " + request.path},
                                         {"code", "mock.admin.unknown"},
                                         {"status", 404},
                                         {"endpoints", {"GET health", "GET requests", "GET unmatched", "GET verify",
                                                        "POST reset"}}});
  }
  return reply;
}

std::vector<std::string> MockEngine::required_not_called() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const auto& e : entries_)
    if (e.interaction.required && e.calls == 0) out.push_back(e.fixture + "/" + e.interaction.id);
  return out;
}

void MockEngine::reset() {
  {
    std::lock_guard lock(mu_);
    scenario_state_.clear();
    for (auto& e : entries_) e.calls = 0;
  }
  journal_.clear();
}

}  // namespace mockserver
