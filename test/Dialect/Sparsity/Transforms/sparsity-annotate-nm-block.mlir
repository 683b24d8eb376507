// RUN: sparsity-opt %s -split-input-file --sparsity-annotate | FileCheck %s

// --sparsity-annotate adds to the exact count the regular structure of the
// zeros: N:M along the input channels of the weight as its user sees it, and
// block sparsity. Every CHECK line spells the whole pattern up to the type,
// so that a component found where there is none fails as well.

// FC weight [K, N] of a matmul, 2:4 along K (dim 0): every group of 4 rows
// holds 2 non-zeros in each column. Row 0 holds 3 non-zeros in 4 columns, so
// nothing holds along dim 1: a wrong dimension finds nothing.
// CHECK-LABEL: func.func @fc_two_four(
// CHECK: %[[W:.*]] = arith.constant
// CHECK-NEXT: %[[A:.*]] = sparsity.annotate %[[W]] pattern<unstructured<nnz = 16>, nm<2:4, dim = 0>> : tensor<8x4xf32>
// CHECK: linalg.matmul ins(%{{.*}}, %[[A]] :
func.func @fc_two_four(%x: tensor<2x8xf32>) -> tensor<2x4xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0, 0.0], [4.0, 0.0, 0.0, 5.0], [0.0, 6.0, 0.0, 7.0], [0.0, 0.0, 8.0, 0.0],
                             [9.0, 0.0, 0.0, 1.0], [2.0, 3.0, 0.0, 0.0], [0.0, 4.0, 5.0, 0.0], [0.0, 0.0, 6.0, 7.0]]> : tensor<8x4xf32>
  %init = tensor.empty() : tensor<2x4xf32>
  %r = linalg.matmul ins(%x, %w : tensor<2x8xf32>, tensor<8x4xf32>) outs(%init : tensor<2x4xf32>) -> tensor<2x4xf32>
  return %r : tensor<2x4xf32>
}

// -----

// OIHW conv weight 2x8x1x2 with one non-zero in every group of 4 input
// channels (dim 1) at each (filter, tap): 1:4, which is tighter than 2:4. A
// group of 8 holds 2, so 1:8 does not hold; 2:8 has the same ratio as 1:4,
// which says more.
// CHECK-LABEL: func.func @conv_one_four(
// CHECK: %[[W:.*]] = arith.constant
// CHECK-NEXT: %[[A:.*]] = sparsity.annotate %[[W]] pattern<unstructured<nnz = 8>, nm<1:4, dim = 1>> : tensor<2x8x1x2xf32>
// CHECK: linalg.conv_2d_nchw_fchw {{.*}}ins(%{{.*}}, %[[A]] :
func.func @conv_one_four(%x: tensor<1x8x3x4xf32>) -> tensor<1x2x3x3xf32> {
  %w = arith.constant dense<[[[[1.0, 0.0]], [[0.0, 2.0]], [[0.0, 0.0]], [[0.0, 0.0]], [[0.0, 3.0]], [[4.0, 0.0]], [[0.0, 0.0]], [[0.0, 0.0]]],
                             [[[0.0, 0.0]], [[0.0, 0.0]], [[5.0, 0.0]], [[0.0, 6.0]], [[0.0, 0.0]], [[0.0, 0.0]], [[0.0, 7.0]], [[8.0, 0.0]]]]> : tensor<2x8x1x2xf32>
  %init = tensor.empty() : tensor<1x2x3x3xf32>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x8x3x4xf32>, tensor<2x8x1x2xf32>) outs(%init : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  return %r : tensor<1x2x3x3xf32>
}

// -----

// 8x3 weight pruned in blocks of 4 rows: blocks (0, 0) and (1, 2) are zero,
// the other 4 are dense. Rows 3 and 4 differ, so 8 rows are no block; the
// columns differ, so the block is one column wide. No row or column is all
// zero, and column 1 is dense, so there is no N:M along K either.
// CHECK-LABEL: func.func @block_four_by_one(
// CHECK: %[[W:.*]] = arith.constant
// CHECK-NEXT: %[[A:.*]] = sparsity.annotate %[[W]] pattern<unstructured<nnz = 16>, block<[4, 1], nonzero_blocks = 4>> : tensor<8x3xf32>
// CHECK: linalg.matmul ins(%{{.*}}, %[[A]] :
func.func @block_four_by_one(%x: tensor<2x8xf32>) -> tensor<2x3xf32> {
  %w = arith.constant dense<[[0.0, 2.0, 3.0], [0.0, 5.0, 6.0], [0.0, 8.0, 9.0], [0.0, 11.0, 12.0],
                             [13.0, 14.0, 0.0], [16.0, 17.0, 0.0], [19.0, 20.0, 0.0], [22.0, 23.0, 0.0]]> : tensor<8x3xf32>
  %init = tensor.empty() : tensor<2x3xf32>
  %r = linalg.matmul ins(%x, %w : tensor<2x8xf32>, tensor<8x3xf32>) outs(%init : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %r : tensor<2x3xf32>
}

// -----

// Kernel-level pruning: the 3x3 kernels (filter 0, channel 0) and (filter 1,
// channel 1) are zero, the other two dense. 3 is not a power of two: the
// whole 3x3 window is a block size of its own.
// CHECK-LABEL: func.func @conv_kernel_level(
// CHECK: %[[W:.*]] = arith.constant
// CHECK-NEXT: %[[A:.*]] = sparsity.annotate %[[W]] pattern<unstructured<nnz = 18>, block<[1, 1, 3, 3], nonzero_blocks = 2>> : tensor<2x2x3x3xf32>
// CHECK: linalg.conv_2d_nchw_fchw {{.*}}ins(%{{.*}}, %[[A]] :
func.func @conv_kernel_level(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32> {
  %w = arith.constant dense<[[[[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], [[10.0, 11.0, 12.0], [13.0, 14.0, 15.0], [16.0, 17.0, 18.0]]],
                             [[[19.0, 20.0, 21.0], [22.0, 23.0, 24.0], [25.0, 26.0, 27.0]], [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]]]> : tensor<2x2x3x3xf32>
  %init = tensor.empty() : tensor<1x2x3x3xf32>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x2x5x5xf32>, tensor<2x2x3x3xf32>) outs(%init : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  return %r : tensor<1x2x3x3xf32>
}

// -----

// Zero slices that account for every zero: rows 1 and 3 are zero. The block
// component is left out (any slice pruning is block-structured, and the
// slices say more), but N:M along K is kept: every column holds 2 non-zeros
// in its group of 4.
// CHECK-LABEL: func.func @channels_keep_nm_drop_block(
// CHECK: sparsity.annotate %{{.*}} pattern<channels<dim = 0, pruned = [1, 3]>, unstructured<nnz = 16>, nm<2:4, dim = 0>> : tensor<4x8xf32>
func.func @channels_keep_nm_drop_block(%x: tensor<2x4xf32>) -> tensor<2x8xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                             [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]]> : tensor<4x8xf32>
  %init = tensor.empty() : tensor<2x8xf32>
  %r = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x8xf32>) outs(%init : tensor<2x8xf32>) -> tensor<2x8xf32>
  return %r : tensor<2x8xf32>
}

// -----

// A torch-layout FC weight [N, K] = 4x8 transposed for the matmul. The
// matmul's input channels are dim 0 of the transposed value, which is dim 1
// of the constant: 2:4 there (the transpose of @fc_two_four). Along dim 0 of
// the constant nothing holds. The annotation goes right after the constant,
// in its own shape, and the transpose reads it.
// CHECK-LABEL: func.func @behind_transpose(
// CHECK: %[[W:.*]] = arith.constant
// CHECK-NEXT: %[[A:.*]] = sparsity.annotate %[[W]] pattern<unstructured<nnz = 16>, nm<2:4, dim = 1>> : tensor<4x8xf32>
// CHECK: %[[T:.*]] = linalg.transpose ins(%[[A]] : tensor<4x8xf32>)
// CHECK: linalg.matmul ins(%{{.*}}, %[[T]] :
func.func @behind_transpose(%x: tensor<2x8xf32>) -> tensor<2x4xf32> {
  %w = arith.constant dense<[[1.0, 4.0, 0.0, 0.0, 9.0, 2.0, 0.0, 0.0], [2.0, 0.0, 6.0, 0.0, 0.0, 3.0, 4.0, 0.0],
                             [3.0, 0.0, 0.0, 8.0, 0.0, 0.0, 5.0, 6.0], [0.0, 5.0, 7.0, 0.0, 1.0, 0.0, 0.0, 7.0]]> : tensor<4x8xf32>
  %empty = tensor.empty() : tensor<8x4xf32>
  %t = linalg.transpose ins(%w : tensor<4x8xf32>) outs(%empty : tensor<8x4xf32>) permutation = [1, 0]
  %init = tensor.empty() : tensor<2x4xf32>
  %r = linalg.matmul ins(%x, %t : tensor<2x8xf32>, tensor<8x4xf32>) outs(%init : tensor<2x4xf32>) -> tensor<2x4xf32>
  return %r : tensor<2x4xf32>
}

// -----

// A depthwise weight stored 4x1x3x3 (torch layout) and collapsed to 4x3x3 for
// linalg.depthwise_conv_2d_nchw_chw, whose input-channel dimension is the
// channel (dim 0). Dim 0 of the collapsed value comes from dims 0 and 1 of
// the constant, and dim 1 has size 1: the N:M is along dim 0 of the
// constant. At each of the 9 taps exactly one of the 4 channels is non-zero.
// CHECK-LABEL: func.func @behind_collapse_depthwise(
// CHECK: %[[W:.*]] = arith.constant
// CHECK-NEXT: %[[A:.*]] = sparsity.annotate %[[W]] pattern<unstructured<nnz = 9>, nm<1:4, dim = 0>> : tensor<4x1x3x3xf32>
// CHECK: %[[C:.*]] = tensor.collapse_shape %[[A]]
// CHECK: linalg.depthwise_conv_2d_nchw_chw {{.*}}ins(%{{.*}}, %[[C]] :
func.func @behind_collapse_depthwise(%x: tensor<1x4x5x5xf32>) -> tensor<1x4x3x3xf32> {
  %w = arith.constant dense<[[[[1.0, 0.0, 0.0], [0.0, 5.0, 0.0], [0.0, 0.0, 9.0]]], [[[0.0, 2.0, 0.0], [0.0, 0.0, 6.0], [0.0, 0.0, 0.0]]],
                             [[[0.0, 0.0, 3.0], [0.0, 0.0, 0.0], [7.0, 0.0, 0.0]]], [[[0.0, 0.0, 0.0], [4.0, 0.0, 0.0], [0.0, 8.0, 0.0]]]]> : tensor<4x1x3x3xf32>
  %c = tensor.collapse_shape %w [[0, 1], [2], [3]] : tensor<4x1x3x3xf32> into tensor<4x3x3xf32>
  %init = tensor.empty() : tensor<1x4x3x3xf32>
  %r = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %c : tensor<1x4x5x5xf32>, tensor<4x3x3xf32>) outs(%init : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  return %r : tensor<1x4x3x3xf32>
}

// -----

// The same weight stored 1x4x3x3: now the channels are dim 1 of the
// constant, the non-unit dimension of the collapsed group.
// CHECK-LABEL: func.func @behind_collapse_leading_unit(
// CHECK: %[[W:.*]] = arith.constant
// CHECK-NEXT: %[[A:.*]] = sparsity.annotate %[[W]] pattern<unstructured<nnz = 9>, nm<1:4, dim = 1>> : tensor<1x4x3x3xf32>
// CHECK: tensor.collapse_shape %[[A]]
func.func @behind_collapse_leading_unit(%x: tensor<1x4x5x5xf32>) -> tensor<1x4x3x3xf32> {
  %w = arith.constant dense<[[[[1.0, 0.0, 0.0], [0.0, 5.0, 0.0], [0.0, 0.0, 9.0]], [[0.0, 2.0, 0.0], [0.0, 0.0, 6.0], [0.0, 0.0, 0.0]],
                              [[0.0, 0.0, 3.0], [0.0, 0.0, 0.0], [7.0, 0.0, 0.0]], [[0.0, 0.0, 0.0], [4.0, 0.0, 0.0], [0.0, 8.0, 0.0]]]]> : tensor<1x4x3x3xf32>
  %c = tensor.collapse_shape %w [[0, 1], [2], [3]] : tensor<1x4x3x3xf32> into tensor<4x3x3xf32>
  %init = tensor.empty() : tensor<1x4x3x3xf32>
  %r = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %c : tensor<1x4x5x5xf32>, tensor<4x3x3xf32>) outs(%init : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  return %r : tensor<1x4x3x3xf32>
}

// -----

// A 1x1 conv weight stored flat as [F, C] = 2x8 and expanded to 2x8x1x1: the
// input channels (dim 1) map to dim 1 of the constant, where every group of
// 4 holds 2 non-zeros. A tensor.cast to a dynamic shape on the way keeps the
// dimensions.
// CHECK-LABEL: func.func @behind_expand_and_cast(
// CHECK: %[[W:.*]] = arith.constant
// CHECK-NEXT: %[[A:.*]] = sparsity.annotate %[[W]] pattern<unstructured<nnz = 8>, nm<2:4, dim = 1>> : tensor<2x8xf32>
// CHECK: tensor.expand_shape %[[A]]
func.func @behind_expand_and_cast(%x: tensor<1x8x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 0.0, 0.0, 0.0, 3.0, 4.0, 0.0], [0.0, 0.0, 5.0, 6.0, 7.0, 0.0, 0.0, 8.0]]> : tensor<2x8xf32>
  %e = tensor.expand_shape %w [[0], [1, 2, 3]] output_shape [2, 8, 1, 1] : tensor<2x8xf32> into tensor<2x8x1x1xf32>
  %d = tensor.cast %e : tensor<2x8x1x1xf32> to tensor<2x?x1x1xf32>
  %init = tensor.empty() : tensor<1x2x3x3xf32>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %d : tensor<1x8x3x3xf32>, tensor<2x?x1x1xf32>) outs(%init : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  return %r : tensor<1x2x3x3xf32>
}

// -----

// Unstructured: 39 of 64 zeros at random, but a group of 4 along K holds 3
// non-zeros, and one of 8 holds 6 (along the other dimension too), and no
// two neighbouring rows or columns have the same zeros: neither N:M nor
// block. The whole group walk runs (the weight is more than half zero).
// CHECK-LABEL: func.func @unstructured_random(
// CHECK: sparsity.annotate %{{.*}} pattern<unstructured<nnz = 25>> : tensor<8x8xf32>
func.func @unstructured_random(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %w = arith.constant dense<[[3.0, 1.0, 9.0, 1.0, 0.0, 2.0, 0.0, 2.0], [0.0, 2.0, 0.0, 0.0, 0.0, 7.0, 4.0, 3.0],
                             [3.0, 0.0, 0.0, 0.0, 0.0, 4.0, 9.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 4.0],
                             [0.0, 0.0, 5.0, 0.0, 0.0, 0.0, 2.0, 7.0], [6.0, 8.0, 0.0, 0.0, 9.0, 0.0, 0.0, 6.0],
                             [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 5.0], [0.0, 0.0, 0.0, 7.0, 0.0, 8.0, 2.0, 0.0]]> : tensor<8x8xf32>
  %init = tensor.empty() : tensor<2x8xf32>
  %r = linalg.matmul ins(%x, %w : tensor<2x8xf32>, tensor<8x8xf32>) outs(%init : tensor<2x8xf32>) -> tensor<2x8xf32>
  return %r : tensor<2x8xf32>
}
