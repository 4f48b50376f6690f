// ISA detection: __builtin_cpu_supports on x86-64; other architectures have only the
// scalar kernels (KILN_CPU_HAVE_X86_KERNELS is set by CMake when the x86 variants build).

#include "kiln/cpu/Isa.h"

#include <cstdlib>
#include <string>

namespace kiln::cpu {

const char *cpuIsaName(CpuIsa isa) {
  switch (isa) {
  case CpuIsa::Scalar:
    return "scalar";
  case CpuIsa::Avx2:
    return "avx2";
  case CpuIsa::Avx512:
    return "avx512";
  }
  return "unknown";
}

bool cpuIsaAvailable(CpuIsa isa) {
  switch (isa) {
  case CpuIsa::Scalar:
    return true;
#ifdef KILN_CPU_HAVE_X86_KERNELS
  case CpuIsa::Avx2:
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
           __builtin_cpu_supports("f16c");
  case CpuIsa::Avx512:
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni");
#endif
  default:
    return false;
  }
}

Expected<CpuIsa> selectCpuIsa() {
  const char *env = std::getenv("KILN_CPU_ISA");
  if (env == nullptr || *env == '\0') {
    for (CpuIsa isa : {CpuIsa::Avx512, CpuIsa::Avx2})
      if (cpuIsaAvailable(isa))
        return isa;
    return CpuIsa::Scalar;
  }
  for (CpuIsa isa : {CpuIsa::Scalar, CpuIsa::Avx2, CpuIsa::Avx512})
    if (env == std::string(cpuIsaName(isa))) {
      if (!cpuIsaAvailable(isa))
        return Status(StatusCode::Unsupported, std::string("KILN_CPU_ISA=") + env +
                                                   ": this CPU or build lacks that ISA");
      return isa;
    }
  return invalidArgument(std::string("KILN_CPU_ISA: expected scalar, avx2 or avx512, got '") +
                         env + "'");
}

} // namespace kiln::cpu
