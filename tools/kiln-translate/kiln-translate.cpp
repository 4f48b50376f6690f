//===- kiln-translate.cpp - TOSA flatbuffer <-> MLIR --------------------------===//
//
// mlir-translate with Kiln's TOSA flatbuffer reader and writer, so lit tests can
// check the imported IR and the exported bytes directly:
//   kiln-translate --import-tosa-flatbuffer model.tosa
//   kiln-translate --export-tosa-flatbuffer model.mlir -o model.tosa
//
//===----------------------------------------------------------------------===//

#include "kiln/import/TosaFlatbuffer.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;

int main(int argc, char **argv) {
  TranslateToMLIRRegistration importRegistration(
      "import-tosa-flatbuffer", "read a TOSA 1.0 flatbuffer (.tosa)",
      [](const std::shared_ptr<llvm::SourceMgr> &sourceMgr,
         MLIRContext *context) -> OwningOpRef<Operation *> {
        const llvm::MemoryBuffer *buffer =
            sourceMgr->getMemoryBuffer(sourceMgr->getMainFileID());
        llvm::ArrayRef<uint8_t> bytes(
            reinterpret_cast<const uint8_t *>(buffer->getBufferStart()),
            buffer->getBufferSize());
        FailureOr<OwningOpRef<ModuleOp>> module =
            kiln::importTosaFlatbuffer(bytes, buffer->getBufferIdentifier(), *context);
        if (failed(module))
          return nullptr;
        return OwningOpRef<Operation *>(module->release());
      });
  TranslateFromMLIRRegistration exportRegistration(
      "export-tosa-flatbuffer", "write a TOSA 1.0 flatbuffer (.tosa)",
      [](Operation *op, llvm::raw_ostream &os) -> LogicalResult {
        auto module = dyn_cast<ModuleOp>(op);
        if (!module)
          return op->emitError("expected a builtin.module to export");
        FailureOr<std::vector<uint8_t>> bytes = kiln::exportTosaFlatbuffer(module);
        if (failed(bytes))
          return failure();
        os.write(reinterpret_cast<const char *>(bytes->data()), bytes->size());
        return success();
      },
      [](DialectRegistry &registry) {
        registry.insert<tosa::TosaDialect, func::FuncDialect>();
      });
  return failed(mlirTranslateMain(argc, argv, "Kiln TOSA flatbuffer translator"));
}
