// matmul_clamp_f32_f32_f32p_4x16x1_neon: 4 rows x 16 channels (four q registers) per
// step, sixteen independent fmla chains; each row's four activations are loaded once
// and used by lane. Advanced SIMD is part of every aarch64 CPU, so the file needs no
// -march flag. FMA changes the rounding: pf32 results stay within numerics.md's
// bound, not bit for bit.

#include "kiln/cpu/MatmulF32.h"

#include "EpilogueNeon.h"
#include "TileLoop.h"

#include <arm_neon.h>

namespace kiln::cpu {
namespace {

constexpr int kMr = 4;

/// acc[r] += x[r][Lane] · w[k], the packed weights of one k at `w`.
template <int Lane, int R>
inline void fmaStep(float32x4_t (&acc)[R][4], const float *w, const float32x4_t (&x)[R]) {
  float32x4_t wv[4];
  for (int q = 0; q < 4; ++q)
    wv[q] = vld1q_f32(w + 4 * q);
  for (int r = 0; r < R; ++r)
    for (int q = 0; q < 4; ++q)
      acc[r][q] = vfmaq_laneq_f32(acc[r][q], wv[q], x[r], Lane);
}

template <int R>
void tile(const F32MatmulArgs &a, const float *lhs, float *dst, const float *w, size_t n0,
          size_t cols) {
  float32x4_t acc[R][4];
  for (int r = 0; r < R; ++r)
    for (int q = 0; q < 4; ++q)
      acc[r][q] = vdupq_n_f32(0.0f);
  size_t k = 0;
  for (; k + 4 <= a.k; k += 4, w += 4 * kF32Nr) {
    float32x4_t x[R];
    for (int r = 0; r < R; ++r)
      x[r] = vld1q_f32(lhs + r * a.lhsStride + k);
    fmaStep<0>(acc, w, x);
    fmaStep<1>(acc, w + kF32Nr, x);
    fmaStep<2>(acc, w + 2 * kF32Nr, x);
    fmaStep<3>(acc, w + 3 * kF32Nr, x);
  }
  for (; k < a.k; ++k, w += kF32Nr) {
    float32x4_t x[R];
    for (int r = 0; r < R; ++r)
      x[r] = vdupq_n_f32(lhs[r * a.lhsStride + k]);
    fmaStep<0>(acc, w, x);
  }
  float biasTile[16];
  const float *bias = tileBias(a.bias, n0, cols, biasTile);
  for (int r = 0; r < R; ++r)
    storeRow(dst + r * a.dstStride + n0, acc[r], bias, a.clampMin, a.clampMax, cols);
}

} // namespace

void kiln_matmul_clamp_f32_f32_f32p_4x16x1_neon(const F32MatmulArgs &a) {
  const auto *packed = static_cast<const float *>(a.rhsPacked);
  forEachTile<kF32Nr, kMr>(a.m, a.n, [&](size_t n0, size_t cols, size_t m0, auto rows) {
    tile<decltype(rows)::value>(a, a.lhs + m0 * a.lhsStride, a.dst + m0 * a.dstStride,
                                packed + n0 / kF32Nr * a.k * kF32Nr, n0, cols);
  });
}

} // namespace kiln::cpu
