//===- SetScheme.cpp - one scheme for every layer ---------------------------===//

#include "kiln/passes/Passes.h"

namespace kiln {
#define GEN_PASS_DEF_KILNSETSCHEME
#include "kiln/passes/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace kiln {
namespace {

/// Unit attribute that pins a layer to the scheme written in the model.
constexpr llvm::StringLiteral kKeepSchemeAttr = "kiln.keep_scheme";

struct SetSchemePass : impl::KilnSetSchemeBase<SetSchemePass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    std::optional<SchemeKind> kind = parseSchemeName(scheme);
    if (!kind) {
      module.emitError() << "unknown scheme '" << scheme << "', expected one of "
                         << allSchemeNames();
      return signalPassFailure();
    }
    int64_t block = *kind == SchemeKind::qp8_f32_qb4w ? blockSize.getValue() : 0;
    SchemeAttr attr = SchemeAttr::getChecked(
        [&] { return module.emitError(); }, &getContext(), *kind, block);
    if (!attr)
      return signalPassFailure();

    WalkResult result = module.walk([&](LinearOp op) {
      if (op->hasAttr(kKeepSchemeAttr) || op.getScheme() == attr)
        return WalkResult::advance();
      if (op.hasQuantizedWeights()) {
        op.emitOpError() << "cannot change the scheme of a layer whose weights are "
                            "already quantized (scheme "
                         << stringifySchemeKind(op.getScheme().getKind()) << ")";
        return WalkResult::interrupt();
      }
      op.setSchemeAttr(attr);
      // The new scheme may reject what the old one allowed (K vs block size, say).
      if (failed(op.verify()))
        return WalkResult::interrupt();
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace
} // namespace kiln
