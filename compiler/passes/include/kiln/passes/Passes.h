#pragma once
/// Every kiln pass, declared from Passes.td, and the one function that builds the
/// compilation pipeline.

#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

#include "kiln/dialect/KilnDialect.h"

namespace kiln {

#define GEN_PASS_DECL
#include "kiln/passes/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "kiln/passes/Passes.h.inc"

/// Options of the whole pipeline (what kiln-compile's flags control).
struct PipelineOptions {
  /// Stop after this stage: "kiln" (front end only) or "tosa".
  std::string stopAfter = "tosa";
  /// N×K fp32 .npy of samples for the static scheme's calibration ("" = none).
  std::string calibrationData;
};

/// Builds kiln → validated TOSA 1.0. The only place the pipeline is assembled.
void buildKilnPipeline(mlir::OpPassManager &pm, const PipelineOptions &options);

/// Registers the pipeline as `kiln-pipeline` for kiln-opt.
void registerKilnPipeline();

} // namespace kiln
