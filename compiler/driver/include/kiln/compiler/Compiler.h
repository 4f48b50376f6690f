#pragma once
/// Kiln's compiler as a library (the installed Kiln::compiler target): a kiln or
/// TOSA MLIR module down to a VGF container model, through the same stages as
/// kiln-compile. Diagnostics go to the MLIRContext's handler at the op that caused
/// them (install a SourceMgrDiagnosticHandler or ScopedDiagnosticHandler to see
/// them); a failing step returns failure / an error Status after emitting them.
///
///   mlir::DialectRegistry registry;
///   kiln::registerCompilerDialects(registry);
///   mlir::MLIRContext context(registry);
///   auto module = mlir::parseSourceFile<mlir::ModuleOp>("model.mlir", &context);
///   kiln::CompileOptions options;
///   options.scheme = "qp8_f32_qb4w";
///   kiln::Expected<kiln::vgf::Model> vgf = kiln::compileToVgf(*module, options);
///   kiln::vgf::writeVgfFile("model.vgf", *vgf);

#include "kiln/codegen/KernelGraph.h"
#include "kiln/import/WeightFile.h"
#include "kiln/support/Status.h"
#include "kiln/vgf/Model.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"

#include <string>
#include <vector>

namespace kiln {

/// The dialects Kiln's input models are written in: kiln, tosa, func, arith, tensor.
void registerCompilerDialects(mlir::DialectRegistry &registry);

struct CompileOptions {
  /// Every layer's scheme (pf32, pf16, pqs8_qc8w, qp8_f32_qc8w, qp8_f32_qb4w), except
  /// layers pinned with kiln.keep_scheme; empty keeps the model's own schemes.
  std::string scheme;
  /// Block size of qp8_f32_qb4w when `scheme` sets it.
  int64_t blockSize = 32;
  /// .safetensors / .npy files whose tensors replace the layers' weights and biases,
  /// matched by layer name (docs/lowering.md); compileToVgf reads them.
  std::vector<std::string> weightFiles;
  /// N×K fp32 .npy of calibration samples: what pqs8_qc8w needs.
  std::string calibrationData;
  /// Weights as model inputs rather than constants (docs/vgf.md section 3.2).
  bool weightsAsInputs = false;
};

/// Brings a loaded model to what the pipeline reads, in place: dense_resource
/// constants inlined, `weights` (readWeights of the weight files) applied, `scheme`
/// set.
mlir::LogicalResult prepareModel(mlir::ModuleOp module, const CompileOptions &options,
                                 const WeightMap &weights = {});

/// Runs the pipeline in place up to `stopAfter` ("kiln": front end only, or "tosa":
/// validated TOSA 1.0).
mlir::LogicalResult lowerModel(mlir::ModuleOp module, const CompileOptions &options,
                               const std::string &stopAfter = "tosa");

/// A TOSA module's single function as a kernel graph with its memory plan. Every
/// error is also emitted as a diagnostic.
Expected<codegen::KernelGraph> formKernelGraph(mlir::ModuleOp tosaModule);

/// Reads the weight files, then prepareModel, lowerModel, formKernelGraph, the
/// SPIR-V kernels and the container model (validated).
Expected<vgf::Model> compileToVgf(mlir::ModuleOp module, const CompileOptions &options);

} // namespace kiln
