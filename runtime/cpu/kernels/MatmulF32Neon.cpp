// matmul_clamp_f32_f32_f32p_4x16x1_neon (pf32) and matmul_clamp_f32_f32_f16p_4x16x1_neon
// (pf16): 4 rows x 16 channels (four q registers) per step, sixteen independent fmla
// chains; each row's four activations are loaded once and used by lane. pf16 widens
// its weights with fcvtl (exact), rounds each group of four activations to fp16 values
// with an fcvtn/fcvtl pair as it loads them (one pair per sixteen fmla), and rounds each
// result once. Advanced SIMD, fp16 conversions included, is part of every aarch64 CPU,
// so the file needs no -march flag. FMA changes the rounding: results stay within
// numerics.md's pf32 (pf16) bound, not bit for bit.

#include "kiln/cpu/MatmulF32.h"

#include "EpilogueNeon.h"
#include "TileLoop.h"

#include <arm_neon.h>

#include <cstring>
#include <type_traits>

namespace kiln::cpu {
namespace {

constexpr int kMr = 4;

/// 16 packed weights of one k as fp32: f32p16x1 as is, f16p16x1 widened.
inline void load16(float32x4_t (&wv)[4], const float *w) {
  for (int q = 0; q < 4; ++q)
    wv[q] = vld1q_f32(w + 4 * q);
}
inline void load16(float32x4_t (&wv)[4], const uint16_t *w) {
  for (int h = 0; h < 2; ++h) {
    float16x8_t v = vreinterpretq_f16_u16(vld1q_u16(w + 8 * h));
    wv[2 * h] = vcvt_f32_f16(vget_low_f16(v));
    wv[2 * h + 1] = vcvt_high_f32_f16(v);
  }
}

/// pf16's rounding: nearest fp16 value, ties to even (the default FPCR mode),
/// overflow to infinity.
inline float32x4_t roundToHalf(float32x4_t v) { return vcvt_f32_f16(vcvt_f16_f32(v)); }

/// The activations a tile multiplies: as they are for pf32, fp16 values for pf16.
template <typename Weight> inline float32x4_t activations(float32x4_t x) {
  if constexpr (std::is_same_v<Weight, uint16_t>)
    return roundToHalf(x);
  else
    return x;
}

/// acc[r] += x[r][Lane] · w[k], the packed weights of one k at `w`.
template <int Lane, int R, typename Weight>
inline void fmaStep(float32x4_t (&acc)[R][4], const Weight *w, const float32x4_t (&x)[R]) {
  float32x4_t wv[4];
  load16(wv, w);
  for (int r = 0; r < R; ++r)
    for (int q = 0; q < 4; ++q)
      acc[r][q] = vfmaq_laneq_f32(acc[r][q], wv[q], x[r], Lane);
}

template <int R, typename Weight>
void tile(const F32MatmulArgs &a, const float *lhs, float *dst, const Weight *w, size_t n0,
          size_t cols) {
  float32x4_t acc[R][4];
  for (int r = 0; r < R; ++r)
    for (int q = 0; q < 4; ++q)
      acc[r][q] = vdupq_n_f32(0.0f);
  size_t k = 0;
  for (; k + 4 <= a.k; k += 4, w += 4 * kF32Nr) {
    float32x4_t x[R];
    for (int r = 0; r < R; ++r)
      x[r] = activations<Weight>(vld1q_f32(lhs + r * a.lhsStride + k));
    fmaStep<0>(acc, w, x);
    fmaStep<1>(acc, w + kF32Nr, x);
    fmaStep<2>(acc, w + 2 * kF32Nr, x);
    fmaStep<3>(acc, w + 3 * kF32Nr, x);
  }
  for (; k < a.k; ++k, w += kF32Nr) {
    float32x4_t x[R];
    for (int r = 0; r < R; ++r)
      x[r] = activations<Weight>(vdupq_n_f32(lhs[r * a.lhsStride + k]));
    fmaStep<0>(acc, w, x);
  }
  float biasTile[16];
  const float *bias = tileBias(a.bias, n0, cols, biasTile);
  for (int r = 0; r < R; ++r) {
    float *row = dst + r * a.dstStride + n0;
    if constexpr (std::is_same_v<Weight, uint16_t>) {
      float out[16];
      storeRow(out, acc[r], bias, a.clampMin, a.clampMax, 16);
      for (int q = 0; q < 4; ++q)
        vst1q_f32(out + 4 * q, roundToHalf(vld1q_f32(out + 4 * q)));
      std::memcpy(row, out, cols * sizeof(float));
    } else {
      storeRow(row, acc[r], bias, a.clampMin, a.clampMax, cols);
    }
  }
}

template <typename Weight> void matmul(const F32MatmulArgs &a) {
  const auto *packed = static_cast<const Weight *>(a.rhsPacked);
  forEachTile<kF32Nr, kMr>(a.m, a.n, [&](size_t n0, size_t cols, size_t m0, auto rows) {
    tile<decltype(rows)::value>(a, a.lhs + m0 * a.lhsStride, a.dst + m0 * a.dstStride,
                                packed + n0 / kF32Nr * a.k * kF32Nr, n0, cols);
  });
}

} // namespace

void kiln_matmul_clamp_f32_f32_f32p_4x16x1_neon(const F32MatmulArgs &a) { matmul<float>(a); }

void kiln_matmul_clamp_f32_f32_f16p_4x16x1_neon(const F32MatmulArgs &a) { matmul<uint16_t>(a); }

} // namespace kiln::cpu
