// kiln-opt reports malformed input with file:line:col and exits non-zero.
// RUN: not kiln-opt %s 2>&1 | FileCheck %s
// CHECK: kiln-opt-errors.mlir:[[@LINE+2]]:{{[0-9]+}}: error: expected ':'
func.func @broken(%x: tensor<1x8xf32>) -> tensor<1x8xf32> {
  %y = kiln.linear %x, %x scheme <pf32> (tensor<1x8xf32>, tensor<1x8xf32>) -> tensor<1x8xf32>
  return %y : tensor<1x8xf32>
}
