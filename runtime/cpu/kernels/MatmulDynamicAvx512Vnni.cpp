// matmul_clamp_f32_qai8dx_qsi8cxp_8x32x4_avx512vnni: 8 rows x 32 channels (two packed
// 16-channel tiles) per step, 16 zmm accumulators: each 4-k step loads two weight
// vectors and eight activation words for sixteen vpdpbusd, where a 4x16 step spent
// five loads and broadcasts on four. matmul_clamp_f32_qai8dx_qsi4c32p_4x16x8_avx512vnni
// (the decode kernel, M < 8): 4 rows x 16 channels, two zmm per row. Built with
// -mavx512vnni (per-file flags), called only when CPUID says so.
//
// vpdpbusd multiplies unsigned by signed bytes. qsi8cx: the activations go in as x + 128
// (xor 0x80) and each accumulator is corrected with the packed weight sums,
//   sum (x+128)*w - (128 + zp) * sum w  =  sum x*w - zp * sum w.
// qsu4c32: the nibbles are stored unsigned, u = w + 8, and go in as they are, against
// the raw activations as the signed operand; per K block,
//   sum u*x - 8 * sum x = sum w*x,   sum u - 8 * bl = sum w,
// with sum u added up from the unpacked nibbles (the layout packs no sums). Either way
// the result is numerics.md's int32 iacc exactly (no intermediate exceeds int32 for
// K < 131072), and the epilogue is the scalar one, unfused, lane by lane.

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

/// 8·Σx over one row's K block of `bl` activation bytes at x (bl a multiple of 8), in
/// every lane: what the unsigned nibbles u = w + 8 add to Σu·x beyond Σw·x.
inline __m512i eightTimesBlockSum(const int8_t *x, size_t bl) {
  const __m256i eights = _mm256_set1_epi8(8);
  __m256i s = _mm256_setzero_si256();
  size_t i = 0;
  for (; i + 32 <= bl; i += 32)
    s = _mm256_dpbusd_epi32(s, eights, _mm256_loadu_si256(reinterpret_cast<const __m256i *>(x + i)));
  if (i < bl)
    s = _mm256_dpbusd_epi32(s, eights, _mm256_maskz_loadu_epi8((1u << (bl - i)) - 1, x + i));
  __m128i q = _mm_add_epi32(_mm256_castsi256_si128(s), _mm256_extracti128_si256(s, 1));
  q = _mm_add_epi32(q, _mm_shuffle_epi32(q, 0x4E));
  q = _mm_add_epi32(q, _mm_shuffle_epi32(q, 0xB1));
  return _mm512_broadcastd_epi32(q);
}

/// Accumulates Σu·x over one int4 K block of R rows into acc and the block's nibble
/// sums into nibbleSums; returns the pointer past the block's data. The activations
/// are the signed operand, broadcast from memory by each vpdpbusd, so a 64-byte load
/// costs its load, three unpacking operations and three vpdpbusd. The high nibbles'
/// steps go to a second accumulator per row, which halves the dependency chain.
template <int R>
const uint8_t *dotInt4Block(const uint8_t *p, const int8_t *const (&rows)[R], size_t k0,
                            size_t k1, __m512i (&acc)[R], __m512i &nibbleSums) {
  __m512i accHigh[R];
  for (int r = 0; r < R; ++r)
    acc[r] = accHigh[r] = _mm512_setzero_si512();
  nibbleSums = _mm512_setzero_si512();
  for (size_t k = k0; k < k1; k += 8, p += 64) {
    __m512i u0, u1;
    unpackInt4(_mm512_loadu_si512(p), u0, u1, nibbleSums);
    for (int r = 0; r < R; ++r) {
      acc[r] = dpbusdBroadcast(acc[r], u0, rows[r] + k);
      accHigh[r] = dpbusdBroadcast(accHigh[r], u1, rows[r] + k + 4);
    }
  }
  for (int r = 0; r < R; ++r)
    acc[r] = _mm512_add_epi32(acc[r], accHigh[r]);
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

/// qsu4c32: R rows of one 16-channel tile.
template <int R>
void tileInt4(const DynamicMatmulArgs &a, const uint8_t *p, size_t n0, size_t cols) {
  const size_t bl = a.blockSize;
  const int8_t *rows[R];
  __m512 facc[R];
  for (int r = 0; r < R; ++r) {
    rows[r] = a.lhs + r * a.lhsStride;
    facc[r] = _mm512_setzero_ps();
  }
  for (size_t k0 = 0; k0 < a.k; k0 += bl) {
    __m512i acc[R], nibbleSums;
    p = dotInt4Block<R>(p, rows, k0, k0 + bl, acc, nibbleSums);
    const __m512 scales = bf16Scales(p);
    p += kNr * 2;
    const __m512i sums = weightSums(nibbleSums, bl);
    // Σw·x = Σu·x − 8·Σx; then numerics.md's iacc = Σw·x − zp·Σw. Every block adds to a
    // zero-initialised sum, as the scalar loop does (so a -0 block product still sums
    // to +0).
    for (int r = 0; r < R; ++r) {
      const __m512i dot = _mm512_sub_epi32(acc[r], eightTimesBlockSum(rows[r] + k0, bl));
      facc[r] = _mm512_add_ps(facc[r], scaledBlock(dot, sums, a.lhsZeroPoints[r], scales));
    }
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
      args, kiln_rhs_pack_nxk_qsu4c32p16x8_qsi4c32_tile_size(args.k, args.blockSize),
      [](const DynamicMatmulArgs &a, const uint8_t *p, size_t n0, size_t cols, auto rows) {
        tileInt4<decltype(rows)::value>(a, p, n0, cols);
      });
}

} // namespace kiln::cpu
