// The dynamic schemes on a packed qai8dxp8x4 LHS, AVX-512 VNNI:
//   matmul_clamp_f32_qai8dxp_qsi8cxp_8x32x4_avx512vnni: 8 rows x 32 channels (two
//     packed 16-channel tiles), 16 zmm accumulators; per 4-k step two weight loads and
//     eight broadcast loads of ready x + 128 words for sixteen vpdpbusd.
//   matmul_clamp_f32_qai8dxp_qsi4c32p_8x16x8_avx512vnni: 8 rows x 16 channels; the
//     nibble unpacking of each 64-byte load is shared by eight rows.
// Loop order per call: channel tiles outermost, row blocks inside, the whole K in
// registers. Blocking K (partial sums through dst, 512 k for qsi8cx and 2048 for
// qsi4c32, so a tile's K block stays in L1 across row blocks) measured no faster at
// the Llama shapes on Zen 5 (qsi8cx 5-10% slower), since a tile pair's 64-256 KiB of
// weights already stream from L2 at the rate the vpdpbusd consume them.
// Built with -mavx512vnni (per-file flags), called only when CPUID says so.

#include "kiln/cpu/MatmulDynamic.h"
#include "kiln/cpu/MatmulPackedLhs.h"

#include "EpilogueAvx512.h"
#include "TileLoop.h"
#include "Vpdpbusd.h"

#include <immintrin.h>

#include <algorithm>
#include <cstring>

namespace kiln::cpu {
namespace {

constexpr size_t kNr = kDynamicNr, kMr = kPackedLhsMr;
/// Bytes of one 4-k step of a packed LHS block (8 rows x 4 k).
constexpr size_t kLhsStep = kMr * 4;

size_t paddedK(size_t k) { return (k + 3) / 4 * 4; }

/// The packed LHS block's row data: x + 128 words, then offsets (128 + zp) and scales.
struct LhsBlock {
  const uint8_t *data;
  const int32_t *offsets;
  const float *scales;
  LhsBlock(const uint8_t *block, size_t kp)
      : data(block), offsets(reinterpret_cast<const int32_t *>(block + kMr * kp)),
        scales(reinterpret_cast<const float *>(offsets + kMr)) {}
};

/// Row r's 4-byte activation word of step s, broadcast.
__m512i lhsWord(const uint8_t *data, size_t s, int r) {
  int32_t word;
  std::memcpy(&word, data + s * kLhsStep + 4 * size_t(r), 4);
  return _mm512_set1_epi32(word);
}

/// The epilogue of rows [0, R) and one 16-channel group at n0 (`count` stored).
template <int R>
void store(const PackedLhsMatmulArgs &a, const LhsBlock &lhs, const __m512 (&facc)[R],
           float *dst, size_t n0, size_t count) {
  storeRows<R>(facc, lhs.scales, a.bias, a.clampMin, a.clampMax, dst, a.dstStride, n0, count);
}

/// qsi8cx: R rows x T adjacent tiles (`cols` channels) over the whole K.
template <int R, int T>
void tileInt8(const PackedLhsMatmulArgs &a, const LhsBlock &lhs, const uint8_t *rhs,
              size_t tileBytes, size_t steps, float *dst, size_t n0, size_t cols) {
  __m512i acc[R][T];
  for (int r = 0; r < R; ++r)
    for (int t = 0; t < T; ++t)
      acc[r][t] = _mm512_setzero_si512();
  const uint8_t *w = rhs;
  for (size_t s = 0; s < steps; ++s, w += 64) {
    __m512i wv[T];
    for (int t = 0; t < T; ++t)
      wv[t] = _mm512_loadu_si512(w + t * tileBytes);
    for (int r = 0; r < R; ++r) {
      __m512i x = lhsWord(lhs.data, s, r);
      for (int t = 0; t < T; ++t)
        acc[r][t] = dpbusd(acc[r][t], x, wv[t]);
    }
  }
  for (int t = 0; t < T; ++t) {
    const Int8Tail tail(w + t * tileBytes);
    __m512 facc[R];
    for (int r = 0; r < R; ++r)
      facc[r] = scaledBlock(acc[r][t], tail.sums, lhs.offsets[r], tail.scales);
    store<R>(a, lhs, facc, dst, n0 + t * kNr, std::min(kNr, cols - t * kNr));
  }
}

/// qsu4c32: R rows x one tile over the whole K. The activations are the unsigned
/// operand here (x + 128), so the nibbles go in signed, w = u − 8: one subtraction per
/// unpacked vector, shared by the eight rows.
template <int R>
void tileInt4(const PackedLhsMatmulArgs &a, const LhsBlock &lhs, const uint8_t *p, float *dst,
              size_t n0, size_t cols) {
  const size_t bl = a.blockSize;
  const __m512i eight = _mm512_set1_epi8(8);
  __m512 facc[R];
  for (int r = 0; r < R; ++r)
    facc[r] = _mm512_setzero_ps();
  for (size_t k0 = 0; k0 < a.k; k0 += bl) {
    __m512i acc[R], nibbleSums = _mm512_setzero_si512();
    for (int r = 0; r < R; ++r)
      acc[r] = _mm512_setzero_si512();
    for (size_t s = k0 / 4; s < (k0 + bl) / 4; s += 2, p += 64) {
      __m512i u0, u1; // the k of steps s and s + 1
      unpackInt4(_mm512_loadu_si512(p), u0, u1, nibbleSums);
      const __m512i w0 = _mm512_sub_epi8(u0, eight), w1 = _mm512_sub_epi8(u1, eight);
      for (int r = 0; r < R; ++r) {
        acc[r] = dpbusd(acc[r], lhsWord(lhs.data, s, r), w0);
        acc[r] = dpbusd(acc[r], lhsWord(lhs.data, s + 1, r), w1);
      }
    }
    const __m512 scales = bf16Scales(p);
    p += kNr * 2;
    const __m512i sums = weightSums(nibbleSums, bl);
    // Every block adds to a zero-initialised sum, as the scalar loop does (so a -0
    // block product still sums to +0).
    for (int r = 0; r < R; ++r)
      facc[r] = _mm512_add_ps(facc[r], scaledBlock(acc[r], sums, lhs.offsets[r], scales));
  }
  store<R>(a, lhs, facc, dst, n0, cols);
}

/// Calls `run(lhsBlock, dstRows, rowsTag)` for every row block of 8 (the last one
/// ragged), rowsTag being std::integral_constant<int, rows>.
template <typename Run> void forEachRowBlock(const PackedLhsMatmulArgs &a, size_t kp, Run &&run) {
  const auto *lhs = static_cast<const uint8_t *>(a.lhsPacked);
  const size_t blockBytes = kiln_lhs_pack_qai8dxp8x4_qai8dx_block_size(a.k);
  for (size_t m0 = 0; m0 < a.m; m0 += kMr)
    forRowCount<int(kMr)>(a.m - m0, [&](auto rows) {
      run(LhsBlock(lhs + m0 / kMr * blockBytes, kp), a.dst + m0 * a.dstStride, rows);
    });
}

} // namespace

void kiln_matmul_clamp_f32_qai8dxp_qsi8cxp_8x32x4_avx512vnni(const PackedLhsMatmulArgs &a) {
  const size_t tileBytes = kiln_rhs_pack_nxk_qsi8cxp16x4_qsi8cx_tile_size(a.k);
  const size_t kp = paddedK(a.k), steps = kp / 4;
  const auto *rhs = static_cast<const uint8_t *>(a.rhsPacked);
  for (size_t n0 = 0; n0 < a.n; n0 += 2 * kNr) {
    const size_t cols = std::min(2 * kNr, a.n - n0);
    const uint8_t *tiles = rhs + n0 / kNr * tileBytes;
    forEachRowBlock(a, kp, [&](const LhsBlock &lhs, float *dst, auto rows) {
      constexpr int R = decltype(rows)::value;
      if (cols > kNr)
        tileInt8<R, 2>(a, lhs, tiles, tileBytes, steps, dst, n0, cols);
      else
        tileInt8<R, 1>(a, lhs, tiles, tileBytes, steps, dst, n0, cols);
    });
  }
}

void kiln_matmul_clamp_f32_qai8dxp_qsi4c32p_8x16x8_avx512vnni(const PackedLhsMatmulArgs &a) {
  const size_t tileBytes = kiln_rhs_pack_nxk_qsu4c32p16x8_qsi4c32_tile_size(a.k, a.blockSize);
  const auto *rhs = static_cast<const uint8_t *>(a.rhsPacked);
  for (size_t n0 = 0; n0 < a.n; n0 += kNr) {
    const size_t cols = std::min(kNr, a.n - n0);
    const uint8_t *tile = rhs + n0 / kNr * tileBytes;
    forEachRowBlock(a, a.k, [&](const LhsBlock &lhs, float *dst, auto rows) {
      tileInt4<decltype(rows)::value>(a, lhs, tile, dst, n0, cols);
    });
  }
}

} // namespace kiln::cpu
