#pragma once
/// The kernel descriptor: what one compute segment computes, in terms a backend that
/// does not read SPIR-V (the CPU backend) can execute, plus the module variants a
/// Vulkan runtime may pick by device feature. The codegen writes it as the segment's
/// metadata blob (kiln/vgf/Metadata.h); backends read it back. No MLIR dependency.
///
/// Binding layout (descriptor set 0) is fixed per kernel kind so that the blob needs no
/// binding table; see docs/codegen.md for each kind's exact semantics.
///   Gemm:            0 lhs, 1 weights, 2 weight scales, 3 bias, 4 weight sums,
///                    5 lhs row scales, 6 lhs row zero points, 7 requant multipliers,
///                    8 requant shifts, 9 output. Only the bindings the scheme uses
///                    are present in the segment's descriptor set.
///   QuantizeRows:    0 input f32 [M,K], 1 output i8 [M,K], 2 row scales f32 [M],
///                    3 row zero points i32 [M].
///   QuantizeStatic:  0 input f32, 1 output i8.
///   Dequantize:      0 input i8, 1 output f32.

#include "kiln/support/Status.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace kiln::vgf {

enum class KernelKind : uint32_t {
  Gemm = 1,           ///< one linear layer: GEMM/GEMV with the scheme's epilogue
  QuantizeRows = 2,   ///< dynamic per-row asymmetric int8 (qai8dx) quantization
  QuantizeStatic = 3, ///< f32 -> int8 with a calibrated scale and zero point
  Dequantize = 4,     ///< int8 -> f32: (x - zp) * scale
};

/// Same order and values as kiln::SchemeKind (compiler/dialect).
enum class GemmScheme : uint32_t {
  Pf32 = 0,
  Pf16 = 1,
  Pqs8Qc8w = 2,
  Qp8F32Qc8w = 3,
  Qp8F32Qb4w = 4,
};

/// Device features a module variant needs (bit set).
enum KernelFeature : uint32_t {
  kFeatureNone = 0,
  kFeatureIntegerDotProduct = 1u << 0, ///< shaderIntegerDotProduct (SPV_KHR_integer_dot_product)
  kFeatureShaderFloat16 = 1u << 1,     ///< shaderFloat16 arithmetic
};

/// Workgroup tiling chosen at kernel formation; the shader is specialised for it.
struct GemmTiling {
  uint32_t tileM = 1;  ///< rows of the output per workgroup
  uint32_t tileN = 64; ///< columns of the output per workgroup
  uint32_t tileK = 32; ///< K slice staged through shared memory per step
  uint32_t workgroupSize = 64;
};

/// One linear layer, output [M,N] = epilogue(lhs [M,K] x weights^T), weights [N,K].
/// Weight storage per scheme (row n = output channel, K contiguous):
///   pf32 f32 [N,K]; pf16 f16 [N,K]; qc8w schemes i8 [N,K];
///   qb4w: [N, K/2] bytes, k = 2j in the low nibble of byte j, k = 2j+1 in the high
///   nibble, two's complement; block scales f32 [N, K/blockSize] (bf16 values widened).
struct GemmDesc {
  GemmScheme scheme = GemmScheme::Pf32;
  uint32_t m = 0, n = 0, k = 0;
  uint32_t blockSize = 0; ///< qb4w only
  bool hasBias = false;
  /// Float epilogue clamp (float and dynamic schemes); +-inf when absent.
  float clampMin = 0, clampMax = 0;
  /// pqs8_qc8w: input zero point, output zero point and the int8 output clamp.
  int32_t lhsZeroPoint = 0;
  int32_t outZeroPoint = 0;
  int32_t outMin = -128, outMax = 127;
  GemmTiling tiling;
};

/// Dynamic per-row quantization of an [M,K] f32 tensor (numerics.md's qai8dx).
struct QuantizeRowsDesc {
  uint32_t m = 0, k = 0;
};

/// Static quantization of `count` values: x_q = sat_i8(round_half_even(
/// clamp(x * invScale, -256, 256)) + zeroPoint), as the TOSA lowering spells it.
struct QuantizeStaticDesc {
  uint32_t count = 0;
  float invScale = 1;
  int32_t zeroPoint = 0;
};

/// Dequantization of `count` int8 values: y = f32(x - zeroPoint) * scale.
struct DequantizeDesc {
  uint32_t count = 0;
  int32_t zeroPoint = 0;
  float scale = 1;
};

/// A module the runtime may run instead of the segment's own when the device has
/// every feature in `requiredFeatures`. The segment's module is the portable one.
struct ModuleVariant {
  uint32_t moduleIndex = 0;
  uint32_t requiredFeatures = kFeatureNone;
};

struct KernelDescriptor {
  KernelKind kind = KernelKind::Gemm;
  GemmDesc gemm;                   ///< kind == Gemm
  QuantizeRowsDesc quantizeRows;   ///< kind == QuantizeRows
  QuantizeStaticDesc quantize;     ///< kind == QuantizeStatic
  DequantizeDesc dequantize;       ///< kind == Dequantize
  std::vector<ModuleVariant> variants; ///< preferred first
};

/// Fixed-layout little-endian encoding (version 1) for the segment metadata blob.
std::vector<uint8_t> encodeKernelDescriptor(const KernelDescriptor &descriptor);

/// Decodes and checks a blob: size, version, kind, scheme, shapes that fit their
/// fields and are non-zero. Failures are InvalidFile naming the field.
Expected<KernelDescriptor> decodeKernelDescriptor(const uint8_t *data, size_t size);

const char *kernelKindName(KernelKind kind);
const char *gemmSchemeName(GemmScheme scheme);

} // namespace kiln::vgf
