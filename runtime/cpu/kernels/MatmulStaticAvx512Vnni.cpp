// matmul_clamp_qai8_qai8_qsi8cxp_8x32x4_avx512vnni: pqs8_qc8w on the qc8w kernel's dot
// loop (DotInt8Avx512.h, 8 rows x 32 channels). The int32 accumulator is numerics.md's
// exactly: Σ(x+128)·w − (128 + zp_x)·Σw + b = Σ(x − zp_x)·w + b. The requantization
// (64-bit apply_scale_32, zero point, clamps) runs lane by lane through the scalar
// kernel's own function, so the int8 outputs are bit-identical. Built with
// -mavx512vnni (per-file flags), called only when CPUID says so.

#include "kiln/cpu/MatmulDynamic.h"
#include "kiln/cpu/MatmulStatic.h"

#include "DotInt8Avx512.h"
#include "Requantize.h"
#include "TileLoop.h"

#include <algorithm>

namespace kiln::cpu {
namespace {

constexpr size_t kNr = kDynamicNr;

/// R rows x T adjacent 16-channel tiles (`cols` channels in all) starting at row 0
/// and channel n0 of `a`.
template <int R, int T>
void tile(const StaticMatmulArgs &a, const int8_t *lhs, int8_t *dst, const uint8_t *p,
          size_t tileBytes, size_t n0, size_t cols) {
  __m512i acc[R][T];
  const uint8_t *tails = dotInt8<R, T>(lhs, a.lhsStride, a.k, p, tileBytes, acc);
  const __m512i offset = _mm512_set1_epi32(128 + a.lhsZeroPoint);
  for (int t = 0; t < T; ++t) {
    const size_t first = n0 + t * kNr, count = std::min(kNr, cols - t * kNr);
    const __mmask16 mask = __mmask16((1u << count) - 1);
    __m512i corr = _mm512_mullo_epi32(_mm512_loadu_si512(tails + t * tileBytes), offset);
    __m512i bias = a.bias ? _mm512_maskz_loadu_epi32(mask, a.bias + first) : _mm512_setzero_si512();
    for (int r = 0; r < R; ++r) {
      int32_t values[kNr];
      _mm512_storeu_si512(values, _mm512_add_epi32(_mm512_sub_epi32(acc[r][t], corr), bias));
      requantizeRow(a, values, first, count, dst + r * a.dstStride + first);
    }
  }
}

} // namespace

void kiln_matmul_clamp_qai8_qai8_qsi8cxp_8x32x4_avx512vnni(const StaticMatmulArgs &a) {
  const auto *packed = static_cast<const uint8_t *>(a.rhsPacked);
  const size_t tileBytes = kiln_rhs_pack_nxk_qsi8cxp16x4_qsi8cx_tile_size(a.k);
  forEachTile<2 * kNr, 8>(a.m, a.n, [&](size_t n0, size_t cols, size_t m0, auto rows) {
    constexpr int R = decltype(rows)::value;
    const int8_t *lhs = a.lhs + m0 * a.lhsStride;
    int8_t *dst = a.dst + m0 * a.dstStride;
    const uint8_t *p = packed + n0 / kNr * tileBytes;
    if (cols > kNr)
      tile<R, 2>(a, lhs, dst, p, tileBytes, n0, cols);
    else
      tile<R, 1>(a, lhs, dst, p, tileBytes, n0, cols);
  });
}

} // namespace kiln::cpu
