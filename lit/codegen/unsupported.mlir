// RUN: not kiln-compile %s --emit=kernels 2>&1 | FileCheck %s

// An op the generic path cannot lower (f16 storage, which Kiln's kernels keep widened
// to f32) is reported at its location.
// CHECK: unsupported.mlir:[[@LINE+3]]:10: error: 'tosa.cast' is not part of a Kiln kernel pattern and the generic path cannot compile it: only static f32, i8 and i32 tensors are supported, found tensor<1x4xf16>
module {
  func.func @forward(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
    %h = tosa.cast %x : (tensor<1x4xf32>) -> tensor<1x4xf16>
    %a = tosa.abs %h : (tensor<1x4xf16>) -> tensor<1x4xf16>
    %y = tosa.cast %a : (tensor<1x4xf16>) -> tensor<1x4xf32>
    return %y : tensor<1x4xf32>
  }
}
