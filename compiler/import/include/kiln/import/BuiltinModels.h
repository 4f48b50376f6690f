#pragma once
/// Models Kiln can build by name (kiln-compile --model=...), as kiln-dialect modules
/// with deterministic fp32 weights.

#include "kiln/dialect/KilnDialect.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <cstdint>
#include <string>
#include <vector>

namespace kiln {

struct BuiltinModelOptions {
  /// Scheme given to every layer.
  SchemeKind scheme = SchemeKind::pf32;
  /// Rows of the input (1 = decode, 128 = prefill).
  int64_t batch = 1;
  /// Feature sizes of an MLP: sizes[0] inputs, then one entry per layer's outputs.
  std::vector<int64_t> mlpSizes = {256, 512, 512, 256};
  /// Seed of the weight generator.
  uint64_t seed = 0;
};

/// The names accepted by buildBuiltinModel ("demo-linear, mlp").
std::string builtinModelNames();

/// Builds `name`, or returns null after emitting an error at an unknown location.
///  - demo-linear: DemoLinearModel, one nn.Linear(256, 256) on a batch×256 input.
///  - mlp: chained linear layers with ReLU between them (none after the last).
/// Weights and biases follow PyTorch's default nn.Linear init, U(-1/√K, 1/√K), drawn
/// from a seeded mt19937 so every platform builds the same model.
mlir::OwningOpRef<mlir::ModuleOp> buildBuiltinModel(mlir::MLIRContext *context,
                                                    const std::string &name,
                                                    const BuiltinModelOptions &options);

} // namespace kiln
