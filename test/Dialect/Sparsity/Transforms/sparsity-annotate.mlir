// RUN: sparsity-opt %s -split-input-file --sparsity-annotate | FileCheck %s

// --sparsity-annotate ties the pattern read from the values of each constant
// weight of a contraction or convolution to that weight. Cases where the pass
// leaves a weight alone with a remark are in sparsity-annotate-remarks.mlir,
// N:M and block components and weights read through views in
// sparsity-annotate-nm-block.mlir. The weights here are too small for N:M,
// and their zeros are either unstructured or all in zero slices (which leave
// no block component).

// Row 1 and columns 0 and 2 of the 3x4 weight are zero (one of them only
// through a -0.0, which counts as zero); 3 elements are non-zero. Only the
// constant weight is annotated, the matmul reads the annotation.
// CHECK-LABEL: func.func @matmul_channels(
// CHECK-SAME: %[[X:.*]]: tensor<4x3xf32>)
// CHECK: %[[W:.*]] = arith.constant
// CHECK-NEXT: %[[A:.*]] = sparsity.annotate %[[W]] pattern<channels<dim = 0, pruned = [1]>, channels<dim = 1, pruned = [0, 2]>, unstructured<nnz = 3>> : tensor<3x4xf32>
// CHECK: linalg.matmul ins(%[[X]], %[[A]] : tensor<4x3xf32>, tensor<3x4xf32>)
// CHECK-NOT: sparsity.annotate
func.func @matmul_channels(%x: tensor<4x3xf32>) -> tensor<4x4xf32> {
  %w = arith.constant dense<[[0.0, 1.0, 0.0, 2.0], [0.0, 0.0, 0.0, 0.0], [0.0, -0.0, -0.0, 3.0]]> : tensor<3x4xf32>
  %init = tensor.empty() : tensor<4x4xf32>
  %r = linalg.matmul ins(%x, %w : tensor<4x3xf32>, tensor<3x4xf32>) outs(%init : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %r : tensor<4x4xf32>
}

// -----

// A weight without zero slices only gets its exact count.
// CHECK-LABEL: func.func @matmul_unstructured_only(
// CHECK: sparsity.annotate %{{.*}} pattern<unstructured<nnz = 2>> : tensor<2x2xf32>
func.func @matmul_unstructured_only(%x: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %w = arith.constant dense<[[1.0, 0.0], [0.0, 2.0]]> : tensor<2x2xf32>
  %init = tensor.empty() : tensor<4x2xf32>
  %r = linalg.matmul ins(%x, %w : tensor<4x2xf32>, tensor<2x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %r : tensor<4x2xf32>
}

// -----

// OIHW conv weight, 3 filters of 2x3x3: filter 1 is all zero (dim 0), input
// channel 1 is unused (dim 1), and kernel row 2 / column 2 hold only zeros
// (dims 2 and 3). Every dimension is scanned.
// CHECK-LABEL: func.func @conv_zero_filter(
// CHECK-SAME: %[[X:.*]]: tensor<1x2x5x5xf32>)
// CHECK: %[[W:.*]] = arith.constant
// CHECK-NEXT: %[[A:.*]] = sparsity.annotate %[[W]] pattern<channels<dim = 0, pruned = [1]>, channels<dim = 1, pruned = [1]>, channels<dim = 2, pruned = [2]>, channels<dim = 3, pruned = [2]>, unstructured<nnz = 2>> : tensor<3x2x3x3xf32>
// CHECK: linalg.conv_2d_nchw_fchw {{.*}}ins(%[[X]], %[[A]] : tensor<1x2x5x5xf32>, tensor<3x2x3x3xf32>)
func.func @conv_zero_filter(%x: tensor<1x2x5x5xf32>) -> tensor<1x3x3x3xf32> {
  %w = arith.constant dense<[[[[1.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]],
                             [[[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]],
                             [[[0.0, 0.0, 0.0], [0.0, 2.0, 0.0], [0.0, 0.0, 0.0]], [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]]]> : tensor<3x2x3x3xf32>
  %init = tensor.empty() : tensor<1x3x3x3xf32>
  %r = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<1x2x5x5xf32>, tensor<3x2x3x3xf32>) outs(%init : tensor<1x3x3x3xf32>) -> tensor<1x3x3x3xf32>
  return %r : tensor<1x3x3x3xf32>
}

// -----

// A non-zero splat: every one of the 8 * 16 elements is non-zero.
// CHECK-LABEL: func.func @splat_nonzero(
// CHECK: sparsity.annotate %{{.*}} pattern<unstructured<nnz = 128>> : tensor<8x16xf32>
func.func @splat_nonzero(%x: tensor<4x8xf32>) -> tensor<4x16xf32> {
  %w = arith.constant dense<0.5> : tensor<8x16xf32>
  %init = tensor.empty() : tensor<4x16xf32>
  %r = linalg.matmul ins(%x, %w : tensor<4x8xf32>, tensor<8x16xf32>) outs(%init : tensor<4x16xf32>) -> tensor<4x16xf32>
  return %r : tensor<4x16xf32>
}

// -----

// A -0.0 splat is all zero: every slice of every dimension is pruned.
// CHECK-LABEL: func.func @splat_negative_zero(
// CHECK: sparsity.annotate %{{.*}} pattern<channels<dim = 0, pruned = [0, 1]>, channels<dim = 1, pruned = [0, 1, 2]>, unstructured<nnz = 0>> : tensor<2x3xf32>
func.func @splat_negative_zero(%x: tensor<4x2xf32>) -> tensor<4x3xf32> {
  %w = arith.constant dense<-0.0> : tensor<2x3xf32>
  %init = tensor.empty() : tensor<4x3xf32>
  %r = linalg.matmul ins(%x, %w : tensor<4x2xf32>, tensor<2x3xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %r : tensor<4x3xf32>
}

// -----

// f16: -0.0 (0x8000) is zero, 1.5 is not.
// CHECK-LABEL: func.func @element_f16(
// CHECK: sparsity.annotate %{{.*}} pattern<channels<dim = 0, pruned = [1]>, channels<dim = 1, pruned = [0, 1]>, unstructured<nnz = 1>> : tensor<2x3xf16>
func.func @element_f16(%x: tensor<4x2xf16>) -> tensor<4x3xf16> {
  %w = arith.constant dense<[[0.0, -0.0, 1.5], [0.0, -0.0, 0.0]]> : tensor<2x3xf16>
  %init = tensor.empty() : tensor<4x3xf16>
  %r = linalg.matmul ins(%x, %w : tensor<4x2xf16>, tensor<2x3xf16>) outs(%init : tensor<4x3xf16>) -> tensor<4x3xf16>
  return %r : tensor<4x3xf16>
}

// -----

// bf16: the same bit rules at a different exponent width.
// CHECK-LABEL: func.func @element_bf16(
// CHECK: sparsity.annotate %{{.*}} pattern<channels<dim = 1, pruned = [1]>, unstructured<nnz = 2>> : tensor<2x3xbf16>
func.func @element_bf16(%x: tensor<4x2xbf16>) -> tensor<4x3xbf16> {
  %w = arith.constant dense<[[0.0, -0.0, 1.5], [2.0, -0.0, 0.0]]> : tensor<2x3xbf16>
  %init = tensor.empty() : tensor<4x3xbf16>
  %r = linalg.matmul ins(%x, %w : tensor<4x2xbf16>, tensor<2x3xbf16>) outs(%init : tensor<4x3xbf16>) -> tensor<4x3xbf16>
  return %r : tensor<4x3xbf16>
}

// -----

// i8: -128 (0x80, the sign bit alone) is non-zero for an integer.
// CHECK-LABEL: func.func @element_i8(
// CHECK: sparsity.annotate %{{.*}} pattern<channels<dim = 1, pruned = [0, 2]>, unstructured<nnz = 2>> : tensor<2x3xi8>
func.func @element_i8(%x: tensor<4x2xi8>) -> tensor<4x3xi32> {
  %w = arith.constant dense<[[0, -128, 0], [0, 1, 0]]> : tensor<2x3xi8>
  %init = tensor.empty() : tensor<4x3xi32>
  %r = linalg.matmul ins(%x, %w : tensor<4x2xi8>, tensor<2x3xi8>) outs(%init : tensor<4x3xi32>) -> tensor<4x3xi32>
  return %r : tensor<4x3xi32>
}

// -----

// A dense_resource payload is read from its blob (after the 4-byte
// alignment): [[0.0, 1.0, 0.0], [0.0, 2.0, 1.0]], column 0 is zero.
// CHECK-LABEL: func.func @dense_resource_blob(
// CHECK: %[[W:.*]] = arith.constant dense_resource<weights> : tensor<2x3xf32>
// CHECK-NEXT: %[[A:.*]] = sparsity.annotate %[[W]] pattern<channels<dim = 1, pruned = [0]>, unstructured<nnz = 3>> : tensor<2x3xf32>
// CHECK: linalg.matmul ins(%{{.*}}, %[[A]] :
func.func @dense_resource_blob(%x: tensor<4x2xf32>) -> tensor<4x3xf32> {
  %w = arith.constant dense_resource<weights> : tensor<2x3xf32>
  %init = tensor.empty() : tensor<4x3xf32>
  %r = linalg.matmul ins(%x, %w : tensor<4x2xf32>, tensor<2x3xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %r : tensor<4x3xf32>
}

{-#
  dialect_resources: {
    builtin: {
      weights: "0x04000000000000000000803F0000000000000000000000400000803F"
    }
  }
#-}

// -----

// A weight shared by two matmuls is annotated once, and both read the one
// annotation.
// CHECK-LABEL: func.func @shared_weight(
// CHECK: %[[W:.*]] = arith.constant
// CHECK-NEXT: %[[A:.*]] = sparsity.annotate %[[W]] pattern<channels<dim = 1, pruned = [0]>, unstructured<nnz = 4>> : tensor<2x3xf32>
// CHECK-NOT: sparsity.annotate
// CHECK: linalg.matmul ins(%{{.*}}, %[[A]] :
// CHECK: linalg.matmul ins(%{{.*}}, %[[A]] :
func.func @shared_weight(%x: tensor<4x2xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>) {
  %w = arith.constant dense<[[0.0, 1.0, 2.0], [0.0, 3.0, 4.0]]> : tensor<2x3xf32>
  %init = tensor.empty() : tensor<4x3xf32>
  %r = linalg.matmul ins(%x, %w : tensor<4x2xf32>, tensor<2x3xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  %s = linalg.matmul ins(%x, %w : tensor<4x2xf32>, tensor<2x3xf32>) outs(%r : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %r, %s : tensor<4x3xf32>, tensor<4x3xf32>
}

// -----

// A linalg.generic with a matmul body is a contraction too: the pass
// recognizes weights through the linalg interfaces, not by op name.
#mapA = affine_map<(m, n, k) -> (m, k)>
#mapB = affine_map<(m, n, k) -> (k, n)>
#mapC = affine_map<(m, n, k) -> (m, n)>
// CHECK-LABEL: func.func @generic_contraction(
// CHECK: %[[W:.*]] = arith.constant
// CHECK-NEXT: %[[A:.*]] = sparsity.annotate %[[W]] pattern<channels<dim = 0, pruned = [1]>, unstructured<nnz = 3>> : tensor<2x3xf32>
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[A]] :
func.func @generic_contraction(%x: tensor<4x2xf32>) -> tensor<4x3xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]> : tensor<2x3xf32>
  %init = tensor.empty() : tensor<4x3xf32>
  %r = linalg.generic {indexing_maps = [#mapA, #mapB, #mapC], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : tensor<4x2xf32>, tensor<2x3xf32>) outs(%init : tensor<4x3xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  } -> tensor<4x3xf32>
  return %r : tensor<4x3xf32>
}

// -----

// An elementwise linalg.generic is not weight-bearing: its constant operand
// is not annotated (and no remark is emitted, see the remarks file).
#map = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @elementwise_not_weight(
// CHECK-NOT: sparsity.annotate
// CHECK: return
func.func @elementwise_not_weight(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %w = arith.constant dense<[[0.0, 1.0, 2.0], [0.0, 3.0, 4.0]]> : tensor<2x3xf32>
  %init = tensor.empty() : tensor<2x3xf32>
  %r = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel"]} ins(%x, %w : tensor<2x3xf32>, tensor<2x3xf32>) outs(%init : tensor<2x3xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<2x3xf32>
  return %r : tensor<2x3xf32>
}

// -----

// A weight that is a function argument has no values to read.
// CHECK-LABEL: func.func @argument_weight(
// CHECK-NOT: sparsity.annotate
// CHECK: return
func.func @argument_weight(%x: tensor<4x2xf32>, %w: tensor<2x3xf32>) -> tensor<4x3xf32> {
  %init = tensor.empty() : tensor<4x3xf32>
  %r = linalg.matmul ins(%x, %w : tensor<4x2xf32>, tensor<2x3xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %r : tensor<4x3xf32>
}
