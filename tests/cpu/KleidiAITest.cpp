// The KleidiAI adapter of a KILN_CPU_KLEIDIAI build (docs/cpu-aarch64.md §6), under
// qemu -cpu max in the cross build:
// - Kiln's qai8dxp packer, from the rows Kiln's QuantizeRows kernel wrote, gives the
//   same bytes as KleidiAI's own quantize-and-pack from the fp32 rows: the quantized
//   activations, zero points and scales KleidiAI's kernels read are Kiln's, bit for bit;
// - the KleidiAI-backed GEMM agrees with Kiln's scalar kernel within numerics.md's
//   bound for qp8_f32_qc8w and qp8_f32_qb4w (KleidiAI's fp32 epilogue has its own
//   operation order), on ragged shapes, with and without bias, with clamps that bite;
// - the KleidiAI pf32 GEMM is within numerics.md's pf32 bound of the exact result;
// - PackedGemm sends those three schemes to KleidiAI and pqs8_qc8w to Kiln's kernels.

#include "PackedGemm.h"
#include "kleidiai/KaiGemm.h"
#include "kleidiai/KaiKernels.h"
#include "kleidiai/LhsPack.h"

#include "kiln/cpu/Isa.h"
#include "kiln/cpu/ScalarKernels.h"

#include "CpuTestUtil.h"

#include "kai/ukernels/matmul/pack/kai_lhs_quant_pack_qai8dxp_f32.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace kiln::cpu {
namespace {

using test::testSeed;
using test::view;
using vgf::GemmScheme;

constexpr float kInf = std::numeric_limits<float>::infinity();
const CpuIsa kKaiTiers[] = {CpuIsa::NeonDot, CpuIsa::NeonI8mm};

/// `rows` x `k` fp32 values, row r's range skewed so the zero points cover both ends:
/// row 0 non-negative (zp −128), row 1 non-positive (zp 127), row 2 all zero.
std::vector<float> activations(size_t rows, size_t k, std::mt19937 &rng) {
  std::uniform_real_distribution<float> unit(-1.0f, 1.0f), range(0.01f, 30.0f);
  std::vector<float> x(rows * k, 0.0f);
  for (size_t r = 0; r < rows; ++r) {
    const float scale = range(rng), shift = r == 0 ? 1.0f : r == 1 ? -1.0f : unit(rng) / 2;
    for (size_t i = 0; i < k; ++i)
      x[r * k + i] = r == 2 ? 0.0f : scale * (unit(rng) + shift);
  }
  return x;
}

/// Kiln's QuantizeRows kernel (the scalar reference) on dense rows.
struct QuantizedRows {
  std::vector<int8_t> values;
  std::vector<float> scales;
  std::vector<int32_t> zeroPoints;

  QuantizedRows(const std::vector<float> &x, size_t rows, size_t k)
      : values(rows * k), scales(rows), zeroPoints(rows) {
    vgf::KernelDescriptor d;
    d.kind = vgf::KernelKind::QuantizeRows;
    d.quantizeRows.m = uint32_t(rows);
    d.quantizeRows.k = uint32_t(k);
    std::vector<float> input(x);
    KernelBuffers b{};
    b[0] = view(input);
    b[1] = view(values);
    b[2] = view(scales);
    b[3] = view(zeroPoints);
    Status status = runKernelScalar(d, b);
    EXPECT_TRUE(status.isOk()) << status.message();
  }
};

// ---------------------------------------------------------------------------------
// (a) The qai8dxp packer against KleidiAI's quantize-and-pack.

TEST(KleidiAITest, LhsPackFromQuantizedRowsMatchesKleidiAIsQuantizePack) {
  std::mt19937 rng(testSeed());
  for (CpuIsa isa : kKaiTiers) {
    const kleidiai::Kernels *kernels = kleidiai::kernelsFor(isa);
    ASSERT_NE(kernels, nullptr) << cpuIsaName(isa);
    // The (mr, kr, sr) of each kernel this build may run.
    const size_t geometry[][3] = {
        {kernels->qc8w.get_mr(), kernels->qc8w.get_kr(), kernels->qc8w.get_sr()},
        {kernels->qb4w.get_mr(), kernels->qb4w.get_kr(), kernels->qb4w.get_sr()}};
    for (const auto &[mr, kr, sr] : geometry)
      for (size_t m : {1, 3, 4, 5, 9, 13})
        for (size_t k : {1, 3, 4, 7, 8, 31, 32, 33, 100}) {
          const std::string label = std::string(cpuIsaName(isa)) + " mr" + std::to_string(mr) +
                                    " kr" + std::to_string(kr) + " sr" + std::to_string(sr) + " " +
                                    std::to_string(m) + "x" + std::to_string(k);
          const std::vector<float> x = activations(m, k, rng);
          const QuantizedRows q(x, m, k);
          const size_t size = kai_get_lhs_packed_size_lhs_quant_pack_qai8dxp_f32(m, k, mr, kr, sr);
          // The same filler in both: bytes neither writes (rows past m) must agree too.
          std::vector<uint8_t> want(size, 0xA5), got(size, 0xA5);
          kai_run_lhs_quant_pack_qai8dxp_f32(m, k, mr, kr, sr, 0, x.data(), k * sizeof(float),
                                             want.data());
          // Two calls split at the first block, as PackedGemm's threads split the rows.
          const size_t first = std::min(m, mr);
          const size_t blockBytes =
              kai_get_lhs_packed_offset_lhs_quant_pack_qai8dxp_f32(mr, k, mr, kr, sr);
          kleidiai::kiln_lhs_pack_qai8dxp_qai8dx(first, k, mr, kr, sr, q.values.data(), k,
                                                 q.scales.data(), q.zeroPoints.data(), got.data());
          kleidiai::kiln_lhs_pack_qai8dxp_qai8dx(
              m - first, k, mr, kr, sr, q.values.data() + first * k, k, q.scales.data() + first,
              q.zeroPoints.data() + first, got.data() + blockBytes);
          for (size_t i = 0; i < size; ++i)
            ASSERT_EQ(int(got[i]), int(want[i])) << label << ": byte " << i << " of " << size;
        }
  }
}

// ---------------------------------------------------------------------------------
// (b) The KleidiAI-backed GEMM against the scalar kernel.

struct Shape {
  uint32_t m, n, k, blockSize; ///< blockSize 0: qc8w
  bool bias;
  float clampMin, clampMax;

  vgf::GemmDesc gemm() const {
    vgf::GemmDesc g;
    g.scheme = blockSize ? GemmScheme::Qp8F32Qb4w : GemmScheme::Qp8F32Qc8w;
    g.m = m;
    g.n = n;
    g.k = k;
    g.blockSize = blockSize;
    g.hasBias = bias;
    g.clampMin = clampMin;
    g.clampMax = clampMax;
    return g;
  }
};

/// A dynamic-scheme GEMM's operands in the buffers of runKernelScalar, its scalar
/// result and its exact result in double (from the quantized operands, no clamp).
class DynamicProblem {
public:
  DynamicProblem(const Shape &s, std::mt19937 &rng)
      : s_(s), rows_(activations(s.m, s.k, rng), s.m, s.k) {
    const bool int4 = s.blockSize != 0;
    const uint32_t groups = int4 ? s.k / s.blockSize : 1, group = int4 ? s.blockSize : s.k;
    std::uniform_int_distribution<int> weight(int4 ? -8 : -127, int4 ? 7 : 127),
        significand(128, 255), exponent(-22, -15);
    std::uniform_real_distribution<float> scale(1e-3f, 1e-2f), unit(-1.0f, 1.0f);
    values_.resize(size_t(s.n) * s.k);
    for (int8_t &v : values_)
      v = int8_t(weight(rng));
    // The stored form: int8 as is; int4 two's complement nibbles, even k low.
    weights_.resize(int4 ? values_.size() / 2 : values_.size());
    for (size_t i = 0; i < weights_.size(); ++i)
      weights_[i] = int4 ? uint8_t((values_[2 * i] & 0x0F) | (values_[2 * i + 1] & 0x0F) << 4)
                         : uint8_t(values_[i]);
    // Block scales are bf16 values (numerics.md): 8 significant bits, 2^-15 to 2^-7.
    weightScales_.resize(size_t(s.n) * groups);
    for (float &v : weightScales_)
      v = int4 ? std::ldexp(float(significand(rng)), exponent(rng)) : scale(rng);
    weightSums_.assign(size_t(s.n) * groups, 0);
    for (size_t i = 0; i < values_.size(); ++i)
      weightSums_[i / s.k * groups + i % s.k / group] += values_[i];
    bias_.resize(s.n);
    for (float &v : bias_)
      v = unit(rng);
    exact_.resize(size_t(s.m) * s.n);
    magnitude_.resize(exact_.size());
    for (uint32_t m = 0; m < s.m; ++m)
      for (uint32_t n = 0; n < s.n; ++n) {
        double y = 0, size = 0;
        for (uint32_t j = 0; j < groups; ++j) {
          // Σ x_q·w and zp·Σw: a kernel may sum them apart (KleidiAI's qb4w does).
          double dot = 0, correction = 0;
          for (uint32_t k = j * group; k < (j + 1) * group; ++k) {
            dot += double(rows_.values[size_t(m) * s.k + k]) * values_[size_t(n) * s.k + k];
            correction += double(rows_.zeroPoints[m]) * values_[size_t(n) * s.k + k];
          }
          const double scale = weightScales_[size_t(n) * groups + j] * rows_.scales[m];
          y += (dot - correction) * scale;
          size += (std::fabs(dot) + std::fabs(correction)) * scale;
        }
        const double b = s.bias ? bias_[n] : 0.0;
        exact_[size_t(m) * s.n + n] = y + b;
        magnitude_[size_t(m) * s.n + n] = size + std::fabs(b);
      }
    expected_.resize(size_t(s.m) * s.n);
    vgf::KernelDescriptor d;
    d.kind = vgf::KernelKind::Gemm;
    d.gemm = s.gemm();
    Status status = runKernelScalar(d, buffers(expected_));
    EXPECT_TRUE(status.isOk()) << status.message();
  }

  /// The GEMM's bindings, writing into `out`.
  KernelBuffers buffers(std::vector<float> &out) {
    KernelBuffers b{};
    b[0] = view(rows_.values);
    b[1] = view(weights_);
    b[2] = view(weightScales_);
    if (s_.bias)
      b[3] = view(bias_);
    b[4] = view(weightSums_);
    b[5] = view(rows_.scales);
    b[6] = view(rows_.zeroPoints);
    b[9] = view(out);
    return b;
  }

  /// What the KleidiAI outputs that differ from the scalar kernel's differ by.
  struct Deviation {
    size_t differing = 0, outputs = 0;
    double perOutput = 0; ///< the largest |Δ| / (eps · the output's magnitude_)
    double ofBound = 0;   ///< the largest |Δ| / numerics.md's bound
  };

  /// Checks `got` against the scalar result within numerics.md's XNNPACK bound,
  /// 2·(maxabs·(K+1)·eps + eps) with maxabs the largest |exact output| of the GEMM, and
  /// adds its deviations to `dev`.
  void checkWithinBound(const std::vector<float> &got, const std::string &label,
                        Deviation &dev) const {
    double maxabs = 0;
    for (double y : exact_)
      maxabs = std::max(maxabs, std::fabs(y));
    const double bound = 2 * (maxabs * (s_.k + 1) * FLT_EPSILON + FLT_EPSILON);
    for (size_t i = 0; i < got.size(); ++i) {
      const double want = expected_[i];
      ASSERT_LE(std::fabs(got[i] - want), bound)
          << label << ": y[" << i / s_.n << "," << i % s_.n << "] = " << got[i]
          << ", Kiln's scalar kernel " << want;
      const double clamped =
          std::min<double>(std::max<double>(exact_[i], s_.clampMin), s_.clampMax);
      ASSERT_LE(std::fabs(got[i] - clamped), bound) << label << ": against the exact result";
      if (got[i] != expected_[i]) {
        const double delta = std::fabs(got[i] - want);
        ++dev.differing;
        dev.perOutput = std::max(dev.perOutput, delta / (FLT_EPSILON * magnitude_[i]));
        dev.ofBound = std::max(dev.ofBound, delta / bound);
      }
    }
    dev.outputs += got.size();
  }

  const std::vector<float> &expected() const { return expected_; }

private:
  Shape s_;
  QuantizedRows rows_;
  std::vector<int8_t> values_;   ///< the weights [N,K], one value each
  std::vector<uint8_t> weights_; ///< as a model stores them (binding 1)
  std::vector<float> weightScales_;
  std::vector<int32_t> weightSums_;
  std::vector<float> bias_;
  std::vector<double> exact_;
  /// Each output's scale: s_x·Σ_j s_j·(|Σ x_q·w| + |zp·Σw|) over its blocks, + |b|.
  std::vector<double> magnitude_;
  std::vector<float> expected_;
};

std::string label(CpuIsa isa, const Shape &s) {
  return std::string(cpuIsaName(isa)) + " " + std::to_string(s.m) + "x" + std::to_string(s.n) +
         "x" + std::to_string(s.k) + (s.blockSize ? " bl" + std::to_string(s.blockSize) : "") +
         (s.bias ? " bias" : "");
}

/// Runs every shape through KaiGemm on each tier this CPU has, three threads.
void checkShapes(const std::vector<Shape> &shapes) {
  std::mt19937 rng(testSeed());
  ThreadPool pool(3);
  for (CpuIsa isa : kKaiTiers) {
    if (!cpuIsaAvailable(isa))
      continue;
    DynamicProblem::Deviation dev;
    for (const Shape &s : shapes) {
      DynamicProblem problem(s, rng);
      std::vector<float> got(size_t(s.m) * s.n, 12345.0f);
      KernelBuffers b = problem.buffers(got);
      std::unique_ptr<kleidiai::KaiGemm> gemm =
          kleidiai::KaiGemm::create(s.gemm(), *kleidiai::kernelsFor(isa), b);
      ASSERT_NE(gemm, nullptr) << label(isa, s);
      Status status = gemm->run(b, pool);
      ASSERT_TRUE(status.isOk()) << status.message();
      problem.checkWithinBound(got, label(isa, s), dev);
    }
    std::printf("%s: %zu of %zu outputs differ from Kiln's scalar kernel, by at most "
                "%.2f eps·(s_x·Σ_j s_j·(|Σ x_q·w| + |zp·Σw|) + |b|) and %.4f of the bound\n",
                cpuIsaName(isa), dev.differing, dev.outputs, dev.perOutput, dev.ofBound);
  }
}

// m: 1, mr−1, mr, mr+1, 2·mr+1 and past KleidiAI's 16-row step; n: 1, around its 4
// channels, ragged against the three threads' split; k ragged against the 32-k step.
TEST(KleidiAITest, Qc8wGemmMatchesTheScalarKernelWithinTheBound) {
  if (!cpuIsaAvailable(CpuIsa::NeonDot))
    GTEST_SKIP() << "no FEAT_DotProd";
  checkShapes({{1, 1, 1, 0, false, -kInf, kInf},
               {3, 5, 7, 0, true, -kInf, kInf},
               {4, 4, 32, 0, true, -0.5f, 0.5f},
               {5, 11, 33, 0, false, 0.0f, kInf},
               {9, 3, 64, 0, true, -kInf, 0.25f},
               {17, 19, 100, 0, true, -1.0f, 1.0f},
               {33, 67, 256, 0, true, -kInf, kInf},
               {37, 64, 256, 0, true, -kInf, kInf}});
}

TEST(KleidiAITest, Qb4wGemmMatchesTheScalarKernelWithinTheBound) {
  if (!cpuIsaAvailable(CpuIsa::NeonDot))
    GTEST_SKIP() << "no FEAT_DotProd";
  checkShapes({{1, 1, 32, 32, false, -kInf, kInf},
               {3, 5, 64, 32, true, -kInf, kInf},
               {4, 4, 96, 32, true, -0.5f, 0.5f},
               {5, 11, 128, 64, false, 0.0f, kInf},
               {9, 3, 64, 64, true, -kInf, 0.25f},
               {17, 19, 256, 128, true, -1.0f, 1.0f},
               {33, 67, 256, 32, true, -kInf, kInf}});
}

// m around KleidiAI's 6-row step, n around its 16 channels and the three threads'
// split, k from 1 to past 256.
TEST(KleidiAITest, Pf32GemmStaysWithinThePf32Bound) {
  if (!cpuIsaAvailable(CpuIsa::Neon))
    GTEST_SKIP() << "no Advanced SIMD";
  std::mt19937 rng(testSeed());
  std::uniform_real_distribution<float> unit(-1.0f, 1.0f);
  ThreadPool pool(3);
  double worst = 0;
  for (const Shape &s :
       {Shape{1, 1, 1, 0, false, -kInf, kInf}, Shape{5, 17, 3, 0, true, -kInf, kInf},
        Shape{6, 16, 16, 0, true, 0.0f, kInf}, Shape{7, 33, 100, 0, false, -kInf, kInf},
        Shape{13, 40, 257, 0, true, -0.5f, 0.5f}}) {
    vgf::GemmDesc g = s.gemm();
    g.scheme = GemmScheme::Pf32;
    std::vector<float> x(size_t(s.m) * s.k), w(size_t(s.n) * s.k), bias(s.n),
        out(size_t(s.m) * s.n);
    for (std::vector<float> *v : {&x, &w, &bias})
      for (float &f : *v)
        f = unit(rng);
    KernelBuffers b{};
    b[0] = view(x);
    b[1] = view(w);
    if (s.bias)
      b[3] = view(bias);
    b[9] = view(out);
    std::unique_ptr<kleidiai::KaiGemm> gemm =
        kleidiai::KaiGemm::create(g, *kleidiai::kernelsFor(CpuIsa::Neon), b);
    ASSERT_NE(gemm, nullptr) << label(CpuIsa::Neon, s);
    ASSERT_TRUE(gemm->run(b, pool).isOk());
    for (uint32_t m = 0; m < s.m; ++m)
      for (uint32_t n = 0; n < s.n; ++n) {
        // numerics.md: 2·(K+1)·eps times the sum of the magnitudes added (here with
        // the bias's, which the bound's K+1 counts as one more addition).
        double y = s.bias ? bias[n] : 0.0, size = std::fabs(y);
        for (uint32_t k = 0; k < s.k; ++k) {
          const double p = double(x[size_t(m) * s.k + k]) * w[size_t(n) * s.k + k];
          y += p;
          size += std::fabs(p);
        }
        y = std::min<double>(std::max<double>(y, s.clampMin), s.clampMax);
        const double bound = 2 * (s.k + 1) * FLT_EPSILON * size;
        const double delta = std::fabs(out[size_t(m) * s.n + n] - y);
        ASSERT_LE(delta, bound) << label(CpuIsa::Neon, s) << ": y[" << m << "," << n << "]";
        worst = std::max(worst, delta / bound);
      }
  }
  std::printf("pf32: at most %.4f of the bound\n", worst);
}

// ---------------------------------------------------------------------------------
// (c) What PackedGemm routes to KleidiAI.

TEST(KleidiAITest, PackedGemmRunsDynamicSchemesWithKleidiAIAndPqs8WithKiln) {
  std::mt19937 rng(testSeed());
  ThreadPool pool(2);
  // KleidiAI's int8 matmuls need dotprod: the neon tier has its pf32 kernel alone.
  const kleidiai::Kernels *neon = detail::kernelSetFor(CpuIsa::Neon).kleidiai;
  ASSERT_NE(neon, nullptr);
  EXPECT_NE(neon->pf32.run_matmul, nullptr);
  EXPECT_EQ(neon->qc8w.run_matmul, nullptr);
  EXPECT_EQ(neon->qb4w.run_matmul, nullptr);
  for (CpuIsa isa : kKaiTiers) {
    if (!cpuIsaAvailable(isa))
      continue;
    const detail::KernelSet kernels = detail::kernelSetFor(isa);
    ASSERT_NE(kernels.kleidiai, nullptr) << cpuIsaName(isa);

    // qc8w and qb4w (block 32) go to KleidiAI, with KaiGemm's own results; qb4w with
    // block 16, which KleidiAI's qsi4c32p does not take, stays with Kiln's kernel.
    for (const Shape &s :
         {Shape{9, 21, 40, 0, true, -kInf, kInf}, Shape{9, 21, 64, 32, true, -kInf, kInf},
          Shape{9, 21, 64, 16, true, -kInf, kInf}}) {
      DynamicProblem problem(s, rng);
      std::vector<float> got(size_t(s.m) * s.n), direct(got.size());
      KernelBuffers b = problem.buffers(got);
      Expected<std::unique_ptr<PackedGemm>> packed = PackedGemm::create(s.gemm(), kernels, b, true);
      ASSERT_TRUE(packed && *packed) << label(isa, s);
      const bool wantKai = s.blockSize != 16;
      EXPECT_EQ((*packed)->runsKleidiAi(), wantKai) << label(isa, s);
      ASSERT_TRUE((*packed)->run(b, pool).isOk());
      if (wantKai) {
        KernelBuffers d = problem.buffers(direct);
        ASSERT_TRUE(kleidiai::KaiGemm::create(s.gemm(), *kernels.kleidiai, d)->run(d, pool).isOk());
        EXPECT_EQ(std::memcmp(got.data(), direct.data(), got.size() * 4), 0) << label(isa, s);
      } else {
        EXPECT_EQ(std::memcmp(got.data(), problem.expected().data(), got.size() * 4), 0)
            << label(isa, s) << ": Kiln's kernels are bit-identical to the scalar one";
      }
    }

    // pqs8_qc8w keeps Kiln's kernel, bit-identical to the scalar one.
    const uint32_t m = 5, n = 19, k = 37;
    std::uniform_int_distribution<int> i8(-128, 127), w8(-127, 127), shift(38, 46);
    std::uniform_int_distribution<int32_t> mult(1 << 30, INT32_MAX), bias(-5000, 5000);
    std::vector<int8_t> lhs(m * k), weights(n * k), want(m * n), got(m * n);
    std::vector<int32_t> biases(n), multipliers(n), shifts(n);
    for (int8_t &v : lhs)
      v = int8_t(i8(rng));
    for (int8_t &v : weights)
      v = int8_t(w8(rng));
    for (uint32_t i = 0; i < n; ++i) {
      biases[i] = bias(rng);
      multipliers[i] = mult(rng);
      shifts[i] = shift(rng);
    }
    vgf::KernelDescriptor d;
    d.kind = vgf::KernelKind::Gemm;
    d.gemm.scheme = GemmScheme::Pqs8Qc8w;
    d.gemm.m = m;
    d.gemm.n = n;
    d.gemm.k = k;
    d.gemm.hasBias = true;
    d.gemm.lhsZeroPoint = -3;
    d.gemm.outZeroPoint = 5;
    KernelBuffers b{};
    b[0] = view(lhs);
    b[1] = view(weights);
    b[3] = view(biases);
    b[7] = view(multipliers);
    b[8] = view(shifts);
    b[9] = view(want);
    ASSERT_TRUE(runKernelScalar(d, b).isOk());
    b[9] = view(got);
    Expected<std::unique_ptr<PackedGemm>> packed = PackedGemm::create(d.gemm, kernels, b, true);
    ASSERT_TRUE(packed && *packed) << cpuIsaName(isa);
    EXPECT_FALSE((*packed)->runsKleidiAi()) << cpuIsaName(isa) << " pqs8";
    ASSERT_TRUE((*packed)->run(b, pool).isOk());
    EXPECT_EQ(got, want) << cpuIsaName(isa) << " pqs8";
  }
}

TEST(KleidiAITest, PackedGemmRunsPf32WithKleidiAIOnEveryNeonTier) {
  ThreadPool pool(2);
  for (CpuIsa isa : {CpuIsa::Neon, CpuIsa::NeonDot, CpuIsa::NeonI8mm}) {
    if (!cpuIsaAvailable(isa))
      continue;
    vgf::GemmDesc g = Shape{3, 20, 9, 0, true, -kInf, kInf}.gemm();
    g.scheme = GemmScheme::Pf32;
    // Values whose sums are exact in fp32, so any summation order gives 9·0.125 + 1.
    std::vector<float> x(3 * 9, 0.5f), w(20 * 9, 0.25f), bias(20, 1.0f), out(3 * 20);
    KernelBuffers b{};
    b[0] = view(x);
    b[1] = view(w);
    b[3] = view(bias);
    b[9] = view(out);
    // A bias that may change between runs keeps Kiln's kernel, which reads it each run.
    for (bool constantBias : {true, false}) {
      Expected<std::unique_ptr<PackedGemm>> packed =
          PackedGemm::create(g, detail::kernelSetFor(isa), b, constantBias);
      ASSERT_TRUE(packed && *packed) << cpuIsaName(isa);
      EXPECT_EQ((*packed)->runsKleidiAi(), constantBias) << cpuIsaName(isa);
      std::fill(out.begin(), out.end(), 0.0f);
      ASSERT_TRUE((*packed)->run(b, pool).isOk());
      EXPECT_EQ(out, std::vector<float>(3 * 20, 2.125f)) << cpuIsaName(isa);
    }
  }
}

} // namespace
} // namespace kiln::cpu
