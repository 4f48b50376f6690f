#pragma once
/// lhs_quant_qai8dx_f32_<isa>: numerics.md's dynamic per-row asymmetric int8
/// quantization (KleidiAI's qai8dx) of an fp32 [M,K] activation into the layout the
/// QuantizeRows segment writes (int8 rows, f32 row scales, i32 row zero points), so the
/// dynamic GEMM kernels read it unpacked. Bit-identical to the scalar QuantizeRows
/// kernel: the row parameters come from the same function, and each value is
/// x * inv rounded half away from zero, then + zp and clamped. Stateless; no allocation.

#include <cstddef>
#include <cstdint>

namespace kiln::cpu {

void kiln_lhs_quant_qai8dx_f32_avx2(size_t m, size_t k, const float *lhs, int8_t *out,
                                    float *rowScales, int32_t *rowZeroPoints);
void kiln_lhs_quant_qai8dx_f32_neon(size_t m, size_t k, const float *lhs, int8_t *out,
                                    float *rowScales, int32_t *rowZeroPoints);

} // namespace kiln::cpu
