// RUN: sparsity-opt %s -split-input-file --canonicalize | FileCheck %s

// Canonicalization of `sparsity.annotate`: nested annotations merge into one
// pattern when their conjunction is one valid pattern for the type, and an
// empty pattern folds away.

// Components of different kinds compose into one pattern.
// CHECK-LABEL: func.func @merge_components(
// CHECK-SAME: %[[X:.*]]: tensor<4x4xf32>)
// CHECK-NEXT: %[[A:.*]] = sparsity.annotate %[[X]] pattern<channels<dim = 0, pruned = [1]>, unstructured<nnz = 5>, nm<2:4, dim = 1>> : tensor<4x4xf32>
// CHECK-NEXT: return %[[A]]
func.func @merge_components(%x: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %0 = sparsity.annotate %x pattern<channels<dim = 0, pruned = [1]>> : tensor<4x4xf32>
  %1 = sparsity.annotate %0 pattern<unstructured<nnz = 5>, nm<2:4, dim = 1>> : tensor<4x4xf32>
  return %1 : tensor<4x4xf32>
}

// -----

// A chain of three merges to one op: channels of one dimension are united,
// those of different dimensions are kept side by side.
// CHECK-LABEL: func.func @merge_chain(
// CHECK-SAME: %[[X:.*]]: tensor<4x4xf32>)
// CHECK-NEXT: %[[A:.*]] = sparsity.annotate %[[X]] pattern<channels<dim = 0, pruned = [1, 3]>, channels<dim = 1, pruned = [2]>, unstructured<density = 0.5>> : tensor<4x4xf32>
// CHECK-NEXT: return %[[A]]
func.func @merge_chain(%x: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %0 = sparsity.annotate %x pattern<channels<dim = 0, pruned = [1]>> : tensor<4x4xf32>
  %1 = sparsity.annotate %0 pattern<channels<dim = 1, pruned = [2]>> : tensor<4x4xf32>
  %2 = sparsity.annotate %1 pattern<channels<dim = 0, pruned = [3]>, unstructured<density = 0.5>> : tensor<4x4xf32>
  return %2 : tensor<4x4xf32>
}

// -----

// Channels with different groups on one dimension meet at the common group:
// rows [2, 4) (group 2, index 1) and rows [0, 4) (group 4, index 0).
// CHECK-LABEL: func.func @merge_channel_groups(
// CHECK-NEXT: sparsity.annotate %{{.*}} pattern<channels<dim = 0, pruned = [0, 1], group = 2>> : tensor<8x4xf32>
// CHECK-NEXT: return
func.func @merge_channel_groups(%x: tensor<8x4xf32>) -> tensor<8x4xf32> {
  %0 = sparsity.annotate %x pattern<channels<dim = 0, pruned = [1], group = 2>> : tensor<8x4xf32>
  %1 = sparsity.annotate %0 pattern<channels<dim = 0, pruned = [0], group = 4>> : tensor<8x4xf32>
  return %1 : tensor<8x4xf32>
}

// -----

// Of two N:M components where one implies the other, the stronger stays.
// CHECK-LABEL: func.func @merge_nm_stronger(
// CHECK-NEXT: sparsity.annotate %{{.*}} pattern<nm<1:2, dim = 1>> : tensor<4x8xf32>
// CHECK-NEXT: return
func.func @merge_nm_stronger(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = sparsity.annotate %x pattern<nm<2:4, dim = 1>> : tensor<4x8xf32>
  %1 = sparsity.annotate %0 pattern<nm<1:2, dim = 1>> : tensor<4x8xf32>
  return %1 : tensor<4x8xf32>
}

// -----

// An exact count within a density bound of a static shape replaces the bound
// (8 of 16 elements is density 0.5).
// CHECK-LABEL: func.func @merge_nnz_within_density(
// CHECK-NEXT: sparsity.annotate %{{.*}} pattern<unstructured<nnz = 8>> : tensor<4x4xf32>
// CHECK-NEXT: return
func.func @merge_nnz_within_density(%x: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %0 = sparsity.annotate %x pattern<unstructured<nnz = 8>> : tensor<4x4xf32>
  %1 = sparsity.annotate %0 pattern<unstructured<density = 0.5>> : tensor<4x4xf32>
  return %1 : tensor<4x4xf32>
}

// -----

// When the inner annotation has another use, it stays for that use and the
// outer one is rewritten onto the original value.
// CHECK-LABEL: func.func @merge_inner_shared(
// CHECK-SAME: %[[X:.*]]: tensor<4x4xf32>)
// CHECK-NEXT: %[[A:.*]] = sparsity.annotate %[[X]] pattern<channels<dim = 0, pruned = [1]>> : tensor<4x4xf32>
// CHECK-NEXT: %[[B:.*]] = sparsity.annotate %[[X]] pattern<channels<dim = 0, pruned = [1]>, unstructured<nnz = 5>> : tensor<4x4xf32>
// CHECK-NEXT: return %[[A]], %[[B]]
func.func @merge_inner_shared(%x: tensor<4x4xf32>) -> (tensor<4x4xf32>, tensor<4x4xf32>) {
  %0 = sparsity.annotate %x pattern<channels<dim = 0, pruned = [1]>> : tensor<4x4xf32>
  %1 = sparsity.annotate %0 pattern<unstructured<nnz = 5>> : tensor<4x4xf32>
  return %0, %1 : tensor<4x4xf32>, tensor<4x4xf32>
}

// -----

// An empty pattern states nothing: the op folds to its operand.
// CHECK-LABEL: func.func @fold_empty(
// CHECK-SAME: %[[X:.*]]: tensor<4x4xf32>)
// CHECK-NEXT: return %[[X]]
func.func @fold_empty(%x: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %0 = sparsity.annotate %x pattern<> : tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

// An empty annotation on top of another one disappears, the inner one stays.
// CHECK-LABEL: func.func @fold_empty_nested(
// CHECK-SAME: %[[X:.*]]: tensor<4x4xf32>)
// CHECK-NEXT: %[[A:.*]] = sparsity.annotate %[[X]] pattern<nm<2:4, dim = 1>> : tensor<4x4xf32>
// CHECK-NEXT: return %[[A]]
func.func @fold_empty_nested(%x: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %0 = sparsity.annotate %x pattern<nm<2:4, dim = 1>> : tensor<4x4xf32>
  %1 = sparsity.annotate %0 pattern<> : tensor<4x4xf32>
  return %1 : tensor<4x4xf32>
}

// -----

// Contradiction: 10 non-zeros of 16 elements exceed the outer density bound
// 0.5 (8 elements), so there is no single pattern; both ops stay.
// CHECK-LABEL: func.func @keep_nnz_above_density(
// CHECK-SAME: %[[X:.*]]: tensor<4x4xf32>)
// CHECK-NEXT: %[[A:.*]] = sparsity.annotate %[[X]] pattern<unstructured<nnz = 10>> : tensor<4x4xf32>
// CHECK-NEXT: %[[B:.*]] = sparsity.annotate %[[A]] pattern<unstructured<density = 0.5>> : tensor<4x4xf32>
// CHECK-NEXT: return %[[B]]
func.func @keep_nnz_above_density(%x: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %0 = sparsity.annotate %x pattern<unstructured<nnz = 10>> : tensor<4x4xf32>
  %1 = sparsity.annotate %0 pattern<unstructured<density = 0.5>> : tensor<4x4xf32>
  return %1 : tensor<4x4xf32>
}

// -----

// With a dynamic shape the count cannot be checked against the bound, and one
// unstructured component cannot state both: merging would drop the bound, so
// both ops stay (regression: they used to merge into `nnz = 10` alone).
// CHECK-LABEL: func.func @keep_nnz_density_dynamic(
// CHECK-SAME: %[[X:.*]]: tensor<?x4xf32>)
// CHECK-NEXT: %[[A:.*]] = sparsity.annotate %[[X]] pattern<unstructured<nnz = 10>> : tensor<?x4xf32>
// CHECK-NEXT: %[[B:.*]] = sparsity.annotate %[[A]] pattern<unstructured<density = 0.5>> : tensor<?x4xf32>
// CHECK-NEXT: return %[[B]]
func.func @keep_nnz_density_dynamic(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %0 = sparsity.annotate %x pattern<unstructured<nnz = 10>> : tensor<?x4xf32>
  %1 = sparsity.annotate %0 pattern<unstructured<density = 0.5>> : tensor<?x4xf32>
  return %1 : tensor<?x4xf32>
}

// -----

// 2:4 and 3:8 along one dimension: neither implies the other, and one N:M
// component cannot state both; both ops stay.
// CHECK-LABEL: func.func @keep_incompatible_nm(
// CHECK-SAME: %[[X:.*]]: tensor<4x8xf32>)
// CHECK-NEXT: %[[A:.*]] = sparsity.annotate %[[X]] pattern<nm<2:4, dim = 1>> : tensor<4x8xf32>
// CHECK-NEXT: %[[B:.*]] = sparsity.annotate %[[A]] pattern<nm<3:8, dim = 1>> : tensor<4x8xf32>
// CHECK-NEXT: return %[[B]]
func.func @keep_incompatible_nm(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = sparsity.annotate %x pattern<nm<2:4, dim = 1>> : tensor<4x8xf32>
  %1 = sparsity.annotate %0 pattern<nm<3:8, dim = 1>> : tensor<4x8xf32>
  return %1 : tensor<4x8xf32>
}

// -----

// N:M along different dimensions cannot be one component either.
// CHECK-LABEL: func.func @keep_nm_other_dim(
// CHECK-NEXT: sparsity.annotate %{{.*}} pattern<nm<2:4, dim = 0>>
// CHECK-NEXT: sparsity.annotate %{{.*}} pattern<nm<2:4, dim = 1>>
// CHECK-NEXT: return
func.func @keep_nm_other_dim(%x: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %0 = sparsity.annotate %x pattern<nm<2:4, dim = 0>> : tensor<4x4xf32>
  %1 = sparsity.annotate %0 pattern<nm<2:4, dim = 1>> : tensor<4x4xf32>
  return %1 : tensor<4x4xf32>
}

// -----

// Each op verifies alone, but together they violate the shape: two pruned
// rows of 4x4 leave 8 elements, fewer than the 10 non-zeros. The merged
// pattern would not verify, so both ops stay.
// CHECK-LABEL: func.func @keep_violates_shape(
// CHECK-SAME: %[[X:.*]]: tensor<4x4xf32>)
// CHECK-NEXT: %[[A:.*]] = sparsity.annotate %[[X]] pattern<channels<dim = 0, pruned = [0, 1]>> : tensor<4x4xf32>
// CHECK-NEXT: %[[B:.*]] = sparsity.annotate %[[A]] pattern<unstructured<nnz = 10>> : tensor<4x4xf32>
// CHECK-NEXT: return %[[B]]
func.func @keep_violates_shape(%x: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %0 = sparsity.annotate %x pattern<channels<dim = 0, pruned = [0, 1]>> : tensor<4x4xf32>
  %1 = sparsity.annotate %0 pattern<unstructured<nnz = 10>> : tensor<4x4xf32>
  return %1 : tensor<4x4xf32>
}

// -----

// Likewise with N:M: 2:4 along the 8 columns of 4x8 allows 16 non-zeros.
// CHECK-LABEL: func.func @keep_violates_nm_max(
// CHECK-NEXT: sparsity.annotate %{{.*}} pattern<nm<2:4, dim = 1>>
// CHECK-NEXT: sparsity.annotate %{{.*}} pattern<unstructured<nnz = 17>>
// CHECK-NEXT: return
func.func @keep_violates_nm_max(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = sparsity.annotate %x pattern<nm<2:4, dim = 1>> : tensor<4x8xf32>
  %1 = sparsity.annotate %0 pattern<unstructured<nnz = 17>> : tensor<4x8xf32>
  return %1 : tensor<4x8xf32>
}
