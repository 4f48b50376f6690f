#pragma once
/// The dynamic schemes' micro-kernels on a packed LHS (`qai8dxp`):
///   lhs_pack_qai8dxp8x4_qai8dx                            QuantizeRows' rows, packed
///   matmul_clamp_f32_qai8dxp_qsi8cxp_8x32x4_<isa>         qp8_f32_qc8w
///   matmul_clamp_f32_qai8dxp_qsi4c32p_8x16x8_<isa>        qp8_f32_qb4w
/// A compiled model's QuantizeRows segment writes the unpacked `qai8dx` rows every
/// backend shares (int8 rows, f32 row scales, i32 row zero points); the executor packs
/// them once per GEMM run into scratch it owns, and the kernels read only the packed
/// copy. Same RHS packing as kiln/cpu/MatmulDynamic.h, same results: bit-identical to
/// the scalar kernels.
///
/// Packed LHS layout `qai8dxp8x4`: rows in blocks of 8 (the last block padded), block
/// b starting at b * blockBytes and holding
///   data    [Kp/4][8 rows][4 k] uint8, x + 128 (what vpdpbusd multiplies: unsigned),
///           K rounded up to 4; padding (k >= K or a row past m) is 128, i.e. x = 0;
///   offsets [8] int32, 128 + zp of each row (the weight-sum correction's factor:
///           Σ(x+128)·w − (128 + zp)·Σw = Σx·w − zp·Σw, numerics.md's iacc); padding 0;
///   scales  [8] f32, the row scales; padding 0.
/// One 32-byte line per 4-k step gives a kernel all eight rows' activation words, so
/// each is a broadcast load with no shift, where unpacked rows cost eight streams and
/// an xor per row and step.

#include <cstddef>
#include <cstdint>

namespace kiln::cpu {

inline constexpr size_t kPackedLhsMr = 8;

/// Bytes of one packed block of 8 rows, and of m rows (m rounded up to 8).
size_t kiln_lhs_pack_qai8dxp8x4_qai8dx_block_size(size_t k);
size_t kiln_lhs_pack_qai8dxp8x4_qai8dx_size(size_t m, size_t k);

/// Packs rows [0, m) of `lhs` (int8, `lhsStride` bytes apart) with their scales and
/// zero points. Callers may split the rows at multiples of 8 and pack each part to
/// `packed` + (first row / 8) * block size.
void kiln_lhs_pack_qai8dxp8x4_qai8dx(size_t m, size_t k, const int8_t *lhs, size_t lhsStride,
                                     const float *scales, const int32_t *zeroPoints,
                                     void *packed);

/// Rows [0, m) and channels [0, n) of one call: `lhsPacked` at the block of row 0,
/// `rhsPacked` at the first tile to compute, `bias` (nullable) and `dst` at the
/// matching channel.
struct PackedLhsMatmulArgs {
  size_t m = 0, n = 0, k = 0;
  size_t blockSize = 0; ///< qsi4c32 only; a multiple of 8 that divides k
  const void *lhsPacked = nullptr;
  const void *rhsPacked = nullptr;
  const float *bias = nullptr;
  float *dst = nullptr;
  size_t dstStride = 0; ///< floats between rows
  float clampMin = 0, clampMax = 0;
};

void kiln_matmul_clamp_f32_qai8dxp_qsi8cxp_8x32x4_avx512vnni(const PackedLhsMatmulArgs &args);
void kiln_matmul_clamp_f32_qai8dxp_qsi4c32p_8x16x8_avx512vnni(const PackedLhsMatmulArgs &args);

} // namespace kiln::cpu
