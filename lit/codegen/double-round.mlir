// RUN: not kiln-compile %s --emit=kernels 2>&1 | FileCheck %s

// A static int8 GEMM whose rescale the kernels do not implement.
// CHECK: double-round.mlir:[[@LINE+8]]:12: error: cannot form a GEMM kernel from this tosa.matmul: the rescale must be scale32, SINGLE_ROUND
module attributes {tosa.target_env = #tosa.target_env<specification_version = "1.0", level = "8k", profiles = [pro_int], extensions = [doubleround]>} {
  func.func @forward(%x: tensor<1x2x2xi8>) -> tensor<1x2x2xi8> {
    %w = "tosa.const"() <{values = dense<[[[1, 2], [3, 4]]]> : tensor<1x2x2xi8>}> : () -> tensor<1x2x2xi8>
    %zp8 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %zp32 = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
    %m = "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}> : () -> tensor<1xi32>
    %s = "tosa.const"() <{values = dense<33> : tensor<1xi8>}> : () -> tensor<1xi8>
    %acc = tosa.matmul %x, %w, %zp8, %zp8 : (tensor<1x2x2xi8>, tensor<1x2x2xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x2x2xi32>
    %y = tosa.rescale %acc, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x2x2xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x2x2xi8>
    return %y : tensor<1x2x2xi8>
  }
}
