#pragma once
/// Micro-kernels of the pf32 scheme, matmul_clamp_f32_f32_f32p_<mr>x<nr>x1_<isa>, and of
/// pf16, matmul_clamp_f32_f32_f16p_<mr>x<nr>x1_<isa> (declared at the end).
/// The LHS is the model's fp32 activation as it lies between segments (row-major, not
/// packed), or for the f32p kernels a copy packed per run (f32p12x1, below); the RHS
/// is packed once, at model load. They accumulate with FMA, in a
/// different order from the scalar loop, so results agree within numerics.md's pf32
/// bound (|y - y_ref| <= 2·K·eps·Σ|x·w|), not bit for bit. Stateless; no allocation.
///
/// Packed RHS layout: N cut into tiles of 16 channels (the last zero-padded); tile t
/// starts at t * tileBytes and holds [K][16] f32, channel-contiguous per k.

#include <cstddef>
#include <cstdint>

namespace kiln::cpu {

inline constexpr size_t kF32Nr = 16;

/// The operands of one call, as in DynamicMatmulArgs: `rhsPacked` points at the first
/// tile to compute, `bias` (nullable) and `dst` at the matching channel.
struct F32MatmulArgs {
  size_t m = 0, n = 0, k = 0;
  const float *lhs = nullptr;
  size_t lhsStride = 0; ///< floats between rows
  const void *rhsPacked = nullptr;
  const float *bias = nullptr;
  float *dst = nullptr;
  size_t dstStride = 0; ///< floats between rows
  float clampMin = 0, clampMax = 0;
};

size_t kiln_rhs_pack_nxk_f32p16x1_f32_tile_size(size_t k);
size_t kiln_rhs_pack_nxk_f32p16x1_f32_size(size_t n, size_t k);
/// Packs fp32 weights [N,K].
void kiln_rhs_pack_nxk_f32p16x1_f32(size_t n, size_t k, const float *weights, void *packed);

void kiln_matmul_clamp_f32_f32_f32p_4x16x1_avx2(const F32MatmulArgs &args);
void kiln_matmul_clamp_f32_f32_f32p_12x32x1_avx512(const F32MatmulArgs &args);

/// Packed LHS layout f32p12x1: rows in blocks of 12, block b at b * 12 * K floats and
/// holding [K][rows in the block] (12, fewer in the last one; no padding, so m rows
/// take m * K floats): one 48-byte line per k gives a kernel a whole block's
/// activations.
inline constexpr size_t kF32PackedLhsMr = 12;

inline size_t kiln_lhs_pack_f32p12x1_f32_size(size_t m, size_t k) { return m * k * sizeof(float); }
/// Packs rows [0, m) of `lhs` (`lhsStride` floats apart). Callers may split the rows at
/// multiples of 12 and pack each part to `packed` + first row * k.
void kiln_lhs_pack_f32p12x1_f32_avx512(size_t m, size_t k, const float *lhs, size_t lhsStride,
                                       float *packed);

/// The operands of a kernel on a packed LHS: as F32MatmulArgs, with `lhsPacked` at the
/// block of row 0 in place of the rows.
struct F32PackedLhsMatmulArgs {
  size_t m = 0, n = 0, k = 0;
  const float *lhsPacked = nullptr;
  const void *rhsPacked = nullptr;
  const float *bias = nullptr;
  float *dst = nullptr;
  size_t dstStride = 0; ///< floats between rows
  float clampMin = 0, clampMax = 0;
};

/// The same results as the unpacked kernel of the same tile (the same sums in the same
/// order); PackedGemm runs it from M = 2 up.
void kiln_matmul_clamp_f32_f32p_f32p_12x32x1_avx512(const F32PackedLhsMatmulArgs &args);

/// pf16: the same arguments and loop nest on fp16 weights packed as f16p16x1 (the
/// f32p16x1 layout with fp16 elements, half the bytes), widened exactly on load. As the
/// scalar pf16 kernel does (numerics.md), the fp32 activations are rounded to fp16
/// values before they multiply and each result is rounded to an fp16 value once, after
/// bias and clamp (nearest even, overflow to infinity); dst holds those values as fp32.
/// Within numerics.md's pf16 bound of the scalar kernel, not bit for bit (FMA order).
size_t kiln_rhs_pack_nxk_f16p16x1_f16_tile_size(size_t k);
size_t kiln_rhs_pack_nxk_f16p16x1_f16_size(size_t n, size_t k);
/// Packs fp16 weights [N,K] (IEEE half bits).
void kiln_rhs_pack_nxk_f16p16x1_f16(size_t n, size_t k, const uint16_t *weights, void *packed);

void kiln_matmul_clamp_f32_f32_f16p_4x16x1_avx2(const F32MatmulArgs &args);
void kiln_matmul_clamp_f32_f32_f16p_12x32x1_avx512(const F32MatmulArgs &args);
/// pf16 on a packed LHS: the packer rounds the activations to fp16 values (stored as
/// fp32, f32p12x1), so the kernel only widens its weights and rounds its results.
void kiln_lhs_pack_f32p12x1_f32_round_f16_avx512(size_t m, size_t k, const float *lhs,
                                                 size_t lhsStride, float *packed);
void kiln_matmul_clamp_f32_f32p_f16p_12x32x1_avx512(const F32PackedLhsMatmulArgs &args);
void kiln_matmul_clamp_f32_f32_f32p_4x16x1_neon(const F32MatmulArgs &args);
void kiln_matmul_clamp_f32_f32_f16p_4x16x1_neon(const F32MatmulArgs &args);

} // namespace kiln::cpu
