#pragma once
/// The int8 dot-product loop the AVX-512 VNNI kernels over `qsi8cxp16x4` weights
/// share (dynamic qc8w and static pqs8): R rows x T adjacent 16-channel tiles,
/// acc[r][t] = Σ_k (x + 128)·w per channel, exact in int32. vpdpbusd multiplies
/// unsigned by signed bytes, so the activations go in as x + 128; the callers correct
/// with the packed weight sums. Included only by files built with the VNNI flags;
/// internal linkage, like TileLoop.h.

#include "Vpdpbusd.h"

#include <immintrin.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace kiln::cpu {
namespace {

/// Four activation bytes at `p` as an unsigned broadcast word; `count` < 4 reads a
/// K tail (the packed weights there are zero, so the padding value does not matter).
inline __m512i lhsWord(const int8_t *p, size_t count = 4) {
  uint32_t word = 0;
  std::memcpy(&word, p, count);
  return _mm512_set1_epi32(int32_t(word ^ 0x80808080u));
}

/// Runs the whole K of rows `lhs` (stride `lhsStride`) against the tiles at `w`
/// (`tileBytes` apart); returns where tile 0's sums and scales start.
template <int R, int T>
const uint8_t *dotInt8(const int8_t *lhs, size_t lhsStride, size_t k, const uint8_t *w,
                       size_t tileBytes, __m512i (&acc)[R][T]) {
  for (int r = 0; r < R; ++r)
    for (int t = 0; t < T; ++t)
      acc[r][t] = _mm512_setzero_si512();
  // x + 128 by a vector xor after a broadcast from memory: no general-purpose
  // register round trip per activation word.
  const __m512i flip = _mm512_set1_epi32(int32_t(0x80808080u));
  size_t kk = 0;
  for (; kk + 4 <= k; kk += 4, w += 64) {
    __m512i wv[T];
    for (int t = 0; t < T; ++t)
      wv[t] = _mm512_loadu_si512(w + t * tileBytes);
    for (int r = 0; r < R; ++r) {
      int32_t word;
      std::memcpy(&word, lhs + r * lhsStride + kk, 4);
      __m512i x = _mm512_xor_si512(_mm512_set1_epi32(word), flip);
      for (int t = 0; t < T; ++t)
        acc[r][t] = dpbusd(acc[r][t], x, wv[t]);
    }
  }
  if (kk < k) {
    __m512i wv[T];
    for (int t = 0; t < T; ++t)
      wv[t] = _mm512_loadu_si512(w + t * tileBytes);
    for (int r = 0; r < R; ++r)
      for (int t = 0; t < T; ++t)
        acc[r][t] = dpbusd(acc[r][t], lhsWord(lhs + r * lhsStride + kk, k - kk), wv[t]);
    w += 64;
  }
  return w;
}

} // namespace
} // namespace kiln::cpu
