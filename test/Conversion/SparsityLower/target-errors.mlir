// Errors of the pass options; each leaves the module unchanged, is one error
// at the module's location and does not print the module (no linalg.matmul).
// RUN: not sparsity-opt %s --sparsity-lower=target=no-such-target 2>&1 | FileCheck %s --check-prefix=UNKNOWN --implicit-check-not=linalg.matmul
// RUN: not sparsity-opt %s --sparsity-lower 2>&1 | FileCheck %s --check-prefix=NONE
// RUN: not sparsity-opt %s "--sparsity-lower=target=npu-ref-g8 inline-limit=-1" 2>&1 | FileCheck %s --check-prefix=LIMIT --implicit-check-not=linalg.matmul

// UNKNOWN: error: sparsity-lower: {{.*}}no-such-target
// NONE: error: sparsity-lower:
// LIMIT: error: sparsity-lower: inline-limit must not be negative

func.func @fc(%a: tensor<3x16xf32>, %c: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %b = arith.constant dense<1.0> : tensor<16x2xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<3x16xf32>, tensor<16x2xf32>) outs(%c : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}
