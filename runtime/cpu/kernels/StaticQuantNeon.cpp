// quant_qai8_f32_neon and dequant_f32_qai8_neon, 16 and 8 values per step; the
// remainder runs the scalar kernels themselves, so there is one definition of the
// arithmetic to agree with. Advanced SIMD is in the aarch64 baseline.

#include "kiln/cpu/StaticQuant.h"

#include "EpilogueNeon.h"
#include "Kernels.h"

#include <arm_neon.h>

namespace kiln::cpu {
namespace {

/// Four values to int32: clamp to ±256 as std::min(std::max(v, lo), hi), round half
/// to even (fcvtns, as std::nearbyint in the default mode), add zp.
inline int32x4_t quantize4(const float *x, float32x4_t invScale, int32x4_t zeroPoint) {
  float32x4_t v = vmulq_f32(vld1q_f32(x), invScale);
  v = clampLikeScalar(v, vdupq_n_f32(-256.0f), vdupq_n_f32(256.0f));
  return vaddq_s32(vcvtnq_s32_f32(v), zeroPoint);
}

/// Eight int32 values saturated to int8 (the RESCALE saturation).
inline int8x8_t narrow8(int32x4_t a, int32x4_t b) {
  return vqmovn_s16(vcombine_s16(vqmovn_s32(a), vqmovn_s32(b)));
}

} // namespace

void kiln_quant_qai8_f32_neon(size_t count, float invScale, int32_t zeroPoint,
                              const float *input, int8_t *output) {
  const float32x4_t inv = vdupq_n_f32(invScale);
  const int32x4_t zp = vdupq_n_s32(zeroPoint);
  size_t i = 0;
  for (; i + 16 <= count; i += 16) {
    const float *x = input + i;
    int8x8_t lo = narrow8(quantize4(x, inv, zp), quantize4(x + 4, inv, zp));
    int8x8_t hi = narrow8(quantize4(x + 8, inv, zp), quantize4(x + 12, inv, zp));
    vst1q_s8(output + i, vcombine_s8(lo, hi));
  }
  vgf::QuantizeStaticDesc rest{uint32_t(count - i), invScale, zeroPoint};
  detail::quantizeStaticScalar(rest, input + i, output + i);
}

void kiln_dequant_f32_qai8_neon(size_t count, float scale, int32_t zeroPoint,
                                const int8_t *input, float *output) {
  const float32x4_t s = vdupq_n_f32(scale);
  const float32x4_t zp = vdupq_n_f32(float(zeroPoint));
  size_t i = 0;
  for (; i + 8 <= count; i += 8) {
    int16x8_t q = vmovl_s8(vld1_s8(input + i));
    float32x4_t lo = vcvtq_f32_s32(vmovl_s16(vget_low_s16(q)));
    float32x4_t hi = vcvtq_f32_s32(vmovl_high_s16(q));
    vst1q_f32(output + i, vmulq_f32(vsubq_f32(lo, zp), s));
    vst1q_f32(output + i + 4, vmulq_f32(vsubq_f32(hi, zp), s));
  }
  vgf::DequantizeDesc rest{uint32_t(count - i), zeroPoint, scale};
  detail::dequantizeScalar(rest, input + i, output + i);
}

} // namespace kiln::cpu
