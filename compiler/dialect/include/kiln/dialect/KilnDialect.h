#pragma once
/// The kiln dialect: attributes (scheme, clamp, quantization parameters) and ops.

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "kiln/dialect/Scheme.h"

#include "kiln/dialect/KilnDialect.h.inc"

#define GET_ATTRDEF_CLASSES
#include "kiln/dialect/KilnAttrs.h.inc"

#define GET_OP_CLASSES
#include "kiln/dialect/KilnOps.h.inc"
