// The validate run's WorkerPool: threads placed on other CPUs, batches found by spinning.
#include "client/worker_pool.hpp"

#include <chrono>
#include <string>
#include <system_error>
#include <thread>

#include "util/file.hpp"

namespace client {

// Measured on 20,000 payloads with --jobs 2 (a trace of each batch): a new thread is queued on
// its creator's CPU, where the creator keeps running, until the scheduler's balancing moves it
// (0.3-12 ms on this VM, whose idle vCPU is halted); so each thread starts allowed only on the
// other CPUs and takes all of them back once it runs. Its allocator's first use (jemalloc sets up
// the thread's cache) cost 0.35 ms of the first batch: done at once, while the contracts load.
// It allocates from the main thread's arena: with one of its own, jemalloc purged that arena as
// the thread exited, 0.7-1.4 ms at the end of every run (util::share_first_arena).
WorkerPool::WorkerPool(unsigned threads) {
  pthread_attr_t attr;
  if (int rc = ::pthread_attr_init(&attr); rc)
    throw std::system_error(rc, std::generic_category(), "pthread_attr_init");
  const int here = ::sched_getcpu();
  if (here >= 0 && ::sched_getaffinity(0, sizeof allowed_, &allowed_) == 0 && CPU_COUNT(&allowed_) > 1) {
    cpu_set_t others = allowed_;
    CPU_CLR(here, &others);
    placed_ = ::pthread_attr_setaffinity_np(&attr, sizeof others, &others) == 0;
  }
  for (unsigned i = 0; i < threads; ++i) {
    pthread_t t;
    if (int rc = ::pthread_create(&t, &attr, &WorkerPool::thread_main, this); rc) {
      ::pthread_attr_destroy(&attr);
      stop_and_join();
      throw std::system_error(rc, std::generic_category(), "pthread_create");
    }
    threads_.push_back(t);
  }
  ::pthread_attr_destroy(&attr);
}

void* WorkerPool::thread_main(void* arg) {
  auto* pool = static_cast<WorkerPool*>(arg);
  if (pool->placed_) ::pthread_setaffinity_np(::pthread_self(), sizeof pool->allowed_, &pool->allowed_);
  util::share_first_arena();
  { std::vector<std::string> warm(64, std::string(200, ' ')); }
  pool->loop();
  return nullptr;
}

WorkerPool::~WorkerPool() { stop_and_join(); }

void WorkerPool::stop_and_join() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  for (auto t : threads_) ::pthread_join(t, nullptr);
  threads_.clear();
}

void WorkerPool::start(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    task_ = std::move(task);
    busy_.store(static_cast<unsigned>(threads_.size()), std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
  }
  wake_.notify_all();
}

namespace {

// Batches follow each other within tens of microseconds, while a thread asleep on a condition
// variable needs a futex wake-up and, on a VM, its halted vCPU woken: so both sides look for the
// change spinning for up to `limit` before they sleep (the pool's thread waits up to 5 ms for its
// first task, the contracts' load; 0.5 ms between batches).
template <class Ready>
bool spin_until(Ready ready, std::chrono::microseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (true) {
    for (int i = 0; i < 64; ++i) {
      if (ready()) return true;
      std::atomic_signal_fence(std::memory_order_seq_cst);
    }
    if (std::chrono::steady_clock::now() >= until) return ready();
    std::this_thread::yield();  // more threads than CPUs: let the one being waited for run
  }
}

}  // namespace

void WorkerPool::wait() {
  if (spin_until([this] { return busy_.load(std::memory_order_acquire) == 0; }, std::chrono::microseconds(500))) return;
  std::unique_lock<std::mutex> lock(mu_);
  done_.wait(lock, [this] { return busy_ == 0; });
}

// The lock is taken only to sleep and to wake a sleeper: a thread that finds the change spinning
// takes none, since a contended mutex puts its waiter to sleep at once (0.4-7 ms lost a batch).
void WorkerPool::loop() {
  std::uint64_t seen = 0;
  while (true) {
    auto ready = [&] {
      return stop_.load(std::memory_order_acquire) || generation_.load(std::memory_order_acquire) != seen;
    };
    if (!spin_until(ready, std::chrono::microseconds(seen == 0 ? 5000 : 500))) {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, ready);
    }
    if (stop_.load(std::memory_order_acquire)) return;
    seen = generation_.load(std::memory_order_acquire);
    std::function<void()> task = task_;  // written before the generation was
    task();
    if (busy_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      std::lock_guard<std::mutex> lock(mu_);  // orders this with a waiter between its check and its sleep
      done_.notify_all();
    }
  }
}

}  // namespace client
