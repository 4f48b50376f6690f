// Checks every binding a descriptor uses against the bytes its layout needs, then
// runs the scalar kernel.

#include "kiln/cpu/ScalarKernels.h"

#include "Kernels.h"

#include <string>

namespace kiln::cpu {
namespace {

using vgf::GemmScheme;
using vgf::KernelKind;

/// Resolves bindings to typed pointers, latching the first binding that is too small.
class Bindings {
public:
  explicit Bindings(const KernelBuffers &buffers) : buffers_(buffers) {}

  template <typename T> T *get(uint32_t binding, const char *name, uint64_t elements) {
    return static_cast<T *>(bytes(binding, name, elements * sizeof(T)));
  }
  void *bytes(uint32_t binding, const char *name, uint64_t size) {
    const BufferView &view = buffers_[binding];
    if (status_.isOk() && (view.data == nullptr || view.size < size))
      status_ = invalidArgument("binding " + std::to_string(binding) + " (" + name +
                                "): expected at least " + std::to_string(size) +
                                " bytes, got " +
                                (view.data ? std::to_string(view.size) : std::string("none")));
    return view.data;
  }
  const Status &status() const { return status_; }

private:
  const KernelBuffers &buffers_;
  Status status_;
};

Status runGemm(const vgf::GemmDesc &g, const KernelBuffers &buffers) {
  Bindings in(buffers);
  const uint64_t m = g.m, n = g.n, k = g.k;
  const bool floatLhs = g.scheme == GemmScheme::Pf32 || g.scheme == GemmScheme::Pf16;
  const bool dynamic = g.scheme == GemmScheme::Qp8F32Qc8w || g.scheme == GemmScheme::Qp8F32Qb4w;
  const bool pqs8 = g.scheme == GemmScheme::Pqs8Qc8w;
  if (g.m == 0 || g.n == 0 || g.k == 0)
    return invalidArgument("gemm: expected m, n and k > 0");
  if (g.scheme == GemmScheme::Qp8F32Qb4w &&
      (g.blockSize == 0 || g.blockSize % 2 != 0 || g.k % g.blockSize != 0))
    return invalidArgument("gemm: qb4w block_size " + std::to_string(g.blockSize) +
                           " must be even and divide k = " + std::to_string(g.k));
  uint64_t groups = g.scheme == GemmScheme::Qp8F32Qb4w ? k / g.blockSize : 1;

  detail::GemmBuffers b;
  b.lhs = in.bytes(0, "lhs", m * k * (floatLhs ? 4 : 1));
  uint64_t weightBytes = g.scheme == GemmScheme::Pf32   ? n * k * 4
                         : g.scheme == GemmScheme::Pf16 ? n * k * 2
                         : g.scheme == GemmScheme::Qp8F32Qb4w ? n * k / 2
                                                              : n * k;
  b.weights = in.bytes(1, "weights", weightBytes);
  if (g.hasBias)
    b.bias = in.bytes(3, "bias", n * 4);
  if (dynamic) {
    b.weightScales = in.get<float>(2, "weight scales", n * groups);
    b.weightSums = in.get<int32_t>(4, "weight sums", n * groups);
    b.rowScales = in.get<float>(5, "lhs row scales", m);
    b.rowZeroPoints = in.get<int32_t>(6, "lhs row zero points", m);
  }
  if (pqs8) {
    b.multipliers = in.get<int32_t>(7, "requant multipliers", n);
    b.shifts = in.get<int32_t>(8, "requant shifts", n);
  }
  b.output = in.bytes(9, "output", m * n * (pqs8 ? 1 : 4));
  KILN_RETURN_IF_ERROR(in.status());
  return detail::gemmScalar(g, b);
}

} // namespace

Status runKernelScalar(const vgf::KernelDescriptor &d, const KernelBuffers &buffers) {
  Bindings in(buffers);
  switch (d.kind) {
  case KernelKind::Gemm:
    return runGemm(d.gemm, buffers);
  case KernelKind::QuantizeRows: {
    uint64_t m = d.quantizeRows.m, k = d.quantizeRows.k;
    auto *input = in.get<float>(0, "input", m * k);
    auto *output = in.get<int8_t>(1, "output", m * k);
    auto *scales = in.get<float>(2, "row scales", m);
    auto *zeroPoints = in.get<int32_t>(3, "row zero points", m);
    KILN_RETURN_IF_ERROR(in.status());
    detail::quantizeRowsScalar(d.quantizeRows, input, output, scales, zeroPoints);
    return Status::ok();
  }
  case KernelKind::QuantizeStatic: {
    auto *input = in.get<float>(0, "input", d.quantize.count);
    auto *output = in.get<int8_t>(1, "output", d.quantize.count);
    KILN_RETURN_IF_ERROR(in.status());
    detail::quantizeStaticScalar(d.quantize, input, output);
    return Status::ok();
  }
  case KernelKind::Dequantize: {
    auto *input = in.get<int8_t>(0, "input", d.dequantize.count);
    auto *output = in.get<float>(1, "output", d.dequantize.count);
    KILN_RETURN_IF_ERROR(in.status());
    detail::dequantizeScalar(d.dequantize, input, output);
    return Status::ok();
  }
  }
  return invalidArgument("kernel descriptor: unknown kind " +
                         std::to_string(static_cast<uint32_t>(d.kind)));
}

} // namespace kiln::cpu
