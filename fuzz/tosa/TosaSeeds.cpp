// Writes the seed corpus of kiln-tosa-fuzz into argv[1]: small built-in MLPs, one per
// scheme that needs no calibration data, lowered by buildKilnPipeline to TOSA and
// written by Kiln's own exporter (what kiln-compile -o model.tosa writes).

#include "../common/KilnContext.h"

#include "kiln/import/BuiltinModels.h"
#include "kiln/import/TosaFlatbuffer.h"
#include "kiln/passes/Passes.h"
#include "kiln/support/Files.h"

#include "mlir/Pass/PassManager.h"

#include <cstdio>
#include <string>

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: kiln-tosa-seeds <directory>\n");
    return 2;
  }
  std::unique_ptr<mlir::MLIRContext> context = kiln::fuzz::makeKilnContext();
  using kiln::SchemeKind;
  for (SchemeKind scheme : {SchemeKind::pf32, SchemeKind::pf16, SchemeKind::qp8_f32_qc8w,
                            SchemeKind::qp8_f32_qb4w}) {
    kiln::BuiltinModelOptions options;
    options.scheme = scheme;
    options.batch = 2;
    // K = 32 is one qb4w block; small sizes keep each seed a few kilobytes.
    options.mlpSizes = {32, 32, 8};
    mlir::OwningOpRef<mlir::ModuleOp> module =
        kiln::buildBuiltinModel(context.get(), "mlp", options);
    mlir::PassManager pm(context.get());
    kiln::buildKilnPipeline(pm, kiln::PipelineOptions());
    if (!module || mlir::failed(pm.run(*module)))
      return 1; // the diagnostic is printed
    mlir::FailureOr<std::vector<uint8_t>> bytes = kiln::exportTosaFlatbuffer(*module);
    if (mlir::failed(bytes))
      return 1;
    std::string path =
        std::string(argv[1]) + "/mlp_" + kiln::stringifySchemeKind(scheme).str() + ".tosa";
    kiln::Status status = kiln::writeFileAtomically(path, bytes->data(), bytes->size());
    if (!status.isOk()) {
      std::fprintf(stderr, "kiln-tosa-seeds: %s\n", status.message().c_str());
      return 1;
    }
  }
  return 0;
}
