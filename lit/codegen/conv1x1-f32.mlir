// An f32 1x1 convolution with bias and ReLU6 between reshapes: one pf32 GEMM kernel.
// RUN: kiln-compile %s --emit=kernels | FileCheck %s
// RUN: kiln-compile %s -o %t.vgf
// RUN: kiln-run %s --input %S/Inputs/x_f32_1x2x3.npy --output %t.ref.npy
// RUN: kiln-run %t.vgf --validation --input %S/Inputs/x_f32_1x2x3.npy --compare-to %t.ref.npy | FileCheck %s --check-prefix=RUN-OUT
// CHECK: gemm_0: gemm pf32 m=2 n=4 k=3 bias clamp=[0.000000e+00,6.000000e+00]
// CHECK-NOT: gemm_1
// RUN-OUT: output 0: max abs error 0, max ulp 0, sqnr inf dB

module {
  func.func @forward(%x: tensor<1x2x3xf32>) -> tensor<2x4xf32> {
    %s4 = tosa.const_shape {values = dense<[1, 1, 2, 3]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %x4 = tosa.reshape %x, %s4 : (tensor<1x2x3xf32>, !tosa.shape<4>) -> tensor<1x1x2x3xf32>
    %w = "tosa.const"() <{values = dense<[[[[0.5, -1.0, 2.0]]], [[[1.5, 0.25, -0.75]]], [[[0.1, 0.2, 0.3]]], [[[-2.0, 1.0, 0.0]]]]> : tensor<4x1x1x3xf32>}> : () -> tensor<4x1x1x3xf32>
    %b = "tosa.const"() <{values = dense<[0.5, -0.5, 1.0, 0.0]> : tensor<4xf32>}> : () -> tensor<4xf32>
    %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
    %y = tosa.conv2d %x4, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x2x3xf32>, tensor<4x1x1x3xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2x4xf32>
    %c = tosa.clamp %y {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x1x2x4xf32>) -> tensor<1x1x2x4xf32>
    %s2 = tosa.const_shape {values = dense<[2, 4]> : tensor<2xindex>} : () -> !tosa.shape<2>
    %r = tosa.reshape %c, %s2 : (tensor<1x1x2x4xf32>, !tosa.shape<2>) -> tensor<2x4xf32>
    return %r : tensor<2x4xf32>
  }
}
