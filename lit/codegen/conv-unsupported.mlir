// RUN: not kiln-compile %s --emit=kernels 2>&1 | FileCheck %s
// A 3x3 convolution is not a GEMM; the error names the op and what is supported.
// CHECK: conv-unsupported.mlir:[[@LINE+6]]:10: error: cannot form a GEMM kernel from this tosa.conv2d: only 1x1 convolutions with stride 1
module {
  func.func @forward(%x: tensor<1x4x4x2xf32>) -> tensor<1x2x2x3xf32> {
    %w = "tosa.const"() <{values = dense<1.0> : tensor<3x3x3x2xf32>}> : () -> tensor<3x3x3x2xf32>
    %b = "tosa.const"() <{values = dense<0.0> : tensor<3xf32>}> : () -> tensor<3xf32>
    %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
    %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<3x3x3x2xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x3xf32>
    return %y : tensor<1x2x2x3xf32>
  }
}
