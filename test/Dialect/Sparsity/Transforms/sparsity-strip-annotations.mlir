// RUN: sparsity-opt %s -split-input-file --sparsity-strip-annotations | FileCheck %s

// --sparsity-strip-annotations removes every sparsity.annotate and forwards
// its operand to the users of its result.

// The matmul reads the constant again, and the result is unchanged.
// CHECK-LABEL: func.func @strip_weight(
// CHECK-SAME: %[[X:.*]]: tensor<4x3xf32>)
// CHECK: %[[W:.*]] = arith.constant
// CHECK-NOT: sparsity.annotate
// CHECK: linalg.matmul ins(%[[X]], %[[W]] : tensor<4x3xf32>, tensor<3x4xf32>)
func.func @strip_weight(%x: tensor<4x3xf32>) -> tensor<4x4xf32> {
  %w = arith.constant dense<[[0.0, 1.0, 0.0, 2.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 3.0]]> : tensor<3x4xf32>
  %a = sparsity.annotate %w pattern<channels<dim = 0, pruned = [1]>, unstructured<nnz = 3>> : tensor<3x4xf32>
  %init = tensor.empty() : tensor<4x4xf32>
  %r = linalg.matmul ins(%x, %a : tensor<4x3xf32>, tensor<3x4xf32>) outs(%init : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %r : tensor<4x4xf32>
}

// -----

// Nested annotations go too, whatever their order in the walk, and a value
// returned directly is forwarded to the return.
// CHECK-LABEL: func.func @strip_nested(
// CHECK-SAME: %[[X:.*]]: tensor<?x8xf32>)
// CHECK-NEXT: return %[[X]], %[[X]]
func.func @strip_nested(%x: tensor<?x8xf32>) -> (tensor<?x8xf32>, tensor<?x8xf32>) {
  %0 = sparsity.annotate %x pattern<nm<2:4, dim = 1>> : tensor<?x8xf32>
  %1 = sparsity.annotate %0 pattern<unstructured<density = 0.5>> : tensor<?x8xf32>
  %2 = sparsity.annotate %1 pattern<> : tensor<?x8xf32>
  return %1, %2 : tensor<?x8xf32>, tensor<?x8xf32>
}

// -----

// Annotations inside nested regions are removed as well.
// CHECK-LABEL: func.func @strip_in_region(
// CHECK-SAME: %[[X:.*]]: tensor<8xf32>, %{{.*}}: i1)
// CHECK: scf.if
// CHECK-NEXT: scf.yield %[[X]]
// CHECK: else
// CHECK-NEXT: scf.yield %[[X]]
func.func @strip_in_region(%x: tensor<8xf32>, %c: i1) -> tensor<8xf32> {
  %r = scf.if %c -> tensor<8xf32> {
    %0 = sparsity.annotate %x pattern<channels<dim = 0, pruned = [1]>> : tensor<8xf32>
    scf.yield %0 : tensor<8xf32>
  } else {
    %1 = sparsity.annotate %x pattern<block<[2], nonzero_blocks = 1>> : tensor<8xf32>
    scf.yield %1 : tensor<8xf32>
  }
  return %r : tensor<8xf32>
}

// -----

// IR without annotations is left as it is.
// CHECK-LABEL: func.func @nothing_to_strip(
// CHECK-SAME: %[[X:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[S:.*]] = arith.addf %[[X]], %[[X]]
// CHECK-NEXT: return %[[S]]
func.func @nothing_to_strip(%x: tensor<4xf32>) -> tensor<4xf32> {
  %s = arith.addf %x, %x : tensor<4xf32>
  return %s : tensor<4xf32>
}
