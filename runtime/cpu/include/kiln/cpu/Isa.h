#pragma once
/// Which instruction set the CPU backend's fast kernels use. Chosen once per process
/// from CPUID (x86-64) or the kernel's hwcaps (aarch64), or forced with
/// KILN_CPU_ISA=scalar|avx2|avx512|neon|neondot|neoni8mm for testing.

#include "kiln/support/Status.h"

namespace kiln::cpu {

enum class CpuIsa {
  Scalar, ///< the reference loops (kiln/cpu/ScalarKernels.h); runs anywhere
  Avx2,   ///< AVX2 + FMA + F16C
  Avx512, ///< AVX-512 F/BW/VL + VNNI
#if defined(__aarch64__)
  // Only in aarch64 builds, so that each architecture's kernel table (a switch over
  // this enum) lists exactly its own tiers.
  Neon,    ///< Advanced SIMD (every aarch64 CPU)
  NeonDot, ///< Advanced SIMD + the dot product (FEAT_DotProd: sdot)
  NeonI8mm, ///< NeonDot + the int8 matrix multiply (FEAT_I8MM: smmla)
#endif
};

const char *cpuIsaName(CpuIsa isa);

/// Whether this build has the variant and this CPU can run it.
bool cpuIsaAvailable(CpuIsa isa);

/// KILN_CPU_ISA when set (InvalidArgument for an unknown value, Unsupported for an ISA
/// this CPU or build lacks), else the widest available ISA.
Expected<CpuIsa> selectCpuIsa();

} // namespace kiln::cpu
