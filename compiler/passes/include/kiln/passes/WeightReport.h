#pragma once
/// kiln-compile --report: per layer, what weight quantization costs in bytes and
/// loses in accuracy (SQNR in dB, as torchao's compute_error), measured on the
/// float weights with the same quantizers kiln-quantize-weights runs.

#include "kiln/dialect/KilnDialect.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace kiln {

struct LayerWeightReport {
  std::string layer; ///< layer_name, or "#<index>" for an unnamed layer
  SchemeAttr scheme;
  int64_t bytesBefore = 0; ///< the float weights (scales and bias not included)
  int64_t bytesAfter = 0;  ///< the scheme's storage, scales included
  double sqnrDb = 0.0;     ///< dequantized weights vs float weights; +inf if exact
};

/// Reports every kiln.linear of `module`, in order. Run it before the pipeline: a
/// layer must still have constant float weights (the error says which does not).
mlir::FailureOr<std::vector<LayerWeightReport>> reportWeights(mlir::ModuleOp module);

/// One line per layer: name, scheme, bytes before → after, SQNR.
void printWeightReport(const std::vector<LayerWeightReport> &report,
                       llvm::raw_ostream &os);

} // namespace kiln
