// A pool of threads that live for a whole validate run (client/validate): the hand-over of each
// batch, tuned on a VM where waking a halted vCPU is slow (bench/README.md has the trace).
#pragma once

#include <pthread.h>
#include <sched.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <vector>

namespace client {

// Threads that live for the whole run (their parsers and tables stay warm): start() hands a
// task to every one of them and returns at once; wait() returns when all have finished it.
class WorkerPool {
 public:
  explicit WorkerPool(unsigned threads);
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;
  ~WorkerPool();
  void start(std::function<void()> task);
  void wait();

 private:
  static void* thread_main(void* pool);
  void loop();
  void stop_and_join();
  std::mutex mu_;
  std::condition_variable wake_, done_;
  std::function<void()> task_;
  std::atomic<std::uint64_t> generation_{0};  // written under mu_, read spinning without it
  std::atomic<unsigned> busy_{0};
  std::atomic<bool> stop_{false};
  cpu_set_t allowed_{};  // this process's CPUs, which each thread takes back once it runs
  bool placed_ = false;  // each thread was started on a CPU other than the caller's
  std::vector<pthread_t> threads_;
};

}  // namespace client
