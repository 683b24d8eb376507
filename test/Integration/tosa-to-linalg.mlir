// TOSA input is brought to linalg with the upstream pipeline that
// sparsity-opt registers, after which our passes apply.

// RUN: sparsity-opt %s \
// RUN:   --pass-pipeline="builtin.module(tosa-to-linalg-pipeline,sparsity-annotate)" \
// RUN:   | FileCheck %s

// CHECK-LABEL: func.func @fc
// CHECK: %[[W:.*]] = "tosa.const"
// CHECK: %[[A:.*]] = sparsity.annotate %[[W]] pattern<channels<dim = 2, pruned = [1]>, unstructured<nnz = 2>>
// CHECK: linalg.batch_matmul ins(%{{.*}}, %[[A]] :
func.func @fc(%x: tensor<1x3x2xf32>) -> tensor<1x3x2xf32> {
  %w = "tosa.const"() {values = dense<[[[1.0, 0.0], [2.0, 0.0]]]> : tensor<1x2x2xf32>} : () -> tensor<1x2x2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %0 = tosa.matmul %x, %w, %zp, %zp : (tensor<1x3x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x2xf32>
  return %0 : tensor<1x3x2xf32>
}
