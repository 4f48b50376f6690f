// TOSA ops outside the GEMM patterns (a 3x3 convolution, abs, maximum) compile
// through the generic path (MLIR's stock lowering, one thread per output) and run on
// Vulkan; the values are small integers, so every summation order is exact. The CPU
// executor has no kernels for them and says so.
// RUN: kiln-compile %s --emit=kernels | FileCheck %s
// RUN: kiln-compile %s -o %t.vgf
// RUN: kiln-vgf validate %t.vgf
// RUN: kiln-run %s --input %S/Inputs/x_f32_1x4x4x2_ints.npy --output %t.ref.npy
// RUN: kiln-run %t.vgf --validation --input %S/Inputs/x_f32_1x4x4x2_ints.npy --compare-to %t.ref.npy | FileCheck %s --check-prefix=EXACT
// RUN: not kiln-run %t.vgf --backend=cpu --input %S/Inputs/x_f32_1x4x4x2_ints.npy 2>&1 | FileCheck %s --check-prefix=CPU
// CHECK: generic_0: generic (stock MLIR lowering)
// CHECK: generic_1: generic (stock MLIR lowering)
// CHECK-NEXT: bindings: 0=%0 1=%3 2=%2
// CHECK: generic_3: generic (stock MLIR lowering)
// EXACT: output 0: max abs error 0, max ulp 0, sqnr inf dB
// CPU: kiln-run: error: segment 0 'generic_0': no kernel descriptor, so the CPU backend cannot run it

module {
  func.func @forward(%x: tensor<1x4x4x2xf32>) -> tensor<1x2x2x3xf32> {
    %w = "tosa.const"() <{values = dense<[[[[0.5, -1.0], [1.0, 2.0], [0.25, 0.0]], [[1.0, 1.0], [-0.5, 0.5], [2.0, -2.0]], [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]], [[[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], [[-1.0, -1.0], [0.5, 0.5], [0.25, 0.75]], [[2.0, 1.0], [1.0, 2.0], [0.0, 0.0]]], [[[0.0, 0.0], [0.0, 0.0], [1.0, 0.0]], [[0.0, 1.0], [0.0, 0.0], [0.0, 0.0]], [[0.0, 0.0], [3.0, 0.0], [0.0, -3.0]]]]> : tensor<3x3x3x2xf32>}> : () -> tensor<3x3x3x2xf32>
    %b = "tosa.const"() <{values = dense<[0.5, -0.5, 0.0]> : tensor<3xf32>}> : () -> tensor<3xf32>
    %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
    %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<3x3x3x2xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x3xf32>
    %t = tosa.abs %y : (tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32>
    %m = tosa.maximum %t, %y : (tensor<1x2x2x3xf32>, tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32>
    return %m : tensor<1x2x2x3xf32>
  }
}
