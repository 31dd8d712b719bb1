// Target: everything the client does with what a server answers: a whole diagnose run (token,
// discovery, look-ups, paging, retries, refresh, transfer) over scripted answers, then every
// report renderer. Input: byte 0 picks the profile (v2 or cxone); the rest is answers in
// order, separated by "\n=====\n"; each is "STATUS\n", header lines, an empty line and the
// body, or "!" for a network error. Past the last answer the connection is refused.
// Seeds: fuzz/seeds/client (from the bundled fixtures by fuzz/make-seeds.sh).
#include <charconv>
#include <memory>

#include "client/diagnose.hpp"
#include "client/report.hpp"
#include "fuzz/fuzz_support.hpp"

namespace {

struct Setup {
  contracts::Catalogue catalogue;
  client::Profile v2, cxone;
  std::vector<contracts::Contract> contracts;
};
const Setup* setup = nullptr;

class ScriptedTransport final : public client::Transport {
 public:
  explicit ScriptedTransport(std::vector<std::string_view> answers) : answers_(std::move(answers)) {}
  client::TransportResult send(const client::OutgoingRequest&) override {
    client::TransportResult r;
    if (next_ >= answers_.size() || answers_[next_].starts_with("!")) {
      ++next_;
      r.error = client::NetworkError{client::NetworkErrorKind::refused, "scripted"};
      return r;
    }
    auto [head, body] = fuzz::cut(answers_[next_++], "\n\n");
    auto lines = fuzz::split_all(head, "\n");
    util::HttpResponse response;
    std::from_chars(lines[0].data(), lines[0].data() + lines[0].size(), response.status);
    for (std::size_t i = 1; i < lines.size(); ++i) {
      auto [name, value] = fuzz::cut(lines[i], ": ");
      response.headers.add(std::string(name), std::string(value));
    }
    response.body = std::string(body);
    r.response = std::move(response);
    return r;
  }

 private:
  std::vector<std::string_view> answers_;
  std::size_t next_ = 0;
};

class NoWaitClock final : public client::Clock {
 public:
  double now_ms() override { return now_; }
  void sleep_ms(double ms) override { now_ += ms > 0 ? ms : 0; }
  double epoch_ms() override { return 1'795'000'000'000.0 + now_; }

 private:
  double now_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  auto catalogue = contracts::Catalogue::builtin();
  auto v2 = client::load_profile("v2");
  auto cxone = client::load_profile("cxone");
  auto transfer = contracts::load_contract("transfer");
  auto signal = contracts::load_contract("cxone-signal");
  if (!catalogue || !v2 || !cxone || !transfer || !signal) std::abort();
  auto* s = new Setup{std::move(*catalogue), std::move(*v2), std::move(*cxone), {}};
  s->contracts.push_back(std::move(*transfer));
  s->contracts.push_back(std::move(*signal));
  setup = s;
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  bool cxone = data[0] & 1;
  ScriptedTransport transport(fuzz::split_all(fuzz::as_text(data + 1, size - 1), "\n=====\n"));
  NoWaitClock clock;
  client::Config config;
  config.base_url = "http://cxone.fuzz";
  config.client_id = "fuzz-client";
  config.client_secret = "fuzz-secret-0001";
  config.access_key_id = "fuzz-key-id";
  config.access_key_secret = "fuzz-key-secret-0002";
  config.conversation_id = cxone ? "704893312" : "3f1c2a9e-7b4d-4e21-9a6f-0c5d8e2b1a47";
  config.queue_id = cxone ? "6368531" : "7d6e0c1a-3b8f-4f2e-9a51-2c4b7e9d0f13";
  config.wrapup_id = cxone ? "8812" : "9b2f4c6d-1e3a-4b5c-8d7e-6f0a1b2c3d4e";
  config.execute = data[0] & 2;
  config.redact_pointers = {"/customer/name"};
  client::DiagnoseOptions options;
  options.jitter = [] { return 0.5; };
  client::DiagnoseContext ctx{transport,        clock,  setup->catalogue, cxone ? setup->cxone : setup->v2,
                              setup->contracts, options};
  auto report = client::run_diagnose(config, ctx);
  (void)client::render_text(report, {});
  (void)client::render_json(report);
  (void)client::render_junit(report);
  for (const auto& x : report.exchanges) (void)client::render_exchange(x, true, report.redactor);
  // The credentials never reach a report, whatever the server answered.
  for (const auto& text : {client::render_text(report, {}), client::render_json(report)})
    if (text.find("fuzz-secret-0001") != std::string::npos || text.find("fuzz-key-secret-0002") != std::string::npos)
      std::abort();
  return 0;
}
