// Scenario replay against an embedded mock.
#include "client/replay.hpp"

#include <fnmatch.h>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "client/clock.hpp"
#include "client/report.hpp"
#include "mockserver/engine.hpp"
#include "mockserver/fixture_loader.hpp"
#include "mockserver/server.hpp"
#include "util/redact.hpp"
#include "util/strings.hpp"

namespace client {

namespace {

std::string label(const std::string& code, const std::optional<std::string>& step) {
  if (!step || step->empty()) return code;
  return code + " @ " + *step;
}

util::Result<std::vector<contracts::Contract>> contracts_for(const mockserver::Fixture& f, const Profile& profile) {
  std::vector<std::string> names = util::string_list(f.inputs.value("contract", util::Json()));
  if (names.empty()) names.push_back(profile.contract);
  // Contract files named in a fixture are relative to the fixture's folder.
  for (auto& n : names)
    if (n.find('/') != std::string::npos || n.ends_with(".json")) n = (f.file.parent_path() / n).string();
  return contracts::load_contracts(names);
}

}  // namespace

namespace {

// The diagnose configuration a scenario's inputs give, against the embedded mock at base_url.
Config config_of(const mockserver::Fixture& f, const std::string& base_url) {
  Config cfg;
  const auto& in = f.inputs;
  cfg.client_id = in.value("clientId", "replay-client");
  cfg.client_secret = in.value("clientSecret", "replay-client-secret");
  cfg.access_key_id = in.value("accessKeyId", "replay-access-key");
  cfg.access_key_secret = in.value("accessKeySecret", "replay-access-key-secret");
  cfg.base_url = base_url;
  cfg.conversation_id = in.value("conversationId", "");
  cfg.queue_id = in.value("queueId", "");
  cfg.wrapup_id = in.value("wrapupCodeId", "");
  cfg.participant_id = in.value("participantId", "");
  cfg.execute = in.value("execute", false);
  if (in.contains("payload")) {
    cfg.payload_text = util::dump_line(in["payload"]);
    cfg.payload_source = "inputs.payload";
  } else if (in.contains("payloadText")) {
    cfg.payload_text = in["payloadText"].get<std::string>();
    cfg.payload_source = "inputs.payloadFile";
  }

  return cfg;
}

// What the mock saw of a run: requests no interaction answered, required ones never called.
struct MockSaw {
  std::vector<std::string> unmatched;  // "METHOD /path[?query]"
  std::vector<std::string> required_not_called;
};

MockSaw saw_in(const mockserver::MockEngine& engine) {
  MockSaw saw;
  for (const auto& e : engine.journal().unmatched())
    saw.unmatched.push_back(e.method + " " + e.path + (e.query.empty() ? "" : "?" + e.query));
  saw.required_not_called = engine.required_not_called();
  return saw;
}

// What differs between the run and the scenario's expect, and what the mock saw that the
// scenario does not answer (a broken reproduction, whatever was classified).
void compare(const mockserver::Fixture& f, const MockSaw& saw, ScenarioOutcome& out) {
  if (!f.expect) {
    out.differences.push_back("the fixture has no \"expect\" block: nothing to compare");
  } else {
    if (f.expect->classification != out.report.classification)
      out.differences.push_back("classification: expected " + f.expect->classification + ", got " +
                                out.report.classification);
    if (f.expect->failed_step && *f.expect->failed_step != out.report.failed_step)
      out.differences.push_back("failedStep: expected " +
                                (f.expect->failed_step->empty() ? "none" : *f.expect->failed_step) + ", got " +
                                (out.report.failed_step.empty() ? "none" : out.report.failed_step));
    for (const auto& code : f.expect->violations) {
      bool found = std::any_of(out.report.violations.begin(), out.report.violations.end(),
                               [&](const auto& v) { return v.code == code; });
      if (!found) out.differences.push_back("violations: expected " + code + ", not reported");
    }
  }
  // A request the fixture does not answer is a broken reproduction, whatever was classified.
  for (const auto& u : saw.unmatched) out.differences.push_back("unmatched request: " + u);
  for (const auto& id : saw.required_not_called) out.differences.push_back("required interaction never called: " + id);
}

// One admin call to the running mock; the JSON answer, or why there is none.
util::Result<util::Json> mock_admin(Transport& transport, const ReplayOptions& options, const std::string& method,
                                    const std::string& what) {
  OutgoingRequest request{method, options.mock_url + "/__admin/" + what, {}, ""};
  if (!options.admin_token.empty()) request.headers.add("Authorization", "Bearer " + options.admin_token);
  auto result = transport.send(request);
  if (result.error) return util::Error{options.mock_url + ": " + result.error->message};
  util::Json body = util::parse_json_lenient(result.response->body);
  if (result.response->status != 200) {
    std::string said = body.is_object() && body.contains("message") && body["message"].is_string()
                           ? body["message"].get<std::string>()
                           : "no admin answer";
    return util::Error{method + " " + options.mock_url + "/__admin/" + what + ": " +
                       std::to_string(result.response->status) + " " + said};
  }
  return body;
}

// The scenario's run against the running mock: reset first, then diagnose through its
// /__scenario/NAME/ prefix, then what the mock saw of it.
void run_on_mock(const mockserver::Fixture& f, DiagnoseContext& ctx, Transport& transport, const ReplayOptions& options,
                 ScenarioOutcome& out) {
  const std::string name = util::url_encode(f.name);
  if (auto reset = mock_admin(transport, options, "POST", "scenarios/" + name + "/reset"); !reset) {
    out.input_error = "replay --mock: " + reset.error().message;
    return;
  }
  out.report = run_diagnose(config_of(f, options.mock_url + "/__scenario/" + name), ctx);
  auto seen = mock_admin(transport, options, "GET", "scenarios/" + name);
  if (!seen) {
    out.input_error = "replay --mock: " + seen.error().message;
    return;
  }
  MockSaw saw;
  for (const auto& u : (*seen)["unmatched"]) {
    std::string line = u.value("method", "") + " " + u.value("path", "");
    if (u.contains("query")) line += "?" + u.value("query", "");
    saw.unmatched.push_back(line);
  }
  for (const auto& id : (*seen)["requiredNotCalled"])
    saw.required_not_called.push_back(f.name + "/" + id.get<std::string>());
  compare(f, saw, out);
}

// The outcome's label, verdict and time; the raw exchanges dropped (bodies both ways are not part
// of any replay report, and a run of thousands of scenarios kept them all until the end).
ScenarioOutcome finish(const mockserver::Fixture& f, ScenarioOutcome& out,
                       std::chrono::steady_clock::time_point started) {
  out.actual =
      label(out.report.classification,
            f.expect && f.expect->failed_step ? std::optional<std::string>(out.report.failed_step) : std::nullopt);
  out.passed = out.input_error.empty() && out.differences.empty();
  out.duration_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  std::vector<Exchange>().swap(out.report.exchanges);
  return std::move(out);
}

}  // namespace

ScenarioOutcome replay_fixture(const mockserver::Fixture& f, const contracts::Catalogue& catalogue,
                               const ReplayOptions& options) {
  auto started = std::chrono::steady_clock::now();
  ScenarioOutcome out;
  out.name = f.name;
  out.file = f.file.string();
  if (f.expect) out.expected = label(f.expect->classification, f.expect->failed_step);

  auto profile = load_profile(f.profile);
  if (!profile) {
    out.input_error = f.file.string() + ": " + profile.error().message;
    return out;
  }
  auto contract_set = contracts_for(f, *profile);
  if (!contract_set) {
    out.input_error = f.file.string() + ": " + contract_set.error().message;
    return out;
  }

  TransportOptions topts;
  topts.timeout_ms = options.timeout_ms;
  topts.connect_timeout_ms = std::min<long>(options.timeout_ms, 2000);
  VirtualClock clock;  // Retry-After waits cost nothing in replay
  if (!options.mock_url.empty()) {
    auto transport = make_transport(topts);
    DiagnoseContext ctx{*transport, clock, catalogue, *profile, *contract_set};
    run_on_mock(f, ctx, *transport, options, out);
    return finish(f, out, started);
  }

  auto engine = std::make_shared<mockserver::MockEngine>();
  engine->add_fixture(f);
  mockserver::ServerOptions server_options;  // loopback, an OS-chosen port
  server_options.threads = 1;                // one event loop is plenty for one client
  mockserver::MockServer server(engine, server_options);
  auto port = server.start();
  if (!port) {
    out.input_error = "cannot start the embedded mock: " + port.error().message;
    return out;
  }

  Config cfg = config_of(f, server.base_url());
  auto transport = make_transport(topts);
  DiagnoseContext ctx{*transport, clock, catalogue, *profile, *contract_set};
  out.report = run_diagnose(cfg, ctx);
  // Close the client's keep-alive connection first: the server's worker then sees EOF at once
  // instead of waiting out its keep-alive timeout.
  transport.reset();
  server.stop();
  compare(f, saw_in(*engine), out);
  return finish(f, out, started);
}

std::vector<const mockserver::Fixture*> select_scenarios(const std::vector<mockserver::Fixture>& fixtures,
                                                         const ReplaySelection& sel) {
  std::vector<const mockserver::Fixture*> picked;
  for (const auto& f : fixtures) {
    if (!sel.tags.empty() && std::none_of(sel.tags.begin(), sel.tags.end(), [&](const std::string& t) {
          return std::find(f.tags.begin(), f.tags.end(), t) != f.tags.end();
        }))
      continue;
    if (!sel.names.empty() && std::none_of(sel.names.begin(), sel.names.end(), [&](const std::string& g) {
          return ::fnmatch(g.c_str(), f.name.c_str(), 0) == 0 ||
                 ::fnmatch(g.c_str(), f.file.filename().c_str(), 0) == 0;
        }))
      continue;
    picked.push_back(&f);
  }
  std::vector<const mockserver::Fixture*> shard;
  for (std::size_t i = 0; i < picked.size(); ++i)
    if (static_cast<int>(i % static_cast<std::size_t>(sel.shard_count)) == sel.shard_index - 1)
      shard.push_back(picked[i]);
  return shard;
}

util::Result<std::pair<int, int>> parse_shard(const std::string& text) {
  auto slash = text.find('/');
  auto number = [](const std::string& s) -> int {
    if (s.empty() || s.size() > 6 || !std::all_of(s.begin(), s.end(), ::isdigit)) return 0;
    return std::stoi(s);
  };
  int i = slash == std::string::npos ? 0 : number(text.substr(0, slash));
  int n = slash == std::string::npos ? 0 : number(text.substr(slash + 1));
  if (i < 1 || n < 1 || i > n)
    return util::make_error("--shard \"" + text + "\": expected i/N with 1 <= i <= N, e.g. 2/4");
  return std::pair{i, n};
}

namespace {

// Runs worker on min(jobs, count) threads, this one included, and waits for them.
void on_threads(unsigned jobs, std::size_t count, const std::function<void()>& worker) {
  unsigned n = std::max(1u, std::min<unsigned>(jobs, static_cast<unsigned>(count)));
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < n; ++t) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
}

}  // namespace

ScenarioList list_scenarios(const std::vector<std::filesystem::path>& files, unsigned jobs) {
  std::vector<std::optional<mockserver::Fixture>> metas(files.size());
  std::vector<std::string> errors(files.size());
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i; (i = next++) < files.size();) {
      auto fx = mockserver::load_fixture(files[i]);
      if (!fx) {
        errors[i] = fx.error().message;
        continue;
      }
      mockserver::Fixture meta;
      meta.file = fx->file;
      meta.name = fx->name;
      meta.tags = fx->tags;
      meta.expect = fx->expect;
      metas[i] = std::move(meta);
    }
  };
  on_threads(jobs, files.size(), worker);
  ScenarioList list;
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (metas[i]) {
      list.scenarios.push_back(std::move(*metas[i]));
      continue;
    }
    ScenarioOutcome o;
    o.file = files[i].string();
    o.name = files[i].stem().string();
    o.input_error = errors[i];
    list.unloadable.emplace_back(i, std::move(o));
  }
  return list;
}

void replay_stream(const std::vector<const mockserver::Fixture*>& scenarios, const contracts::Catalogue& catalogue,
                   const ReplayOptions& options, unsigned jobs,
                   const std::function<void(std::size_t, ScenarioOutcome&&)>& done,
                   const std::function<void(std::size_t, std::size_t, std::size_t)>& progress, std::size_t window) {
  std::mutex mu;
  std::condition_variable room;
  std::map<std::size_t, ScenarioOutcome> waiting;  // finished, not yet handed on (an earlier one runs)
  std::size_t next_to_take = 0, next_to_hand = 0, finished = 0, failed = 0;
  auto worker = [&] {
    while (true) {
      std::size_t i;
      {
        std::unique_lock lock(mu);
        // Bounded: no new scenario while `window` outcomes wait for an earlier one.
        room.wait(lock, [&] { return next_to_take >= scenarios.size() || next_to_take < next_to_hand + window; });
        if (next_to_take >= scenarios.size()) return;
        i = next_to_take++;
      }
      ScenarioOutcome outcome;
      const mockserver::Fixture& meta = *scenarios[i];
      auto fixture = mockserver::load_fixture(meta.file);
      if (fixture) {
        outcome = replay_fixture(*fixture, catalogue, options);
      } else {
        outcome.name = meta.name;
        outcome.file = meta.file.string();
        outcome.input_error = fixture.error().message;
      }
      std::lock_guard lock(mu);
      ++finished;
      failed += outcome.passed ? 0 : 1;
      if (progress) progress(finished, scenarios.size(), failed);
      waiting.emplace(i, std::move(outcome));
      while (!waiting.empty() && waiting.begin()->first == next_to_hand) {
        done(next_to_hand, std::move(waiting.begin()->second));
        waiting.erase(waiting.begin());
        ++next_to_hand;
      }
      room.notify_all();
    }
  };
  on_threads(jobs, scenarios.size(), worker);
}

void replay_in_file_order(const std::vector<std::filesystem::path>& files,
                          const std::vector<const mockserver::Fixture*>& picked,
                          std::vector<std::pair<std::size_t, ScenarioOutcome>> unloadable,
                          const contracts::Catalogue& catalogue, const ReplayOptions& options, unsigned jobs,
                          const std::function<void(ScenarioOutcome&&)>& consume,
                          const std::function<void(std::size_t, std::size_t, std::size_t)>& progress) {
  std::map<std::string, std::size_t> order;  // file -> index
  for (std::size_t i = 0; i < files.size(); ++i) order.emplace(files[i].string(), i);
  std::size_t next_unloadable = 0;
  auto before = [&](std::size_t file_index) {  // the unloadable files ahead of file_index
    while (next_unloadable < unloadable.size() && unloadable[next_unloadable].first < file_index)
      consume(std::move(unloadable[next_unloadable++].second));
  };
  replay_stream(
      picked, catalogue, options, jobs,
      [&](std::size_t, ScenarioOutcome&& o) {
        auto it = order.find(o.file);
        before(it == order.end() ? files.size() : it->second);
        consume(std::move(o));
      },
      progress);
  before(files.size() + 1);
}

ReplayColumns replay_columns(const std::vector<const mockserver::Fixture*>& picked,
                             const std::vector<std::pair<std::size_t, ScenarioOutcome>>& unloadable) {
  ReplayColumns c;
  for (const auto* f : picked) {
    c.name = std::max(c.name, f->name.size());
    if (!f->expect) continue;
    const auto& e = *f->expect;
    std::size_t label =
        e.classification.size() + (e.failed_step && !e.failed_step->empty() ? 3 + e.failed_step->size() : 0);
    c.expected = std::max(c.expected, label);
  }
  for (const auto& [_, o] : unloadable) c.name = std::max(c.name, o.name.size());
  return c;
}

}  // namespace client
