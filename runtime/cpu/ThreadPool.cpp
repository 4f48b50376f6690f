#include "ThreadPool.h"

#include <chrono>
#include <map>

namespace kiln::cpu {
namespace {

/// Tells the core that this thread is polling (x86 pause, Arm yield): the other
/// hardware thread of the core gets the execution units.
inline void cpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

uint32_t loopOf(uint64_t next) { return uint32_t(next >> 32); }
uint32_t remainingOf(uint64_t next) { return uint32_t(next); }

} // namespace

ThreadPool::ThreadPool(unsigned threads) {
  for (unsigned i = 1; i < threads; ++i)
    workers_.emplace_back([this] { work(); });
}

ThreadPool::~ThreadPool() {
  stop_.store(true);
  {
    std::lock_guard<std::mutex> lock(sleepMutex_);
    wake_.notify_all();
  }
  for (std::thread &t : workers_)
    t.join();
}

std::shared_ptr<ThreadPool> ThreadPool::shared(unsigned threads) {
  static std::mutex mutex;
  static std::map<unsigned, std::weak_ptr<ThreadPool>> pools;
  std::lock_guard<std::mutex> lock(mutex);
  std::shared_ptr<ThreadPool> pool = pools[threads].lock();
  if (!pool) {
    pool = std::make_shared<ThreadPool>(threads);
    pools[threads] = pool;
  }
  return pool;
}

/// Tasks are claimed from the top down: `next_` holds how many are left, so a claim
/// needs no task count, and a worker still holding an earlier loop's word fails its
/// compare-and-swap instead of running a task the loop does not have.
void ThreadPool::runTasks(uint32_t loop) {
  uint64_t next = next_.load(std::memory_order_acquire);
  while (loopOf(next) == loop && remainingOf(next) != 0) {
    if (!next_.compare_exchange_weak(next, next - 1, std::memory_order_acquire))
      continue;
    (*task_)(remainingOf(next) - 1);
    done_.fetch_add(1, std::memory_order_release);
    next = next_.load(std::memory_order_acquire);
  }
}

void ThreadPool::work() {
  using Clock = std::chrono::steady_clock;
  uint32_t seen = 0;
  auto started = [&] { return stop_.load() || loopOf(next_.load()) != seen; };
  while (true) {
    const Clock::time_point deadline = Clock::now() + std::chrono::microseconds(kSpinMicroseconds);
    for (unsigned polls = 1; !started(); ++polls) {
      cpuRelax();
      if (polls % 64 == 0 && Clock::now() > deadline) {
        // Sleep. The count is raised before `started` is checked under the lock, and
        // parallelFor publishes its loop before it reads the count: one of the two
        // sees the other (both sequentially consistent), so no wake-up is lost.
        std::unique_lock<std::mutex> lock(sleepMutex_);
        sleepers_.fetch_add(1);
        wake_.wait(lock, started);
        sleepers_.fetch_sub(1);
        break;
      }
    }
    if (stop_.load())
      return;
    seen = loopOf(next_.load());
    runTasks(seen);
  }
}

void ThreadPool::parallelFor(unsigned count, const std::function<void(unsigned)> &task) {
  if (workers_.empty() || count <= 1 || busy_.exchange(true, std::memory_order_acquire)) {
    for (unsigned i = 0; i < count; ++i)
      task(i);
    return;
  }
  task_ = &task;
  done_.store(0, std::memory_order_relaxed);
  const uint32_t loop = loopOf(next_.load(std::memory_order_relaxed)) + 1;
  next_.store(uint64_t(loop) << 32 | count);
  if (sleepers_.load() != 0) {
    std::lock_guard<std::mutex> lock(sleepMutex_);
    wake_.notify_all();
  }
  runTasks(loop);
  // The other threads are finishing their last tasks: poll, then give the core away
  // if one of them has lost its own (more threads than cores).
  for (unsigned polls = 1; done_.load(std::memory_order_acquire) != count; ++polls) {
    if (polls < 4096)
      cpuRelax();
    else
      std::this_thread::yield();
  }
  task_ = nullptr;
  busy_.store(false, std::memory_order_release);
}

} // namespace kiln::cpu
