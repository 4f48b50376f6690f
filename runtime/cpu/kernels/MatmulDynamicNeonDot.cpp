// matmul_clamp_f32_qai8dx_{qsi8cxp_4x16x4,qsi4c32p_4x16x8}_neondot: 4 rows x 16
// channels per step with sdot (FEAT_DotProd). Built with -march=armv8.2-a+dotprod
// (per-file flags), called only when the hwcaps say so.
//
// sdot multiplies signed bytes exactly into int32 lanes, so Σ x·w needs no offset:
// iacc = Σ x·w − zp·Σw is numerics.md's accumulator exactly, and the epilogue is the
// scalar one, unfused and in its order, four lanes at a time.

#include "kiln/cpu/MatmulDynamic.h"

#include "DotInt8Neon.h"
#include "DynamicEpilogueNeon.h"
#include "TileLoop.h"

#include <arm_neon.h>

namespace kiln::cpu {
namespace {

constexpr int kMr = 4;

/// int4 weights, per K block: one 64-byte load gives 8 k of 16 channels as unsigned
/// nibbles u = w + 8; sdot multiplies signed bytes, so an eor with 0x88 turns both
/// nibbles of a byte into w's 4-bit two's complement, which sign-extends with a shift
/// pair (low) or one arithmetic shift (high). The block's weight sums come from one
/// more sdot of (w_lo + w_hi) by ones (|w_lo + w_hi| <= 16).
/// facc += (float)(Σ x·w − zp·Σw) · s_j from a zero start, as the scalar loop does.
template <int R>
void tileInt4(const DynamicMatmulArgs &a, const uint8_t *p, size_t n0, size_t cols) {
  const int8x16_t ones = vdupq_n_s8(1), signs = vdupq_n_s8(int8_t(0x88));
  float32x4_t facc[R][4];
  for (int r = 0; r < R; ++r)
    for (int q = 0; q < 4; ++q)
      facc[r][q] = vdupq_n_f32(0.0f);
  for (size_t k0 = 0; k0 < a.k; k0 += a.blockSize) {
    int32x4_t dot[R][4], sums[4];
    for (int q = 0; q < 4; ++q) {
      sums[q] = vdupq_n_s32(0);
      for (int r = 0; r < R; ++r)
        dot[r][q] = vdupq_n_s32(0);
    }
    // The block size is a multiple of 8 that divides K: no tail, no read past a row.
    for (size_t k = k0; k < k0 + a.blockSize; k += 8, p += 64) {
      int8x16_t lo[4], hi[4];
      for (int q = 0; q < 4; ++q) {
        int8x16_t v = veorq_s8(vld1q_s8(reinterpret_cast<const int8_t *>(p) + 16 * q), signs);
        lo[q] = vshrq_n_s8(vshlq_n_s8(v, 4), 4);
        hi[q] = vshrq_n_s8(v, 4);
        sums[q] = vdotq_s32(sums[q], vaddq_s8(lo[q], hi[q]), ones);
      }
      for (int r = 0; r < R; ++r) {
        // Lane 0: k .. k+3 (low nibbles); lane 1: k+4 .. k+7 (high nibbles).
        int8x8_t x = vld1_s8(a.lhs + r * a.lhsStride + k);
        for (int q = 0; q < 4; ++q)
          dot[r][q] = vdotq_lane_s32(vdotq_lane_s32(dot[r][q], lo[q], x, 0), hi[q], x, 1);
      }
    }
    // bf16 to f32 is a 16-bit left shift (exact).
    const auto *bf16 = reinterpret_cast<const uint16_t *>(p);
    float32x4_t scales[4];
    for (int q = 0; q < 4; ++q)
      scales[q] = vreinterpretq_f32_u32(vshll_n_u16(vld1_u16(bf16 + 4 * q), 16));
    p += kDynamicNr * 2;
    for (int r = 0; r < R; ++r) {
      const int32x4_t zp = vdupq_n_s32(a.lhsZeroPoints[r]);
      for (int q = 0; q < 4; ++q) {
        int32x4_t iacc = vsubq_s32(dot[r][q], vmulq_s32(sums[q], zp));
        facc[r][q] = vaddq_f32(facc[r][q], vmulq_f32(vcvtq_f32_s32(iacc), scales[q]));
      }
    }
  }
  storeTile<R>(a, facc, n0, cols);
}

} // namespace

void kiln_matmul_clamp_f32_qai8dx_qsi8cxp_4x16x4_neondot(const DynamicMatmulArgs &args) {
  qc8wMatmul<SdotCore>(args, kiln_rhs_pack_nxk_qsi8cxp16x4_qsi8cx_tile_size(args.k));
}

void kiln_matmul_clamp_f32_qai8dx_qsi4c32p_4x16x8_neondot(const DynamicMatmulArgs &args) {
  forEachDynamicTile<kDynamicNr, kMr>(
      args, kiln_rhs_pack_nxk_qsu4c32p16x8_qsi4c32_tile_size(args.k, args.blockSize),
      [](const DynamicMatmulArgs &a, const uint8_t *p, size_t n0, size_t cols, auto rows) {
        tileInt4<decltype(rows)::value>(a, p, n0, cols);
      });
}

} // namespace kiln::cpu
