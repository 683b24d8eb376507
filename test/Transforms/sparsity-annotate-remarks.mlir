// RUN: sparsity-opt %s -split-input-file --sparsity-annotate -verify-diagnostics | FileCheck %s

// The weights --sparsity-annotate leaves alone, each with the remark that
// says why; the output shows that nothing was added.

// An elided dense_resource (as printed by --mlir-elide-resource-strings-if-larger)
// has no blob to read.
// CHECK-LABEL: func.func @dense_resource_elided(
// CHECK-NOT: sparsity.annotate
// CHECK: return
func.func @dense_resource_elided(%x: tensor<4x2xf32>) -> tensor<4x3xf32> {
  // expected-remark @+1 {{weight not annotated: resource '__elided__' has no data (elided or not loaded)}}
  %w = arith.constant dense_resource<__elided__> : tensor<2x3xf32>
  %init = tensor.empty() : tensor<4x3xf32>
  %r = linalg.matmul ins(%x, %w : tensor<4x2xf32>, tensor<2x3xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %r : tensor<4x3xf32>
}

// -----

// A blob shorter than the tensor (one f32 for six elements) is not read past
// its end.
// CHECK-LABEL: func.func @dense_resource_short(
// CHECK-NOT: sparsity.annotate
// CHECK: return
func.func @dense_resource_short(%x: tensor<4x2xf32>) -> tensor<4x3xf32> {
  // expected-remark @+1 {{weight not annotated: payload holds 4 bytes, expected 24}}
  %w = arith.constant dense_resource<short> : tensor<2x3xf32>
  %init = tensor.empty() : tensor<4x3xf32>
  %r = linalg.matmul ins(%x, %w : tensor<4x2xf32>, tensor<2x3xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %r : tensor<4x3xf32>
}

{-#
  dialect_resources: {
    builtin: {
      short: "0x040000000000803F"
    }
  }
#-}

// -----

// A sparse<> constant is an ElementsAttr the scanner does not read.
// CHECK-LABEL: func.func @payload_sparse(
// CHECK-NOT: sparsity.annotate
// CHECK: return
func.func @payload_sparse(%x: tensor<4x2xf32>) -> tensor<4x3xf32> {
  // expected-remark @+1 {{weight not annotated: the constant payload kind is not supported}}
  %w = arith.constant sparse<[[0, 1]], [1.0]> : tensor<2x3xf32>
  %init = tensor.empty() : tensor<4x3xf32>
  %r = linalg.matmul ins(%x, %w : tensor<4x2xf32>, tensor<2x3xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %r : tensor<4x3xf32>
}

// -----

// Sub-byte elements are bit-packed; only 8- to 64-bit elements are read.
// CHECK-LABEL: func.func @element_i4(
// CHECK-NOT: sparsity.annotate
// CHECK: return
func.func @element_i4(%x: tensor<4x2xi4>) -> tensor<4x3xi32> {
  // expected-remark @+1 {{weight not annotated: element type i4 is not supported}}
  %w = arith.constant dense<[[0, 1, 0], [0, 1, 0]]> : tensor<2x3xi4>
  %init = tensor.empty() : tensor<4x3xi32>
  %r = linalg.matmul ins(%x, %w : tensor<4x2xi4>, tensor<2x3xi4>) outs(%init : tensor<4x3xi32>) -> tensor<4x3xi32>
  return %r : tensor<4x3xi32>
}

// -----

// The matmul reads an existing annotation of the constant: the pass looks
// through it, keeps the user's pattern and says so.
// CHECK-LABEL: func.func @already_annotated(
// CHECK: %[[W:.*]] = arith.constant
// CHECK-NEXT: %[[A:.*]] = sparsity.annotate %[[W]] pattern<unstructured<density = 0.5>> : tensor<3x4xf32>
// CHECK-NOT: sparsity.annotate
// CHECK: linalg.matmul ins(%{{.*}}, %[[A]] :
func.func @already_annotated(%x: tensor<4x3xf32>) -> tensor<4x4xf32> {
  // expected-remark @+1 {{weight not annotated: it is already annotated}}
  %w = arith.constant dense<[[0.0, 1.0, 0.0, 2.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 3.0]]> : tensor<3x4xf32>
  %a = sparsity.annotate %w pattern<unstructured<density = 0.5>> : tensor<3x4xf32>
  %init = tensor.empty() : tensor<4x4xf32>
  %r = linalg.matmul ins(%x, %a : tensor<4x3xf32>, tensor<3x4xf32>) outs(%init : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %r : tensor<4x4xf32>
}

// -----

// The constant is annotated for another user but fed to the matmul directly.
// It is left alone: annotating it would stack the new pattern under the
// existing annotation (regression: it used to produce annotate(annotate(w))).
// CHECK-LABEL: func.func @already_annotated_direct_use(
// CHECK-SAME: %[[X:.*]]: tensor<4x3xf32>)
// CHECK: %[[W:.*]] = arith.constant
// CHECK-NEXT: %[[A:.*]] = sparsity.annotate %[[W]] pattern<unstructured<density = 0.5>> : tensor<3x4xf32>
// CHECK-NOT: sparsity.annotate
// CHECK: linalg.matmul ins(%[[X]], %[[W]] :
func.func @already_annotated_direct_use(%x: tensor<4x3xf32>) -> (tensor<4x4xf32>, tensor<3x4xf32>) {
  // expected-remark @+1 {{weight not annotated: it is already annotated}}
  %w = arith.constant dense<[[0.0, 1.0, 0.0, 2.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 3.0]]> : tensor<3x4xf32>
  %a = sparsity.annotate %w pattern<unstructured<density = 0.5>> : tensor<3x4xf32>
  %init = tensor.empty() : tensor<4x4xf32>
  %r = linalg.matmul ins(%x, %w : tensor<4x3xf32>, tensor<3x4xf32>) outs(%init : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %r, %a : tensor<4x4xf32>, tensor<3x4xf32>
}

// -----

// Running the pass on its own output changes nothing: the annotated weight
// is reported, not annotated a second time.
// CHECK-LABEL: func.func @idempotent(
// CHECK: sparsity.annotate %{{.*}} pattern<channels<dim = 0, pruned = [1]>, unstructured<nnz = 2>>
// CHECK-NOT: sparsity.annotate
// CHECK: return
func.func @idempotent(%x: tensor<4x2xf32>) -> tensor<4x2xf32> {
  // expected-remark @+1 {{weight not annotated: it is already annotated}}
  %w = arith.constant dense<[[1.0, 2.0], [0.0, 0.0]]> : tensor<2x2xf32>
  %a = sparsity.annotate %w pattern<channels<dim = 0, pruned = [1]>, unstructured<nnz = 2>> : tensor<2x2xf32>
  %init = tensor.empty() : tensor<4x2xf32>
  %r = linalg.matmul ins(%x, %a : tensor<4x2xf32>, tensor<2x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %r : tensor<4x2xf32>
}

// -----

// Non-weight operands get no remark either: the elementwise op is not a
// contraction or convolution, so the pass does not look at its constant.
#map = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @elementwise_silent(
// CHECK-NOT: sparsity.annotate
// CHECK: return
func.func @elementwise_silent(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %w = arith.constant dense_resource<__elided__> : tensor<2x3xf32>
  %init = tensor.empty() : tensor<2x3xf32>
  %r = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel"]} ins(%x, %w : tensor<2x3xf32>, tensor<2x3xf32>) outs(%init : tensor<2x3xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<2x3xf32>
  return %r : tensor<2x3xf32>
}
