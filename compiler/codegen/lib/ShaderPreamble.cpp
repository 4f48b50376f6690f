#include "ShaderPreamble.h"

#include "GemmTiling.h"
#include "ShaderSources.h"

#include <algorithm>
#include <cstring>
#include <sstream>

namespace kiln::codegen::detail {
namespace {

using vgf::GemmScheme;

/// Appends #define lines; unsigned values get a `u` suffix so the shaders compare
/// them with uint indices without conversions, floats are written as their bits so
/// infinities and every fp32 value survive exactly.
class Defines {
public:
  Defines &u(const char *name, uint32_t v) { return line(name, std::to_string(v) + "u"); }
  Defines &i(const char *name, int32_t v) {
    // INT32_MIN has no literal form; spell it as an expression.
    return line(name, v == INT32_MIN ? "(-2147483647 - 1)" : "(" + std::to_string(v) + ")");
  }
  Defines &flag(const char *name, bool v) { return line(name, v ? "1" : "0"); }
  Defines &f(const char *name, float v) {
    uint32_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    std::ostringstream s;
    s << "uintBitsToFloat(0x" << std::hex << bits << "u)";
    return line(name, s.str());
  }
  std::string text() const { return out_.str(); }

private:
  Defines &line(const char *name, const std::string &value) {
    out_ << "#define " << name << ' ' << value << '\n';
    return *this;
  }
  std::ostringstream out_;
};

/// Portable baseline: 8- and 16-bit storage buffers and int8/int16 arithmetic (the
/// int8/fp16 loads and int8 stores of tensors whose rows are not word aligned).
constexpr const char *kBaseExtensions =
    "#version 450\n"
    "#extension GL_EXT_shader_explicit_arithmetic_types_int8 : require\n"
    "#extension GL_EXT_shader_explicit_arithmetic_types_int16 : require\n"
    "#extension GL_EXT_shader_8bit_storage : require\n"
    "#extension GL_EXT_shader_16bit_storage : require\n"
    // #line with file names, so compile errors point into the embedded files.
    "#extension GL_GOOGLE_cpp_style_line_directive : require\n";

void gemmDefines(const vgf::GemmDesc &g, GemmVariant variant, Defines &d) {
  const vgf::GemmTiling &t = g.tiling;
  bool pqs8 = g.scheme == GemmScheme::Pqs8Qc8w;
  d.u("GEMM_M", g.m).u("GEMM_N", g.n).u("GEMM_K", g.k);
  d.u("TILE_M", t.tileM).u("TILE_N", t.tileN).u("TILE_K", t.tileK).u("WG_SIZE", t.workgroupSize);
  // TILE_K again as a plain int: #if cannot evaluate the `u` suffix.
  d.i("CHUNK_VALUES", static_cast<int32_t>(t.tileK));
  d.flag("K_ALIGNED4", g.k % 4 == 0).flag("K_ALIGNED8", g.k % 8 == 0);
  d.flag("SCHEME_PF32", g.scheme == GemmScheme::Pf32)
      .flag("SCHEME_PF16", g.scheme == GemmScheme::Pf16)
      .flag("SCHEME_PQS8", pqs8)
      .flag("SCHEME_QC8W", g.scheme == GemmScheme::Qp8F32Qc8w)
      .flag("SCHEME_QB4W", g.scheme == GemmScheme::Qp8F32Qb4w);
  d.flag("USE_SDOT", variant.integerDot).flag("LOAD64", variant.load64);
  // Only the SDot pqs8 kernel keeps raw int8 activations and corrects at the end.
  d.flag("COLUMN_SUMS", variant.integerDot && pqs8 && g.lhsZeroPoint != 0);
  d.flag("HAS_BIAS", g.hasBias);
  d.f("CLAMP_MIN", g.clampMin).f("CLAMP_MAX", g.clampMax);
  d.i("LHS_ZP", g.lhsZeroPoint).i("OUT_ZP", g.outZeroPoint);
  d.i("OUT_MIN", g.outMin).i("OUT_MAX", g.outMax);
  uint32_t block = g.scheme == GemmScheme::Qp8F32Qb4w ? g.blockSize : 1;
  d.u("BLOCK_SIZE", block).u("GROUPS", g.k / block);
  // qb4w block parameters loaded per step of the block loop (gemm_operands.glsl).
  bool qb4w = g.scheme == GemmScheme::Qp8F32Qb4w;
  d.i("FOLD_BLOCKS", qb4w && (g.k / block) % 4 == 0 ? 4 : 1);
}

} // namespace

uint32_t elementwiseWorkgroups(uint32_t count) {
  // Enough workgroups to spread over any device; beyond that invocations loop.
  constexpr uint32_t kMaxWorkgroups = 4096;
  uint32_t needed = (count + kElementwiseWorkgroupSize - 1) / kElementwiseWorkgroupSize;
  return std::max(1u, std::min(needed, kMaxWorkgroups));
}

Expected<std::string> kernelSource(const vgf::KernelDescriptor &desc, GemmVariant variant) {
  Defines d;
  std::vector<const char *> files = {"common.glsl"};
  switch (desc.kind) {
  case vgf::KernelKind::Gemm:
    gemmDefines(desc.gemm, variant, d);
    files.push_back("gemm_operands.glsl");
    files.push_back("gemm_register_tiles.comp");
    break;
  case vgf::KernelKind::QuantizeRows:
    d.u("WG_SIZE", kQuantizeRowsWorkgroupSize).u("ROW_K", desc.quantizeRows.k);
    files.push_back("quantize_rows.comp");
    break;
  case vgf::KernelKind::QuantizeStatic:
    d.u("WG_SIZE", kElementwiseWorkgroupSize)
        .u("WORKGROUPS", elementwiseWorkgroups(desc.quantize.count))
        .u("COUNT", desc.quantize.count)
        .f("INV_SCALE", desc.quantize.invScale)
        .i("ZERO_POINT", desc.quantize.zeroPoint);
    files.push_back("quantize_static.comp");
    break;
  case vgf::KernelKind::Dequantize:
    d.u("WG_SIZE", kElementwiseWorkgroupSize)
        .u("WORKGROUPS", elementwiseWorkgroups(desc.dequantize.count))
        .u("COUNT", desc.dequantize.count)
        .i("ZERO_POINT", desc.dequantize.zeroPoint)
        .f("SCALE", desc.dequantize.scale);
    files.push_back("dequantize.comp");
    break;
  }
  std::string source = kBaseExtensions;
  if (variant.integerDot)
    source += "#extension GL_EXT_spirv_intrinsics : require\n";
  if (variant.load64)
    source += "#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require\n";
  source += d.text();
  for (const char *file : files) {
    std::string_view text = shaderSource(file);
    if (text.empty())
      return internalError(std::string("codegen: embedded shader '") + file + "' is missing");
    source += "#line 1 \"";
    source += file;
    source += "\"\n";
    source += text;
  }
  return source;
}

} // namespace kiln::codegen::detail
