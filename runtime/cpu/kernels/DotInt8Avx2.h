#pragma once
/// The exact int8 dot-product loop the AVX2 kernels over `qsi8cxp16x4` weights share
/// (dynamic qc8w and static pqs8): vpmaddubsw could saturate on int8 x int8, so both
/// operands are widened to int16 and vpmaddwd sums pairs exactly into int32 (two
/// partial sums per channel, folded with vphaddd at the end). Included only by files
/// built with the AVX2 flags; internal linkage, like TileLoop.h.

#include <immintrin.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace kiln::cpu {
namespace {

/// Four activation bytes at `p` widened to int16 and repeated for 4 channels; `count`
/// < 4 reads a K tail (the packed weights there are zero).
__m256i lhsPairs(const int8_t *p, size_t count = 4) {
  int32_t word = 0;
  std::memcpy(&word, p, count);
  return _mm256_broadcastq_epi64(_mm_cvtepi8_epi16(_mm_cvtsi32_si128(word)));
}

template <int R> void step(__m256i (&acc)[R][4], const __m256i (&w)[4], const __m256i (&x)[R]) {
  for (int r = 0; r < R; ++r)
    for (int q = 0; q < 4; ++q)
      acc[r][q] = _mm256_add_epi32(acc[r][q], _mm256_madd_epi16(w[q], x[r]));
}

/// Folds the pair sums of chunks (c, c+1) into 8 channels in order.
__m256i foldPairs(__m256i c0, __m256i c1) {
  return _mm256_permute4x64_epi64(_mm256_hadd_epi32(c0, c1), 0xD8);
}

/// One K block [k0, k1) of R int8 rows (`lhsStride` bytes apart) into dot (channels
/// 0-7, 8-15), exact Σ x·w; returns the pointer past the block's data.
template <int R>
const uint8_t *dotInt8(const uint8_t *p, const int8_t *lhs, size_t lhsStride, size_t k0,
                       size_t k1, __m256i (&dot)[R][2]) {
  __m256i acc[R][4];
  for (int r = 0; r < R; ++r)
    for (int q = 0; q < 4; ++q)
      acc[r][q] = _mm256_setzero_si256();
  // Whole 4-k steps, then at most one tail step (a fixed-size load in the loop).
  for (size_t k = k0; k < k1; k += 4, p += 64) {
    __m256i w[4];
    for (int q = 0; q < 4; ++q)
      w[q] = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i *>(p) + q));
    __m256i x[R];
    for (int r = 0; r < R; ++r)
      x[r] = k + 4 <= k1 ? lhsPairs(lhs + r * lhsStride + k)
                         : lhsPairs(lhs + r * lhsStride + k, k1 - k);
    step<R>(acc, w, x);
  }
  for (int r = 0; r < R; ++r) {
    dot[r][0] = foldPairs(acc[r][0], acc[r][1]);
    dot[r][1] = foldPairs(acc[r][2], acc[r][3]);
  }
  return p;
}

} // namespace
} // namespace kiln::cpu
