#pragma once
/// The int8 dot-product loop of the NEON i8mm kernels over `qsi8cxp16x8` weights
/// (dynamic qc8w and static pqs8): R rows x one 16-channel tile. smmla multiplies a
/// 2x8 block of signed bytes by an 8x2 one into a 2x2 int32 block: with two rows' 8
/// activations in one register and two channels' 8 weights in another (16 bytes of the
/// packed tile), one instruction does 32 multiply-adds where sdot does 16. A 4x16 tile
/// holds 2 row pairs x 8 channel pairs = 16 accumulators, each {r0·c0, r0·c1, r1·c0,
/// r1·c1}; two zips per four channels turn them back into rows once per tile, the
/// layout DotInt8Neon.h's dotInt8 returns. Included only by files built with +i8mm;
/// internal linkage, like TileLoop.h.

#include <arm_neon.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace kiln::cpu {
namespace {

/// Two rows' 8 activations at k, or zeros past `width` (the K tail; rows are never
/// read past their end). A lone last row pairs with itself; its twin is dropped.
inline int8x16_t rowPair(const int8_t *r0, const int8_t *r1, size_t k, size_t width) {
  if (k + 8 <= width)
    return vcombine_s8(vld1_s8(r0 + k), vld1_s8(r1 + k));
  int8_t bytes[16] = {};
  std::memcpy(bytes, r0 + k, width - k);
  std::memcpy(bytes + 8, r1 + k, width - k);
  return vld1q_s8(bytes);
}

/// dot[r][q] = Σ_k x[r]·w for channels 4q..4q+3 of the tile at `tile`, over the whole
/// (8-padded) K; returns where the tile's sums and scales start.
template <int R>
const uint8_t *dotInt8I8mm(const int8_t *lhs, size_t lhsStride, size_t k, const uint8_t *tile,
                           int32x4_t (&dot)[R][4]) {
  constexpr int P = (R + 1) / 2;
  int32x4_t acc[P][8];
  for (int p = 0; p < P; ++p)
    for (int c = 0; c < 8; ++c)
      acc[p][c] = vdupq_n_s32(0);
  const auto *w = reinterpret_cast<const int8_t *>(tile);
  for (size_t kk = 0; kk < k; kk += 8, w += 128) {
    int8x16_t x[P];
    for (int p = 0; p < P; ++p)
      x[p] = rowPair(lhs + 2 * p * lhsStride, lhs + std::min(2 * p + 1, R - 1) * lhsStride, kk, k);
    for (int c = 0; c < 8; ++c) {
      const int8x16_t wc = vld1q_s8(w + 16 * c);
      for (int p = 0; p < P; ++p)
        acc[p][c] = vmmlaq_s32(acc[p][c], x[p], wc);
    }
  }
  // acc[p][c] = {r0·c0, r0·c1, r1·c0, r1·c1} for channels 2c, 2c+1: the low halves of
  // two neighbours are one row's four channels, the high halves the other's.
  for (int p = 0; p < P; ++p)
    for (int q = 0; q < 4; ++q) {
      const int64x2_t lo = vreinterpretq_s64_s32(acc[p][2 * q]);
      const int64x2_t hi = vreinterpretq_s64_s32(acc[p][2 * q + 1]);
      dot[2 * p][q] = vreinterpretq_s32_s64(vzip1q_s64(lo, hi));
      if (2 * p + 1 < R)
        dot[2 * p + 1][q] = vreinterpretq_s32_s64(vzip2q_s64(lo, hi));
    }
  return reinterpret_cast<const uint8_t *>(w);
}

/// The dot loop as a type, for the loop nests templated on it (StaticTileNeon.h,
/// DynamicEpilogueNeon.h).
struct SmmlaCore {
  template <int R>
  static const uint8_t *dot(const int8_t *lhs, size_t lhsStride, size_t k, const uint8_t *tile,
                            int32x4_t (&acc)[R][4]) {
    return dotInt8I8mm<R>(lhs, lhsStride, k, tile, acc);
  }
};

} // namespace
} // namespace kiln::cpu
