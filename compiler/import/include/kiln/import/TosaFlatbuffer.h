#pragma once
/// TOSA 1.0 flatbuffers (`.tosa`): the serialization of the TOSA specification's
/// reference tooling, which ExecuTorch's Arm backend writes and the TOSA conformance
/// suite ships. Kiln reads them into the MLIR TOSA dialect and writes its own TOSA back
/// out; docs/tosa-flatbuffer.md lists the operators and dtypes and the format notes.

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <vector>

namespace kiln {

/// True when `bytes` carries the TOSA flatbuffer file identifier ("TOSA" at bytes
/// 4..7): how tools tell a `.tosa` file from MLIR text, whatever its extension.
bool isTosaFlatbuffer(llvm::ArrayRef<uint8_t> bytes);

/// Reads a TOSA 1.0 flatbuffer into a module holding one `func.func` named after the
/// graph's basic block, with `#tosa.target_env` set to the profiles and extensions
/// its operators and dtypes need. The buffer is checked (size, file identifier, the
/// FlatBuffers verifier) before any field is read; every failure (corrupt buffer,
/// unsupported version, operator or dtype, unknown tensor name) is an error
/// diagnostic that names `bufferName` and the operator's index and block, and
/// failure is returned. `bytes` is not retained.
mlir::FailureOr<mlir::OwningOpRef<mlir::ModuleOp>>
importTosaFlatbuffer(llvm::ArrayRef<uint8_t> bytes, llvm::StringRef bufferName,
                     mlir::MLIRContext &context);

/// Writes the module's only function (TOSA 1.0 ops with static shapes) as a TOSA 1.0
/// flatbuffer: one region and one basic block named after the function. An op or
/// type with no flatbuffer form is an error diagnostic at the op.
mlir::FailureOr<std::vector<uint8_t>> exportTosaFlatbuffer(mlir::ModuleOp module);

} // namespace kiln
