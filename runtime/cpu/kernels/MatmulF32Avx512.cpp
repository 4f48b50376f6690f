// The AVX-512 pf32 and pf16 GEMMs, on the activations as they lie (unpacked rows) or
// on an f32p12x1 LHS packed per run, and that packer:
//   matmul_clamp_f32_f32_f32p_12x32x1_avx512     pf32, unpacked rows
//   matmul_clamp_f32_f32p_f32p_12x32x1_avx512    pf32, packed LHS
//   matmul_clamp_f32_f32_f16p_12x32x1_avx512     pf16, unpacked rows
//   matmul_clamp_f32_f32p_f16p_12x32x1_avx512    pf16, packed LHS
//   lhs_pack_f32p12x1_f32[_round_f16]_avx512     the packer (pf16's rounds to fp16 values)
// 12 rows x 32 channels (two packed 16-channel tiles) per step, 24 zmm accumulators:
// each k loads two weight vectors and broadcasts twelve activations for 24 FMAs, so the
// two FMA ports, not the loads, set the pace. A packed row block gives those twelve
// activations from one 48-byte line per k; unpacked rows cost twelve streams and more
// address registers than x86-64 has (GCC spilled them in the k loop).
// Loop order: K in equal chunks of at most kKcMax, channel tile pairs inside, row
// blocks innermost, so a pair's chunk of weights (128 KiB at 1024 k) stays in L2 while
// every row block reuses it, and so does the chunk of all rows (512 KiB at M = 128);
// partial sums go through dst between chunks, bias and clamp apply after the last.
// Every k step also prefetches the matching lines of the chunk computed next, which
// the next pair's first row block would otherwise wait for from memory.
// pf16 differs only in the weight load (vcvtph2ps, exact), its activations rounded to
// fp16 values (by the packer, or per broadcast on unpacked rows) and the final
// rounding of each result. Built with -mavx512f (per-file flags), called only when
// CPUID says so.

#include "kiln/cpu/MatmulF32.h"

#include "TileLoop.h"

#include <immintrin.h>

#include <algorithm>
#include <type_traits>

namespace kiln::cpu {
namespace {

constexpr int kMr = int(kF32PackedLhsMr);
constexpr size_t kPairCols = 2 * kF32Nr;
constexpr size_t kKcMax = 1024;

/// 16 packed weights as fp32: f32p16x1 as is, f16p16x1 widened.
__m512 load16(const float *w) { return _mm512_loadu_ps(w); }
__m512 load16(const uint16_t *w) {
  return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i *>(w)));
}

/// pf16's rounding: to the nearest fp16 value, ties to even, overflow to infinity,
/// subnormals kept (vcvtps2ph with an explicit rounding mode; MXCSR's FTZ/DAZ are off).
__m512 roundToHalf(__m512 v) {
  return _mm512_cvtph_ps(_mm512_cvtps_ph(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
}

/// A row block's activations from `stride`-apart rows, from the chunk's first k;
/// pf16 rounds each broadcast (PackedGemm runs these kernels at M = 1, where the
/// weights' streaming, not the arithmetic, sets the pace).
template <bool RoundHalf> struct RowsLhs {
  const float *x;
  size_t stride;
  __m512 at(int r, size_t k) const {
    __m512 v = _mm512_set1_ps(x[size_t(r) * stride + k]);
    return RoundHalf ? roundToHalf(v) : v;
  }
};

/// A packed block of R rows ([K][R]) from the chunk's first k.
template <int R> struct PackedLhs {
  const float *x;
  __m512 at(int r, size_t k) const { return _mm512_set1_ps(x[k * R + size_t(r)]); }
};

/// One chunk [k0, k1) of a pair of adjacent packed tiles (`cols` channels from n0,
/// `tileElems` apart), and the two tiles' lines to prefetch for the chunk after it.
template <typename Weight> struct PairChunk {
  const Weight *w; ///< the first tile at k0
  size_t tileElems, n0, cols, k0, k1;
  const Weight *next[2];
};

/// R rows x T tiles of `p` (T = 1 or 2), dst at the block's first row: starts from
/// zero at k0 = 0, else from the partial sums in dst; adds bias, clamps (and for fp16
/// weights rounds) when k1 = K.
template <int R, int T, typename Args, typename Lhs, typename Weight>
void tile(const Args &a, const Lhs &lhs, float *dst, const PairChunk<Weight> &p) {
  __mmask16 masks[T];
  for (int t = 0; t < T; ++t)
    masks[t] = __mmask16((1u << std::min(kF32Nr, p.cols - t * kF32Nr)) - 1);
  __m512 acc[R][T];
  for (int r = 0; r < R; ++r)
    for (int t = 0; t < T; ++t)
      acc[r][t] = p.k0 == 0
                      ? _mm512_setzero_ps()
                      : _mm512_maskz_loadu_ps(masks[t], dst + r * a.dstStride + p.n0 + t * kF32Nr);
  for (size_t k = 0; k < p.k1 - p.k0; ++k) {
    __m512 wk[T];
    for (int t = 0; t < T; ++t)
      wk[t] = load16(p.w + t * p.tileElems + k * kF32Nr);
    _mm_prefetch(reinterpret_cast<const char *>(p.next[0] + k * kF32Nr), _MM_HINT_T0);
    _mm_prefetch(reinterpret_cast<const char *>(p.next[1] + k * kF32Nr), _MM_HINT_T0);
    for (int r = 0; r < R; ++r) {
      __m512 x = lhs.at(r, k);
      for (int t = 0; t < T; ++t)
        acc[r][t] = _mm512_fmadd_ps(x, wk[t], acc[r][t]);
    }
  }
  const bool last = p.k1 == a.k;
  for (int t = 0; t < T; ++t) {
    const size_t first = p.n0 + t * kF32Nr;
    const __mmask16 mask = masks[t];
    if (!last) {
      for (int r = 0; r < R; ++r)
        _mm512_mask_storeu_ps(dst + r * a.dstStride + first, mask, acc[r][t]);
      continue;
    }
    __m512 bias = a.bias ? _mm512_maskz_loadu_ps(mask, a.bias + first) : _mm512_setzero_ps();
    for (int r = 0; r < R; ++r) {
      __m512 y = a.bias ? _mm512_add_ps(acc[r][t], bias) : acc[r][t];
      // Operand order as std::min(std::max(y, lo), hi): equal values (+-0) keep y.
      y = _mm512_min_ps(_mm512_set1_ps(a.clampMax), _mm512_max_ps(_mm512_set1_ps(a.clampMin), y));
      if constexpr (std::is_same_v<Weight, uint16_t>)
        y = roundToHalf(y);
      _mm512_mask_storeu_ps(dst + r * a.dstStride + first, mask, y);
    }
  }
}

/// The loop nest of every kernel here; `lhsAt(m0, k0, rowsTag)` gives the activations
/// of the row block at m0 from k0.
template <typename Weight, typename Args, typename LhsAt>
void matmul(const Args &a, LhsAt &&lhsAt) {
  const auto *packed = static_cast<const Weight *>(a.rhsPacked);
  const size_t tileElems = a.k * kF32Nr;
  const size_t chunks = (a.k + kKcMax - 1) / kKcMax, kc = (a.k + chunks - 1) / chunks;
  auto at = [&](size_t n0, size_t k0) { return packed + n0 / kF32Nr * tileElems + k0 * kF32Nr; };
  for (size_t k0 = 0; k0 < a.k; k0 += kc) {
    const size_t k1 = std::min(a.k, k0 + kc);
    for (size_t n0 = 0; n0 < a.n; n0 += kPairCols) {
      PairChunk<Weight> p{at(n0, k0), tileElems, n0, std::min(kPairCols, a.n - n0), k0, k1, {}};
      // Next: the following pair's chunk, else the first pair's next chunk, else (the
      // last of all) this one again; a one-tile pair's "second" tile is its first.
      // Prefetches past a shorter last chunk's end are hints, which never fault.
      const bool lastPair = n0 + kPairCols >= a.n;
      const size_t nextN = !lastPair ? n0 + kPairCols : k1 < a.k ? 0 : n0;
      p.next[0] = !lastPair ? at(nextN, k0) : k1 < a.k ? at(0, k1) : p.w;
      p.next[1] = p.next[0] + (a.n - nextN > kF32Nr ? tileElems : 0);
      for (size_t m0 = 0; m0 < a.m; m0 += size_t(kMr))
        forRowCount<kMr>(a.m - m0, [&](auto rows) {
          constexpr int R = decltype(rows)::value;
          float *dst = a.dst + m0 * a.dstStride;
          if (p.cols > kF32Nr)
            tile<R, 2>(a, lhsAt(m0, k0, rows), dst, p);
          else
            tile<R, 1>(a, lhsAt(m0, k0, rows), dst, p);
        });
    }
  }
}

template <typename Weight> void unpackedMatmul(const F32MatmulArgs &a) {
  matmul<Weight>(a, [&](size_t m0, size_t k0, auto) {
    return RowsLhs<std::is_same_v<Weight, uint16_t>>{a.lhs + m0 * a.lhsStride + k0, a.lhsStride};
  });
}

template <typename Weight> void packedMatmul(const F32PackedLhsMatmulArgs &a) {
  matmul<Weight>(a, [&](size_t m0, size_t k0, auto rows) {
    constexpr int R = decltype(rows)::value;
    return PackedLhs<R>{a.lhsPacked + m0 * a.k + k0 * R};
  });
}

/// f32p12x1 (kiln/cpu/MatmulF32.h): 16 k of each row of a block per step, through a
/// small row-major buffer (vector loads and, for pf16, vector rounding) into the
/// interleaved order.
template <bool RoundHalf>
void packLhs(size_t m, size_t k, const float *lhs, size_t lhsStride, float *packed) {
  float rows[kMr][16];
  for (size_t m0 = 0; m0 < m; m0 += size_t(kMr)) {
    const size_t r1 = std::min(m - m0, size_t(kMr));
    float *block = packed + m0 * k;
    for (size_t k0 = 0; k0 < k; k0 += 16) {
      const size_t width = std::min<size_t>(16, k - k0);
      const __mmask16 mask = __mmask16((1u << width) - 1);
      for (size_t r = 0; r < r1; ++r) {
        __m512 x = _mm512_maskz_loadu_ps(mask, lhs + (m0 + r) * lhsStride + k0);
        _mm512_storeu_ps(rows[r], RoundHalf ? roundToHalf(x) : x);
      }
      for (size_t kk = 0; kk < width; ++kk)
        for (size_t r = 0; r < r1; ++r)
          block[(k0 + kk) * r1 + r] = rows[r][kk];
    }
  }
}

} // namespace

void kiln_matmul_clamp_f32_f32_f32p_12x32x1_avx512(const F32MatmulArgs &a) {
  unpackedMatmul<float>(a);
}

void kiln_matmul_clamp_f32_f32_f16p_12x32x1_avx512(const F32MatmulArgs &a) {
  unpackedMatmul<uint16_t>(a);
}

void kiln_matmul_clamp_f32_f32p_f32p_12x32x1_avx512(const F32PackedLhsMatmulArgs &a) {
  packedMatmul<float>(a);
}

void kiln_matmul_clamp_f32_f32p_f16p_12x32x1_avx512(const F32PackedLhsMatmulArgs &a) {
  packedMatmul<uint16_t>(a);
}

void kiln_lhs_pack_f32p12x1_f32_avx512(size_t m, size_t k, const float *lhs, size_t lhsStride,
                                       float *packed) {
  packLhs<false>(m, k, lhs, lhsStride, packed);
}

void kiln_lhs_pack_f32p12x1_f32_round_f16_avx512(size_t m, size_t k, const float *lhs,
                                                 size_t lhsStride, float *packed) {
  packLhs<true>(m, k, lhs, lhsStride, packed);
}

} // namespace kiln::cpu
