#pragma once
/// Micro-kernels of the dynamic schemes (numerics.md's qp8_f32_qc8w and qp8_f32_qb4w):
///   matmul_clamp_f32_qai8dx_qsi8cxp_<mr>x16x4_<isa>   per-channel int8 weights
///   matmul_clamp_f32_qai8dx_qsi4c32p_<mr>x16x8_<isa>  block-wise int4 weights
/// The LHS is the quantized activation exactly as the QuantizeRows segment leaves it
/// between segments (row-major int8 rows plus per-row scale and zero point), so it is
/// `qai8dx`, not packed. The RHS is packed once, at model load, by the pack functions
/// below; each answers its size query first. Kernels and packers are stateless and do
/// not allocate. Every variant reproduces the scalar reference bit for bit: int32
/// accumulators are exact and the fp32 epilogue runs unfused in numerics.md's order.
///
/// Packed RHS layout: N is cut into tiles of 16 output channels (the last tile
/// zero-padded); tile t starts at t * tileBytes and holds
///   qsi8cx:  data [Kp/4][16 channels][4 k] int8 (K rounded up to 4, zero-padded),
///            then int32 sums[16] (Σ_k w, the zero-point correction) and f32 scales[16];
///            qsi8cxp16x8 is the same with 8 k per channel and K rounded up to 8, for
///            i8mm's smmla, whose operand is 2 channels x 8 k (16 bytes);
///   qsu4c32: per K block of bl, data [bl/8][16 channels][4 bytes], byte i of a channel
///            holding k = 8g+i in its low nibble and k = 8g+4+i in its high nibble,
///            each as the unsigned u = w + 8 in [0, 15] (KleidiAI's qsu4 encoding), so
///            one 64-byte load gives two 4-k steps that vpdpbusd takes as its unsigned
///            operand once masked (the signed one being the raw int8 activations);
///            then bf16 scales[16], the block scales as stored (numerics.md). No sums:
///            the kernels add the block's nibbles up from the ones they unpack anyway,
///            which saves a quarter of the bytes a decode step streams (0.5625
///            instead of 0.75 byte per weight).

#include <cstddef>
#include <cstdint>

namespace kiln::cpu {

inline constexpr size_t kDynamicNr = 16;

/// The operands of one call: rows [0, m) and channels [0, n) of the output, where
/// `rhsPacked` points at the first tile to compute and `bias` (nullable) and `dst`
/// at the matching channel.
struct DynamicMatmulArgs {
  size_t m = 0, n = 0, k = 0;
  size_t blockSize = 0; ///< qsi4c32 only; a multiple of 8 that divides k
  const int8_t *lhs = nullptr;
  size_t lhsStride = 0; ///< bytes between rows
  const float *lhsScales = nullptr;
  const int32_t *lhsZeroPoints = nullptr;
  const void *rhsPacked = nullptr;
  const float *bias = nullptr;
  float *dst = nullptr;
  size_t dstStride = 0; ///< floats between rows
  float clampMin = 0, clampMax = 0;
};

/// Bytes of one packed 16-channel tile, and of the whole packed RHS.
size_t kiln_rhs_pack_nxk_qsi8cxp16x4_qsi8cx_tile_size(size_t k);
size_t kiln_rhs_pack_nxk_qsi8cxp16x4_qsi8cx_size(size_t n, size_t k);
size_t kiln_rhs_pack_nxk_qsi8cxp16x8_qsi8cx_tile_size(size_t k);
size_t kiln_rhs_pack_nxk_qsi8cxp16x8_qsi8cx_size(size_t n, size_t k);
size_t kiln_rhs_pack_nxk_qsu4c32p16x8_qsi4c32_tile_size(size_t k, size_t bl);
size_t kiln_rhs_pack_nxk_qsu4c32p16x8_qsi4c32_size(size_t n, size_t k, size_t bl);

/// Packs int8 weights [N,K] and their per-channel scales [N] (null: zeros, for the
/// static scheme, which has none); computes the sums.
void kiln_rhs_pack_nxk_qsi8cxp16x4_qsi8cx(size_t n, size_t k, const int8_t *weights,
                                          const float *scales, void *packed);
void kiln_rhs_pack_nxk_qsi8cxp16x8_qsi8cx(size_t n, size_t k, const int8_t *weights,
                                          const float *scales, void *packed);
/// Whether `count` block scales are bf16 values widened to f32 (low 16 bits zero), as
/// the compiler stores them; only those can be packed without changing a result.
bool kiln_rhs_pack_nxk_qsu4c32p16x8_qsi4c32_accepts(size_t count, const float *scales);
/// Packs int4 weights [N,K/2] (descriptor layout: k = 2j in the low nibble of byte j)
/// and their block scales [N,K/bl], which must pass the `_accepts` check.
void kiln_rhs_pack_nxk_qsu4c32p16x8_qsi4c32(size_t n, size_t k, size_t bl,
                                            const uint8_t *weights, const float *scales,
                                            void *packed);

void kiln_matmul_clamp_f32_qai8dx_qsi8cxp_2x16x4_avx2(const DynamicMatmulArgs &args);
void kiln_matmul_clamp_f32_qai8dx_qsi4c32p_2x16x8_avx2(const DynamicMatmulArgs &args);
void kiln_matmul_clamp_f32_qai8dx_qsi8cxp_8x32x4_avx512vnni(const DynamicMatmulArgs &args);
void kiln_matmul_clamp_f32_qai8dx_qsi4c32p_4x16x8_avx512vnni(const DynamicMatmulArgs &args);
void kiln_matmul_clamp_f32_qai8dx_qsi8cxp_4x16x4_neondot(const DynamicMatmulArgs &args);
void kiln_matmul_clamp_f32_qai8dx_qsi4c32p_4x16x8_neondot(const DynamicMatmulArgs &args);
void kiln_matmul_clamp_f32_qai8dx_qsi8cxp_4x16x8_neoni8mm(const DynamicMatmulArgs &args);

} // namespace kiln::cpu
