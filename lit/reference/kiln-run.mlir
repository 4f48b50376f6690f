// A kiln module is lowered with the Kiln pipeline first; --dump-intermediates
// writes every op's result; --compare-to prints the error statistics.
// RUN: python3 %S/Inputs/npy.py write %t.x.npy '<f4' 1,4 1 2 3 4
// RUN: rm -rf %t.dump
// RUN: kiln-run %s --input %t.x.npy --output %t.y.npy --dump-intermediates %t.dump
// RUN: python3 %S/Inputs/npy.py print %t.y.npy | FileCheck %s --check-prefix=Y
// Y: <f4 1x2: 10.5 -2
// RUN: ls %t.dump | FileCheck %s --check-prefix=DUMP
// DUMP-DAG: {{[0-9]+}}_tosa_matmul.npy
// DUMP-DAG: {{[0-9]+}}_tosa_add.npy
// RUN: python3 %S/Inputs/npy.py write %t.ref.npy '<f4' 1,2 10.5 -2
// RUN: kiln-run %s --input %t.x.npy --compare-to %t.ref.npy | FileCheck %s --check-prefix=EXACT
// EXACT: output 0: max abs error 0, max ulp 0, sqnr inf dB
// RUN: python3 %S/Inputs/npy.py write %t.near.npy '<f4' 1,2 10 -2
// RUN: kiln-run %s --input %t.x.npy --compare-to %t.near.npy | FileCheck %s --check-prefix=NEAR
// NEAR: output 0: max abs error 0.5, max ulp 524288, sqnr 26.1909 dB
// RUN: python3 %S/Inputs/npy.py write %t.wrong.npy '<f4' 2 10 -2
// RUN: not kiln-run %s --input %t.x.npy --compare-to %t.wrong.npy 2>&1 | FileCheck %s --check-prefix=WRONG
// WRONG: kiln-run: error: {{.*}}wrong.npy: expected tensor<1x2xf32> like output 0, got tensor<2xf32>
func.func @demo(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<[[1.0, 1.0, 1.0, 1.0], [0.5, -0.25, 0.0, -0.5]]> : tensor<2x4xf32>
  %b = arith.constant dense<[0.5, 0.0]> : tensor<2xf32>
  %y = kiln.linear %x, %w bias(%b) scheme <pf32> : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}
