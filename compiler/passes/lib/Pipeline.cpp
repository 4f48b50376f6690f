//===- Pipeline.cpp - the one place Kiln's pipeline is built ---------------===//

#include "kiln/passes/Passes.h"

#include "mlir/Dialect/Tosa/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

namespace kiln {

void buildKilnPipeline(OpPassManager &pm, const PipelineOptions &options) {
  // Static activation scales come from the float model, so calibrate before the
  // weights are quantized.
  KilnCalibrateOptions calibrate;
  calibrate.data = options.calibrationData;
  pm.addPass(createKilnCalibrate(calibrate));
  // Weights take the storage of their scheme (int8/int4 with scales, fp16).
  pm.addPass(createKilnQuantizeWeights());
  // --emit=kiln shows the quantized kiln IR.
  if (options.stopAfter == "kiln")
    return;
  // Every layer becomes TOSA 1.0; the pass records the profiles it used.
  pm.addPass(createKilnLowerToTosa());
  // Folds the reshapes the per-layer lowering leaves between layers.
  pm.addPass(createCanonicalizerPass());
  // TOSA is Kiln's interchange point, so the result must be valid TOSA 1.0 under
  // the module's target: strict alignment checks profiles and extensions too.
  tosa::TosaValidationOptions validation;
  validation.strictOpSpecAlignment = true;
  pm.addPass(tosa::createTosaValidation(validation));
}

void registerKilnPipeline() {
  PassPipelineRegistration<>(
      "kiln-pipeline", "Lower a kiln model to validated TOSA 1.0",
      [](OpPassManager &pm) { buildKilnPipeline(pm, PipelineOptions()); });
}

} // namespace kiln
