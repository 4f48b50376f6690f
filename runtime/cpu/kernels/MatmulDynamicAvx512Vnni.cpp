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
#include "TileLoop.h"
#include "Vpdpbusd.h"

#include <immintrin.h>

#include <algorithm>
#include <cstring>

namespace kiln::cpu {
namespace {

constexpr size_t kNr = kDynamicNr;

/// Sign-extends 4-bit two's complement values held in the low nibble of each byte.
__m512i signExtendNibbles(__m512i v) {
  const __m512i eight = _mm512_set1_epi8(8);
  return _mm512_sub_epi8(_mm512_xor_si512(v, eight), eight);
}

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
  const __m512i low = _mm512_set1_epi8(0x0F), ones = _mm512_set1_epi8(1);
  sums = _mm512_setzero_si512();
  for (size_t k = k0; k < k1; k += 8, p += 64) {
    __m512i v = _mm512_loadu_si512(p);
    __m512i w0 = signExtendNibbles(_mm512_and_si512(v, low));
    __m512i w1 = signExtendNibbles(_mm512_and_si512(_mm512_srli_epi16(v, 4), low));
    // |w0 + w1| <= 16 fits a byte; 1·(w0 + w1) over 4 bytes sums 8 k per channel.
    sums = dpbusd(sums, ones, _mm512_add_epi8(w0, w1));
    for (int r = 0; r < R; ++r) {
      acc[r] = dpbusd(acc[r], lhsWord(rows[r] + k), w0);
      acc[r] = dpbusd(acc[r], lhsWord(rows[r] + k + 4), w1);
    }
  }
  return p;
}

/// The epilogue of rows [0, R) and one 16-channel group at n0 (`cols` of them
/// stored): y = facc · s_x + b, clamped, in the scalar kernel's order.
template <int R>
void store(const DynamicMatmulArgs &a, const __m512 (&facc)[R], size_t n0, size_t cols) {
  const __mmask16 mask = __mmask16((1u << cols) - 1);
  __m512 bias = a.bias ? _mm512_maskz_loadu_ps(mask, a.bias + n0) : _mm512_setzero_ps();
  for (int r = 0; r < R; ++r) {
    __m512 y = _mm512_mul_ps(facc[r], _mm512_set1_ps(a.lhsScales[r]));
    if (a.bias)
      y = _mm512_add_ps(y, bias);
    // Operand order as std::min(std::max(y, lo), hi): equal values (+-0) keep y.
    y = _mm512_min_ps(_mm512_set1_ps(a.clampMax), _mm512_max_ps(_mm512_set1_ps(a.clampMin), y));
    _mm512_mask_storeu_ps(a.dst + r * a.dstStride + n0, mask, y);
  }
}

/// qsi8cx: R rows x T adjacent 16-channel tiles (T = 1 or 2, `cols` channels in all).
template <int R, int T>
void tileInt8(const DynamicMatmulArgs &a, const uint8_t *p, size_t tileBytes, size_t n0,
              size_t cols) {
  __m512i acc[R][T];
  const uint8_t *w = dotInt8<R, T>(a.lhs, a.lhsStride, a.k, p, tileBytes, acc);
  for (int t = 0; t < T; ++t) {
    const uint8_t *tail = w + t * tileBytes; // sums, then scales
    __m512i sums = _mm512_loadu_si512(tail);
    __m512 scales = _mm512_loadu_ps(reinterpret_cast<const float *>(tail) + kNr);
    __m512 facc[R];
    for (int r = 0; r < R; ++r) {
      __m512i corr = _mm512_mullo_epi32(sums, _mm512_set1_epi32(128 + a.lhsZeroPoints[r]));
      facc[r] = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_sub_epi32(acc[r][t], corr)), scales);
    }
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
    // bf16 to f32 is a 16-bit shift (exact).
    __m256i bf16 = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(p));
    __m512 scales = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(bf16), 16));
    p += kNr * 2;
    for (int r = 0; r < R; ++r) {
      __m512i corr = _mm512_mullo_epi32(sums, _mm512_set1_epi32(128 + a.lhsZeroPoints[r]));
      __m512 prod = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_sub_epi32(acc[r], corr)), scales);
      // Every block adds to a zero-initialised sum, as the scalar loop does (so a -0
      // block product still sums to +0).
      facc[r] = _mm512_add_ps(facc[r], prod);
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
      args, kiln_rhs_pack_nxk_qsi4c32p16x8_qsi4c32_tile_size(args.k, args.blockSize),
      [](const DynamicMatmulArgs &a, const uint8_t *p, size_t n0, size_t cols, auto rows) {
        tileInt4<decltype(rows)::value>(a, p, n0, cols);
      });
}

} // namespace kiln::cpu
