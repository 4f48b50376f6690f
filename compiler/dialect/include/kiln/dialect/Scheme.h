#pragma once
/// Plain facts about the five GEMM schemes (DESIGN.md, numerics.md), shared by the
/// verifiers, the passes and the tools.

#include "mlir/IR/Attributes.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/DenseMapInfo.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>

#include "kiln/dialect/KilnEnums.h.inc"

namespace kiln {

/// Default block size of `qp8_f32_qb4w` (torchao's group size 32); 0 elsewhere.
int64_t defaultBlockSize(SchemeKind kind);

/// Block sizes must be positive multiples of this (KleidiAI's qsi4c32 layouts).
constexpr int64_t kBlockSizeQuantum = 32;

/// Weight storage of a scheme once quantized.
enum class WeightStorage { F32, F16, I8PerChannel, I4PerBlock };
WeightStorage weightStorage(SchemeKind kind);

/// Bits per quantized weight element (32, 16, 8 or 4).
int weightBits(SchemeKind kind);

/// True for pqs8_qc8w: activation scales come from calibration data.
bool needsCalibration(SchemeKind kind);

/// True for the qp8_* schemes: activations are quantized per row at run time.
bool hasDynamicActivations(SchemeKind kind);

/// True when the weights are stored as integers with scales.
bool hasIntegerWeights(SchemeKind kind);

/// Parses "pf32", "qp8_f32_qb4w", ... (the spelling of --scheme=).
std::optional<SchemeKind> parseSchemeName(const std::string &name);

/// The comma-separated list of every scheme name, for error messages and --help.
std::string allSchemeNames();

/// Bytes taken by the quantized weights of an N×K layer, scales included
/// (bf16 block scales for qb4w, f32 channel scales for qc8w).
int64_t quantizedWeightBytes(SchemeKind kind, int64_t n, int64_t k, int64_t blockSize);

} // namespace kiln
