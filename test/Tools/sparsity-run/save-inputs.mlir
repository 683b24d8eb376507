// --save-inputs writes the arguments the function ran on, so another runtime
// can be fed the same values. Since @main returns its arguments, the saved
// inputs must equal the outputs exactly, and feeding them back must
// reproduce the outputs.

// RUN: rm -rf %t && sparsity-run %s --seed=7 --save-inputs=%t/in --output-dir=%t/out
// RUN: sparsity-run %s --input=%t/in/in0.npy --input=%t/in/in1.npy \
// RUN:   --compare=%t/out/out0.npy --compare=%t/out/out1.npy --rtol=0 --atol=0 \
// RUN:   | FileCheck %s
// RUN: %python %S/Inputs/npy.py range %t/in/in0.npy -1 1 | FileCheck %s --check-prefix=RANGE

// CHECK: out0 (tensor<4x8xf32>) vs '{{.*}}out0.npy': match (max abs err 0
// CHECK: out1 (tensor<16xi32>) vs '{{.*}}out1.npy': match (max abs err 0
// RANGE: 32 values, {{[0-9]+}} distinct, 0 outside [-1, 1)

// A file where the directory should be is an error, and nothing runs.
// RUN: touch %t/file
// RUN: not sparsity-run %s --save-inputs=%t/file 2>&1 | FileCheck %s --check-prefix=ERR
// ERR: error: --save-inputs: '{{.*}}file' is not a directory

func.func @main(%x: tensor<4x8xf32>, %i: tensor<16xi32>)
    -> (tensor<4x8xf32>, tensor<16xi32>) {
  return %x, %i : tensor<4x8xf32>, tensor<16xi32>
}
