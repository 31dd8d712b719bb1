// Time as a dependency: the diagnose steps measure and wait through a Clock, so tests and
// replay run without sleeping (a Retry-After of 30 s costs nothing in replay).
#pragma once

#include <chrono>
#include <thread>

namespace client {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual double now_ms() = 0;
  virtual void sleep_ms(double ms) = 0;
  // Wall-clock time (Unix epoch, ms), for Retry-After given as an HTTP date.
  virtual double epoch_ms() {
    return std::chrono::duration<double, std::milli>(std::chrono::system_clock::now().time_since_epoch()).count();
  }
};

class SystemClock final : public Clock {
 public:
  double now_ms() override {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
  }
  void sleep_ms(double ms) override {
    if (ms > 0) std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(ms));
  }
};

// Real time for measuring, virtual time for waiting: sleeps advance an offset instead.
class VirtualClock final : public Clock {
 public:
  double now_ms() override { return real_.now_ms() + slept_ms_; }
  double epoch_ms() override { return real_.epoch_ms() + slept_ms_; }
  void sleep_ms(double ms) override {
    if (ms > 0) slept_ms_ += ms;
  }
  double slept_ms() const { return slept_ms_; }

 private:
  SystemClock real_;
  double slept_ms_ = 0;
};

}  // namespace client
