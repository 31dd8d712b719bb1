// The recorder keeps its file up to date after every exchange by appending the new interaction
// (one write) and rebuilds the whole scenario only when earlier text changes. Whatever path it
// takes, the file after each exchange must be exactly the scenario built from scratch from the
// exchanges so far, and the rebuilds must stay rare. The upstream is scripted (no network).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <random>

#include "recorder/recorder.hpp"
#include "util/file.hpp"
#include "util/json_text.hpp"

namespace fs = std::filesystem;

namespace {

class ScriptedUpstream : public client::Transport {
 public:
  client::TransportResult send(const client::OutgoingRequest& r) override {
    util::HttpResponse resp;
    resp.status = 200;
    resp.headers.add("Content-Type", "application/json");
    if (r.url.find("/oauth/token") != std::string::npos) {
      resp.body = R"({"access_token":"tok-)" + std::to_string(++tokens) + R"(-secret-value","expires_in":3600})";
    } else if (r.url.find("/transfer") != std::string::npos) {
      resp.status = 202;
      resp.body = R"({"id":"op-1"})";
    } else if (r.url.find("/routing/queues/") != std::string::npos) {
      resp.body = R"({"id":"q-1","name":"Billing","state":"active"})";
    } else {
      resp.body = R"({"id":"conv-1","state":"active","customer":"Jane Roe","poll":)" + std::to_string(++polls) + "}";
    }
    return {resp, std::nullopt};
  }
  int tokens = 0, polls = 0;
};

util::HttpRequest request(std::string method, std::string path, std::string body = "", bool form = false) {
  util::HttpRequest r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.body = std::move(body);
  if (form)
    r.headers.add("Content-Type", "application/x-www-form-urlencoded");
  else if (!r.body.empty())
    r.headers.add("Content-Type", "application/json");
  r.headers.add("Authorization", "Bearer tok-1-secret-value");
  return r;
}

}  // namespace

TEST(Recorder, TheFileAfterEachExchangeIsTheScenarioBuiltFromScratchAndRebuildsAreRare) {
  fs::path dir = fs::temp_directory_path() / ("recorder-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  recorder::RecordOptions options;
  options.target = "http://upstream.invalid";
  options.out = dir / "rec.json";
  options.mode = recorder::Mode::all;
  options.redact_pointers = {"/customer"};
  auto upstream = std::make_unique<ScriptedUpstream>();
  auto rec = util::value_or_throw(recorder::Recorder::create(options, std::move(upstream)));
  auto profile = util::value_or_throw(client::load_profile("v2"));

  // A session: a token, polling the conversation (the same request again and again), the queue,
  // a token refresh (a new secret), more polling, the transfer (new inputs), more polling.
  std::vector<util::HttpRequest> script;
  script.push_back(
      request("POST", "/oauth/token", "grant_type=client_credentials&client_id=c-7&client_secret=s3cr3t-client", true));
  for (int i = 0; i < 40; ++i) script.push_back(request("GET", "/api/v2/conversations/conv-1"));
  script.push_back(request("GET", "/api/v2/routing/queues/q-1"));
  script.push_back(
      request("POST", "/oauth/token", "grant_type=client_credentials&client_id=c-7&client_secret=s3cr3t-client", true));
  for (int i = 0; i < 40; ++i) script.push_back(request("GET", "/api/v2/conversations/conv-1"));
  script.push_back(request("POST", "/api/v2/conversations/voice/conv-1/transfer",
                           R"({"transferTo":{"type":"queue","id":"q-1"},"contextData":{"intent":"billing"}})"));
  for (int i = 0; i < 20; ++i) script.push_back(request("GET", "/api/v2/routing/queues/q-1"));

  std::vector<recorder::RecordedExchange> so_far;
  ScriptedUpstream replica;  // answers as the recorder's upstream did, for the exchanges list
  for (const auto& r : script) {
    auto reply = rec->handle(r);
    client::OutgoingRequest out{r.method, "http://upstream.invalid" + r.path, r.headers, r.body};
    so_far.push_back({r, *replica.send(out).response});
    ASSERT_EQ(reply.response.body, so_far.back().response.body);
    std::string want = recorder::scenario_text(
        recorder::scenario_from_exchanges(so_far, options, profile, util::Json::array(), util::Json::object()));
    ASSERT_EQ(*util::read_file(options.out), want) << "after exchange " << so_far.size();
  }
  auto [full, appends] = rec->writes();
  EXPECT_EQ(full + appends, script.size());
  std::printf("whole rewrites %zu, appends %zu\n", full, appends);
  EXPECT_LE(full, 6u) << "rebuilds only when earlier text changes (first exchange, new token, new inputs...)";
  auto text = *util::read_file(options.out);
  EXPECT_EQ(text.find("tok-1-secret-value"), std::string::npos);
  EXPECT_EQ(text.find("s3cr3t-client"), std::string::npos);
  EXPECT_EQ(text.find("Jane Roe"), std::string::npos);
  fs::remove_all(dir);
}

// serve --proxy-unmatched's upstream: the request sent on without hop-by-hop headers, the answer
// back without them, one transport per exchange in flight and idle ones reused; a failed exchange
// is a 502 that says how.
#include "recorder/proxy.hpp"

namespace {

class CountingTransport : public client::Transport {
 public:
  explicit CountingTransport(std::vector<client::OutgoingRequest>& log, bool fail) : log_(log), fail_(fail) {}
  client::TransportResult send(const client::OutgoingRequest& r) override {
    log_.push_back(r);
    if (fail_) return {std::nullopt, client::NetworkError{client::NetworkErrorKind::timeout, "no answer in 5 ms"}};
    util::HttpResponse resp;
    resp.status = 201;
    resp.headers.add("Connection", "keep-alive");
    resp.headers.add("X-Tenant", "yes");
    resp.body = "made";
    return {resp, std::nullopt};
  }

 private:
  std::vector<client::OutgoingRequest>& log_;
  bool fail_;
};

}  // namespace

TEST(Proxy, SendsOnWithoutHopByHopHeadersAndReusesIdleTransports) {
  std::vector<client::OutgoingRequest> log;
  int made = 0;
  recorder::ProxyOptions options;
  options.target = "https://tenant.example/base/";
  auto proxy = util::value_or_throw(recorder::make_proxy(options, [&] {
    ++made;
    return std::make_unique<CountingTransport>(log, false);
  }));
  EXPECT_EQ(proxy->base_url(), "https://tenant.example/base");
  auto r = request("POST", "/things", R"({"a":1})");
  r.query["page"] = "2";
  r.headers.add("Connection", "close");
  for (int i = 0; i < 3; ++i) {
    auto answer = proxy->forward(r);
    EXPECT_EQ(answer.status, 201);
    EXPECT_EQ(answer.headers.get("X-Tenant"), "yes");
    EXPECT_EQ(answer.headers.find("Connection"), nullptr);
  }
  EXPECT_EQ(made, 1) << "an idle transport is reused";
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0].url, "https://tenant.example/base/things?page=2");
  EXPECT_EQ(log[0].headers.find("Connection"), nullptr);
  EXPECT_EQ(log[0].headers.get("Authorization"), "Bearer tok-1-secret-value");
  EXPECT_EQ(log[0].body, R"({"a":1})");
  EXPECT_EQ(util::value_or_throw(proxy->finish()), "");
}

TEST(Proxy, AFailedExchangeIsA502SayingHowAndABadTargetIsRefused) {
  std::vector<client::OutgoingRequest> log;
  recorder::ProxyOptions options;
  options.target = "http://tenant.example";
  auto proxy = util::value_or_throw(
      recorder::make_proxy(options, [&] { return std::make_unique<CountingTransport>(log, true); }));
  auto answer = proxy->forward(request("GET", "/x"));
  EXPECT_EQ(answer.status, 502);
  auto body = util::Json::parse(answer.body);
  EXPECT_EQ(body["code"], "mock.proxy.failed");
  EXPECT_NE(body["message"].get<std::string>().find("the upstream failed (timeout): no answer in 5 ms"),
            std::string::npos)
      << body;
  options.target = "tenant.example";
  auto bad = recorder::make_proxy(options);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("expected an http:// or https:// URL"), std::string::npos);
}
