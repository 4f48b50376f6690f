// RUN: python3 %S/Inputs/npy.py write %t.x.npy '<i4' 1,6 5 -5 12 -12 1000 -1000
// RUN: kiln-run %s --function=single --input %t.x.npy --output %t.s.npy
// RUN: python3 %S/Inputs/npy.py print %t.s.npy | FileCheck %s --check-prefix=SINGLE
// RUN: kiln-run %s --function=double --input %t.x.npy --output %t.d.npy
// RUN: python3 %S/Inputs/npy.py print %t.d.npy | FileCheck %s --check-prefix=DOUBLE
// RUN: python3 %S/Inputs/npy.py write %t.u.npy '|i1' 1,3 -1 0 127
// RUN: kiln-run %s --function=unsigned_in --input %t.u.npy --output %t.uo.npy
// RUN: python3 %S/Inputs/npy.py print %t.uo.npy | FileCheck %s --check-prefix=UNSIGNED

// x / 8 (multiplier 2^30, shift 33), output zero point 3, saturating to i8.
// SINGLE: |i1 1x6: 4 2 5 2 127 -122
func.func @single(%x: tensor<1x6xi32>) -> tensor<1x6xi8> {
  %m = "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}> : () -> tensor<1xi32>
  %s = "tosa.const"() <{values = dense<33> : tensor<1xi8>}> : () -> tensor<1xi8>
  %izp = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
  %ozp = "tosa.const"() <{values = dense<3> : tensor<1xi8>}> : () -> tensor<1xi8>
  %y = tosa.rescale %x, %m, %s, %izp, %ozp {scale32 = true, rounding_mode = SINGLE_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false} : (tensor<1x6xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x6xi8>
  return %y : tensor<1x6xi8>
}

// DOUBLE_ROUND moves the negative ties away from zero: -12/8 = -1.5 -> -2.
// DOUBLE: |i1 1x6: 4 2 5 1 127 -122
func.func @double(%x: tensor<1x6xi32>) -> tensor<1x6xi8> {
  %m = "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}> : () -> tensor<1xi32>
  %s = "tosa.const"() <{values = dense<33> : tensor<1xi8>}> : () -> tensor<1xi8>
  %izp = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
  %ozp = "tosa.const"() <{values = dense<3> : tensor<1xi8>}> : () -> tensor<1xi8>
  %y = tosa.rescale %x, %m, %s, %izp, %ozp {scale32 = true, rounding_mode = DOUBLE_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false} : (tensor<1x6xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x6xi8>
  return %y : tensor<1x6xi8>
}

// u8 input (bits -1 = 255) with zero point 128 (bits -128), scale 1.0, to i8.
// UNSIGNED: |i1 1x3: 127 -128 -1
func.func @unsigned_in(%x: tensor<1x3xi8>) -> tensor<1x3xi8> {
  %m = "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}> : () -> tensor<1xi32>
  %s = "tosa.const"() <{values = dense<30> : tensor<1xi8>}> : () -> tensor<1xi8>
  %izp = "tosa.const"() <{values = dense<-128> : tensor<1xi8>}> : () -> tensor<1xi8>
  %ozp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %y = tosa.rescale %x, %m, %s, %izp, %ozp {scale32 = true, rounding_mode = SINGLE_ROUND, per_channel = false, input_unsigned = true, output_unsigned = false} : (tensor<1x3xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x3xi8>
  return %y : tensor<1x3xi8>
}
