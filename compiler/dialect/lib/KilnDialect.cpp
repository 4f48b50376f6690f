#include "kiln/dialect/KilnDialect.h"

#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;

#include "kiln/dialect/KilnDialect.cpp.inc"
#include "kiln/dialect/KilnEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "kiln/dialect/KilnAttrs.cpp.inc"

#define GET_OP_CLASSES
#include "kiln/dialect/KilnOps.cpp.inc"

namespace kiln {

void KilnDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "kiln/dialect/KilnAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "kiln/dialect/KilnOps.cpp.inc"
      >();
}

} // namespace kiln
