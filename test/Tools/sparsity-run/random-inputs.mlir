// Random inputs: floats uniform in [-1, 1), integers in [-4, 4], seeded.
// The function returns its arguments, so the written outputs are the inputs;
// an independent reader checks their range and that they are not constant.

// RUN: rm -rf %t && sparsity-run %s --seed=5 --output-dir=%t
// RUN: %python %S/Inputs/npy.py range %t/out0.npy -1 1 | FileCheck %s --check-prefix=F32
// RUN: %python %S/Inputs/npy.py range %t/out1.npy -4 5 | FileCheck %s --check-prefix=I32
// RUN: %python %S/Inputs/npy.py range %t/out2.npy -1 1 | FileCheck %s --check-prefix=F16
// F32: 1000 values, {{[0-9]+}} distinct, 0 outside [-1, 1)
// I32: 1000 values, 9 distinct, 0 outside [-4, 5)
// F16: 100 values, {{[0-9]+}} distinct, 0 outside [-1, 1)

func.func @main(%x: tensor<10x100xf32>, %i: tensor<1000xi32>, %h: tensor<100xf16>)
    -> (tensor<10x100xf32>, tensor<1000xi32>, tensor<100xf16>) {
  return %x, %i, %h : tensor<10x100xf32>, tensor<1000xi32>, tensor<100xf16>
}
