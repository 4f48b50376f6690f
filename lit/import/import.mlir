// The imported IR of a graph exported by Kiln: operators in order, zero points,
// shifts and multipliers as constant operands, rescale and clamp options, and the
// constant data of each dtype (int4 packed two per byte, fp16, bf16) read back exactly.
// The target is derived from the dtypes and rounding modes the graph uses.
// RUN: kiln-translate --export-tosa-flatbuffer %s -o %t.tosa
// RUN: kiln-translate --import-tosa-flatbuffer %t.tosa | FileCheck %s

// CHECK: module attributes {tosa.target_env = #tosa.target_env<specification_version = "1.0", level = "8k", profiles = [pro_int, pro_fp], extensions = [doubleround, bf16, int4]>}
// CHECK-LABEL: func.func @graph(
// CHECK-SAME: %[[X:.*]]: tensor<1x2x4xi8>, %[[H:.*]]: tensor<3xf16>) -> (tensor<4x2xi8>, tensor<3xf16>, tensor<3xi4>)
func.func @graph(%x: tensor<1x2x4xi8>, %h: tensor<3xf16>) -> (tensor<4x2xi8>, tensor<3xf16>, tensor<3xi4>) {
  // CHECK: %[[W:.*]] = "tosa.const"() <{values = dense<{{\[\[\[}}1, -2], [3, 4], [-128, 127], [0, 5]]]> : tensor<1x4x2xi8>}>
  %w = "tosa.const"() <{values = dense<[[[1, -2], [3, 4], [-128, 127], [0, 5]]]> : tensor<1x4x2xi8>}> : () -> tensor<1x4x2xi8>
  // CHECK: %[[XZP:.*]] = "tosa.const"() <{values = dense<-7> : tensor<1xi8>}>
  %x_zp = "tosa.const"() <{values = dense<-7> : tensor<1xi8>}> : () -> tensor<1xi8>
  %w_zp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  // CHECK: %[[ACC:.*]] = tosa.matmul %[[X]], %[[W]], %[[XZP]], %{{.*}} : (tensor<1x2x4xi8>, tensor<1x4x2xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x2x2xi32>
  %acc = tosa.matmul %x, %w, %x_zp, %w_zp : (tensor<1x2x4xi8>, tensor<1x4x2xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x2x2xi32>
  // CHECK: "tosa.const"() <{values = dense<[1073741824, 1518500250]> : tensor<2xi32>}>
  %mult = "tosa.const"() <{values = dense<[1073741824, 1518500250]> : tensor<2xi32>}> : () -> tensor<2xi32>
  // CHECK: "tosa.const"() <{values = dense<[30, 37]> : tensor<2xi8>}>
  %shift = "tosa.const"() <{values = dense<[30, 37]> : tensor<2xi8>}> : () -> tensor<2xi8>
  %in_zp = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
  %out_zp = "tosa.const"() <{values = dense<-3> : tensor<1xi8>}> : () -> tensor<1xi8>
  // CHECK: tosa.rescale %[[ACC]], {{.*}} {input_unsigned = false, output_unsigned = false, per_channel = true, rounding_mode = DOUBLE_ROUND, scale32 = true}
  %y = tosa.rescale %acc, %mult, %shift, %in_zp, %out_zp {input_unsigned = false, output_unsigned = false, per_channel = true, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x2x2xi32>, tensor<2xi32>, tensor<2xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x2x2xi8>
  // CHECK: tosa.clamp %{{.*}} {max_val = 100 : i8, min_val = -128 : i8}
  %c = tosa.clamp %y {max_val = 100 : i8, min_val = -128 : i8} : (tensor<1x2x2xi8>) -> tensor<1x2x2xi8>
  // CHECK: tosa.const_shape {{.*}}values = dense<2> : tensor<2xindex>
  %s = tosa.const_shape {values = dense<[2, 2]> : tensor<2xindex>} : () -> !tosa.shape<2>
  // CHECK: tosa.reshape
  %r = tosa.reshape %c, %s : (tensor<1x2x2xi8>, !tosa.shape<2>) -> tensor<2x2xi8>
  // CHECK: tosa.transpose %{{.*}} {perms = array<i32: 1, 0>}
  %t = tosa.transpose %r {perms = array<i32: 1, 0>} : (tensor<2x2xi8>) -> tensor<2x2xi8>
  %s4 = tosa.const_shape {values = dense<[4, 1]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %t4 = tosa.reshape %t, %s4 : (tensor<2x2xi8>, !tosa.shape<2>) -> tensor<4x1xi8>
  %z = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %two = "tosa.const"() <{values = dense<2> : tensor<4x2xi8>}> : () -> tensor<4x2xi8>
  // CHECK: tosa.add %{{.*}}, %{{.*}} : (tensor<4x1xi8>, tensor<4x2xi8>) -> tensor<4x2xi8>
  %o = tosa.add %t4, %two : (tensor<4x1xi8>, tensor<4x2xi8>) -> tensor<4x2xi8>
  // CHECK: "tosa.const"() <{values = dense<[1.500000e+00, -2.000000e+00, 6.550400e+04]> : tensor<3xf16>}>
  %hc = "tosa.const"() <{values = dense<[1.5, -2.0, 65504.0]> : tensor<3xf16>}> : () -> tensor<3xf16>
  // CHECK: "tosa.const"() <{values = dense<[1.000000e+00, -3.389530e+38, 9.183550e-41]> : tensor<3xbf16>}>
  %bc = "tosa.const"() <{values = dense<[1.0, -3.389530e+38, 9.183550e-41]> : tensor<3xbf16>}> : () -> tensor<3xbf16>
  // CHECK: tosa.cast %{{.*}} : (tensor<3xbf16>) -> tensor<3xf16>
  %b = tosa.cast %bc : (tensor<3xbf16>) -> tensor<3xf16>
  %hs = tosa.mul %h, %hc, %z : (tensor<3xf16>, tensor<3xf16>, tensor<1xi8>) -> tensor<3xf16>
  // CHECK: tosa.maximum %{{.*}}, %{{.*}} {nan_mode = IGNORE}
  %hm = tosa.maximum %hs, %b {nan_mode = IGNORE} : (tensor<3xf16>, tensor<3xf16>) -> tensor<3xf16>
  // CHECK: %[[Q:.*]] = "tosa.const"() <{values = dense<[-8, 7, -1]> : tensor<3xi4>}>
  %q = "tosa.const"() <{values = dense<[-8, 7, -1]> : tensor<3xi4>}> : () -> tensor<3xi4>
  // CHECK: return %{{.*}}, %{{.*}}, %[[Q]] : tensor<4x2xi8>, tensor<3xf16>, tensor<3xi4>
  return %o, %hm, %q : tensor<4x2xi8>, tensor<3xf16>, tensor<3xi4>
}
