#include "GemmTiling.h"

#include "kiln/codegen/KernelModules.h"

#include <algorithm>
#include <string>

namespace kiln::codegen {
namespace {

using vgf::GemmScheme;

uint32_t ceilDiv(uint32_t a, uint32_t b) { return (a + b - 1) / b; }

bool isInt8Gemm(GemmScheme s) { return s == GemmScheme::Qp8F32Qc8w || s == GemmScheme::Pqs8Qc8w; }

/// Whether the kernel can load K in chunks of `tileK` values: 4 always (one k4,
/// ragged K included); 16 int8 values as one uvec4 when every row starts 16-byte
/// aligned; 8 or 32 int4 values as a uint or uvec4 when the chunk never straddles a
/// qb4w block (K is a multiple of the block, so rows are aligned too).
bool isChunkSupported(const vgf::GemmDesc &g, uint32_t tileK) {
  if (tileK == 4)
    return true;
  if (tileK == 16)
    return isInt8Gemm(g.scheme) && g.k % 16 == 0;
  if (tileK == 8 || tileK == 32)
    return g.scheme == GemmScheme::Qp8F32Qb4w && g.blockSize % tileK == 0;
  return false;
}

} // namespace

vgf::GemmTiling chooseGemmTiling(const vgf::GemmDesc &gemm) {
  vgf::GemmTiling t;
  // 32 invocations (four 8-lane SIMD rows on lavapipe). The register tile takes up to
  // 8 rows (M <= 8, decode: all rows, so every weight is read once) and 4 columns, or
  // 8 once it has more than 4 rows: the loads per multiply-add fall as
  // (rows + columns) / (rows x columns), and spilling part of a 64-accumulator tile
  // costs less than the per-lane loads it saves (docs/codegen.md: 128x2048x2048
  // qp8_f32_qc8w took 106 ms with 4x4 tiles, 44 ms with 8x4, 36-61 ms with 8x8).
  t.workgroupSize = 32;
  t.tileM = std::min(std::max(gemm.m, 1u), detail::kMaxTileRows);
  t.tileN = t.workgroupSize * (t.tileM <= 4 ? 4 : 8);
  // The widest chunk the operands' alignment allows (docs/codegen.md: one uvec4 per
  // lane costs about as much as one uint on lavapipe, so wide chunks cut load work).
  // Except qb4w's 32-value chunk beyond 4 rows: it unpacks to 8 k4s per column, which
  // next to an 8 x 8 tile spill (128x2048x2048: 59-67 ms, 29-31 ms with 8 values).
  t.tileK = 4;
  for (uint32_t wide : {32u, 16u, 8u})
    if (isChunkSupported(gemm, wide) && !(wide == 32 && t.tileM > 4)) {
      t.tileK = wide;
      break;
    }
  return t;
}

namespace detail {
namespace {

Status badTiling(const vgf::GemmDesc &g, const std::string &why) {
  const vgf::GemmTiling &t = g.tiling;
  return invalidArgument("gemm tiling " + std::to_string(t.tileM) + "x" +
                         std::to_string(t.tileN) + "x" + std::to_string(t.tileK) + " wg" +
                         std::to_string(t.workgroupSize) + " for m=" + std::to_string(g.m) +
                         " n=" + std::to_string(g.n) + " k=" + std::to_string(g.k) + ": " + why);
}

} // namespace

Status checkGemmTiling(const vgf::GemmDesc &g) {
  const vgf::GemmTiling &t = g.tiling;
  if (t.workgroupSize == 0 || t.workgroupSize > kMaxWorkgroupInvocations)
    return badTiling(g, "expected workgroup_size in [1, " +
                            std::to_string(kMaxWorkgroupInvocations) + "]");
  if (t.tileM == 0 || t.tileM > kMaxTileRows)
    return badTiling(g, "expected tile_m in [1, " + std::to_string(kMaxTileRows) + "]");
  if (t.tileN % t.workgroupSize != 0 || t.tileN == 0 ||
      t.tileN / t.workgroupSize > kMaxTileColumns)
    return badTiling(g, "expected tile_n to be 1 to " + std::to_string(kMaxTileColumns) +
                            " times workgroup_size");
  if (!isChunkSupported(g, t.tileK))
    return badTiling(g, "expected tile_k = 4, or 16 for int8 weights with k a multiple of "
                        "16, or 8 or 32 dividing the qb4w block size");
  if (ceilDiv(g.m, t.tileM) > kMaxWorkgroupCount)
    return badTiling(g, "more than " + std::to_string(kMaxWorkgroupCount) +
                            " workgroups along m");
  if (ceilDiv(g.n, t.tileN) > kMaxWorkgroupCount)
    return badTiling(g, "more than " + std::to_string(kMaxWorkgroupCount) +
                            " workgroups along n");
  return Status::ok();
}

} // namespace detail
} // namespace kiln::codegen
