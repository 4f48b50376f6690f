// A 1x1 convolution (the form ExecuTorch-style exports give a linear layer) is one
// GEMM kernel; the int8 one runs bit-exact to the reference on Vulkan and the CPU.
// RUN: kiln-compile %s --emit=kernels | FileCheck %s
// RUN: kiln-compile %s -o %t.vgf
// RUN: kiln-run %s --input %S/Inputs/x_i8_1x2x3x4.npy --output %t.ref.npy
// RUN: kiln-run %t.vgf --validation --input %S/Inputs/x_i8_1x2x3x4.npy --compare-to %t.ref.npy | FileCheck %s --check-prefix=EXACT
// RUN: kiln-run %t.vgf --backend=cpu --input %S/Inputs/x_i8_1x2x3x4.npy --compare-to %t.ref.npy | FileCheck %s --check-prefix=EXACT
// CHECK: gemm_0.weights CONSTANT i8[5x4]
// CHECK: gemm_0: gemm pqs8_qc8w m=6 n=5 k=4 bias zp_x=-3 zp_y=4
// CHECK-NEXT: bindings: 0=%0 1=%1 3=%2 7=%3 8=%4 9=%5
// EXACT: output 0: max abs error 0, sqnr inf dB

module attributes {tosa.target_env = #tosa.target_env<specification_version = "1.0", level = "8k", profiles = [pro_int, pro_fp], extensions = [doubleround]>} {
  func.func @forward(%x: tensor<1x2x3x4xi8>) -> tensor<1x2x3x5xi8> {
    %w = "tosa.const"() <{values = dense<[[[[1, 2, 3, 4]]], [[[-1, 0, 2, 7]]], [[[5, 5, -5, 5]]], [[[0, 0, 0, 1]]], [[[-8, 7, 1, -1]]]]> : tensor<5x1x1x4xi8>}> : () -> tensor<5x1x1x4xi8>
    %b = "tosa.const"() <{values = dense<[10, -20, 30, 0, 5]> : tensor<5xi32>}> : () -> tensor<5xi32>
    %izp = "tosa.const"() <{values = dense<-3> : tensor<1xi8>}> : () -> tensor<1xi8>
    %wzp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %acc = tosa.conv2d %x, %w, %b, %izp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x3x4xi8>, tensor<5x1x1x4xi8>, tensor<5xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x2x3x5xi32>
    %m = "tosa.const"() <{values = dense<[1500000000, 1400000000, 1300000000, 1200000000, 1100000000]> : tensor<5xi32>}> : () -> tensor<5xi32>
    %s = "tosa.const"() <{values = dense<[36, 37, 38, 35, 36]> : tensor<5xi8>}> : () -> tensor<5xi8>
    %zp32 = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
    %ozp = "tosa.const"() <{values = dense<4> : tensor<1xi8>}> : () -> tensor<1xi8>
    %y = tosa.rescale %acc, %m, %s, %zp32, %ozp {input_unsigned = false, output_unsigned = false, per_channel = true, rounding_mode = SINGLE_ROUND, scale32 = true} : (tensor<1x2x3x5xi32>, tensor<5xi32>, tensor<5xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x2x3x5xi8>
    return %y : tensor<1x2x3x5xi8>
  }
}
