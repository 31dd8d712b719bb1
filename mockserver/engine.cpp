// MockEngine: selection, scenario transitions and near-miss answers (the admin API: engine_admin.cpp).
#include "mockserver/engine.hpp"

#include <algorithm>
#include <iterator>
#include <limits>
#include <random>

#include "mockserver/fixture_lint.hpp"
#include "mockserver/fixture_loader.hpp"
#include "mockserver/generators.hpp"
#include "mockserver/matcher.hpp"
#include "mockserver/pact_file.hpp"
#include "mockserver/payload_form.hpp"
#include "util/strings.hpp"

namespace mockserver {

namespace {

constexpr const char* kStartState = "Started";

std::string query_text(const std::map<std::string, std::string>& q) {
  std::string out;
  for (const auto& [k, v] : q) {
    if (!out.empty()) out += '&';
    out.append(k).append("=").append(v);
  }
  return out;
}

}  // namespace

util::HttpResponse json_response(int status, const util::Json& body) {
  util::HttpResponse r;
  r.status = status;
  r.headers.add("Content-Type", "application/json");
  r.body = util::dump_pretty(body);
  return r;
}

util::HttpResponse error_response(int status, const std::string& message, const std::string& code,
                                  const util::Json& extra) {
  util::Json body = {{"message", message}, {"code", code}, {"status", status}};
  body.update(extra);
  return json_response(status, body);
}

MockEngine::MockEngine(EngineOptions options)
    : options_(std::move(options)),
      provider_states_(options_.provider_states),
      journal_(options_.journal_limit, options_.journal_max_bytes),
      started_(std::chrono::steady_clock::now()) {}

std::shared_ptr<const std::vector<contracts::Contract>> MockEngine::contracts_of_profile(const std::string& profile) {
  std::lock_guard lock(profile_contracts_mu_);
  auto [it, fresh] = profile_contracts_.emplace(profile, nullptr);
  if (fresh) {
    auto name = contracts::profile_contract_name(profile);
    auto contract = name ? contracts::load_contract(*name) : util::Result<contracts::Contract>(name.error());
    if (contract) {
      auto list = std::make_shared<std::vector<contracts::Contract>>();
      list->push_back(std::move(*contract));
      it->second = std::move(list);
    }
  }
  return it->second;
}

std::shared_ptr<const std::vector<std::string>> MockEngine::query_keys_of_profile(const std::string& profile) {
  auto contracts = contracts_of_profile(profile);  // the names are its contract's parameters
  std::lock_guard lock(profile_contracts_mu_);
  auto [it, fresh] = profile_query_keys_.emplace(profile, nullptr);
  if (!fresh) return it->second;
  auto doc = contracts::profile_document(profile);
  if (!doc || !doc->contains("transfer") || !(*doc)["transfer"].contains("queryFromPayload")) return nullptr;
  if (!contracts || contracts->empty()) return nullptr;
  const util::Json& schema = contracts->front().schema.document();
  if (!schema.contains("properties") || !schema["properties"].is_object()) return nullptr;
  auto keys = std::make_shared<std::vector<std::string>>();
  for (const auto& [k, _] : schema["properties"].items()) keys->push_back(k);
  it->second = std::move(keys);
  return it->second;
}

std::vector<MockEngine::Entry> MockEngine::make_entries(std::vector<Interaction>&& interactions,
                                                        const std::string& fixture, const std::string& profile) {
  std::vector<Entry> added;  // built outside the lock: serving goes on meanwhile
  added.reserve(interactions.size());
  bool validates_any =
      std::any_of(interactions.begin(), interactions.end(), [](const auto& i) { return i.validate_payload; });
  std::shared_ptr<const std::vector<contracts::Contract>> profile_contracts;
  std::shared_ptr<const std::vector<std::string>> query_keys;
  if (validates_any && !options_.payload_contracts) profile_contracts = contracts_of_profile(profile);
  if (validates_any) query_keys = query_keys_of_profile(profile);
  for (auto& i : interactions) {
    int rank = selection_rank(i);
    bool validates = i.validate_payload;
    added.push_back(Entry{std::move(i), fixture, 0, rank, validates ? profile_contracts : nullptr,
                          validates ? query_keys : nullptr});
  }
  return added;
}

void MockEngine::add_fixture(Fixture&& fixture) {
  std::vector<Entry> added = make_entries(std::move(fixture.interactions), fixture.name, fixture.profile);
  std::lock_guard lock(mu_);
  fixture_profiles_[fixture.name] = fixture.profile;
  if (serves(fixture.name)) {
    std::erase_if(entries_, [&](const Entry& e) { return e.fixture == fixture.name; });
  } else {
    fixtures_.push_back(fixture.name);
  }
  entries_.reserve(entries_.size() + added.size());
  std::move(added.begin(), added.end(), std::back_inserter(entries_));
  reindex();
}

std::vector<std::string> MockEngine::overlaps_with_loaded(const Fixture& fixture) const {
  std::lock_guard lock(mu_);
  std::vector<LintSource> sources;
  std::map<std::string, std::size_t> index;  // fixture name -> source, in the order the engine tries them
  for (const auto& e : entries_) {
    if (e.fixture == fixture.name) continue;  // replaced by the new one
    auto [it, fresh] = index.emplace(e.fixture, sources.size());
    if (fresh) sources.push_back({"fixture \"" + e.fixture + "\"", {}});
    sources[it->second].interactions.push_back(&e.interaction);
  }
  LintSource added{"fixture \"" + fixture.name + "\"", {}};
  for (const auto& x : fixture.interactions) added.interactions.push_back(&x);
  sources.push_back(std::move(added));
  // Only what concerns the new one: the loaded ones' overlaps among themselves were said before.
  std::vector<std::string> out;
  std::size_t mine = sources.size() - 1;
  for (auto& o : lint_together(sources))
    if (o.shadowed == mine || std::find(o.shadowing.begin(), o.shadowing.end(), mine) != o.shadowing.end())
      out.push_back(std::move(o.message));
  return out;
}

bool MockEngine::remove_fixture(const std::string& name) {
  std::lock_guard lock(mu_);
  if (name.empty()) {
    entries_.clear();
    reindex();
    fixtures_.clear();
    scenario_state_.clear();
    return true;
  }
  auto it = std::find(fixtures_.begin(), fixtures_.end(), name);
  if (it == fixtures_.end()) return false;
  fixtures_.erase(it);
  std::erase_if(entries_, [&](const Entry& e) { return e.fixture == name; });
  reset_scenario(name);  // its states (its entries are gone already)
  reindex();
  return true;
}

std::size_t MockEngine::interaction_count() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

bool MockEngine::has_fixture(const std::string& name) const {
  std::lock_guard lock(mu_);
  return serves(name);
}

std::vector<std::string> MockEngine::fixture_names() const {
  std::lock_guard lock(mu_);
  return fixtures_;
}

namespace {

// Cheap tests before a full match: the method, and the number of path segments of a template.
bool may_match(const RequestPattern& p, const IncomingRequest& in) {
  if (!method_accepts(p.method, in.http.method)) return false;
  return p.path_regex() || p.segments().size() == in.segments.size();
}

util::Json violations_json(const std::vector<contracts::Violation>& vs) {
  util::Json out = util::Json::array();
  for (const auto& v : vs) {
    util::Json j = {{"code", v.code}, {"pointer", v.pointer}, {"message", v.message}, {"contract", v.contract}};
    if (!v.hint.empty()) j["hint"] = v.hint;
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace

void MockEngine::PathIndex::build(const std::vector<Entry>& entries) {
  nodes_.clear();
  roots_.clear();
  edges_.clear();
  by_first_.clear();
  always_.clear();
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const RequestPattern& p = entries[i].interaction.request;
    if (p.path_regex()) {
      // "^/p9/[a-z]+$": every match starts "/p9/", so only paths whose first segment is p9.
      std::string prefix = p.path_regex()->anchored_prefix();
      auto slash = prefix.size() > 1 && prefix[0] == '/' ? prefix.find('/', 1) : std::string::npos;
      if (slash != std::string::npos)
        by_first_[prefix.substr(1, slash - 1)].push_back(i);
      else
        always_.push_back(i);
      continue;
    }
    auto [root, fresh] = roots_.emplace(p.segments().size(), static_cast<int>(nodes_.size()));
    if (fresh) nodes_.emplace_back();
    int node = root->second;
    for (const auto& seg : p.segments()) {
      int next;
      if (seg.is_param()) {
        next = nodes_[node].param;
        if (next < 0) {
          next = static_cast<int>(nodes_.size());
          nodes_[node].param = next;
          nodes_.emplace_back();
        }
      } else {
        std::string key(reinterpret_cast<const char*>(&node), sizeof node);
        key += seg.literal;
        auto [edge, added] = edges_.emplace(std::move(key), static_cast<int>(nodes_.size()));
        if (added) nodes_.emplace_back();
        next = edge->second;
      }
      node = next;
    }
    nodes_[node].entries.push_back(i);
  }
}

int MockEngine::PathIndex::child(int node, std::string_view literal) const {
  thread_local std::string key;
  key.assign(reinterpret_cast<const char*>(&node), sizeof node);
  key.append(literal);
  auto it = edges_.find(key);
  return it == edges_.end() ? -1 : it->second;
}

void MockEngine::PathIndex::walk(int node, const std::vector<std::string_view>& segments, std::size_t depth,
                                 std::vector<std::size_t>& out) const {
  if (depth == segments.size()) {
    out.insert(out.end(), nodes_[node].entries.begin(), nodes_[node].entries.end());
    return;
  }
  if (int next = child(node, segments[depth]); next >= 0) walk(next, segments, depth + 1, out);
  if (int next = nodes_[node].param; next >= 0 && !segments[depth].empty()) walk(next, segments, depth + 1, out);
}

void MockEngine::PathIndex::candidates(const std::vector<std::string_view>& segments,
                                       std::vector<std::size_t>& out) const {
  if (auto root = roots_.find(segments.size()); root != roots_.end()) walk(root->second, segments, 0, out);
  if (segments.size() > 1 && !by_first_.empty())
    if (auto it = by_first_.find(std::string(segments[0])); it != by_first_.end())
      out.insert(out.end(), it->second.begin(), it->second.end());
  out.insert(out.end(), always_.begin(), always_.end());
  std::sort(out.begin(), out.end());  // file order: ties go to the earlier interaction
}

const std::string& MockEngine::state_of(const std::string& fixture, const std::string& machine) const {
  static const std::string start = kStartState;
  auto it = scenario_state_.find(state_key(fixture, machine));
  return it == scenario_state_.end() ? start : it->second;
}

MockEngine::Entry* MockEngine::select(const IncomingRequest& in, const std::string& scope) {
  Entry* best = nullptr;
  int best_score = std::numeric_limits<int>::min();
  thread_local std::vector<std::size_t> candidates;
  candidates.clear();
  index_.candidates(in.segments, candidates);
  for (std::size_t c : candidates) {
    Entry& e = entries_[c];
    const Interaction& x = e.interaction;
    if (!scope.empty() && e.fixture != scope) continue;
    int score = e.rank;  // selection_rank: the same rank check's shadow lint uses
    if (x.scenario && !x.scenario->required_state.empty() &&
        state_of(e.fixture, x.scenario->name) != x.scenario->required_state)
      continue;
    if (!x.provider_states.empty() && !provider_states_.allows(x.provider_states, in.http)) continue;
    if (best && !wins_over(score, best_score, /*a_first=*/false)) continue;  // ties: the earlier one wins
    if (x.times && e.calls >= *x.times) continue;                            // used up
    if (!may_match(x.request, in) || !match_request(x.request, in).matched()) continue;
    best = &e;
    best_score = score;
  }

  return best;
}

namespace {

// The answer an interaction's response gives (a delay range drawn here, per request).
Reply reply_for(const ResponseSpec& spec) {
  Reply reply;
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
  return reply;
}

// A templated answer: the body and the templated header values rendered from this request.
void render_templates(const ResponseTemplates& t, const IncomingRequest& in, std::uint64_t calls, Reply& reply) {
  const Template::Input input{in.http, in.segments, t.path_params, in.json ? &*in.json : nullptr, calls};
  if (t.body) reply.response.body = t.body->render(input);
  if (t.headers.empty()) return;
  util::Headers headers;
  std::size_t i = 0, next = 0;
  for (const auto& [name, value] : reply.response.headers) {
    if (next < t.headers.size() && t.headers[next].first == i)
      headers.add(name, t.headers[next++].second.render(input));
    else
      headers.add(name, value);
    ++i;
  }
  reply.response.headers = std::move(headers);
}

}  // namespace

// What a request no interaction matches is answered: with --spec, a 404 naming the nearest
// operation when no description has one for it, 400 under --spec-strict when it breaks its
// operation, the operation's example with --spec-examples; else the near-miss 404.
util::HttpResponse MockEngine::unmatched_response(const util::HttpRequest& request,
                                                  const std::optional<SpecVerdict>& verdict,
                                                  const util::Json& closest) const {
  if (verdict && !verdict->operation) return spec_unknown_response(request, *verdict);
  if (verdict && options_.spec.strict && !verdict->violations.empty()) return spec_invalid_response(*verdict);
  if (verdict && options_.spec.examples)
    if (auto example = spec_example_response(*verdict)) return std::move(*example);
  auto response = error_response(404, "No interaction matched " + request.method + " " + request.path, "mock.unmatched",
                                 {{"closest", closest}});
  response.headers.add("X-Mock-Miss", "true");
  return response;
}

std::string MockEngine::scope_of(const util::HttpRequest& request, std::optional<std::string>& stripped_path) const {
  std::string_view path = request.path;
  if (path.starts_with(kScenarioPrefix)) {
    // /__scenario/NAME/rest is /rest answered from NAME: a bot's base URL can point at one.
    std::string_view rest = path.substr(kScenarioPrefix.size());
    auto slash = rest.find('/');
    stripped_path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
    return util::url_decode(rest.substr(0, slash));
  }
  if (const auto* named = request.headers.find(kScenarioHeader)) return *named;
  return options_.default_scenario;
}

Reply MockEngine::handle(const util::HttpRequest& request) {
  if (std::string_view(request.path).starts_with(kAdminPrefix)) return handle_admin(request);
  std::optional<std::string> stripped;
  std::string scope = scope_of(request, stripped);
  if (!stripped) return handle_in(request, scope);
  util::HttpRequest scoped = request;
  scoped.path = std::move(*stripped);
  return handle_in(scoped, scope);
}

Reply MockEngine::forward(const util::HttpRequest& request) {
  const auto began = std::chrono::steady_clock::now();
  std::optional<std::string> stripped;
  std::string scope = scope_of(request, stripped);
  util::HttpRequest out = request;
  if (stripped) out.path = std::move(*stripped);
  out.headers.erase(kScenarioHeader);  // the mock's own, not the tenant's
  JournalEntry entry{.method = out.method, .path = out.path, .query = query_text(out.query), .scenario = scope};
  capture_request(entry, out);
  Reply reply;
  if (!options_.upstream) {
    reply.response = error_response(502, "no upstream is set", "mock.proxy.none");
  } else {
    reply.response = options_.upstream->forward(out);
    entry.proxied = options_.upstream->base_url();
  }
  entry.status = reply.response.status;
  entry.latency_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - began).count();
  journal_.record(std::move(entry));
  return reply;
}

namespace {

util::HttpResponse unknown_scenario_response(const std::string& scope, util::Json served) {
  auto response = error_response(404,
                                 "no scenario named \"" + scope + "\" is served (the " + std::string(kScenarioHeader) +
                                     " header or the " + std::string(kScenarioPrefix) + "NAME/ path prefix names one)",
                                 "mock.scenario.unknown", {{"scenarios", std::move(served)}});
  response.headers.add("X-Mock-Miss", "true");
  return response;
}

}  // namespace

void MockEngine::answer_unmatched(const util::HttpRequest& request, const std::string& scope,
                                  const std::optional<SpecVerdict>& verdict, util::Json closest, Reply& reply,
                                  JournalEntry& entry) const {
  reply.response = unmatched_response(request, verdict, closest);
  if (!scope.empty() && reply.response.status == 404 && reply.response.headers.find("X-Mock-Miss")) {
    util::Json body = util::parse_json_lenient(reply.response.body);
    body["scenario"] = scope;
    body["message"] = body.value("message", "") + " in scenario \"" + scope + "\"";
    reply.response.body = util::dump_pretty(body);
  }
  entry.status = reply.response.status;
  if (reply.response.headers.find("X-Mock-Spec-Example")) {
    entry.interaction_id = "spec-example";  // answered, not unexpected: the description's example
    entry.fixture = verdict->spec->source();
  } else if (entry.status == 404) {
    entry.closest = std::move(closest);
  }
}

void MockEngine::check_payload(const util::HttpRequest& request,
                               const std::vector<contracts::Contract>& payload_contracts,
                               const std::vector<std::string>* query_keys, int reject_status, Reply& reply,
                               JournalEntry& entry) const {
  std::optional<GatheredPayload> gathered;
  if (query_keys) gathered = gather_parameters(request, *query_keys);
  if (gathered) entry.payload_form = std::move(gathered->form);
  auto violations = contracts::check_payload_text(payload_contracts, gathered ? gathered->text : request.body);
  entry.violations = violations_json(violations);
  if (reject_status && !violations.empty()) {
    // Strict mode: the answer a validating server gives, with every violation.
    reply.response = error_response(
        reject_status, "request body failed validation: " + std::to_string(violations.size()) + " violation(s)",
        "mock.payload.invalid", {{"violations", entry.violations}});
    reply.fault = Fault::none;
  }
}

Reply MockEngine::handle_in(const util::HttpRequest& request, const std::string& scope) {
  const auto began = std::chrono::steady_clock::now();
  IncomingRequest in(request);
  std::optional<SpecVerdict> verdict;
  if (options_.spec.specs) verdict = judge_request(*options_.spec.specs, in);
  std::unique_lock lock(mu_);
  JournalEntry entry{
      .method = request.method, .path = request.path, .query = query_text(request.query), .scenario = scope};
  capture_request(entry, request);
  Reply reply;
  auto record = [&] {
    entry.latency_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - began).count() + reply.delay_ms;
    journal_.record(std::move(entry));
  };
  if (!scope.empty() && !serves(scope)) {
    util::Json served = fixtures_;
    lock.unlock();
    reply.response = unknown_scenario_response(scope, std::move(served));
    entry.status = 404;
    entry.closest = util::Json::array();
    record();
    return reply;
  }
  Entry* best = select(in, scope);
  if (verdict) entry.spec = verdict->to_json();
  if (!best && options_.upstream) {
    reply.to_upstream = true;  // journaled by forward(), with the upstream's answer
    return reply;
  }
  if (!best) {
    util::Json closest = near_misses(in, scope);
    lock.unlock();
    answer_unmatched(request, scope, verdict, std::move(closest), reply, entry);
    record();
    return reply;
  }
  ++best->calls;
  const auto& sc = best->interaction.scenario;
  if (sc && !sc->new_state.empty()) scenario_state_[state_key(best->fixture, sc->name)] = sc->new_state;
  reply = reply_for(best->interaction.response);
  if (const auto& templates = best->interaction.response.templates)
    render_templates(*templates, in, best->calls, reply);
  if (const auto& generators = best->interaction.response.generators)
    apply_generators(*generators, reply.response, request, options_.scheme);
  reply.interaction_id = best->interaction.id;
  entry.interaction_id = best->interaction.id;
  entry.fixture = best->fixture;
  auto payload_contracts = options_.payload_contracts ? options_.payload_contracts : best->profile_contracts;
  bool validate = best->interaction.validate_payload && payload_contracts;
  int reject_status = best->interaction.reject_status;
  auto query_keys = best->query_keys;
  lock.unlock();

  if (validate) check_payload(request, *payload_contracts, query_keys.get(), reject_status, reply, entry);
  if (options_.spec.strict && verdict && verdict->operation && !verdict->violations.empty()) {
    reply.response = spec_invalid_response(*verdict);
    reply.fault = Fault::none;
  }
  if (reply.fault == Fault::malformed_body) {
    // Cut the body mid-way: what a proxy that dropped the connection leaves behind.
    reply.response.body = reply.response.body.substr(0, reply.response.body.size() / 2);
    if (reply.response.body.empty()) reply.response.body = "{\"";
  } else if (reply.fault == Fault::timeout) {
    reply.hold_ms = options_.timeout_hold_ms;
  }
  entry.status = reply.response.status;
  record();
  return reply;
}

util::Json MockEngine::near_misses(const IncomingRequest& in, const std::string& scope) const {
  // Rank every interaction by distance, then describe only the closest few: a miss against a
  // large fixture set builds three JSON answers, not one per interaction.
  // Branch and bound: every interaction gets a cheap lower bound (path and method, no
  // allocation); full matches are evaluated in bound order only while a bound can still beat the
  // K-th best distance found. The result is the full ranking's first K (distance, then file order),
  // at a cost near one bound per interaction (an unmatched request against 50,000 interactions
  // took 20-30 ms of full matches).
  std::size_t k = static_cast<std::size_t>(std::max(0, options_.near_miss_count));
  std::vector<std::pair<double, std::size_t>> bounds;
  bounds.reserve(entries_.size());
  for (std::size_t i = 0; i < entries_.size(); ++i)
    if (scope.empty() || entries_[i].fixture == scope)
      bounds.emplace_back(distance_lower_bound(entries_[i].interaction.request, in), i);
  std::sort(bounds.begin(), bounds.end());             // by bound, then file order
  std::vector<std::pair<double, std::size_t>> ranked;  // the best k so far, by (distance, index)
  for (const auto& [bound, i] : bounds) {
    if (ranked.size() >= k) {
      // Past the K-th best: a bound above its distance cannot enter, nor can one equal to it
      // from later in the file (ties go to file order, and the bounds come in file order).
      if (k == 0) break;
      const auto& [kth, kth_index] = ranked.back();
      if (bound > kth + 1e-6 || (bound > kth - 1e-6 && i > kth_index)) break;
    }
    ranked.emplace_back(match_request(entries_[i].interaction.request, in).distance, i);
    std::sort(ranked.begin(), ranked.end());
    if (ranked.size() > k) ranked.pop_back();
  }
  util::Json out = util::Json::array();
  for (std::size_t r = 0; r < ranked.size() && static_cast<int>(r) < options_.near_miss_count; ++r) {
    const Entry& e = entries_[ranked[r].second];
    auto m = match_request(e.interaction.request, in);
    util::Json diffs = util::Json::array();
    for (const auto& mm : m.mismatches)
      diffs.push_back({{"kind", kind_name(mm.kind)},
                       {"location", mm.location},
                       {"expected", mm.expected},
                       {"actual", mm.actual},
                       {"message", mm.message}});
    const auto& sc = e.interaction.scenario;
    if (m.matched() && sc) {
      diffs.push_back({{"kind", "scenario"},
                       {"location", sc->name},
                       {"expected", sc->required_state},
                       {"actual", state_of(e.fixture, sc->name)},
                       {"message", "scenario is in another state"}});
    }
    if (m.matched() && !e.interaction.provider_states.empty() &&
        !provider_states_.allows(e.interaction.provider_states, in.http))
      diffs.push_back(provider_state_mismatch(e.interaction.provider_states, provider_states_.active(), in.http));
    out.push_back({{"id", e.interaction.id},
                   {"fixture", e.fixture},
                   {"origin", e.interaction.origin},
                   {"method", e.interaction.request.method},
                   {"path", e.interaction.request.path()},
                   {"mismatches", diffs}});
  }
  return out;
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
  provider_states_.reset();
  journal_.clear();
}

}  // namespace mockserver
