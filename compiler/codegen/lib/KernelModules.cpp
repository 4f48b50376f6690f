#include "kiln/codegen/KernelModules.h"

#include "GemmTiling.h"
#include "GlslCompiler.h"
#include "ShaderPreamble.h"

#include <string>

namespace kiln::codegen {
namespace {

using vgf::GemmScheme;
using vgf::KernelKind;

/// numerics.md: int32 accumulators cannot overflow while K < 131072.
constexpr uint32_t kMaxGemmK = 131071;

/// Shaders index buffers with 32-bit element indices.
constexpr uint64_t kMaxElements = 0xFFFFFFFFull;

Status badDescriptor(const vgf::KernelDescriptor &d, const std::string &why) {
  return invalidArgument(std::string("kernel descriptor (") + vgf::kernelKindName(d.kind) +
                         "): " + why);
}

Status checkElements(const vgf::KernelDescriptor &d, const char *what, uint64_t a,
                     uint64_t b) {
  if (a * b > kMaxElements)
    return badDescriptor(d, std::string(what) + " has " + std::to_string(a * b) +
                                " elements, expected at most 2^32 - 1");
  return Status::ok();
}

Status checkGemm(const vgf::KernelDescriptor &d) {
  const vgf::GemmDesc &g = d.gemm;
  if (static_cast<uint32_t>(g.scheme) > static_cast<uint32_t>(GemmScheme::Qp8F32Qb4w))
    return badDescriptor(d, "unknown scheme " + std::to_string(static_cast<uint32_t>(g.scheme)));
  for (auto [field, value] : {std::pair{"m", g.m}, {"n", g.n}, {"k", g.k}})
    if (value == 0)
      return badDescriptor(d, std::string("expected ") + field + " > 0");
  if (g.k > kMaxGemmK)
    return badDescriptor(d, "expected k <= " + std::to_string(kMaxGemmK) +
                                " (int32 accumulators), got " + std::to_string(g.k));
  KILN_RETURN_IF_ERROR(checkElements(d, "lhs [m,k]", g.m, g.k));
  KILN_RETURN_IF_ERROR(checkElements(d, "weights [n,k]", g.n, g.k));
  KILN_RETURN_IF_ERROR(checkElements(d, "output [m,n]", g.m, g.n));
  if (g.scheme == GemmScheme::Qp8F32Qb4w &&
      (g.blockSize == 0 || g.blockSize % 4 != 0 || g.k % g.blockSize != 0))
    return badDescriptor(d, "expected a qb4w block_size that is a multiple of 4 and divides k = " +
                                std::to_string(g.k) + ", got " + std::to_string(g.blockSize));
  return detail::checkGemmTiling(g);
}

Status checkDescriptor(const vgf::KernelDescriptor &d) {
  switch (d.kind) {
  case KernelKind::Gemm:
    return checkGemm(d);
  case KernelKind::QuantizeRows:
    if (d.quantizeRows.m == 0 || d.quantizeRows.k == 0)
      return badDescriptor(d, "expected m > 0 and k > 0");
    if (d.quantizeRows.m > detail::kMaxWorkgroupCount)
      return badDescriptor(d, "expected m <= " + std::to_string(detail::kMaxWorkgroupCount) +
                                  " (one workgroup per row), got " +
                                  std::to_string(d.quantizeRows.m));
    return checkElements(d, "input [m,k]", d.quantizeRows.m, d.quantizeRows.k);
  case KernelKind::QuantizeStatic:
    return d.quantize.count == 0 ? badDescriptor(d, "expected count > 0") : Status::ok();
  case KernelKind::Dequantize:
    return d.dequantize.count == 0 ? badDescriptor(d, "expected count > 0") : Status::ok();
  }
  return invalidArgument("kernel descriptor: unknown kind " +
                         std::to_string(static_cast<uint32_t>(d.kind)));
}

std::vector<uint32_t> bindingsOf(const vgf::KernelDescriptor &d) {
  switch (d.kind) {
  case KernelKind::Gemm: {
    std::vector<uint32_t> b = {0, 1};
    bool dynamic = d.gemm.scheme == GemmScheme::Qp8F32Qc8w ||
                   d.gemm.scheme == GemmScheme::Qp8F32Qb4w;
    if (dynamic)
      b.push_back(2);
    if (d.gemm.hasBias)
      b.push_back(3);
    if (dynamic)
      b.insert(b.end(), {4, 5, 6});
    if (d.gemm.scheme == GemmScheme::Pqs8Qc8w)
      b.insert(b.end(), {7, 8});
    b.push_back(9);
    return b;
  }
  case KernelKind::QuantizeRows:
    return {0, 1, 2, 3};
  case KernelKind::QuantizeStatic:
  case KernelKind::Dequantize:
    return {0, 1};
  }
  return {};
}

std::array<uint32_t, 3> workgroupsOf(const vgf::KernelDescriptor &d) {
  auto ceilDiv = [](uint32_t a, uint32_t b) { return (a + b - 1) / b; };
  switch (d.kind) {
  case KernelKind::Gemm: {
    const vgf::GemmTiling &t = d.gemm.tiling;
    return {ceilDiv(d.gemm.n, t.tileN), ceilDiv(d.gemm.m, t.tileM), 1};
  }
  case KernelKind::QuantizeRows:
    return {d.quantizeRows.m, 1, 1};
  case KernelKind::QuantizeStatic:
    return {detail::elementwiseWorkgroups(d.quantize.count), 1, 1};
  case KernelKind::Dequantize:
    return {detail::elementwiseWorkgroups(d.dequantize.count), 1, 1};
  }
  return {1, 1, 1};
}

bool isIntegerGemm(const vgf::KernelDescriptor &d) {
  return d.kind == KernelKind::Gemm && d.gemm.scheme != GemmScheme::Pf32 &&
         d.gemm.scheme != GemmScheme::Pf16;
}

/// Whether the GEMM reads 16- or 8-byte vectors, which the load64 variant reads as
/// 64-bit components: float rows with K a multiple of 4 (vec4 lhs and pf32 weights,
/// 4 fp16 weights), int8 rows in 16-value chunks, int4 weights in 32-value chunks.
bool hasWideLoads(const vgf::KernelDescriptor &d) {
  if (d.kind != KernelKind::Gemm)
    return false;
  return isIntegerGemm(d) ? d.gemm.tiling.tileK >= 16 : d.gemm.k % 4 == 0;
}

/// The modules of a kernel, portable first, then the variants in the order the
/// runtime prefers them when the device has their features: 64-bit loads, then SDot
/// (integer GEMMs). The 64-bit variant keeps the portable arithmetic: lavapipe
/// emulates SDot, and with 64-bit loads the portable qb4w kernel ran 18.7 M
/// instructions against SDot's 24.7 M, qc8w and pqs8 alike (docs/codegen.md).
std::vector<detail::GemmVariant> variantsOf(const vgf::KernelDescriptor &d) {
  std::vector<detail::GemmVariant> variants = {{}};
  if (hasWideLoads(d))
    variants.push_back({false, true});
  if (isIntegerGemm(d))
    variants.push_back({true, false});
  return variants;
}

std::string kernelLabel(const vgf::KernelDescriptor &d, detail::GemmVariant v) {
  std::string label = vgf::kernelKindName(d.kind);
  if (d.kind == KernelKind::Gemm)
    label += std::string(" ") + vgf::gemmSchemeName(d.gemm.scheme) + " " +
             std::to_string(d.gemm.m) + "x" + std::to_string(d.gemm.n) + "x" +
             std::to_string(d.gemm.k);
  return label + (v.integerDot ? " (dot4)" : v.load64 ? " (load64)" : " (base)");
}

Expected<KernelModule> buildModule(const vgf::KernelDescriptor &d, detail::GemmVariant v) {
  Expected<std::string> source = detail::kernelSource(d, v);
  if (!source)
    return source.takeStatus();
  Expected<std::vector<uint32_t>> spirv =
      detail::compileComputeShader(*source, kernelLabel(d, v));
  if (!spirv)
    return spirv.takeStatus();
  KernelModule module;
  module.spirv = std::move(*spirv);
  // vgf::KernelFeature has no bit for shaderInt64: the runtime reads the module's Int64
  // capability and skips a variant whose capabilities the device lacks.
  module.requiredFeatures = v.integerDot ? vgf::kFeatureIntegerDotProduct : vgf::kFeatureNone;
  return module;
}

} // namespace

Expected<KernelBinary> buildKernel(const vgf::KernelDescriptor &descriptor) {
  KILN_RETURN_IF_ERROR(checkDescriptor(descriptor));
  KernelBinary binary;
  binary.bindings = bindingsOf(descriptor);
  binary.workgroups = workgroupsOf(descriptor);
  for (detail::GemmVariant variant : variantsOf(descriptor)) {
    Expected<KernelModule> module = buildModule(descriptor, variant);
    if (!module)
      return module.takeStatus();
    binary.modules.push_back(std::move(*module));
  }
  return binary;
}

} // namespace kiln::codegen
