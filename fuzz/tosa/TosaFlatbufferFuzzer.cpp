// libFuzzer target of the TOSA 1.0 flatbuffer importer (importTosaFlatbuffer). Beyond
// "never crash", one property on every accepted input: Kiln's exporter writes what the
// importer built, and the importer reads that back (an accepted graph round-trips).

#include "../common/KilnContext.h"

#include "kiln/import/TosaFlatbuffer.h"

#include "mlir/IR/Diagnostics.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // One context for the whole run (creating it costs more than most inputs);
  // diagnostics are the expected outcome and are dropped.
  static mlir::MLIRContext *context = [] {
    mlir::MLIRContext *c = kiln::fuzz::makeKilnContext().release();
    c->getDiagEngine().registerHandler([](mlir::Diagnostic &) { return mlir::success(); });
    return c;
  }();
  auto module = kiln::importTosaFlatbuffer({data, size}, "fuzz.tosa", *context);
  if (mlir::failed(module))
    return 0;
  mlir::FailureOr<std::vector<uint8_t>> exported = kiln::exportTosaFlatbuffer(**module);
  if (mlir::failed(exported))
    return 0; // an operator the exporter has no form for: a diagnostic, not a bug
  if (mlir::failed(kiln::importTosaFlatbuffer(*exported, "exported.tosa", *context)))
    std::abort();
  return 0;
}
