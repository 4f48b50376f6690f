// matmul_clamp_f32_qai8dx_qsi8cxp_8x32x4_avx512vnni: 8 rows x 32 channels (two packed
// 16-channel tiles) per step, 16 zmm accumulators: each 4-k step loads two weight
// vectors and eight activation words for sixteen vpdpbusd, where a 4x16 step spent
// five loads and broadcasts on four. matmul_clamp_f32_qai8dx_qsi4c32p_4x16x8_avx512vnni:
// 4 rows x 16 channels, one zmm per row (its nibble unpacking, not the loads, is the
// bottleneck). Built with -mavx512vnni (per-file flags), called only when CPUID says so.
//
// vpdpbusd multiplies unsigned by signed bytes, so the activations go in as x + 128
// (xor 0x80) and each block's accumulator is corrected with the packed weight sums:
//   sum (x+128)*w - (128 + zp) * sum w  =  sum x*w - zp * sum w
// which is numerics.md's int32 iacc exactly (no intermediate exceeds int32 for
// K < 131072). qsi8cx packs Σw per channel; qsi4c32 packs none, so the int4 loop adds
// each block's weights up itself (one vpdpbusd of ones by w0 + w1 per 64-byte load).
// The epilogue is the scalar one, unfused, lane by lane.

#include "kiln/cpu/MatmulDynamic.h"

#include "DotInt8Avx512.h"
#include "EpilogueAvx512.h"
#include "TileLoop.h"
#include "Vpdpbusd.h"

#include <immintrin.h>

#include <algorithm>
#include <cstring>

namespace kiln::cpu {
namespace {

constexpr size_t kNr = kDynamicNr;

/// Accumulates one int4 K block of R rows into acc and the block's weight sums into
/// sums; returns the pointer past the block's data.
template <int R>
const uint8_t *dotInt4Block(const uint8_t *p, const DynamicMatmulArgs &a, size_t k0, size_t k1,
                            __m512i (&acc)[R], __m512i &sums) {
  for (int r = 0; r < R; ++r)
    acc[r] = _mm512_setzero_si512();
  const int8_t *rows[R];
  for (int r = 0; r < R; ++r)
    rows[r] = a.lhs + r * a.lhsStride;
  sums = _mm512_setzero_si512();
  for (size_t k = k0; k < k1; k += 8, p += 64) {
    __m512i w0, w1;
    unpackInt4(_mm512_loadu_si512(p), w0, w1, sums);
    for (int r = 0; r < R; ++r) {
      acc[r] = dpbusd(acc[r], lhsWord(rows[r] + k), w0);
      acc[r] = dpbusd(acc[r], lhsWord(rows[r] + k + 4), w1);
    }
  }
  return p;
}

/// The epilogue of rows [0, R) and one 16-channel group at n0 (`cols` stored).
template <int R>
void store(const DynamicMatmulArgs &a, const __m512 (&facc)[R], size_t n0, size_t cols) {
  storeRows<R>(facc, a.lhsScales, a.bias, a.clampMin, a.clampMax, a.dst, a.dstStride, n0, cols);
}

/// qsi8cx: R rows x T adjacent 16-channel tiles (T = 1 or 2, `cols` channels in all).
template <int R, int T>
void tileInt8(const DynamicMatmulArgs &a, const uint8_t *p, size_t tileBytes, size_t n0,
              size_t cols) {
  __m512i acc[R][T];
  const uint8_t *w = dotInt8<R, T>(a.lhs, a.lhsStride, a.k, p, tileBytes, acc);
  for (int t = 0; t < T; ++t) {
    const Int8Tail tail(w + t * tileBytes);
    __m512 facc[R];
    for (int r = 0; r < R; ++r)
      facc[r] = scaledBlock(acc[r][t], tail.sums, 128 + a.lhsZeroPoints[r], tail.scales);
    size_t first = t * kNr;
    store<R>(a, facc, n0 + first, std::min(kNr, cols - first));
  }
}

/// qsi4c32: R rows of one 16-channel tile.
template <int R>
void tileInt4(const DynamicMatmulArgs &a, const uint8_t *p, size_t n0, size_t cols) {
  __m512 facc[R];
  for (int r = 0; r < R; ++r)
    facc[r] = _mm512_setzero_ps();
  for (size_t k0 = 0; k0 < a.k; k0 += a.blockSize) {
    __m512i acc[R], sums;
    p = dotInt4Block<R>(p, a, k0, k0 + a.blockSize, acc, sums);
    const __m512 scales = bf16Scales(p);
    p += kNr * 2;
    // Every block adds to a zero-initialised sum, as the scalar loop does (so a -0
    // block product still sums to +0).
    for (int r = 0; r < R; ++r)
      facc[r] = _mm512_add_ps(facc[r], scaledBlock(acc[r], sums, 128 + a.lhsZeroPoints[r], scales));
  }
  store<R>(a, facc, n0, cols);
}

} // namespace

void kiln_matmul_clamp_f32_qai8dx_qsi8cxp_8x32x4_avx512vnni(const DynamicMatmulArgs &args) {
  const size_t tileBytes = kiln_rhs_pack_nxk_qsi8cxp16x4_qsi8cx_tile_size(args.k);
  forEachDynamicTile<2 * kNr, 8>(args, tileBytes,
                                 [&](const DynamicMatmulArgs &a, const uint8_t *p, size_t n0,
                                     size_t cols, auto rows) {
                                   constexpr int R = decltype(rows)::value;
                                   if (cols > kNr)
                                     tileInt8<R, 2>(a, p, tileBytes, n0, cols);
                                   else
                                     tileInt8<R, 1>(a, p, tileBytes, n0, cols);
                                 });
}

void kiln_matmul_clamp_f32_qai8dx_qsi4c32p_4x16x8_avx512vnni(const DynamicMatmulArgs &args) {
  forEachDynamicTile<kNr, 4>(
      args, kiln_rhs_pack_nxk_qsi4c32p16x8_qsi4c32_tile_size(args.k, args.blockSize),
      [](const DynamicMatmulArgs &a, const uint8_t *p, size_t n0, size_t cols, auto rows) {
        tileInt4<decltype(rows)::value>(a, p, n0, cols);
      });
}

} // namespace kiln::cpu
