#pragma once
/// A fixed set of worker threads that run one parallel loop at a time; the calling
/// thread takes part, so a pool of 1 is the caller alone. Used by the executor to
/// split a GEMM's output channels, which is why it needs no queue or futures.

#include <condition_variable>
#include <cstdint>
#include <functional>
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

  unsigned size() const { return unsigned(workers_.size()) + 1; }

  /// Runs task(i) for i in [0, count) and returns when all are done. Not reentrant.
  void parallelFor(unsigned count, const std::function<void(unsigned)> &task);

private:
  void work();
  void drain();

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  const std::function<void(unsigned)> *task_ = nullptr;
  unsigned count_ = 0, next_ = 0, running_ = 0;
  uint64_t generation_ = 0;
  bool stop_ = false;
};

} // namespace kiln::cpu
