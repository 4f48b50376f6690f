#pragma once
/// The static (per-tensor) int8 conversions of the pqs8_qc8w scheme, whose model input
/// is quantized and output dequantized by QuantizeStatic and Dequantize segments
/// (docs/lowering.md gives their TOSA op sequences):
///   quant_qai8_f32_<isa>    q = sat8(round_half_even(clamp(x · invScale, ±256)) + zp)
///   dequant_f32_qai8_<isa>  y = (f32(q) − f32(zp)) · scale
/// Bit-identical to the scalar kernels (same fp32 operations, unfused, in the same
/// order). Elementwise and memory-bound, so one AVX2 variant serves the AVX-512 tier
/// too, and one NEON variant every aarch64 tier. Stateless; no allocation.

#include <cstddef>
#include <cstdint>

namespace kiln::cpu {

void kiln_quant_qai8_f32_avx2(size_t count, float invScale, int32_t zeroPoint,
                              const float *input, int8_t *output);
void kiln_dequant_f32_qai8_avx2(size_t count, float scale, int32_t zeroPoint,
                                const int8_t *input, float *output);
void kiln_quant_qai8_f32_neon(size_t count, float invScale, int32_t zeroPoint,
                              const float *input, int8_t *output);
void kiln_dequant_f32_qai8_neon(size_t count, float scale, int32_t zeroPoint,
                                const int8_t *input, float *output);

} // namespace kiln::cpu
