#include "kiln/vgf/KernelDescriptor.h"

#include "Text.h"

#include <cstring>

namespace kiln::vgf {
namespace {

using detail::cat;

constexpr uint32_t kDescriptorVersion = 1;

/// Appends 32-bit little-endian fields (every field of the blob is 4 bytes wide).
class BlobWriter {
public:
  void u32(uint32_t v) { put(&v); }
  void i32(int32_t v) { put(&v); }
  void f32(float v) { put(&v); }
  std::vector<uint8_t> take() { return std::move(bytes_); }

private:
  void put(const void *word) {
    const auto *p = static_cast<const uint8_t *>(word);
    bytes_.insert(bytes_.end(), p, p + 4);
  }
  std::vector<uint8_t> bytes_;
};

/// Reads the fields back; the first read past the end latches an error.
class BlobReader {
public:
  BlobReader(const uint8_t *data, size_t size) : data_(data), size_(size) {}
  uint32_t u32(const char *field) {
    uint32_t v = 0;
    get(&v, field);
    return v;
  }
  int32_t i32(const char *field) {
    int32_t v = 0;
    get(&v, field);
    return v;
  }
  float f32(const char *field) {
    float v = 0;
    get(&v, field);
    return v;
  }
  bool failed() const { return !missing_.empty(); }
  const std::string &missing() const { return missing_; }
  size_t remaining() const { return size_ - offset_; }

private:
  void get(void *word, const char *field) {
    if (failed())
      return;
    if (size_ - offset_ < 4) {
      missing_ = field;
      return;
    }
    std::memcpy(word, data_ + offset_, 4);
    offset_ += 4;
  }
  const uint8_t *data_;
  size_t size_;
  size_t offset_ = 0;
  std::string missing_;
};

Status nonZero(const char *kind, const char *field, uint32_t value) {
  if (value == 0)
    return invalidFile(cat("kernel descriptor (", kind, "): ", field, " must be > 0"));
  return Status::ok();
}

} // namespace

const char *kernelKindName(KernelKind kind) {
  switch (kind) {
  case KernelKind::Gemm: return "gemm";
  case KernelKind::QuantizeRows: return "quantize_rows";
  case KernelKind::QuantizeStatic: return "quantize";
  case KernelKind::Dequantize: return "dequantize";
  }
  return "unknown";
}

const char *gemmSchemeName(GemmScheme scheme) {
  switch (scheme) {
  case GemmScheme::Pf32: return "pf32";
  case GemmScheme::Pf16: return "pf16";
  case GemmScheme::Pqs8Qc8w: return "pqs8_qc8w";
  case GemmScheme::Qp8F32Qc8w: return "qp8_f32_qc8w";
  case GemmScheme::Qp8F32Qb4w: return "qp8_f32_qb4w";
  }
  return "unknown";
}

std::vector<uint8_t> encodeKernelDescriptor(const KernelDescriptor &d) {
  BlobWriter w;
  w.u32(kDescriptorVersion);
  w.u32(static_cast<uint32_t>(d.kind));
  switch (d.kind) {
  case KernelKind::Gemm: {
    const GemmDesc &g = d.gemm;
    w.u32(static_cast<uint32_t>(g.scheme));
    w.u32(g.m);
    w.u32(g.n);
    w.u32(g.k);
    w.u32(g.blockSize);
    w.u32(g.hasBias ? 1 : 0);
    w.f32(g.clampMin);
    w.f32(g.clampMax);
    w.i32(g.lhsZeroPoint);
    w.i32(g.outZeroPoint);
    w.i32(g.outMin);
    w.i32(g.outMax);
    w.u32(g.tiling.tileM);
    w.u32(g.tiling.tileN);
    w.u32(g.tiling.tileK);
    w.u32(g.tiling.workgroupSize);
    break;
  }
  case KernelKind::QuantizeRows:
    w.u32(d.quantizeRows.m);
    w.u32(d.quantizeRows.k);
    break;
  case KernelKind::QuantizeStatic:
    w.u32(d.quantize.count);
    w.f32(d.quantize.invScale);
    w.i32(d.quantize.zeroPoint);
    break;
  case KernelKind::Dequantize:
    w.u32(d.dequantize.count);
    w.i32(d.dequantize.zeroPoint);
    w.f32(d.dequantize.scale);
    break;
  }
  w.u32(static_cast<uint32_t>(d.variants.size()));
  for (const ModuleVariant &v : d.variants) {
    w.u32(v.moduleIndex);
    w.u32(v.requiredFeatures);
  }
  return w.take();
}

Expected<KernelDescriptor> decodeKernelDescriptor(const uint8_t *data, size_t size) {
  BlobReader r(data, size);
  KernelDescriptor d;
  uint32_t version = r.u32("version");
  if (!r.failed() && version != kDescriptorVersion)
    return unsupported(cat("kernel descriptor: version ", version, " not supported, expected ",
                           kDescriptorVersion));
  uint32_t kind = r.u32("kind");
  d.kind = static_cast<KernelKind>(kind);
  const char *name = kernelKindName(d.kind);
  switch (d.kind) {
  case KernelKind::Gemm: {
    GemmDesc &g = d.gemm;
    uint32_t scheme = r.u32("scheme");
    if (!r.failed() && scheme > static_cast<uint32_t>(GemmScheme::Qp8F32Qb4w))
      return invalidFile(cat("kernel descriptor (gemm): unknown scheme ", scheme));
    g.scheme = static_cast<GemmScheme>(scheme);
    g.m = r.u32("m");
    g.n = r.u32("n");
    g.k = r.u32("k");
    g.blockSize = r.u32("block_size");
    g.hasBias = r.u32("has_bias") != 0;
    g.clampMin = r.f32("clamp_min");
    g.clampMax = r.f32("clamp_max");
    g.lhsZeroPoint = r.i32("lhs_zero_point");
    g.outZeroPoint = r.i32("out_zero_point");
    g.outMin = r.i32("out_min");
    g.outMax = r.i32("out_max");
    g.tiling.tileM = r.u32("tile_m");
    g.tiling.tileN = r.u32("tile_n");
    g.tiling.tileK = r.u32("tile_k");
    g.tiling.workgroupSize = r.u32("workgroup_size");
    if (r.failed())
      break;
    for (auto [field, value] : {std::pair{"m", g.m}, {"n", g.n}, {"k", g.k},
                                {"tile_m", g.tiling.tileM}, {"tile_n", g.tiling.tileN},
                                {"tile_k", g.tiling.tileK},
                                {"workgroup_size", g.tiling.workgroupSize}})
      KILN_RETURN_IF_ERROR(nonZero(name, field, value));
    if (g.scheme == GemmScheme::Qp8F32Qb4w &&
        (g.blockSize == 0 || g.blockSize % 2 != 0 || g.k % g.blockSize != 0))
      return invalidFile(cat("kernel descriptor (gemm): block_size ", g.blockSize,
                             " must be even and divide k = ", g.k));
    break;
  }
  case KernelKind::QuantizeRows:
    d.quantizeRows.m = r.u32("m");
    d.quantizeRows.k = r.u32("k");
    if (!r.failed()) {
      KILN_RETURN_IF_ERROR(nonZero(name, "m", d.quantizeRows.m));
      KILN_RETURN_IF_ERROR(nonZero(name, "k", d.quantizeRows.k));
    }
    break;
  case KernelKind::QuantizeStatic:
    d.quantize.count = r.u32("count");
    d.quantize.invScale = r.f32("inv_scale");
    d.quantize.zeroPoint = r.i32("zero_point");
    if (!r.failed())
      KILN_RETURN_IF_ERROR(nonZero(name, "count", d.quantize.count));
    break;
  case KernelKind::Dequantize:
    d.dequantize.count = r.u32("count");
    d.dequantize.zeroPoint = r.i32("zero_point");
    d.dequantize.scale = r.f32("scale");
    if (!r.failed())
      KILN_RETURN_IF_ERROR(nonZero(name, "count", d.dequantize.count));
    break;
  default:
    if (!r.failed())
      return invalidFile(cat("kernel descriptor: unknown kind ", kind));
  }
  uint32_t variants = r.u32("variant_count");
  if (!r.failed() && variants > r.remaining() / 8)
    return invalidFile(cat("kernel descriptor: ", variants, " module variants do not fit in ",
                           r.remaining(), " remaining bytes"));
  for (uint32_t i = 0; i < variants && !r.failed(); ++i) {
    ModuleVariant v;
    v.moduleIndex = r.u32("variant module_index");
    v.requiredFeatures = r.u32("variant required_features");
    d.variants.push_back(v);
  }
  if (r.failed())
    return invalidFile(cat("kernel descriptor: truncated at field '", r.missing(), "' (",
                           size, " bytes)"));
  if (r.remaining() != 0)
    return invalidFile(cat("kernel descriptor: ", r.remaining(), " trailing bytes"));
  return d;
}

} // namespace kiln::vgf
