#pragma once
/// The libraries a user would pick instead of Kiln, run on the same shapes, data and
/// thread count in the same process: oneDNN's fp32 matmul, oneDNN's int8 matmul
/// (u8 x s8 -> s32) with Kiln's dynamic per-row quantization and fp32 dequantization
/// around it, OpenBLAS sgemm, and XNNPACK's fp32, fp16 and static int8 operators.
/// Each computes y[M,N] = x[M,K] · W[N,K]ᵀ + b.

#include "kiln/support/Status.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace kiln::bench {

/// A baseline GEMM with its weights prepared once (reordered, quantized); run()
/// computes one output from the fixed input.
class BaselineGemm {
public:
  virtual ~BaselineGemm() = default;
  virtual Status run() = 0;
  /// The weight bytes one run reads (the library's own storage).
  virtual uint64_t weightBytes() const = 0;
};

/// y = x·Wᵀ + b on inputs shared by every implementation of one shape.
struct GemmProblem {
  int64_t m = 1, n = 1, k = 1;
  std::vector<float> x;       ///< [M,K]
  std::vector<float> weights; ///< [N,K]
  std::vector<float> bias;    ///< [N]
};
GemmProblem makeProblem(int64_t m, int64_t n, int64_t k, unsigned seed);

/// Thread count of the OpenMP runtime (oneDNN), of OpenBLAS and of the XNNPACK
/// baselines made after the call.
void setBaselineThreads(unsigned threads);
unsigned baselineThreads();

/// `problem` must outlive the baseline. oneDNN's errors (it throws) become statuses.
Expected<std::unique_ptr<BaselineGemm>> makeOneDnnF32(const GemmProblem &problem);
/// Per-channel symmetric int8 weights (numerics.md's qc8w); per run: Kiln's qai8dx
/// quantizer, a shift to u8, the s32 matmul, then the zero-point correction with the
/// weight column sums and ((float)acc · s_w) · s_x + b.
Expected<std::unique_ptr<BaselineGemm>> makeOneDnnInt8(const GemmProblem &problem);
Expected<std::unique_ptr<BaselineGemm>> makeOpenBlasSgemm(const GemmProblem &problem);
/// XNNPACK (bench/BaselinesXnnpack.cpp): fully connected fp32; fp16 with fp32 → fp16 →
/// fp32 conversions around it; static per-channel int8 (qc8, pqs8_qc8w's like) with
/// the input and output quantized per tensor, converted in and out on every run.
/// Unsupported where this CPU or XNNPACK build lacks the operator.
Expected<std::unique_ptr<BaselineGemm>> makeXnnpackF32(const GemmProblem &problem);
Expected<std::unique_ptr<BaselineGemm>> makeXnnpackF16(const GemmProblem &problem);
Expected<std::unique_ptr<BaselineGemm>> makeXnnpackQc8(const GemmProblem &problem);

/// "oneDNN 2.6.3 (OpenMP)", "OpenBLAS 0.3.21 ...": for the report.
std::string oneDnnVersion();
std::string openBlasVersion();
std::string xnnpackVersion();

} // namespace kiln::bench
