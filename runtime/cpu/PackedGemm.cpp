#include "PackedGemm.h"

#include "kiln/cpu/MatmulDynamic.h"

#include <algorithm>
#include <string>

namespace kiln::cpu {
namespace {

using vgf::GemmScheme;

Status requireBytes(const KernelBuffers &buffers, uint32_t binding, const char *name,
                    uint64_t size) {
  const BufferView &view = buffers[binding];
  if (view.data != nullptr && view.size >= size)
    return Status::ok();
  return invalidArgument("binding " + std::to_string(binding) + " (" + name +
                         "): expected at least " + std::to_string(size) + " bytes, got " +
                         (view.data ? std::to_string(view.size) : std::string("none")));
}

/// The kernel for (scheme, isa), or null where only the scalar loops exist.
void (*pickKernel(const vgf::GemmDesc &g, CpuIsa isa))(const DynamicMatmulArgs &) {
  bool int4 = g.scheme == GemmScheme::Qp8F32Qb4w;
  if (int4 && (g.blockSize == 0 || g.blockSize % 8 != 0 || g.k % g.blockSize != 0))
    return nullptr;
  if (g.scheme != GemmScheme::Qp8F32Qc8w && !int4)
    return nullptr;
  switch (isa) {
#ifdef KILN_CPU_HAVE_X86_KERNELS
  case CpuIsa::Avx2:
    return int4 ? kiln_matmul_clamp_f32_qai8dx_qsi4c32p_2x16x8_avx2
                : kiln_matmul_clamp_f32_qai8dx_qsi8cxp_2x16x4_avx2;
  case CpuIsa::Avx512:
    return int4 ? kiln_matmul_clamp_f32_qai8dx_qsi4c32p_4x16x8_avx512vnni
                : kiln_matmul_clamp_f32_qai8dx_qsi8cxp_4x16x4_avx512vnni;
#endif
  default:
    break;
  }
  return nullptr;
}

} // namespace

Expected<std::unique_ptr<PackedGemm>> PackedGemm::create(const vgf::GemmDesc &g, CpuIsa isa,
                                                         const KernelBuffers &buffers) {
  Kernel kernel = pickKernel(g, isa);
  if (kernel == nullptr)
    return std::unique_ptr<PackedGemm>();
  std::unique_ptr<PackedGemm> p(new PackedGemm(g, kernel));
  const uint64_t n = g.n, k = g.k;
  if (g.scheme == GemmScheme::Qp8F32Qb4w) {
    KILN_RETURN_IF_ERROR(requireBytes(buffers, 1, "weights", n * k / 2));
    KILN_RETURN_IF_ERROR(requireBytes(buffers, 2, "weight scales", n * (k / g.blockSize) * 4));
    p->packed_.resize(kiln_rhs_pack_nxk_qsi4c32p16x8_qsi4c32_size(n, k, g.blockSize));
    p->tileBytes_ = kiln_rhs_pack_nxk_qsi4c32p16x8_qsi4c32_tile_size(k, g.blockSize);
    kiln_rhs_pack_nxk_qsi4c32p16x8_qsi4c32(n, k, g.blockSize,
                                           static_cast<const uint8_t *>(buffers[1].data),
                                           static_cast<const float *>(buffers[2].data),
                                           p->packed_.data());
  } else {
    KILN_RETURN_IF_ERROR(requireBytes(buffers, 1, "weights", n * k));
    KILN_RETURN_IF_ERROR(requireBytes(buffers, 2, "weight scales", n * 4));
    p->packed_.resize(kiln_rhs_pack_nxk_qsi8cxp16x4_qsi8cx_size(n, k));
    p->tileBytes_ = kiln_rhs_pack_nxk_qsi8cxp16x4_qsi8cx_tile_size(k);
    kiln_rhs_pack_nxk_qsi8cxp16x4_qsi8cx(n, k, static_cast<const int8_t *>(buffers[1].data),
                                         static_cast<const float *>(buffers[2].data),
                                         p->packed_.data());
  }
  return p;
}

Status PackedGemm::run(const KernelBuffers &buffers, ThreadPool &pool) const {
  const vgf::GemmDesc &g = gemm_;
  const uint64_t m = g.m, n = g.n, k = g.k;
  KILN_RETURN_IF_ERROR(requireBytes(buffers, 0, "lhs", m * k));
  KILN_RETURN_IF_ERROR(requireBytes(buffers, 5, "lhs row scales", m * 4));
  KILN_RETURN_IF_ERROR(requireBytes(buffers, 6, "lhs row zero points", m * 4));
  KILN_RETURN_IF_ERROR(requireBytes(buffers, 9, "output", m * n * 4));
  if (g.hasBias)
    KILN_RETURN_IF_ERROR(requireBytes(buffers, 3, "bias", n * 4));

  DynamicMatmulArgs args;
  args.m = g.m;
  args.k = g.k;
  args.blockSize = g.blockSize;
  args.lhs = static_cast<const int8_t *>(buffers[0].data);
  args.lhsStride = g.k;
  args.lhsScales = static_cast<const float *>(buffers[5].data);
  args.lhsZeroPoints = static_cast<const int32_t *>(buffers[6].data);
  args.dstStride = g.n;
  args.clampMin = g.clampMin;
  args.clampMax = g.clampMax;
  const auto *bias = g.hasBias ? static_cast<const float *>(buffers[3].data) : nullptr;
  auto *dst = static_cast<float *>(buffers[9].data);

  // Contiguous runs of whole 16-channel tiles, one per thread: every thread streams
  // its own slice of the packed weights once.
  const size_t tiles = (g.n + kDynamicNr - 1) / kDynamicNr;
  const unsigned parts = unsigned(std::min<size_t>(pool.size(), tiles));
  pool.parallelFor(parts, [&](unsigned part) {
    size_t t0 = tiles * part / parts, t1 = tiles * (part + 1) / parts;
    DynamicMatmulArgs a = args;
    a.n = std::min<size_t>(g.n, t1 * kDynamicNr) - t0 * kDynamicNr;
    a.rhsPacked = packed_.data() + t0 * tileBytes_;
    a.bias = bias ? bias + t0 * kDynamicNr : nullptr;
    a.dst = dst + t0 * kDynamicNr;
    kernel_(a);
  });
  return Status::ok();
}

} // namespace kiln::cpu
