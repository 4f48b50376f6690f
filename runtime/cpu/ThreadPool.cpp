#include "ThreadPool.h"

#include <chrono>

namespace kiln::cpu {
namespace {

/// How long a thread polls for its next event before it sleeps on a condition
/// variable. A decode step starts a parallel loop every 150-300 µs (one per GEMM), and
/// waking a sleeping thread costs about 10 µs on each side of a loop: on the 2-core
/// Zen 5 VM, a loop of two 150 µs halves took 173 µs (median) with the condition
/// variables alone and 152 µs polling first. 50 µs catches the next loop of a model
/// run and bounds what an idle pool burns after each loop.
constexpr std::chrono::microseconds kPollTime(50);

/// Polls `ready` until it holds or kPollTime has passed.
template <typename Ready> void pollFor(Ready ready) {
  const auto until = std::chrono::steady_clock::now() + kPollTime;
  while (!ready() && std::chrono::steady_clock::now() < until) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    asm volatile("yield");
#endif
  }
}

} // namespace

ThreadPool::ThreadPool(unsigned threads) {
  for (unsigned i = 1; i < threads; ++i)
    workers_.emplace_back([this] { work(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  for (std::thread &t : workers_)
    t.join();
}

/// Takes task indices until none is left; called with mutex_ held.
void ThreadPool::drain() {
  std::unique_lock<std::mutex> lock(mutex_, std::adopt_lock);
  while (next_ < count_) {
    unsigned i = next_++;
    ++running_;
    lock.unlock();
    (*task_)(i);
    lock.lock();
    if (--running_ == 0 && next_ >= count_)
      done_.notify_all();
  }
  lock.release();
}

void ThreadPool::work() {
  uint64_t seen = 0;
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    lock.unlock();
    pollFor([&] { return stop_ || generation_ != seen; });
    lock.lock();
    wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
    if (stop_)
      return;
    seen = generation_;
    drain();
  }
}

void ThreadPool::parallelFor(unsigned count, const std::function<void(unsigned)> &task) {
  std::unique_lock<std::mutex> lock(mutex_);
  task_ = &task;
  count_ = count;
  next_ = 0;
  ++generation_;
  wake_.notify_all();
  drain();
  // drain() returned with no task left to start (next_ >= count_ until the next call).
  lock.unlock();
  pollFor([&] { return running_ == 0; });
  lock.lock();
  done_.wait(lock, [&] { return running_ == 0 && next_ >= count_; });
  task_ = nullptr;
}

} // namespace kiln::cpu
