// RUN: not kiln-compile %s --emit=kernels 2>&1 | FileCheck %s

// An op outside every kernel pattern is reported at its location.
// CHECK: unsupported.mlir:[[@LINE+3]]:10: error: 'tosa.abs' is not part of a pattern the kernel backends implement
module {
  func.func @forward(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
    %y = tosa.abs %x : (tensor<1x4xf32>) -> tensor<1x4xf32>
    return %y : tensor<1x4xf32>
  }
}
