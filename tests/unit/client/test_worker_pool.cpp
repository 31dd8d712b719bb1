// The validate stream's WorkerPool (client/worker_pool): its threads spin briefly for the next
// task and sleep after that, and take the lock only to sleep and to wake. Every task must run on
// every thread exactly once per start(), whether the next start() comes at once (found spinning)
// or long after (found asleep), and wait() must return only when all have finished.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <thread>
#include <vector>

#include "client/worker_pool.hpp"

namespace {

// One batch: n items claimed one at a time by every thread that runs the task, the caller too.
struct Batch {
  std::atomic<std::size_t> next{0};
  std::vector<std::atomic<int>> done;
  explicit Batch(std::size_t n) : done(n) {}
  void run() {
    for (std::size_t i; (i = next.fetch_add(1)) < done.size();) done[i].fetch_add(1);
  }
};

void expect_each_once(const Batch& b, int round) {
  for (std::size_t i = 0; i < b.done.size(); ++i) ASSERT_EQ(b.done[i].load(), 1) << "round " << round << " item " << i;
}

TEST(WorkerPool, BatchesBackToBackRunEveryItemOnce) {
  client::WorkerPool pool(2);
  for (int round = 0; round < 2000; ++round) {
    Batch b(64);
    std::atomic<int> runs{0};
    pool.start([&] {
      runs.fetch_add(1);
      b.run();
    });
    b.run();
    pool.wait();
    ASSERT_EQ(runs.load(), 2) << "round " << round;  // each pool thread once
    expect_each_once(b, round);
  }
}

TEST(WorkerPool, ATaskLongAfterTheLastWakesSleepingThreads) {
  client::WorkerPool pool(1);
  for (int round = 0; round < 5; ++round) {
    std::this_thread::sleep_for(std::chrono::milliseconds(8));  // past every spin: the thread sleeps
    Batch b(16);
    pool.start([&] { b.run(); });
    pool.wait();
    expect_each_once(b, round);
  }
}

TEST(WorkerPool, WaitSleepsUntilASlowThreadFinishes) {
  client::WorkerPool pool(1);
  for (int round = 0; round < 3; ++round) {
    std::atomic<bool> finished{false};
    pool.start([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));  // past wait()'s spin
      finished = true;
    });
    pool.wait();
    ASSERT_TRUE(finished.load()) << "round " << round;
  }
}

TEST(WorkerPool, APoolGivenNoTaskStopsWhenDestroyed) {
  for (int round = 0; round < 20; ++round) {
    client::WorkerPool pool(3);  // more threads than this machine's CPUs: some never ran yet
  }                              // a thread that missed the stop would hang here (ctest's timeout)
}

}  // namespace
