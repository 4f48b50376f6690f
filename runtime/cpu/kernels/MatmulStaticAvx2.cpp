// matmul_clamp_qai8_qai8_qsi8cxp_2x16x4_avx2: pqs8_qc8w on the AVX2 qc8w kernel's
// exact int8 dot loop (DotInt8Avx2.h, 2 rows x 16 channels, vpmaddwd on int16) over
// the same qsi8cxp16x4 packing without scales. The int32 accumulator is numerics.md's
// exactly: Σx·w − zp_x·Σw + b = Σ(x − zp_x)·w + b. The requantization (64-bit
// apply_scale_32, zero point, clamps) runs lane by lane through the scalar kernel's
// own function, so the int8 outputs are bit-identical. Built with -mavx2 (per-file
// flags), called only when CPUID says so.

#include "kiln/cpu/MatmulDynamic.h"
#include "kiln/cpu/MatmulStatic.h"

#include "DotInt8Avx2.h"
#include "Requantize.h"
#include "TileLoop.h"

#include <cstring>

namespace kiln::cpu {
namespace {

constexpr size_t kNr = kDynamicNr;

/// R rows of one 16-channel tile (`cols` channels) at row 0 and channel n0 of `a`.
template <int R>
void tile(const StaticMatmulArgs &a, const int8_t *lhs, int8_t *dst, const uint8_t *p,
          size_t n0, size_t cols) {
  __m256i dot[R][2];
  const uint8_t *sums = dotInt8<R>(p, lhs, a.lhsStride, 0, a.k, dot);
  const __m256i zp = _mm256_set1_epi32(a.lhsZeroPoint);
  int32_t bias[kNr] = {};
  if (a.bias)
    std::memcpy(bias, a.bias + n0, cols * 4);
  __m256i offset[2];
  for (int h = 0; h < 2; ++h)
    offset[h] = _mm256_sub_epi32(
        _mm256_loadu_si256(reinterpret_cast<const __m256i *>(bias) + h),
        _mm256_mullo_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i *>(sums) + h), zp));
  for (int r = 0; r < R; ++r) {
    int32_t values[kNr];
    for (int h = 0; h < 2; ++h)
      _mm256_storeu_si256(reinterpret_cast<__m256i *>(values) + h,
                          _mm256_add_epi32(dot[r][h], offset[h]));
    requantizeRow(a, values, n0, cols, dst + r * a.dstStride + n0);
  }
}

} // namespace

void kiln_matmul_clamp_qai8_qai8_qsi8cxp_2x16x4_avx2(const StaticMatmulArgs &a) {
  const auto *packed = static_cast<const uint8_t *>(a.rhsPacked);
  const size_t tileBytes = kiln_rhs_pack_nxk_qsi8cxp16x4_qsi8cx_tile_size(a.k);
  forEachTile<kNr, 2>(a.m, a.n, [&](size_t n0, size_t cols, size_t m0, auto rows) {
    tile<decltype(rows)::value>(a, a.lhs + m0 * a.lhsStride, a.dst + m0 * a.dstStride,
                                packed + n0 / kNr * tileBytes, n0, cols);
  });
}

} // namespace kiln::cpu
