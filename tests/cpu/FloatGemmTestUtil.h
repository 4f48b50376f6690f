#pragma once
/// What the pf32 and pf16 kernel tests share: the shapes, a call of a packed kernel on
/// one with a strided dst (packing the LHS first for a packed-LHS kernel), and the
/// guard floats around each dst row that catch stray writes.

#include "kiln/cpu/Isa.h"
#include "kiln/cpu/MatmulF32.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

namespace kiln::cpu::test {

inline constexpr float kInf = std::numeric_limits<float>::infinity();

/// An unpacked-LHS kernel, or (`packedKernel` set) a packed-LHS one and its packer.
struct FloatVariant {
  CpuIsa isa;
  void (*kernel)(const F32MatmulArgs &) = nullptr;
  void (*pack)(size_t m, size_t k, const float *lhs, size_t lhsStride, float *packed) = nullptr;
  void (*packedKernel)(const F32PackedLhsMatmulArgs &) = nullptr;
};

struct FloatShape {
  size_t m, n, k;
  bool bias;
  float clampMin, clampMax;

  std::string label(const FloatVariant &v) const {
    return std::string(cpuIsaName(v.isa)) + (v.packedKernel ? " packed-LHS " : " ") +
           std::to_string(m) + "x" + std::to_string(n) + "x" + std::to_string(k);
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

/// x [M,K] in f32p12x1 blocks, packed in two calls split at a multiple of 12 rows as
/// PackedGemm's threads split it, into NaNs that poison any result the packer missed.
inline std::vector<float> packLhs(const FloatVariant &v, const FloatShape &s,
                                  const std::vector<float> &x) {
  std::vector<float> packed(kiln_lhs_pack_f32p12x1_f32_size(s.m, s.k) / sizeof(float),
                            std::numeric_limits<float>::quiet_NaN());
  const size_t split = s.m / 2 / kF32PackedLhsMr * kF32PackedLhsMr;
  v.pack(split, s.k, x.data(), s.k, packed.data());
  v.pack(s.m - split, s.k, x.data() + split * s.k, s.k, packed.data() + split * s.k);
  return packed;
}

/// Runs `v` on `s`: x [M,K], `packed` weights, `bias` [N] (used when s.bias).
inline GuardedOutput runFloatKernel(const FloatVariant &v, const FloatShape &s,
                                    const std::vector<float> &x, const void *packed,
                                    const std::vector<float> &bias) {
  GuardedOutput out{s.n + 3, {}};
  out.data.assign(s.m * out.stride + 2, GuardedOutput::kGuard);
  auto common = [&](auto a) {
    a.m = s.m;
    a.n = s.n;
    a.k = s.k;
    a.rhsPacked = packed;
    a.bias = s.bias ? bias.data() : nullptr;
    a.dst = out.data.data();
    a.dstStride = out.stride;
    a.clampMin = s.clampMin;
    a.clampMax = s.clampMax;
    return a;
  };
  if (v.packedKernel) {
    const std::vector<float> lhs = packLhs(v, s, x);
    F32PackedLhsMatmulArgs a = common(F32PackedLhsMatmulArgs());
    a.lhsPacked = lhs.data();
    v.packedKernel(a);
  } else {
    F32MatmulArgs a = common(F32MatmulArgs());
    a.lhs = x.data();
    a.lhsStride = s.k;
    v.kernel(a);
  }
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
