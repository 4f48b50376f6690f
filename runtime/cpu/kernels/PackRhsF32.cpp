// RHS packing of pf32 (layout in kiln/cpu/MatmulF32.h); runs once per model load.

#include "kiln/cpu/MatmulF32.h"

namespace kiln::cpu {

size_t kiln_rhs_pack_nxk_f32p16x1_f32_tile_size(size_t k) { return k * kF32Nr * sizeof(float); }

size_t kiln_rhs_pack_nxk_f32p16x1_f32_size(size_t n, size_t k) {
  return (n + kF32Nr - 1) / kF32Nr * kiln_rhs_pack_nxk_f32p16x1_f32_tile_size(k);
}

void kiln_rhs_pack_nxk_f32p16x1_f32(size_t n, size_t k, const float *weights, void *packed) {
  auto *out = static_cast<float *>(packed);
  for (size_t t = 0; t < (n + kF32Nr - 1) / kF32Nr; ++t)
    for (size_t kk = 0; kk < k; ++kk)
      for (size_t c = 0; c < kF32Nr; ++c) {
        size_t ch = t * kF32Nr + c;
        *out++ = ch < n ? weights[ch * k + kk] : 0.0f;
      }
}

} // namespace kiln::cpu
