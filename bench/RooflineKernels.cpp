// The peak and streaming loops of Roofline.h. Each function is compiled for its ISA
// with a target attribute and called only after CPUID says the CPU has it, so the
// binary runs on any x86-64.

#include "Roofline.h"

#include <cstdint>
#include <immintrin.h>

namespace kiln::bench {

// 16 independent accumulators cover the FMA latency (4-5 cycles) times two pipes.
// The returned sum keeps the compiler from deleting the loop.

__attribute__((target("avx512f"))) double peakF32Avx512(long iterations) {
  __m512 acc[16];
  for (int i = 0; i < 16; ++i)
    acc[i] = _mm512_set1_ps(float(i));
  const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
  for (long it = 0; it < iterations; ++it)
    for (int i = 0; i < 16; ++i)
      acc[i] = _mm512_fmadd_ps(acc[i], a, b);
  __m512 sum = acc[0];
  for (int i = 1; i < 16; ++i)
    sum = _mm512_add_ps(sum, acc[i]);
  return _mm512_reduce_add_ps(sum);
}

__attribute__((target("avx2,fma"))) double peakF32Avx2(long iterations) {
  __m256 acc[16];
  for (int i = 0; i < 16; ++i)
    acc[i] = _mm256_set1_ps(float(i));
  const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
  for (long it = 0; it < iterations; ++it)
    for (int i = 0; i < 16; ++i)
      acc[i] = _mm256_fmadd_ps(acc[i], a, b);
  __m256 sum = acc[0];
  for (int i = 1; i < 16; ++i)
    sum = _mm256_add_ps(sum, acc[i]);
  float lanes[8];
  _mm256_storeu_ps(lanes, sum);
  return lanes[0] + lanes[7];
}

__attribute__((target("avx512f,avx512bw,avx512vnni"))) double peakInt8Avx512Vnni(long iterations) {
  __m512i acc[16];
  for (int i = 0; i < 16; ++i)
    acc[i] = _mm512_set1_epi32(i);
  const __m512i a = _mm512_set1_epi8(3), b = _mm512_set1_epi8(-5);
  for (long it = 0; it < iterations; ++it)
    for (int i = 0; i < 16; ++i)
      acc[i] = _mm512_dpbusd_epi32(acc[i], a, b);
  __m512i sum = acc[0];
  for (int i = 1; i < 16; ++i)
    sum = _mm512_add_epi32(sum, acc[i]); // wraps, as the hardware does
  // The result only keeps the loop alive. Summed as unsigned: the accumulators wrap,
  // and _mm512_reduce_add_epi32's signed int additions would overflow (UB).
  alignas(64) uint32_t lanes[16];
  _mm512_store_si512(lanes, sum);
  uint32_t total = 0;
  for (uint32_t lane : lanes)
    total += lane;
  return double(total);
}

// 256-bit loads: a read stream is limited by the memory system, not the load width,
// and AVX2 keeps the loop usable on every x86-64 that runs the kernels.
__attribute__((target("avx2"))) unsigned long long streamReadAvx2(const void *data,
                                                                  unsigned long long bytes) {
  const __m256i *p = static_cast<const __m256i *>(data);
  __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0,
          a7 = a0;
  for (unsigned long long i = 0; i < bytes / 32; i += 8) {
    a0 = _mm256_xor_si256(a0, _mm256_load_si256(p + i));
    a1 = _mm256_xor_si256(a1, _mm256_load_si256(p + i + 1));
    a2 = _mm256_xor_si256(a2, _mm256_load_si256(p + i + 2));
    a3 = _mm256_xor_si256(a3, _mm256_load_si256(p + i + 3));
    a4 = _mm256_xor_si256(a4, _mm256_load_si256(p + i + 4));
    a5 = _mm256_xor_si256(a5, _mm256_load_si256(p + i + 5));
    a6 = _mm256_xor_si256(a6, _mm256_load_si256(p + i + 6));
    a7 = _mm256_xor_si256(a7, _mm256_load_si256(p + i + 7));
  }
  __m256i x = _mm256_xor_si256(_mm256_xor_si256(_mm256_xor_si256(a0, a1), _mm256_xor_si256(a2, a3)),
                               _mm256_xor_si256(_mm256_xor_si256(a4, a5), _mm256_xor_si256(a6, a7)));
  return (unsigned long long)_mm256_extract_epi64(x, 0) ^ (unsigned long long)_mm256_extract_epi64(x, 3);
}

} // namespace kiln::bench
