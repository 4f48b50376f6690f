#pragma once
/// The int8 dot-product loop the NEON dot-product kernels over `qsi8cxp16x4` weights
/// share (dynamic qc8w and static pqs8): R rows x one 16-channel tile,
/// acc[r][q] = Σ_k x·w for channels 4q..4q+3, exact in int32. sdot multiplies signed
/// by signed bytes, so, unlike vpdpbusd on x86, the activations need no +128 offset
/// and no correction. One packed 4-k step (64 bytes) is four sdot per row, one per
/// group of four channels; a row's 16 activation bytes serve four steps by lane.
/// Included only by files built with +dotprod; internal linkage, like TileLoop.h.

#include <arm_neon.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace kiln::cpu {
namespace {

/// acc[r][q] += step `Lane` (4 k) of x[r] times the packed weights at w.
template <int Lane, int R>
inline void dotStep(int32x4_t (&acc)[R][4], const int8_t *w, const int8x16_t (&x)[R]) {
  int8x16_t wv[4];
  for (int q = 0; q < 4; ++q)
    wv[q] = vld1q_s8(w + 16 * q);
  for (int r = 0; r < R; ++r)
    for (int q = 0; q < 4; ++q)
      acc[r][q] = vdotq_laneq_s32(acc[r][q], wv[q], x[r], Lane);
}

/// Runs the whole K of R rows `lhs` (stride `lhsStride`) against the packed `tile`;
/// returns where the tile's sums and scales start.
template <int R>
const uint8_t *dotInt8(const int8_t *lhs, size_t lhsStride, size_t k, const uint8_t *tile,
                       int32x4_t (&acc)[R][4]) {
  for (int r = 0; r < R; ++r)
    for (int q = 0; q < 4; ++q)
      acc[r][q] = vdupq_n_s32(0);
  const auto *w = reinterpret_cast<const int8_t *>(tile);
  size_t kk = 0;
  for (; kk + 16 <= k; kk += 16, w += 256) {
    int8x16_t x[R];
    for (int r = 0; r < R; ++r)
      x[r] = vld1q_s8(lhs + r * lhsStride + kk);
    dotStep<0>(acc, w, x);
    dotStep<1>(acc, w + 64, x);
    dotStep<2>(acc, w + 128, x);
    dotStep<3>(acc, w + 192, x);
  }
  if (kk < k) {
    // 1-4 steps of the zero-padded K; the activations past k are zeros too, copied
    // so that no row is read past its end.
    const size_t steps = (k - kk + 3) / 4;
    int8x16_t x[R];
    for (int r = 0; r < R; ++r) {
      int8_t bytes[16] = {};
      std::memcpy(bytes, lhs + r * lhsStride + kk, k - kk);
      x[r] = vld1q_s8(bytes);
    }
    dotStep<0>(acc, w, x);
    if (steps > 1)
      dotStep<1>(acc, w + 64, x);
    if (steps > 2)
      dotStep<2>(acc, w + 128, x);
    if (steps > 3)
      dotStep<3>(acc, w + 192, x);
    w += 64 * steps;
  }
  return reinterpret_cast<const uint8_t *>(w);
}

/// The dot loop as a type, for the loop nests templated on it (StaticTileNeon.h,
/// DynamicEpilogueNeon.h).
struct SdotCore {
  template <int R>
  static const uint8_t *dot(const int8_t *lhs, size_t lhsStride, size_t k, const uint8_t *tile,
                            int32x4_t (&acc)[R][4]) {
    return dotInt8<R>(lhs, lhsStride, k, tile, acc);
  }
};

} // namespace
} // namespace kiln::cpu
