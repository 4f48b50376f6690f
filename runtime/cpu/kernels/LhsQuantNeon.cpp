// lhs_quant_qai8dx_f32_neon, 8 values per step. Advanced SIMD is in the aarch64
// baseline, so every NEON tier uses it.

#include "kiln/cpu/LhsQuant.h"

#include "Kernels.h"

#include <arm_neon.h>

#include <algorithm>

namespace kiln::cpu {

void kiln_lhs_quant_qai8dx_f32_neon(size_t m, size_t k, const float *lhs, int8_t *out,
                                    float *rowScales, int32_t *rowZeroPoints) {
  for (size_t r = 0; r < m; ++r) {
    const float *row = lhs + r * k;
    int8_t *q = out + r * k;
    // As std::min/std::max with the running value first: a NaN never replaces it.
    // The sign of a zero bound changes no later value, so lane order does not matter.
    float32x4_t lo4 = vdupq_n_f32(0.0f), hi4 = vdupq_n_f32(0.0f);
    size_t i = 0;
    for (; i + 4 <= k; i += 4) {
      float32x4_t x = vld1q_f32(row + i);
      lo4 = vbslq_f32(vcltq_f32(x, lo4), x, lo4);
      hi4 = vbslq_f32(vcltq_f32(hi4, x), x, hi4);
    }
    float lo = vminvq_f32(lo4), hi = vmaxvq_f32(hi4);
    for (; i < k; ++i) {
      lo = std::min(lo, row[i]);
      hi = std::max(hi, row[i]);
    }
    const detail::RowQuantParams p = detail::qai8dxRowParams(lo, hi);
    const float32x4_t inv = vdupq_n_f32(p.inv);
    const int32x4_t zp = vdupq_n_s32(p.zeroPoint);
    for (i = 0; i + 8 <= k; i += 8) {
      // fcvtas rounds half away from zero, as std::round; the saturating narrows are
      // the clamp to [-128, 127].
      int32x4_t a = vaddq_s32(vcvtaq_s32_f32(vmulq_f32(vld1q_f32(row + i), inv)), zp);
      int32x4_t b = vaddq_s32(vcvtaq_s32_f32(vmulq_f32(vld1q_f32(row + i + 4), inv)), zp);
      vst1_s8(q + i, vqmovn_s16(vcombine_s16(vqmovn_s32(a), vqmovn_s32(b))));
    }
    for (; i < k; ++i)
      q[i] = detail::qai8dxValue(row[i], p);
    rowScales[r] = p.scale;
    rowZeroPoints[r] = p.zeroPoint;
  }
}

} // namespace kiln::cpu
