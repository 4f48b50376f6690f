#pragma once
/// What the pf32 and pf16 kernel tests share: the shapes, a call of a packed kernel on
/// one with a strided dst, and the guard floats around each dst row that catch stray
/// writes.

#include "kiln/cpu/Isa.h"
#include "kiln/cpu/MatmulF32.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

namespace kiln::cpu::test {

inline constexpr float kInf = std::numeric_limits<float>::infinity();

struct FloatVariant {
  CpuIsa isa;
  void (*kernel)(const F32MatmulArgs &);
};

struct FloatShape {
  size_t m, n, k;
  bool bias;
  float clampMin, clampMax;

  std::string label(CpuIsa isa) const {
    return std::string(cpuIsaName(isa)) + " " + std::to_string(m) + "x" + std::to_string(n) +
           "x" + std::to_string(k);
  }
};

/// A kernel's output: rows `stride` floats apart, guard values after each row's n
/// results and after the last row.
struct GuardedOutput {
  static constexpr float kGuard = 12345.0f;
  size_t stride;
  std::vector<float> data;

  float at(size_t m, size_t n) const { return data[m * stride + n]; }
};

/// Runs `v` on `s`: x [M,K], `packed` weights, `bias` [N] (used when s.bias).
inline GuardedOutput runFloatKernel(const FloatVariant &v, const FloatShape &s,
                                    const std::vector<float> &x, const void *packed,
                                    const std::vector<float> &bias) {
  GuardedOutput out{s.n + 3, {}};
  out.data.assign(s.m * out.stride + 2, GuardedOutput::kGuard);
  F32MatmulArgs a;
  a.m = s.m;
  a.n = s.n;
  a.k = s.k;
  a.lhs = x.data();
  a.lhsStride = s.k;
  a.rhsPacked = packed;
  a.bias = s.bias ? bias.data() : nullptr;
  a.dst = out.data.data();
  a.dstStride = out.stride;
  a.clampMin = s.clampMin;
  a.clampMax = s.clampMax;
  v.kernel(a);
  return out;
}

/// Fails the test if the kernel wrote outside its M x N results.
inline void expectGuardsIntact(const GuardedOutput &out, const FloatShape &s,
                               const std::string &label) {
  for (size_t m = 0; m < s.m; ++m)
    for (size_t g = s.n; g < out.stride; ++g)
      ASSERT_EQ(out.at(m, g), GuardedOutput::kGuard) << label << ": wrote past row " << m;
  ASSERT_EQ(out.data.back(), GuardedOutput::kGuard) << label << ": wrote past the end";
}

} // namespace kiln::cpu::test
