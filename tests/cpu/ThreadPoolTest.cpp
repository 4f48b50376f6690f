/// The executor's thread pool: every task runs exactly once per loop, loops follow
/// each other with workers awake or asleep, and a caller that finds the pool busy
/// (another thread's loop, or a task's own nested loop) runs its tasks itself.

#include "ThreadPool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace kiln::cpu {
namespace {

/// Runs one loop of `count` tasks and checks that each index ran exactly once.
void expectEachTaskOnce(ThreadPool &pool, unsigned count) {
  std::vector<std::atomic<int>> runs(count);
  pool.parallelFor(count, [&](unsigned i) { runs[i].fetch_add(1); });
  for (unsigned i = 0; i < count; ++i)
    ASSERT_EQ(runs[i].load(), 1) << "task " << i << " of " << count;
}

TEST(ThreadPool, RunsEveryTaskOnceInBackToBackLoops) {
  for (unsigned threads : {1u, 2u, 3u, 8u}) {
    ThreadPool pool(threads);
    EXPECT_EQ(pool.size(), threads);
    for (unsigned loop = 0; loop < 2000; ++loop)
      expectEachTaskOnce(pool, 1 + loop % 37);
  }
}

TEST(ThreadPool, WakesWorkersThatFellAsleep) {
  ThreadPool pool(3);
  for (int loop = 0; loop < 3; ++loop) {
    std::this_thread::sleep_for(
        std::chrono::microseconds(ThreadPool::kSpinMicroseconds * 10));
    // Every task waits (up to 10 s) until a worker has run one, so the loop cannot
    // finish on the caller alone.
    std::atomic<unsigned> helpers{0};
    const std::thread::id caller = std::this_thread::get_id();
    const auto giveUp = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    pool.parallelFor(4, [&](unsigned) {
      if (std::this_thread::get_id() != caller)
        helpers.fetch_add(1);
      while (helpers.load() == 0 && std::chrono::steady_clock::now() < giveUp)
        std::this_thread::yield();
    });
    EXPECT_GT(helpers.load(), 0u) << "no worker woke for loop " << loop;
  }
}

TEST(ThreadPool, NestedLoopRunsOnItsCaller) {
  ThreadPool pool(2);
  std::atomic<int> inner{0};
  pool.parallelFor(4, [&](unsigned) {
    const std::thread::id self = std::this_thread::get_id();
    pool.parallelFor(3, [&](unsigned) {
      EXPECT_EQ(std::this_thread::get_id(), self);
      inner.fetch_add(1);
    });
  });
  EXPECT_EQ(inner.load(), 12);
}

TEST(ThreadPool, ConcurrentCallersAllFinish) {
  std::shared_ptr<ThreadPool> pool = ThreadPool::shared(2);
  EXPECT_EQ(pool, ThreadPool::shared(2)) << "one pool per thread count";
  std::vector<std::thread> callers;
  std::atomic<int> failures{0};
  for (int c = 0; c < 4; ++c)
    callers.emplace_back([&] {
      for (unsigned loop = 0; loop < 500; ++loop) {
        std::vector<std::atomic<int>> runs(16);
        pool->parallelFor(16, [&](unsigned i) { runs[i].fetch_add(1); });
        for (std::atomic<int> &r : runs)
          failures += r.load() != 1;
      }
    });
  for (std::thread &t : callers)
    t.join();
  EXPECT_EQ(failures.load(), 0);
}

} // namespace
} // namespace kiln::cpu
