// ISA detection: __builtin_cpu_supports on x86-64, getauxval's hwcaps on aarch64 Linux;
// other architectures have only the scalar kernels. CMake sets
// KILN_CPU_HAVE_X86_KERNELS or KILN_CPU_HAVE_AARCH64_KERNELS when those variants build.

#include "kiln/cpu/Isa.h"

#include <cstdlib>
#include <iterator>
#include <optional>
#include <string>

#ifdef KILN_CPU_HAVE_AARCH64_KERNELS
#include <sys/auxv.h>
#endif

namespace kiln::cpu {
namespace {

/// This architecture's tiers, widest last: selectCpuIsa() tries them in reverse, and
/// the error message lists them.
#if defined(__aarch64__)
constexpr CpuIsa kTiers[] = {CpuIsa::Scalar, CpuIsa::Neon, CpuIsa::NeonDot, CpuIsa::NeonI8mm};
constexpr const char *kTierList = "scalar, neon, neondot or neoni8mm";
#else
constexpr CpuIsa kTiers[] = {CpuIsa::Scalar, CpuIsa::Avx2, CpuIsa::Avx512};
constexpr const char *kTierList = "scalar, avx2 or avx512";
#endif

/// The ISA called `name`: one of this architecture's tiers, or an x86 one, which every
/// build recognises so that KILN_CPU_ISA=avx2 on aarch64 is Unsupported, not a typo.
std::optional<CpuIsa> isaNamed(const std::string &name) {
  for (CpuIsa isa : kTiers)
    if (name == cpuIsaName(isa))
      return isa;
  for (CpuIsa isa : {CpuIsa::Avx2, CpuIsa::Avx512})
    if (name == cpuIsaName(isa))
      return isa;
  return std::nullopt;
}

} // namespace

const char *cpuIsaName(CpuIsa isa) {
  switch (isa) {
  case CpuIsa::Scalar:
    return "scalar";
  case CpuIsa::Avx2:
    return "avx2";
  case CpuIsa::Avx512:
    return "avx512";
#if defined(__aarch64__)
  case CpuIsa::Neon:
    return "neon";
  case CpuIsa::NeonDot:
    return "neondot";
  case CpuIsa::NeonI8mm:
    return "neoni8mm";
#endif
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
#ifdef KILN_CPU_HAVE_AARCH64_KERNELS
  case CpuIsa::Neon:
    return (getauxval(AT_HWCAP) & HWCAP_ASIMD) != 0;
  case CpuIsa::NeonDot:
    return (getauxval(AT_HWCAP) & HWCAP_ASIMD) != 0 && (getauxval(AT_HWCAP) & HWCAP_ASIMDDP) != 0;
  case CpuIsa::NeonI8mm:
    return cpuIsaAvailable(CpuIsa::NeonDot) && (getauxval(AT_HWCAP2) & HWCAP2_I8MM) != 0;
#endif
  default:
    return false;
  }
}

Expected<CpuIsa> selectCpuIsa() {
  const char *env = std::getenv("KILN_CPU_ISA");
  if (env == nullptr || *env == '\0') {
    for (size_t i = std::size(kTiers); i-- > 1;)
      if (cpuIsaAvailable(kTiers[i]))
        return kTiers[i];
    return CpuIsa::Scalar;
  }
  std::optional<CpuIsa> isa = isaNamed(env);
  if (!isa)
    return invalidArgument(std::string("KILN_CPU_ISA: expected ") + kTierList + ", got '" + env +
                           "'");
  if (!cpuIsaAvailable(*isa))
    return Status(StatusCode::Unsupported,
                  std::string("KILN_CPU_ISA=") + env + ": this CPU or build lacks that ISA");
  return *isa;
}

} // namespace kiln::cpu
