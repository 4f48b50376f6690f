// matmul_clamp_f32_qai8dx_{qsi8cxp,qsi4c32p}_2x16xkr_avx2: 2 rows x 16 channels per
// step. Built with -mavx2 -mfma (per-file flags), called only when CPUID says so.
//
// AVX2's 8-bit product vpmaddubsw saturates at int16, which int8 x int8 can reach: for
// int8 weights both operands are widened to int16 and vpmaddwd sums pairs exactly into
// int32 (two partial sums per channel, folded with vphaddd at the end of every K
// block); int4 weights are small enough for vpmaddubsw (see dotInt4). Either way the
// result is numerics.md's int32 iacc exactly, and the epilogue is the scalar one,
// unfused, lane by lane.

#include "kiln/cpu/MatmulDynamic.h"

#include "DotInt8Avx2.h"
#include "TileLoop.h"

#include <immintrin.h>

#include <cstring>

namespace kiln::cpu {
namespace {

constexpr size_t kNr = kDynamicNr;

/// Four activation bytes at `p` as x + 128 (unsigned), repeated for 8 channels.
__m256i lhsUnsigned(const int8_t *p) {
  uint32_t word;
  std::memcpy(&word, p, 4);
  return _mm256_set1_epi32(int32_t(word ^ 0x80808080u));
}

/// The weights w = u − 8 of unsigned nibbles u = w + 8 held in the low 4 bits of each
/// byte (qsu4c32p16x8).
__m256i weightsOfNibbles(__m256i u) { return _mm256_sub_epi8(u, _mm256_set1_epi8(8)); }

/// int4 weights: |w| <= 8, so vpmaddubsw on (x + 128)·w cannot saturate
/// (2·255·8 < 2^15) and one instruction covers 4 k of 8 channels; vpmaddwd with ones
/// widens to int32. dot is Σ (x+128)·w, which tile() corrects with the block's weight
/// sums; the packed layout has none, so they are added up here from the nibbles.
template <int R>
const uint8_t *dotInt4(const uint8_t *p, const DynamicMatmulArgs &a, size_t k0, size_t k1,
                       __m256i (&dot)[R][2], __m256i (&sums)[2]) {
  const __m256i low = _mm256_set1_epi8(0x0F), ones = _mm256_set1_epi16(1),
                onesU8 = _mm256_set1_epi8(1);
  for (int r = 0; r < R; ++r)
    dot[r][0] = dot[r][1] = _mm256_setzero_si256();
  sums[0] = sums[1] = _mm256_setzero_si256();
  for (size_t k = k0; k < k1; k += 8, p += 64) {
    __m256i w[2][2]; // [channels 0-7 | 8-15][k 0-3 | 4-7 of the step]
    for (int h = 0; h < 2; ++h) {
      __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(p) + h);
      w[h][0] = weightsOfNibbles(_mm256_and_si256(v, low));
      w[h][1] = weightsOfNibbles(_mm256_and_si256(_mm256_srli_epi16(v, 4), low));
      // |w0 + w1| <= 16: byte pairs, then pairs of pairs, sum 8 k per channel.
      __m256i pairs = _mm256_maddubs_epi16(onesU8, _mm256_add_epi8(w[h][0], w[h][1]));
      sums[h] = _mm256_add_epi32(sums[h], _mm256_madd_epi16(pairs, ones));
    }
    for (int r = 0; r < R; ++r)
      for (int half = 0; half < 2; ++half) {
        __m256i x = lhsUnsigned(a.lhs + r * a.lhsStride + k + 4 * half);
        for (int h = 0; h < 2; ++h)
          dot[r][h] = _mm256_add_epi32(
              dot[r][h], _mm256_madd_epi16(_mm256_maddubs_epi16(x, w[h][half]), ones));
      }
  }
  return p;
}

/// R rows of one 16-channel tile.
template <bool Int4, int R>
void tile(const DynamicMatmulArgs &a, const uint8_t *p, size_t n0, size_t cols) {
  const size_t bl = Int4 ? a.blockSize : a.k;
  __m256 facc[R][2];
  for (int r = 0; r < R; ++r)
    facc[r][0] = facc[r][1] = _mm256_setzero_ps();
  for (size_t k0 = 0; k0 < a.k; k0 += bl) {
    __m256i dot[R][2], sums[2];
    __m256 scales[2];
    if constexpr (Int4) {
      p = dotInt4<R>(p, a, k0, k0 + bl, dot, sums);
      // bf16 to f32 is a 16-bit shift (exact).
      for (int h = 0; h < 2; ++h) {
        __m128i bf16 = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p) + h);
        scales[h] = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(bf16), 16));
      }
      p += kNr * 2;
    } else {
      p = dotInt8<R>(p, a.lhs, a.lhsStride, k0, k0 + bl, dot);
      for (int h = 0; h < 2; ++h) {
        sums[h] = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(p) + h);
        scales[h] = _mm256_loadu_ps(reinterpret_cast<const float *>(p) + kNr + 8 * h);
      }
      p += 2 * kNr * 4;
    }
    for (int r = 0; r < R; ++r) {
      // iacc = dot - (offset + zp)·Σw, offset 128 where dot summed (x + 128)·w.
      __m256i zp = _mm256_set1_epi32((Int4 ? 128 : 0) + a.lhsZeroPoints[r]);
      for (int h = 0; h < 2; ++h) {
        __m256i corr = _mm256_mullo_epi32(sums[h], zp);
        __m256 prod = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_sub_epi32(dot[r][h], corr)),
                                    scales[h]);
        // qb4w adds every block to a zero-initialised sum, as the scalar loop does (so
        // a -0 block product still sums to +0); qc8w's single block is the product.
        facc[r][h] = Int4 ? _mm256_add_ps(facc[r][h], prod) : prod;
      }
    }
  }
  float bias[kNr] = {};
  if (a.bias)
    std::memcpy(bias, a.bias + n0, cols * 4);
  for (int r = 0; r < R; ++r) {
    float out[kNr];
    for (int h = 0; h < 2; ++h) {
      __m256 y = _mm256_mul_ps(facc[r][h], _mm256_set1_ps(a.lhsScales[r]));
      if (a.bias)
        y = _mm256_add_ps(y, _mm256_loadu_ps(bias + 8 * h));
      // Operand order as std::min(std::max(y, lo), hi): equal values (+-0) keep y.
      y = _mm256_min_ps(_mm256_set1_ps(a.clampMax), _mm256_max_ps(_mm256_set1_ps(a.clampMin), y));
      _mm256_storeu_ps(out + 8 * h, y);
    }
    std::memcpy(a.dst + r * a.dstStride + n0, out, cols * 4);
  }
}

template <bool Int4> void matmul(const DynamicMatmulArgs &args, size_t tileBytes) {
  forEachDynamicTile<kNr, 2>(args, tileBytes,
                              [](const DynamicMatmulArgs &a, const uint8_t *p, size_t n0,
                                 size_t cols, auto rows) {
                                tile<Int4, decltype(rows)::value>(a, p, n0, cols);
                              });
}

} // namespace

void kiln_matmul_clamp_f32_qai8dx_qsi8cxp_2x16x4_avx2(const DynamicMatmulArgs &args) {
  matmul<false>(args, kiln_rhs_pack_nxk_qsi8cxp16x4_qsi8cx_tile_size(args.k));
}

void kiln_matmul_clamp_f32_qai8dx_qsi4c32p_2x16x8_avx2(const DynamicMatmulArgs &args) {
  matmul<true>(args, kiln_rhs_pack_nxk_qsu4c32p16x8_qsi4c32_tile_size(args.k, args.blockSize));
}

} // namespace kiln::cpu
