#pragma once
/// This machine's measured limits, the roofs a case is compared with: peak fp32 FMA
/// throughput, peak int8 dot-product throughput (AVX-512 VNNI vpdpbusd) and the
/// bandwidth of a streaming read from memory, each on a given number of threads.

namespace kiln::bench {

struct MachineLimits {
  unsigned threads = 1;
  double f32Gflops = 0;  ///< 2 flops per FMA lane
  double int8Gops = 0;   ///< 2 ops per multiply-add; 0 where the CPU has no VNNI
  double readGBs = 0;    ///< GB/s (1e9 bytes) read from a buffer far larger than the caches
  const char *isa = "";  ///< the instructions the peak loops used
};

/// Runs the three loops on `threads` threads (each its own accumulators and its own
/// slice of the buffer); the best of a few repetitions.
MachineLimits measureLimits(unsigned threads);

/// The loops themselves, one per ISA file; `iterations` of 16 independent FMAs or
/// dot products on zmm/ymm registers; `readBytes` sums `bytes` (a multiple of 256).
double peakF32Avx512(long iterations);
double peakF32Avx2(long iterations);
double peakInt8Avx512Vnni(long iterations);
unsigned long long streamReadAvx2(const void *data, unsigned long long bytes);

} // namespace kiln::bench
