// lhs_pack_qai8dxp8x4_qai8dx: QuantizeRows' int8 rows, interleaved by 4-k words for
// 8 rows and shifted to unsigned (kiln/cpu/MatmulPackedLhs.h has the layout). Plain
// C++: O(M·K) bytes per GEMM run beside the GEMM's O(M·N·K) work.

#include "kiln/cpu/MatmulPackedLhs.h"

#include <cstring>

namespace kiln::cpu {
namespace {

constexpr size_t kMr = kPackedLhsMr;

size_t paddedK(size_t k) { return (k + 3) / 4 * 4; }

/// One block of `rows` <= 8 rows.
void packBlock(size_t rows, size_t k, const int8_t *lhs, size_t lhsStride, const float *scales,
               const int32_t *zeroPoints, uint8_t *out) {
  const size_t kp = paddedK(k), whole = k / 4;
  for (size_t r = 0; r < rows; ++r) {
    const int8_t *row = lhs + r * lhsStride;
    uint8_t *dst = out + r * 4;
    for (size_t g = 0; g < whole; ++g, dst += kMr * 4) {
      uint32_t word;
      std::memcpy(&word, row + 4 * g, 4);
      word ^= 0x80808080u; // x + 128 on each byte
      std::memcpy(dst, &word, 4);
    }
    if (kp > k) { // the K tail: x = 0 past K
      uint32_t word = 0;
      std::memcpy(&word, row + 4 * whole, k - 4 * whole);
      word ^= 0x80808080u;
      std::memcpy(dst, &word, 4);
    }
  }
  for (size_t r = rows; r < kMr; ++r)
    for (size_t g = 0; g < kp / 4; ++g)
      std::memset(out + (g * kMr + r) * 4, 0x80, 4);
  auto *offsets = reinterpret_cast<int32_t *>(out + kMr * kp);
  auto *rowScales = reinterpret_cast<float *>(offsets + kMr);
  for (size_t r = 0; r < kMr; ++r) {
    offsets[r] = r < rows ? 128 + zeroPoints[r] : 0;
    rowScales[r] = r < rows ? scales[r] : 0.0f;
  }
}

} // namespace

size_t kiln_lhs_pack_qai8dxp8x4_qai8dx_block_size(size_t k) {
  return kMr * paddedK(k) + kMr * (sizeof(int32_t) + sizeof(float));
}

size_t kiln_lhs_pack_qai8dxp8x4_qai8dx_size(size_t m, size_t k) {
  return (m + kMr - 1) / kMr * kiln_lhs_pack_qai8dxp8x4_qai8dx_block_size(k);
}

void kiln_lhs_pack_qai8dxp8x4_qai8dx(size_t m, size_t k, const int8_t *lhs, size_t lhsStride,
                                     const float *scales, const int32_t *zeroPoints,
                                     void *packed) {
  const size_t blockBytes = kiln_lhs_pack_qai8dxp8x4_qai8dx_block_size(k);
  auto *out = static_cast<uint8_t *>(packed);
  for (size_t m0 = 0; m0 < m; m0 += kMr, out += blockBytes) {
    const size_t rows = m - m0 < kMr ? m - m0 : kMr;
    packBlock(rows, k, lhs + m0 * lhsStride, lhsStride, scales + m0, zeroPoints + m0, out);
  }
}

} // namespace kiln::cpu
