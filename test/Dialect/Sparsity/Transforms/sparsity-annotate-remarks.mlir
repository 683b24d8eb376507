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

// Every value of f8E8M0FNU is a power of two: the format has no zero, so a
// zero test on its bits cannot be right.
// CHECK-LABEL: func.func @element_f8e8m0(
// CHECK-NOT: sparsity.annotate
// CHECK: return
func.func @element_f8e8m0(%x: tensor<4x2xf8E8M0FNU>) -> tensor<4x3xf32> {
  // expected-remark @+1 {{weight not annotated: element type f8E8M0FNU has no zero}}
  %w = arith.constant dense<[[1.0, 2.0, 4.0], [0.5, 1.0, 8.0]]> : tensor<2x3xf8E8M0FNU>
  %init = tensor.empty() : tensor<4x3xf32>
  %r = linalg.matmul ins(%x, %w : tensor<4x2xf8E8M0FNU>, tensor<2x3xf8E8M0FNU>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %r : tensor<4x3xf32>
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

// -----

// The annotation of a weight read through a view sits on the constant, so an
// annotation between the constant and the view counts too: the pass looks
// through views as well as annotations.
// CHECK-LABEL: func.func @already_annotated_behind_view(
// CHECK: %[[W:.*]] = arith.constant
// CHECK-NEXT: %[[A:.*]] = sparsity.annotate %[[W]] pattern<unstructured<density = 0.5>> : tensor<4x2xf32>
// CHECK-NOT: sparsity.annotate
// CHECK: linalg.transpose ins(%[[A]] :
func.func @already_annotated_behind_view(%x: tensor<4x2xf32>) -> tensor<4x4xf32> {
  // expected-remark @+1 {{weight not annotated: it is already annotated}}
  %w = arith.constant dense<[[1.0, 0.0], [0.0, 2.0], [3.0, 0.0], [0.0, 4.0]]> : tensor<4x2xf32>
  %a = sparsity.annotate %w pattern<unstructured<density = 0.5>> : tensor<4x2xf32>
  %empty = tensor.empty() : tensor<2x4xf32>
  %t = linalg.transpose ins(%a : tensor<4x2xf32>) outs(%empty : tensor<2x4xf32>) permutation = [1, 0]
  %init = tensor.empty() : tensor<4x4xf32>
  %r = linalg.matmul ins(%x, %t : tensor<4x2xf32>, tensor<2x4xf32>) outs(%init : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %r : tensor<4x4xf32>
}

// -----

// The weights below are annotated, but without N:M, and a remark says why.

// Two matmuls read the same 8x8 constant, one directly (input channels along
// dim 0) and one through a transpose (along dim 1). 2:4 holds along both,
// but the pass does not pick one for its users.
// CHECK-LABEL: func.func @nm_users_disagree(
// CHECK: sparsity.annotate %{{.*}} pattern<unstructured<nnz = 32>> : tensor<8x8xf32>
func.func @nm_users_disagree(%x: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>) {
  // expected-remark @+1 {{weight annotated without N:M: its users read input channels along different dimensions (0, 1)}}
  %w = arith.constant dense<[[1.0, 2.0, 0.0, 0.0, 5.0, 6.0, 0.0, 0.0], [9.0, 0.0, 0.0, 3.0, 4.0, 0.0, 0.0, 7.0],
                             [0.0, 0.0, 1.0, 2.0, 0.0, 0.0, 5.0, 6.0], [0.0, 8.0, 9.0, 0.0, 0.0, 3.0, 4.0, 0.0],
                             [6.0, 7.0, 0.0, 0.0, 1.0, 2.0, 0.0, 0.0], [5.0, 0.0, 0.0, 8.0, 9.0, 0.0, 0.0, 3.0],
                             [0.0, 0.0, 6.0, 7.0, 0.0, 0.0, 1.0, 2.0], [0.0, 4.0, 5.0, 0.0, 0.0, 8.0, 9.0, 0.0]]> : tensor<8x8xf32>
  %init = tensor.empty() : tensor<2x8xf32>
  %r = linalg.matmul ins(%x, %w : tensor<2x8xf32>, tensor<8x8xf32>) outs(%init : tensor<2x8xf32>) -> tensor<2x8xf32>
  %empty = tensor.empty() : tensor<8x8xf32>
  %t = linalg.transpose ins(%w : tensor<8x8xf32>) outs(%empty : tensor<8x8xf32>) permutation = [1, 0]
  %s = linalg.matmul ins(%x, %t : tensor<2x8xf32>, tensor<8x8xf32>) outs(%init : tensor<2x8xf32>) -> tensor<2x8xf32>
  return %r, %s : tensor<2x8xf32>, tensor<2x8xf32>
}

// -----

// A depthwise weight 2x2x3x3 collapsed to 4x3x3: the channel dimension of
// the depthwise conv merges dims 0 and 1 of the constant, so it is no single
// dimension there.
// CHECK-LABEL: func.func @nm_view_merges_in_channels(
// CHECK: %[[W:.*]] = arith.constant
// CHECK-NEXT: %[[A:.*]] = sparsity.annotate %[[W]] pattern<unstructured<nnz = 9>> : tensor<2x2x3x3xf32>
// CHECK: tensor.collapse_shape %[[A]]
func.func @nm_view_merges_in_channels(%x: tensor<1x4x5x5xf32>) -> tensor<1x4x3x3xf32> {
  // expected-remark @+1 {{weight annotated without N:M: a view between it and a user merges or splits the user's input-channel dimension}}
  %w = arith.constant dense<[[[[1.0, 0.0, 0.0], [0.0, 5.0, 0.0], [0.0, 0.0, 9.0]], [[0.0, 2.0, 0.0], [0.0, 0.0, 6.0], [0.0, 0.0, 0.0]]],
                             [[[0.0, 0.0, 3.0], [0.0, 0.0, 0.0], [7.0, 0.0, 0.0]], [[0.0, 0.0, 0.0], [4.0, 0.0, 0.0], [0.0, 8.0, 0.0]]]]> : tensor<2x2x3x3xf32>
  %c = tensor.collapse_shape %w [[0, 1], [2], [3]] : tensor<2x2x3x3xf32> into tensor<4x3x3xf32>
  %init = tensor.empty() : tensor<1x4x3x3xf32>
  %r = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %c : tensor<1x4x5x5xf32>, tensor<4x3x3xf32>) outs(%init : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  return %r : tensor<1x4x3x3xf32>
}
