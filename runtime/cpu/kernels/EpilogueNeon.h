#pragma once
/// The fp32 output step every aarch64 kernel shares: bias, clamp, and a store of the
/// channels that exist. Included by kernel files built with different -march flags;
/// internal linkage, like TileLoop.h, so no copy is shared between them.

#include <arm_neon.h>

#include <cstddef>
#include <cstring>

namespace kiln::cpu {
namespace {

/// std::min(std::max(y, lo), hi) lane by lane, exactly as the scalar kernel computes
/// it: fmax/fmin would turn max(-0, +0) into +0 and propagate NaN differently, while
/// std::max(y, lo) keeps y unless y < lo.
inline float32x4_t clampLikeScalar(float32x4_t y, float32x4_t lo, float32x4_t hi) {
  y = vbslq_f32(vcltq_f32(y, lo), lo, y);
  return vbslq_f32(vcltq_f32(hi, y), hi, y);
}

/// Stores the first `cols` channels of one row of a 16-channel tile: y + bias (when
/// `bias`, 16 floats zero-padded past cols, is not null), clamped. The scalar kernel
/// adds no bias when there is none, which keeps a -0 product -0.
inline void storeRow(float *dst, const float32x4_t (&y)[4], const float *bias, float clampMin,
                     float clampMax, size_t cols) {
  const float32x4_t lo = vdupq_n_f32(clampMin), hi = vdupq_n_f32(clampMax);
  float out[16];
  for (int q = 0; q < 4; ++q) {
    float32x4_t v = bias ? vaddq_f32(y[q], vld1q_f32(bias + 4 * q)) : y[q];
    vst1q_f32(out + 4 * q, clampLikeScalar(v, lo, hi));
  }
  std::memcpy(dst, out, cols * sizeof(float));
}

/// The bias of channels [n0, n0 + cols) copied into `tile` and zero-padded to 16, or
/// null when the GEMM has none.
inline const float *tileBias(const float *bias, size_t n0, size_t cols, float (&tile)[16]) {
  if (!bias)
    return nullptr;
  std::memset(tile, 0, sizeof(tile));
  std::memcpy(tile, bias + n0, cols * sizeof(float));
  return tile;
}

} // namespace
} // namespace kiln::cpu
