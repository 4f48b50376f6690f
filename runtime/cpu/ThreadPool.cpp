#include "ThreadPool.h"

namespace kiln::cpu {

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
  done_.wait(lock, [&] { return running_ == 0 && next_ >= count_; });
  task_ = nullptr;
}

} // namespace kiln::cpu
