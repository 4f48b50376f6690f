// libFuzzer target of the compiler's front end on kiln/TOSA text: parse and verify,
// inline resource constants, then run buildKilnPipeline to validated TOSA, as
// kiln-compile --emit=tosa does. Any diagnostic is fine; a crash, a sanitizer report
// or a hang is not.
//
// Caps keep each run small (a fuzzer that spends seconds quantizing a 10^9-element
// splat finds nothing): the text is at most kMaxBytes (also -max_len), and a module
// whose types hold more than kMaxElements elements or a dynamic dimension is skipped
// before any pass runs. The pipeline handles only static shapes anyway.

#include "../common/KilnContext.h"

#include "kiln/import/ResourceConstants.h"
#include "kiln/passes/Passes.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include <cstdint>
#include <string>

using namespace mlir;

namespace {

constexpr size_t kMaxBytes = 4096;
constexpr int64_t kMaxElements = 1 << 16;

/// One context for the whole run: creating it and loading the dialects costs more
/// than most inputs. Diagnostics are dropped (they are the expected outcome).
MLIRContext &context() {
  static MLIRContext *ctx = [] {
    MLIRContext *c = kiln::fuzz::makeKilnContext().release();
    c->getDiagEngine().registerHandler([](Diagnostic &) { return success(); });
    return c;
  }();
  return *ctx;
}

/// Built once too: the passes keep no state between runs, and TOSA validation sets
/// up its profile tables when it is constructed.
PassManager &pipeline() {
  static PassManager *pm = [] {
    auto *p = new PassManager(&context());
    kiln::buildKilnPipeline(*p, kiln::PipelineOptions());
    return p;
  }();
  return *pm;
}

bool tooLarge(Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped || !shaped.hasRank())
    return false;
  if (!shaped.hasStaticShape())
    return true;
  int64_t count = 1;
  for (int64_t d : shaped.getShape()) {
    if (d != 0 && count > kMaxElements / d)
      return true;
    count *= d;
  }
  return count > kMaxElements;
}

/// True when any type in the module (of a value, or nested in an attribute such as
/// a function type or a dense constant) is over the cap.
bool exceedsCaps(ModuleOp module) {
  bool over = false;
  module->walk([&](Operation *op) {
    for (Type t : op->getResultTypes())
      over |= tooLarge(t);
    for (Region &region : op->getRegions())
      for (Block &block : region)
        for (BlockArgument arg : block.getArguments())
          over |= tooLarge(arg.getType());
    op->getAttrDictionary().walk([&](Type t) { over |= tooLarge(t); });
    return over ? WalkResult::interrupt() : WalkResult::advance();
  });
  return over;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > kMaxBytes)
    return 0;
  MLIRContext &ctx = context();
  // MLIR's lexer finds the end of the text at a NUL byte, as every file it reads has
  // (openInputFile); a std::string supplies one where libFuzzer's buffer does not.
  std::string text(reinterpret_cast<const char *>(data), size);
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(text, &ctx);
  if (!module || exceedsCaps(*module))
    return 0;
  if (failed(kiln::inlineResourceConstants(*module)))
    return 0;
  (void)pipeline().run(*module);
  return 0;
}
