//===- Passes.td - kiln passes ------------------------------*- tablegen -*-===//
//
// One def per pass, alphabetical. Each pass lives in lib/<Verb><Noun>.cpp and is
// tested by lit/passes/<flag>.mlir.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_PASSES_TD
#define KILN_PASSES_TD

include "mlir/Pass/PassBase.td"

def KilnLowerToTosa : Pass<"kiln-lower-to-tosa", "::mlir::ModuleOp"> {
  let summary = "Lower kiln.linear layers to TOSA 1.0 ops";
  let description = [{
    Before: `kiln.linear` ops with quantized (or, for pf32/pf16, float) weights.
    After: the same computation as TOSA 1.0 ops (matmul with zero points, rescale,
    add, clamp, reshapes to rank 3), with every weight a `tosa.const`. The scheme of
    each layer decides the ops; docs/lowering.md gives the op sequence of each scheme.
  }];
  let dependentDialects = ["::mlir::tosa::TosaDialect"];
}

#endif // KILN_PASSES_TD
