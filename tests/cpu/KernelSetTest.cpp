// The per-ISA kernel tables (runtime/cpu/kernels/KernelSet.h): the scalar tier must
// run the reference loops for every job (a vector kernel there would run on CPUs
// without the ISA), and each vector tier must offer a kernel for every job its
// architecture's file promises, so no scheme silently falls back to the scalar loops.

#include "KernelSet.h"

#include <gtest/gtest.h>

#include <vector>

namespace kiln::cpu::detail {
namespace {

/// Whether `set` has a kernel for each job: the GEMMs, then the quantizers.
std::vector<bool> offered(const KernelSet &set) {
  return {set.qc8w != nullptr,         set.qb4w != nullptr,           set.pf32 != nullptr,
          set.pf16 != nullptr,         set.pqs8 != nullptr,           set.quantizeRows != nullptr,
          set.quantizeStatic != nullptr, set.dequantize != nullptr};
}

TEST(KernelSetTest, TheScalarTierHasNoVectorKernel) {
  EXPECT_EQ(offered(kernelSetFor(CpuIsa::Scalar)), std::vector<bool>(8, false));
}

#if defined(__x86_64__)
TEST(KernelSetTest, EveryX86TierCoversEveryJob) {
  for (CpuIsa isa : {CpuIsa::Avx2, CpuIsa::Avx512})
    EXPECT_EQ(offered(kernelSetFor(isa)), std::vector<bool>(8, true)) << cpuIsaName(isa);
}
#endif

#if defined(__aarch64__)
TEST(KernelSetTest, TheAarch64DotTiersCoverEveryJob) {
  for (CpuIsa isa : {CpuIsa::NeonDot, CpuIsa::NeonI8mm})
    EXPECT_EQ(offered(kernelSetFor(isa)), std::vector<bool>(8, true)) << cpuIsaName(isa);
}

TEST(KernelSetTest, ThePlainNeonTierLacksOnlyTheInt8Gemms) {
  // Without sdot the int8 GEMMs keep the scalar loops; the rest needs only Advanced SIMD.
  EXPECT_EQ(offered(kernelSetFor(CpuIsa::Neon)),
            (std::vector<bool>{false, false, true, true, false, true, true, true}));
}
#endif

} // namespace
} // namespace kiln::cpu::detail
