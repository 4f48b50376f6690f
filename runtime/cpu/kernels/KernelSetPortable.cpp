// Architectures without vector kernels in this build run the scalar reference for
// every job.

#include "KernelSet.h"

namespace kiln::cpu::detail {

KernelSet kernelSetFor(CpuIsa) { return {}; }

} // namespace kiln::cpu::detail
