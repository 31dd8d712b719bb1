// What the client's unit tests put in place of the network and of time: a fake clock that
// sleeps by moving its hands, canned transport answers, and network errors of any kind.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "client/clock.hpp"
#include "client/transport.hpp"

namespace client_fakes {

class FakeClock : public client::Clock {
 public:
  double now_ms() override { return now_; }
  void sleep_ms(double ms) override {
    slept.push_back(ms);
    now_ += ms;
  }
  double epoch_ms() override { return 1'795'000'000'000.0 + now_; }  // 2026-11-18, for HTTP dates
  void advance(double ms) { now_ += ms; }
  double now() const { return now_; }
  std::vector<double> slept;

 private:
  double now_ = 1000;
};

inline client::TransportResult answer(int status, const std::string& body, util::Headers headers = {}) {
  client::TransportResult r;
  r.response = util::HttpResponse{status, std::move(headers), body};
  return r;
}

inline client::TransportResult network(client::NetworkErrorKind kind) {
  client::TransportResult r;
  r.error = client::NetworkError{kind, "simulated"};
  return r;
}

}  // namespace client_fakes
