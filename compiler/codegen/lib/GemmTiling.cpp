#include "GemmTiling.h"

#include "kiln/codegen/KernelModules.h"

#include <algorithm>
#include <string>

namespace kiln::codegen {
namespace {

uint32_t ceilDiv(uint32_t a, uint32_t b) { return (a + b - 1) / b; }

} // namespace

vgf::GemmTiling chooseGemmTiling(const vgf::GemmDesc &gemm) {
  vgf::GemmTiling t;
  uint32_t k4 = std::max(ceilDiv(gemm.k, 4), 1u);
  if (gemm.m <= kGemvMaxRows) {
    // One column per invocation; stage as much of the lhs as shared memory holds so
    // that most GEMVs need a single pair of barriers. 32 invocations: on lavapipe a
    // 1x2048x2048 int8 GEMV took 1.3 ms with 32 or 16, 2.7 ms with 64 (more
    // workgroups to spread over the CPU threads).
    uint32_t rows = std::max(gemm.m, 1u);
    t.tileM = rows;
    t.workgroupSize = 32;
    t.tileN = t.workgroupSize;
    t.tileK = 4 * std::min(k4, detail::kMaxSharedBytes / (detail::kStagedK4Bytes * rows));
    return t;
  }
  // 128 invocations as 16 column groups x 8 row groups, 4 columns each; 4 rows each
  // for a 32-row tile, 8 for a 64-row tile once M fills it (docs/codegen.md has the
  // measurements behind these sizes).
  t.workgroupSize = 128;
  t.tileN = 64;
  t.tileM = gemm.m >= 64 ? 64 : 32;
  t.tileK = 4 * std::min(k4, 4u);
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

bool isGemvForm(const vgf::GemmDesc &gemm) { return gemm.m <= kGemvMaxRows; }

Status checkGemmTiling(const vgf::GemmDesc &g) {
  const vgf::GemmTiling &t = g.tiling;
  if (t.workgroupSize == 0 || t.workgroupSize > kMaxWorkgroupInvocations)
    return badTiling(g, "expected workgroup_size in [1, " +
                            std::to_string(kMaxWorkgroupInvocations) + "]");
  if (t.tileK == 0 || t.tileK % 4 != 0)
    return badTiling(g, "expected tile_k to be a positive multiple of 4");
  uint64_t sharedBytes;
  if (isGemvForm(g)) {
    if (t.tileM != g.m)
      return badTiling(g, "expected tile_m = m for a GEMV (m <= " +
                              std::to_string(kGemvMaxRows) + ")");
    if (t.tileN != t.workgroupSize)
      return badTiling(g, "expected tile_n = workgroup_size for a GEMV");
    sharedBytes = uint64_t(t.tileM) * (t.tileK / 4) * kStagedK4Bytes;
  } else {
    if (t.tileN == 0 || t.tileN % 4 != 0 || t.workgroupSize % (t.tileN / 4) != 0)
      return badTiling(g, "expected tile_n to be a multiple of 4 with tile_n/4 dividing "
                          "workgroup_size");
    uint32_t rowGroups = t.workgroupSize / (t.tileN / 4);
    if (t.tileM == 0 || t.tileM % rowGroups != 0 || t.tileM / rowGroups > 8)
      return badTiling(g, "expected tile_m to be 1 to 8 times workgroup_size/(tile_n/4) = " +
                              std::to_string(rowGroups));
    sharedBytes = uint64_t(t.tileK / 4) * (t.tileM + t.tileN) * kStagedK4Bytes;
    if (ceilDiv(g.m, t.tileM) > kMaxWorkgroupCount)
      return badTiling(g, "more than " + std::to_string(kMaxWorkgroupCount) +
                              " workgroups along m");
  }
  if (sharedBytes > kMaxSharedBytes)
    return badTiling(g, "needs " + std::to_string(sharedBytes) +
                            " bytes of shared memory, expected <= " +
                            std::to_string(kMaxSharedBytes));
  if (ceilDiv(g.n, t.tileN) > kMaxWorkgroupCount)
    return badTiling(g, "more than " + std::to_string(kMaxWorkgroupCount) +
                            " workgroups along n");
  return Status::ok();
}

} // namespace detail
} // namespace kiln::codegen
