#pragma once
/// lhs_pack_qai8dxp_qai8dx: Kiln's already-quantized dynamic rows (a QuantizeRows
/// segment's int8 rows, f32 row scales and i32 zero points) in KleidiAI's qai8dxp
/// layout, the packed LHS of its matmul_clamp_f32_qai8dxp_* kernels. KleidiAI's own
/// producer, kai_run_lhs_quant_pack_qai8dxp_f32, quantizes fp32 rows itself with
/// numerics.md's qai8dx formula; this one starts from the rows Kiln's segment wrote
/// (numerics.md's contract: the quantized activations are the same bytes on every
/// backend), and writes the same bytes as that producer would from the fp32 rows.
/// Stateless; no allocation.
///
/// The layout (KleidiAI 1.30.0, kai_lhs_quant_pack_qai8dxp_f32.c): blocks of `mr`
/// rows, each `mr · (Kp + 8)` bytes with Kp = K rounded up to 32: first the int8
/// values in chunks of kr/sr k, chunk c of row r at `(c · mr + r) · kr/sr`, the k past
/// K repeating row r's value at K−1; then `mr` int32 −zp; then `mr` f32 row scales.
/// Rows past M in the last block are not written. The size and offset queries are
/// KleidiAI's (kai_get_lhs_packed_size_lhs_quant_pack_qai8dxp_f32).

#include <cstddef>
#include <cstdint>

namespace kiln::cpu::kleidiai {

/// Packs rows [0, m) of `lhs` (row r at lhs + r·lhsStride; row scales and zero points
/// r) into `lhsPacked`, row 0 at the start of a block. Needs k >= 1 and mr, kr/sr >= 1.
void kiln_lhs_pack_qai8dxp_qai8dx(size_t m, size_t k, size_t mr, size_t kr, size_t sr,
                                  const int8_t *lhs, size_t lhsStride, const float *rowScales,
                                  const int32_t *rowZeroPoints, void *lhsPacked);

} // namespace kiln::cpu::kleidiai
