#include "PackedGemm.h"

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

bool blockSizeFits(const vgf::GemmDesc &g) {
  return g.blockSize != 0 && g.blockSize % 8 == 0 && g.k % g.blockSize == 0;
}

} // namespace

Expected<std::unique_ptr<PackedGemm>> PackedGemm::create(const vgf::GemmDesc &g,
                                                         const detail::KernelSet &kernels,
                                                         const KernelBuffers &buffers,
                                                         bool constantBias) {
  std::unique_ptr<PackedGemm> p(new PackedGemm(g));
#ifdef KILN_CPU_HAVE_KLEIDIAI
  // KleidiAI runs the schemes it covers (qc8w, qb4w, pf32); the rest keep Kiln's kernels.
  if (constantBias && kernels.kleidiai &&
      (p->kai_ = kleidiai::KaiGemm::create(g, *kernels.kleidiai, buffers)))
    return p;
#else
  (void)constantBias;
#endif
  const uint64_t n = g.n, k = g.k;
  switch (g.scheme) {
  case GemmScheme::Pf32:
  case GemmScheme::Pf16: {
    // One loop nest for both: f32p16x1 or f16p16x1 weights.
    const bool half = g.scheme == GemmScheme::Pf16;
    p->f32_ = half ? kernels.pf16 : kernels.pf32;
    if (!p->f32_)
      return std::unique_ptr<PackedGemm>();
    KILN_RETURN_IF_ERROR(requireBytes(buffers, 1, "weights", n * k * (half ? 2 : 4)));
    p->packed_.resize(half ? kiln_rhs_pack_nxk_f16p16x1_f16_size(n, k)
                           : kiln_rhs_pack_nxk_f32p16x1_f32_size(n, k));
    p->tileBytes_ = half ? kiln_rhs_pack_nxk_f16p16x1_f16_tile_size(k)
                         : kiln_rhs_pack_nxk_f32p16x1_f32_tile_size(k);
    if (half)
      kiln_rhs_pack_nxk_f16p16x1_f16(n, k, static_cast<const uint16_t *>(buffers[1].data),
                                     p->packed_.data());
    else
      kiln_rhs_pack_nxk_f32p16x1_f32(n, k, static_cast<const float *>(buffers[1].data),
                                     p->packed_.data());
    p->useF32PackedLhs(half ? kernels.pf16PackedLhs : kernels.pf32PackedLhs);
    return p;
  }
  case GemmScheme::Qp8F32Qc8w:
    p->dynamic_ = kernels.qc8w;
    p->usePackedLhs(kernels.qc8wPackedLhs);
    if (!p->dynamic_ && !p->packedLhs_)
      return std::unique_ptr<PackedGemm>();
    KILN_RETURN_IF_ERROR(requireBytes(buffers, 1, "weights", n * k));
    KILN_RETURN_IF_ERROR(requireBytes(buffers, 2, "weight scales", n * 4));
    p->packInt8(kernels.int8Kr, static_cast<const int8_t *>(buffers[1].data),
                static_cast<const float *>(buffers[2].data));
    return p;
  case GemmScheme::Qp8F32Qb4w:
    p->dynamic_ = kernels.qb4w;
    p->usePackedLhs(kernels.qb4wPackedLhs);
    if ((!p->dynamic_ && !p->packedLhs_) || !blockSizeFits(g))
      return std::unique_ptr<PackedGemm>();
    KILN_RETURN_IF_ERROR(requireBytes(buffers, 1, "weights", n * k / 2));
    KILN_RETURN_IF_ERROR(requireBytes(buffers, 2, "weight scales", n * (k / g.blockSize) * 4));
    // The packed layout keeps bf16 scales; any other value keeps the scalar kernel.
    if (!kiln_rhs_pack_nxk_qsu4c32p16x8_qsi4c32_accepts(
            n * (k / g.blockSize), static_cast<const float *>(buffers[2].data)))
      return std::unique_ptr<PackedGemm>();
    p->packed_.resize(kiln_rhs_pack_nxk_qsu4c32p16x8_qsi4c32_size(n, k, g.blockSize));
    p->tileBytes_ = kiln_rhs_pack_nxk_qsu4c32p16x8_qsi4c32_tile_size(k, g.blockSize);
    kiln_rhs_pack_nxk_qsu4c32p16x8_qsi4c32(n, k, g.blockSize,
                                           static_cast<const uint8_t *>(buffers[1].data),
                                           static_cast<const float *>(buffers[2].data),
                                           p->packed_.data());
    return p;
  case GemmScheme::Pqs8Qc8w: {
    p->static_ = kernels.pqs8;
    if (!p->static_)
      return std::unique_ptr<PackedGemm>();
    KILN_RETURN_IF_ERROR(requireBytes(buffers, 1, "weights", n * k));
    KILN_RETURN_IF_ERROR(requireBytes(buffers, 7, "requant multipliers", n * 4));
    KILN_RETURN_IF_ERROR(requireBytes(buffers, 8, "requant shifts", n * 4));
    // Parameters outside apply_scale_32's REQUIRE keep the scalar kernel, which says so.
    if (!kiln_matmul_clamp_qai8_qai8_qsi8cxp_accepts(
            n, static_cast<const int32_t *>(buffers[7].data),
            static_cast<const int32_t *>(buffers[8].data)))
      return std::unique_ptr<PackedGemm>();
    p->packInt8(kernels.int8Kr, static_cast<const int8_t *>(buffers[1].data), nullptr);
    return p;
  }
  default:
    return std::unique_ptr<PackedGemm>();
  }
}

void PackedGemm::packInt8(size_t kr, const int8_t *weights, const float *scales) {
  const bool k8 = kr == 8; // qsi8cxp16x8 for smmla, else qsi8cxp16x4
  const size_t n = gemm_.n, k = gemm_.k;
  packed_.resize(k8 ? kiln_rhs_pack_nxk_qsi8cxp16x8_qsi8cx_size(n, k)
                    : kiln_rhs_pack_nxk_qsi8cxp16x4_qsi8cx_size(n, k));
  tileBytes_ = k8 ? kiln_rhs_pack_nxk_qsi8cxp16x8_qsi8cx_tile_size(k)
                  : kiln_rhs_pack_nxk_qsi8cxp16x4_qsi8cx_tile_size(k);
  (k8 ? kiln_rhs_pack_nxk_qsi8cxp16x8_qsi8cx : kiln_rhs_pack_nxk_qsi8cxp16x4_qsi8cx)(
      n, k, weights, scales, packed_.data());
}

void PackedGemm::usePackedLhs(detail::PackedLhsKernel kernel) {
  // Below one full block of rows the packed copy is mostly padding (8 rows stored for
  // M = 1: 64 KiB at K = 8192, more than L1, re-read for every channel tile), and a
  // decode step measured slower with it; the unpacked kernels read only the real rows.
  if (!kernel || gemm_.m < kPackedLhsMr)
    return;
  packedLhs_ = kernel;
  dynamic_ = nullptr;
  lhsPacked_.resize(kiln_lhs_pack_qai8dxp8x4_qai8dx_size(gemm_.m, gemm_.k));
}

void PackedGemm::useF32PackedLhs(const detail::F32PackedLhs &kernel) {
  // From two rows up: a block holds exactly its rows, no padding, and packing costs
  // M·K copies against the kernel's M·N·K multiply-adds. One row's block is the row
  // itself, which the unpacked pf32 kernel reads in place; pf16 packs it anyway, since
  // its packer rounds each activation to fp16 once where the unpacked kernel rounds it
  // again for every 32 channels. f32_ stays set (the tile width).
  if (!kernel.matmul || (gemm_.m < 2 && gemm_.scheme != vgf::GemmScheme::Pf16))
    return;
  f32PackedLhs_ = kernel;
  lhsPacked_.resize(kiln_lhs_pack_f32p12x1_f32_size(gemm_.m, gemm_.k));
}

size_t PackedGemm::packedLhsMr() const {
  return f32PackedLhs_.matmul ? kF32PackedLhsMr : kPackedLhsMr;
}

void PackedGemm::packLhs(const KernelBuffers &buffers, size_t b0, size_t b1) {
  const vgf::GemmDesc &g = gemm_;
  const size_t mr = packedLhsMr(), m0 = b0 * mr, m1 = std::min<size_t>(g.m, b1 * mr);
  if (f32PackedLhs_.pack) {
    f32PackedLhs_.pack(m1 - m0, g.k, static_cast<const float *>(buffers[0].data) + m0 * g.k,
                       g.k, reinterpret_cast<float *>(lhsPacked_.data()) + m0 * g.k);
    return;
  }
  kiln_lhs_pack_qai8dxp8x4_qai8dx(
      m1 - m0, g.k, static_cast<const int8_t *>(buffers[0].data) + m0 * g.k, g.k,
      static_cast<const float *>(buffers[5].data) + m0,
      static_cast<const int32_t *>(buffers[6].data) + m0,
      lhsPacked_.data() + b0 * kiln_lhs_pack_qai8dxp8x4_qai8dx_block_size(g.k));
}

void PackedGemm::runTiles(const KernelBuffers &buffers, size_t t0, size_t t1) const {
  const vgf::GemmDesc &g = gemm_;
  const size_t nr = f32_ ? kF32Nr : kDynamicNr;
  const size_t n0 = t0 * nr, n = std::min<size_t>(g.n, t1 * nr) - n0;
  const uint8_t *rhs = packed_.data() + t0 * tileBytes_;
  if (static_) {
    StaticMatmulArgs a;
    a.m = g.m;
    a.n = n;
    a.k = g.k;
    a.lhs = static_cast<const int8_t *>(buffers[0].data);
    a.lhsStride = g.k;
    a.lhsZeroPoint = g.lhsZeroPoint;
    a.rhsPacked = rhs;
    a.bias = g.hasBias ? static_cast<const int32_t *>(buffers[3].data) + n0 : nullptr;
    a.multipliers = static_cast<const int32_t *>(buffers[7].data) + n0;
    a.shifts = static_cast<const int32_t *>(buffers[8].data) + n0;
    a.outZeroPoint = g.outZeroPoint;
    a.outMin = g.outMin;
    a.outMax = g.outMax;
    a.dst = static_cast<int8_t *>(buffers[9].data) + n0;
    a.dstStride = g.n;
    static_(a);
    return;
  }
  // The fields every fp32-output kernel's arguments share.
  auto floatOutput = [&](auto a) {
    a.m = g.m;
    a.n = n;
    a.k = g.k;
    a.rhsPacked = rhs;
    a.bias = g.hasBias ? static_cast<const float *>(buffers[3].data) + n0 : nullptr;
    a.dst = static_cast<float *>(buffers[9].data) + n0;
    a.dstStride = g.n;
    a.clampMin = g.clampMin;
    a.clampMax = g.clampMax;
    return a;
  };
  if (f32PackedLhs_.matmul) {
    F32PackedLhsMatmulArgs a = floatOutput(F32PackedLhsMatmulArgs());
    a.lhsPacked = reinterpret_cast<const float *>(lhsPacked_.data());
    f32PackedLhs_.matmul(a);
  } else if (f32_) {
    F32MatmulArgs a = floatOutput(F32MatmulArgs());
    a.lhs = static_cast<const float *>(buffers[0].data);
    a.lhsStride = g.k;
    f32_(a);
  } else if (packedLhs_) {
    PackedLhsMatmulArgs a = floatOutput(PackedLhsMatmulArgs());
    a.blockSize = g.blockSize;
    a.lhsPacked = lhsPacked_.data();
    packedLhs_(a);
  } else {
    DynamicMatmulArgs a = floatOutput(DynamicMatmulArgs());
    a.blockSize = g.blockSize;
    a.lhs = static_cast<const int8_t *>(buffers[0].data);
    a.lhsStride = g.k;
    a.lhsScales = static_cast<const float *>(buffers[5].data);
    a.lhsZeroPoints = static_cast<const int32_t *>(buffers[6].data);
    dynamic_(a);
  }
}

size_t PackedGemm::packedBytes() const {
#ifdef KILN_CPU_HAVE_KLEIDIAI
  if (kai_)
    return kai_->packedBytes();
#endif
  return packed_.size() + lhsPacked_.size();
}

Status PackedGemm::run(const KernelBuffers &buffers, ThreadPool &pool) {
#ifdef KILN_CPU_HAVE_KLEIDIAI
  if (kai_)
    return kai_->run(buffers, pool);
#endif
  const vgf::GemmDesc &g = gemm_;
  const uint64_t m = g.m, n = g.n, k = g.k;
  KILN_RETURN_IF_ERROR(requireBytes(buffers, 0, "lhs", m * k * (f32_ ? 4 : 1)));
  if (dynamic_ || packedLhs_) {
    KILN_RETURN_IF_ERROR(requireBytes(buffers, 5, "lhs row scales", m * 4));
    KILN_RETURN_IF_ERROR(requireBytes(buffers, 6, "lhs row zero points", m * 4));
  }
  KILN_RETURN_IF_ERROR(requireBytes(buffers, 9, "output", m * n * (static_ ? 1 : 4)));
  if (g.hasBias)
    KILN_RETURN_IF_ERROR(requireBytes(buffers, 3, "bias", n * 4));

  if (packedLhs_ || f32PackedLhs_.pack) {
    // Row blocks split like the tiles below; one part runs on the caller alone.
    const size_t rowBlocks = (g.m + packedLhsMr() - 1) / packedLhsMr();
    const unsigned parts = unsigned(std::min<size_t>(pool.size(), rowBlocks));
    if (parts == 1)
      packLhs(buffers, 0, rowBlocks);
    else
      pool.parallelFor(parts, [&](unsigned part) {
        packLhs(buffers, rowBlocks * part / parts, rowBlocks * (part + 1) / parts);
      });
  }

  // Contiguous runs of whole 16-channel tiles, one per thread: every thread streams
  // its own slice of the packed weights once.
  static_assert(kF32Nr == kDynamicNr, "one tile split serves both kernel families");
  const size_t tiles = (g.n + kDynamicNr - 1) / kDynamicNr;
  const unsigned parts = unsigned(std::min<size_t>(pool.size(), tiles));
  pool.parallelFor(parts, [&](unsigned part) {
    runTiles(buffers, tiles * part / parts, tiles * (part + 1) / parts);
  });
  return Status::ok();
}

} // namespace kiln::cpu
