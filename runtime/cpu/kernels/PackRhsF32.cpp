// RHS packing of pf32 and pf16 (layouts in kiln/cpu/MatmulF32.h); runs once per model
// load.

#include "kiln/cpu/MatmulF32.h"

namespace kiln::cpu {
namespace {

/// [N,K] row-major to tiles of kF32Nr channels, [K][kF32Nr] each, the last zero-padded.
template <typename T> void packTiles(size_t n, size_t k, const T *weights, void *packed) {
  auto *out = static_cast<T *>(packed);
  for (size_t t = 0; t < (n + kF32Nr - 1) / kF32Nr; ++t)
    for (size_t kk = 0; kk < k; ++kk)
      for (size_t c = 0; c < kF32Nr; ++c) {
        size_t ch = t * kF32Nr + c;
        *out++ = ch < n ? weights[ch * k + kk] : T(0);
      }
}

size_t tiles(size_t n) { return (n + kF32Nr - 1) / kF32Nr; }

} // namespace

size_t kiln_rhs_pack_nxk_f32p16x1_f32_tile_size(size_t k) { return k * kF32Nr * sizeof(float); }

size_t kiln_rhs_pack_nxk_f32p16x1_f32_size(size_t n, size_t k) {
  return tiles(n) * kiln_rhs_pack_nxk_f32p16x1_f32_tile_size(k);
}

void kiln_rhs_pack_nxk_f32p16x1_f32(size_t n, size_t k, const float *weights, void *packed) {
  packTiles(n, k, weights, packed);
}

size_t kiln_rhs_pack_nxk_f16p16x1_f16_tile_size(size_t k) {
  return k * kF32Nr * sizeof(uint16_t);
}

size_t kiln_rhs_pack_nxk_f16p16x1_f16_size(size_t n, size_t k) {
  return tiles(n) * kiln_rhs_pack_nxk_f16p16x1_f16_tile_size(k);
}

void kiln_rhs_pack_nxk_f16p16x1_f16(size_t n, size_t k, const uint16_t *weights, void *packed) {
  packTiles(n, k, weights, packed);
}

} // namespace kiln::cpu
