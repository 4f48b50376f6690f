#pragma once
/// How tools read model files: MLIR text or a TOSA 1.0 flatbuffer, told
/// apart by content so that a `.tosa` graph under any name is accepted.

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <memory>

namespace kiln {

/// Imports `file` as a TOSA flatbuffer when it carries the "TOSA" file identifier or
/// its name ends in `.tosa` (so a damaged `.tosa` file gets the flatbuffer reader's
/// message, not an MLIR syntax error); parses it as MLIR text otherwise, adding it to
/// `sourceMgr` so diagnostics point into it. Text with a TOSA target without
/// extensions, which MLIR 22 prints but cannot parse, is read too (ModelFile.cpp).
/// Returns null once the error is reported.
mlir::OwningOpRef<mlir::ModuleOp> parseModelFile(std::unique_ptr<llvm::MemoryBuffer> file,
                                                 llvm::SourceMgr &sourceMgr,
                                                 mlir::MLIRContext &context);

} // namespace kiln
