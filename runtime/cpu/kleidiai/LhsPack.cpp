#include "LhsPack.h"

#include <algorithm>
#include <cstring>

namespace kiln::cpu::kleidiai {

void kiln_lhs_pack_qai8dxp_qai8dx(size_t m, size_t k, size_t mr, size_t kr, size_t sr,
                                  const int8_t *lhs, size_t lhsStride, const float *rowScales,
                                  const int32_t *rowZeroPoints, void *lhsPacked) {
  // Kp: KleidiAI's kernels step K by 32 (kai_k_roundedup in its pack and matmul files).
  const size_t kPadded = (k + 31) / 32 * 32, chunk = kr / sr;
  const size_t blockBytes = mr * (kPadded + sizeof(int32_t) + sizeof(float));
  auto *out = static_cast<uint8_t *>(lhsPacked);
  for (size_t row = 0; row < m; ++row) {
    uint8_t *block = out + row / mr * blockBytes;
    const size_t r = row % mr;
    const int8_t *x = lhs + row * lhsStride;
    for (size_t c = 0; c < kPadded / chunk; ++c) {
      int8_t *dst = reinterpret_cast<int8_t *>(block) + (c * mr + r) * chunk;
      for (size_t j = 0; j < chunk; ++j)
        dst[j] = x[std::min(c * chunk + j, k - 1)];
    }
    // KleidiAI keeps the negated zero point: its kernels add offset · Σw.
    const int32_t offset = -rowZeroPoints[row];
    std::memcpy(block + mr * kPadded + r * sizeof(int32_t), &offset, sizeof(offset));
    std::memcpy(block + mr * (kPadded + sizeof(int32_t)) + r * sizeof(float), &rowScales[row],
                sizeof(float));
  }
}

} // namespace kiln::cpu::kleidiai
