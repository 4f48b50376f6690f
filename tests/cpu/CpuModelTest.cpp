// CpuModel's environment handling: KILN_CPU_THREADS sets the pool size, a bad value
// is an error that names the variable, and preparing reports what it chose.

#include "kiln/cpu/Executor.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

namespace kiln::cpu {
namespace {

/// Sets an environment variable for one scope and restores it after.
class ScopedEnv {
public:
  ScopedEnv(const char *name, const char *value) : name_(name) {
    const char *old = std::getenv(name);
    had_ = old != nullptr;
    old_ = had_ ? old : "";
    setenv(name, value, 1);
  }
  ~ScopedEnv() {
    if (had_)
      setenv(name_, old_.c_str(), 1);
    else
      unsetenv(name_);
  }

private:
  const char *name_;
  bool had_;
  std::string old_;
};

TEST(CpuModelTest, ThreadCountComesFromTheEnvironment) {
  ScopedEnv threads("KILN_CPU_THREADS", "3");
  vgf::Model model;
  Expected<std::unique_ptr<CpuModel>> prepared = CpuModel::prepare(model);
  ASSERT_TRUE(prepared.hasValue()) << prepared.status().message();
  EXPECT_EQ((*prepared)->stats().threads, 3u);
  EXPECT_EQ((*prepared)->stats().packedGemms, 0u);
  EXPECT_EQ((*prepared)->stats().packedBytes, 0u);
}

TEST(CpuModelTest, RejectsABadThreadCount) {
  for (const char *bad : {"0", "two", "4x"}) {
    ScopedEnv threads("KILN_CPU_THREADS", bad);
    vgf::Model model;
    Expected<std::unique_ptr<CpuModel>> prepared = CpuModel::prepare(model);
    ASSERT_FALSE(prepared.hasValue()) << bad;
    EXPECT_EQ(prepared.status().message(),
              std::string("KILN_CPU_THREADS: expected an integer in [1, 1024], got '") + bad + "'");
  }
}

#if defined(__aarch64__)
// The aarch64 tiers: the default is the widest the hwcaps allow, KILN_CPU_ISA forces a
// narrower one (scalar runs the reference loops for every segment), and an x86 ISA is
// Unsupported, not a typo.
TEST(CpuModelTest, Aarch64IsaComesFromTheHwcapsAndTheEnvironment) {
  vgf::Model model; // no segments: prepare() only selects the ISA and the pool
  {
    ScopedEnv isa("KILN_CPU_ISA", "");
    Expected<std::unique_ptr<CpuModel>> prepared = CpuModel::prepare(model);
    ASSERT_TRUE(prepared.hasValue()) << prepared.status().message();
    EXPECT_EQ((*prepared)->stats().isa, cpuIsaAvailable(CpuIsa::NeonI8mm) ? CpuIsa::NeonI8mm
                                        : cpuIsaAvailable(CpuIsa::NeonDot)  ? CpuIsa::NeonDot
                                                                            : CpuIsa::Neon);
  }
  for (CpuIsa forced : {CpuIsa::Scalar, CpuIsa::Neon}) {
    ScopedEnv isa("KILN_CPU_ISA", cpuIsaName(forced));
    Expected<std::unique_ptr<CpuModel>> prepared = CpuModel::prepare(model);
    ASSERT_TRUE(prepared.hasValue()) << prepared.status().message();
    EXPECT_EQ((*prepared)->stats().isa, forced);
  }
  ScopedEnv isa("KILN_CPU_ISA", "avx2");
  Expected<CpuIsa> selected = selectCpuIsa();
  ASSERT_FALSE(selected.hasValue());
  EXPECT_EQ(selected.status().code(), StatusCode::Unsupported);
}
#endif

} // namespace
} // namespace kiln::cpu
