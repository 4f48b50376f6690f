// Every failure prints one clear message, exits non-zero and writes no output.
// RUN: python3 %S/Inputs/npy.py write %t.x.npy '<f4' 1,4 1 2 3 4
// RUN: python3 %S/Inputs/npy.py write %t.x3.npy '<f4' 1,3 1 2 3
// RUN: python3 %S/Inputs/npy.py write %t.xi.npy '<i4' 1,4 1 2 3 4
// RUN: python3 %S/Inputs/npy.py raw %t.fortran.npy "{'descr': '<f4', 'fortran_order': True, 'shape': (1, 4), }"
// RUN: python3 %S/Inputs/npy.py raw %t.short.npy "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 4), }"
// RUN: rm -f %t.y.npy

// RUN: not kiln-run %s --function=unknown_op --input %t.x.npy --output %t.y.npy 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: errors.mlir:[[@LINE+3]]:8: error: unsupported op 'tosa.sin': the reference evaluator implements tosa.abs,
// UNKNOWN-NOT: see current operation
func.func @unknown_op(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %y = tosa.sin %x : (tensor<1x4xf32>) -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}
// RUN: not ls %t.y.npy

// RUN: not kiln-run %s --function=identity --input %t.x3.npy --output %t.y.npy 2>&1 | FileCheck %s --check-prefix=SHAPE
// SHAPE: errors.mlir:[[@LINE+3]]:1: error: argument 0: expected tensor<1x4xf32>, got tensor<1x3xf32>
// RUN: not kiln-run %s --function=identity --input %t.xi.npy --output %t.y.npy 2>&1 | FileCheck %s --check-prefix=DTYPE
// DTYPE: error: argument 0: expected tensor<1x4xf32>, got tensor<1x4xi32>
func.func @identity(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %y = tosa.abs %x : (tensor<1x4xf32>) -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}

// RUN: not kiln-run %s --function=identity --input %t.fortran.npy 2>&1 | FileCheck %s --check-prefix=FORTRAN
// FORTRAN: kiln-run: error: input 0: {{.*}}fortran.npy: fortran_order arrays are not supported, expected C order
// RUN: not kiln-run %s --function=identity --input %t.short.npy 2>&1 | FileCheck %s --check-prefix=TRUNC
// TRUNC: kiln-run: error: input 0: {{.*}}short.npy: data size mismatch: shape (1,4) of <f4 needs 16 bytes, the file has 0
// RUN: not kiln-run %s --function=identity --input %t.missing.npy 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: kiln-run: error: input 0: {{.*}}missing.npy: cannot open
// RUN: not kiln-run %s --function=identity 2>&1 | FileCheck %s --check-prefix=COUNT
// COUNT: kiln-run: error: @identity takes 1 input(s), got 0 --input file(s)
// RUN: not kiln-run %s --function=identity --input %t.x.npy --output %t.y.npy --output %t.z.npy 2>&1 | FileCheck %s --check-prefix=OUTS
// OUTS: kiln-run: error: @identity has 1 result(s), got 2 --output file(s)
// RUN: not kiln-run %s --input %t.x.npy 2>&1 | FileCheck %s --check-prefix=WHICH
// WHICH: kiln-run: error: expected exactly one function in {{.*}}errors.mlir or --function=<name>, found 3 (@unknown_op, @identity, @bad_shift)
// RUN: not kiln-run %s --function=nope --input %t.x.npy 2>&1 | FileCheck %s --check-prefix=NOFUNC
// NOFUNC: kiln-run: error: no function @nope in
// RUN: not kiln-run %s --function=identity --input %t.x.npy --backend=vulkan 2>&1 | FileCheck %s --check-prefix=VULKAN
// VULKAN: kiln-run: error: backend 'vulkan' runs compiled .vgf files; {{.*}}errors.mlir is MLIR, which runs on the reference backend
// RUN: not kiln-run %s --function=identity --input %t.x.npy --backend=cuda 2>&1 | FileCheck %s --check-prefix=BACKEND
// BACKEND: kiln-run: error: unknown backend 'cuda', expected reference, vulkan, cpu or auto
// RUN: not kiln-run %t.nofile.mlir 2>&1 | FileCheck %s --check-prefix=NOFILE
// NOFILE: kiln-run: error: cannot open input file '{{.*}}nofile.mlir': No such file or directory

// A shift outside apply_scale_32's [2, 62] is a REQUIRE failure, not a number.
// RUN: python3 %S/Inputs/npy.py write %t.acc.npy '<i4' 2 1 2
// RUN: not kiln-run %s --function=bad_shift --input %t.acc.npy --output %t.y.npy 2>&1 | FileCheck %s --check-prefix=SHIFT
// SHIFT: errors.mlir:[[@LINE+6]]:8: error: 'tosa.rescale' op apply_scale_32 REQUIRE failed at element 0: value 1, multiplier 1073741824, shift 63 (expected multiplier >= 0, 2 <= shift <= 62, -2^(shift-1) <= value < 2^(shift-1))
func.func @bad_shift(%x: tensor<2xi32>) -> tensor<2xi8> {
  %m = "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}> : () -> tensor<1xi32>
  %s = "tosa.const"() <{values = dense<63> : tensor<1xi8>}> : () -> tensor<1xi8>
  %izp = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
  %ozp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %y = tosa.rescale %x, %m, %s, %izp, %ozp {scale32 = true, rounding_mode = SINGLE_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false} : (tensor<2xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<2xi8>
  return %y : tensor<2xi8>
}
// RUN: not ls %t.y.npy
