#include "Roofline.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <thread>
#include <vector>

namespace kiln::bench {

namespace {

/// Seconds for `work(t)` to finish on every thread t, all started together.
double timeOnThreads(unsigned threads, const std::function<void(unsigned)> &work) {
  std::atomic<unsigned> ready{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t)
    pool.emplace_back([&, t] {
      ready.fetch_add(1);
      while (!go.load())
        std::this_thread::yield();
      work(t);
    });
  while (ready.load() + 1 < threads)
    std::this_thread::yield();
  auto start = std::chrono::steady_clock::now();
  go.store(true);
  work(0);
  for (std::thread &thread : pool)
    thread.join();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// Best rate over `repeats` runs of `work` doing `units` units per thread.
double bestRate(unsigned threads, int repeats, double unitsPerThread,
                const std::function<void(unsigned)> &work) {
  double best = 0;
  for (int r = 0; r < repeats; ++r)
    best = std::max(best, unitsPerThread * threads / timeOnThreads(threads, work));
  return best;
}

volatile double sink; // keeps the loops' results alive

} // namespace

MachineLimits measureLimits(unsigned threads) {
  MachineLimits limits;
  limits.threads = threads;
  const long iterations = 20'000'000;
  bool avx512 = __builtin_cpu_supports("avx512f");
  bool vnni = avx512 && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vnni");
  if (avx512) {
    limits.isa = vnni ? "AVX-512 FMA, AVX-512 VNNI" : "AVX-512 FMA";
    limits.f32Gflops = bestRate(threads, 3, iterations * 16.0 * 16 * 2 / 1e9,
                                [&](unsigned) { sink = peakF32Avx512(iterations); });
  } else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    limits.isa = "AVX2 FMA";
    limits.f32Gflops = bestRate(threads, 3, iterations * 16.0 * 8 * 2 / 1e9,
                                [&](unsigned) { sink = peakF32Avx2(iterations); });
  }
  if (vnni)
    limits.int8Gops = bestRate(threads, 3, iterations * 16.0 * 64 * 2 / 1e9,
                               [&](unsigned) { sink = peakInt8Avx512Vnni(iterations); });

  if (__builtin_cpu_supports("avx2")) {
    // 1 GiB: far beyond any last-level cache, so every pass streams from DRAM.
    const size_t bytes = size_t(1) << 30, slice = bytes / threads / 256 * 256;
    char *buffer = static_cast<char *>(std::aligned_alloc(4096, bytes));
    if (buffer) {
      std::memset(buffer, 1, bytes); // fault every page in before timing
      limits.readGBs = bestRate(threads, 5, double(slice) / 1e9, [&](unsigned t) {
        sink = double(streamReadAvx2(buffer + t * slice, slice));
      });
      std::free(buffer);
    }
  }
  return limits;
}

} // namespace kiln::bench
