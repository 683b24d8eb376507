// --compare against a reference program run on the same (random) inputs:
// the same product written as a linalg.generic must match, a program that
// adds 1 to every element must not (exit code 1), and --ref-entry picks
// another function of the reference file.

// RUN: sparsity-run %s --seed=7 --compare=%S/Inputs/matmul-generic.mlir \
// RUN:   | FileCheck %s --check-prefix=SAME
// SAME: out0 (tensor<4x3xf32>) vs '{{.*}}matmul-generic.mlir' @main: match (max abs err {{.*}}, max rel err {{.*}}; rtol 0.0001, atol 1e-05)

// RUN: sparsity-run %s --seed=7 --compare=%S/Inputs/matmul-generic.mlir \
// RUN:   --ref-entry=via_transpose | FileCheck %s --check-prefix=TRANSPOSE
// TRANSPOSE: vs '{{.*}}matmul-generic.mlir' @via_transpose: match

// RUN: sh %S/Inputs/exit-code.sh sparsity-run %s --seed=7 \
// RUN:   --compare=%S/Inputs/matmul-wrong.mlir | FileCheck %s --check-prefix=WRONG
// WRONG: out0 (tensor<4x3xf32>) vs '{{.*}}matmul-wrong.mlir' @main: MISMATCH in 12 of 12 elements, first at [0, 0]: got {{.*}}, expected {{.*}} (max abs err 1{{(\.0*[0-9]*)?}}, max rel err
// WRONG: sparsity-run: results do not match the reference
// WRONG: exit code: 1

// Different seeds give different inputs: the outputs written for two seeds
// differ, the same seed twice gives the same outputs.
// RUN: rm -rf %t && mkdir -p %t
// RUN: sparsity-run %s --seed=1 --output-dir=%t/s1
// RUN: sparsity-run %s --seed=1 --compare=%t/s1/out0.npy | FileCheck %s --check-prefix=SEED
// RUN: not sparsity-run %s --seed=2 --compare=%t/s1/out0.npy | FileCheck %s --check-prefix=SEED2
// SEED: match (max abs err 0, max rel err 0;
// SEED2: MISMATCH in 12 of 12 elements

func.func @main(%a: tensor<4x5xf32>, %b: tensor<5x3xf32>) -> tensor<4x3xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x3xf32>) -> tensor<4x3xf32>
  %c = linalg.matmul ins(%a, %b : tensor<4x5xf32>, tensor<5x3xf32>)
                     outs(%f : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %c : tensor<4x3xf32>
}
