#pragma once
/// A fixed set of worker threads that run one parallel loop at a time; the calling
/// thread takes part, so a pool of 1 is the caller alone. Used by the executor to
/// split a GEMM's output channels, which is why it needs no queue or futures.
///
/// Decoding runs one small GEMM after another, so the cost that matters is the gap
/// between two loops: after its last task a worker polls for the next loop for a
/// while (kSpinMicroseconds) before it sleeps on a condition variable, and the
/// models of a process share one pool per thread count (`shared`), so a chain of
/// models keeps the same, already awake workers instead of one sleeping pool each.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace kiln::cpu {

class ThreadPool {
public:
  /// `threads` >= 1, the caller included.
  explicit ThreadPool(unsigned threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool &) = delete;
  ThreadPool &operator=(const ThreadPool &) = delete;

  /// The process's pool of `threads` threads, created on first use and kept while
  /// any holder keeps it.
  static std::shared_ptr<ThreadPool> shared(unsigned threads);

  unsigned size() const { return unsigned(workers_.size()) + 1; }

  /// Runs task(i) for i in [0, count) and returns when all are done. Each task goes
  /// to whichever thread is free (from the last index down), so more tasks than
  /// threads balance uneven progress. While another thread's loop occupies the pool, the
  /// caller runs every task itself (never blocks, so concurrent models and a task
  /// that calls parallelFor both work).
  void parallelFor(unsigned count, const std::function<void(unsigned)> &task);

  /// How long an idle worker polls for the next loop before it sleeps.
  static constexpr unsigned kSpinMicroseconds = 200;

private:
  void work();
  /// Claims and runs tasks of loop `loop` until none is left.
  void runTasks(uint32_t loop);

  std::vector<std::thread> workers_;
  std::atomic<bool> busy_{false}; ///< set by the thread whose loop occupies the pool
  const std::function<void(unsigned)> *task_ = nullptr;
  /// The loop's number (high 32 bits) and how many of its tasks are unclaimed (low
  /// 32 bits): one word, so a worker that is late for a loop cannot claim a task of
  /// the next.
  std::atomic<uint64_t> next_{0};
  std::atomic<unsigned> done_{0}; ///< tasks of the current loop finished
  std::atomic<unsigned> sleepers_{0};
  std::atomic<bool> stop_{false};
  std::mutex sleepMutex_;
  std::condition_variable wake_;
};

} // namespace kiln::cpu
