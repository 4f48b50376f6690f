#pragma once
/// The TOSA 1.0 reference evaluator: runs a `func.func` of TOSA ops one op at a time,
/// computing each exactly as the TOSA 1.0 specification's pseudocode defines it.
/// It is the oracle every backend is checked against, so it favours plain loops
/// over speed. Supported ops and the Kiln custom op are listed in docs/reference.md.

#include "kiln/reference/Tensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Support/LLVM.h"

#include <functional>
#include <vector>

namespace kiln::ref {

struct EvalOptions {
  /// Called after every op with its position in the function body (0-based, in
  /// program order, counting every op including constants) and its results; used by
  /// `kiln-run --dump-intermediates`. Not called for the terminator.
  std::function<void(mlir::Operation *op, unsigned opIndex, llvm::ArrayRef<Tensor> results)>
      onResult;
};

/// Evaluates `func` on `inputs` (one per argument, matching its type exactly) and
/// returns one tensor per result. On failure an error diagnostic naming the op (or,
/// for a bad input, the argument index with the expected and actual types) has been
/// emitted at its location, and failure is returned: a spec ERROR_IF/REQUIRE that
/// does not hold, an unsupported op or type, or a dynamic shape.
mlir::FailureOr<std::vector<Tensor>> evaluate(mlir::func::FuncOp func,
                                              llvm::ArrayRef<Tensor> inputs,
                                              const EvalOptions &options = {});

/// Maps an MLIR element type to the evaluator's, or fails for unsupported types.
mlir::FailureOr<ElementType> elementTypeOf(mlir::Type type);

/// A zero tensor of a statically shaped ranked tensor type or `!tosa.shape<N>`.
mlir::FailureOr<Tensor> tensorOfType(mlir::Type type);

} // namespace kiln::ref
