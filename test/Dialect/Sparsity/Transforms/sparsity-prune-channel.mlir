// Channel pruning follows the dependency groups: channels coupled through a
// residual addition or a depthwise convolution are pruned together.
// RUN: sparsity-opt %s -split-input-file --sparsity-prune="granularity=channel target=0.34 scope=layer" 2>/dev/null | FileCheck %s
// Hybrid: channels (globally, by group norm per weight) to 30 % first, then
// single weights up to 50 % in all.
// RUN: sparsity-opt %s -split-input-file --sparsity-prune="target=0.5 structured=0.3" 2>/dev/null | FileCheck %s --check-prefix=HYBRID
// RUN: sparsity-opt %s -split-input-file --sparsity-prune="target=0.5 structured=0.3" 2>&1 >/dev/null | FileCheck %s --check-prefix=HYBRID-REMARK

// Two 1x1 convolutions added together: their output channels are one group.
// Filter L1 norms: a = [1, 10, 2], b = [8, 1, 3]; the group's: [9, 11, 5].
// round(0.34 * 3) = 1 channel goes: channel 2, in both (alone, a would lose
// channel 0 and b channel 1).
// CHECK-LABEL: func.func @residual
// CHECK: %[[A:.*]] = arith.constant dense<{{.*}}: tensor<3x2x1x1xf32>
// CHECK-NEXT: sparsity.annotate %[[A]] pattern<channels<dim = 0, pruned = [2]>, unstructured<nnz = 3>>
// CHECK: %[[B:.*]] = arith.constant dense<{{.*}}: tensor<3x2x1x1xf32>
// CHECK-NEXT: sparsity.annotate %[[B]] pattern<channels<dim = 0, pruned = [2]>, unstructured<nnz = 3>>
// Hybrid on the residual pair: 12 weights, 2 zero. Channel stage: round(3.6)
// = 4 zeros wanted, 2 more; group channels by norm per non-zero weight:
// c0 9/3, c1 11/3, c2 5/4, so channel 2 goes in both (4 weights: 6 zeros,
// already half of 12: no single weight goes).
// HYBRID-LABEL: func.func @residual
// HYBRID: sparsity.annotate %{{.*}} pattern<channels<dim = 0, pruned = [2]>, unstructured<nnz = 3>>
// HYBRID: sparsity.annotate %{{.*}} pattern<channels<dim = 0, pruned = [2]>, unstructured<nnz = 3>>
// HYBRID-REMARK: remark: sparsity-prune: 2 layers changed; s_param = 50.00% (6 of 12 weights zero)
func.func @residual(%x: tensor<1x2x2x2xf32>) -> tensor<1x3x2x2xf32> {
  %zero = arith.constant 0.0 : f32
  %wa = arith.constant dense<[[[[1.0]], [[0.0]]], [[[5.0]], [[5.0]]], [[[1.0]], [[1.0]]]]> : tensor<3x2x1x1xf32>
  %wb = arith.constant dense<[[[[4.0]], [[4.0]]], [[[1.0]], [[0.0]]], [[[2.0]], [[1.0]]]]> : tensor<3x2x1x1xf32>
  %e = tensor.empty() : tensor<1x3x2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
  %a = linalg.conv_2d_nchw_fchw ins(%x, %wa : tensor<1x2x2x2xf32>, tensor<3x2x1x1xf32>) outs(%f : tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
  %b = linalg.conv_2d_nchw_fchw ins(%x, %wb : tensor<1x2x2x2xf32>, tensor<3x2x1x1xf32>) outs(%f : tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (n, c, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%a, %b : tensor<1x3x2x2xf32>, tensor<1x3x2x2xf32>) outs(%e : tensor<1x3x2x2xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %v = arith.addf %p, %q : f32
    linalg.yield %v : f32
  } -> tensor<1x3x2x2xf32>
  return %s : tensor<1x3x2x2xf32>
}

// -----

// A depthwise convolution filters channel c with its filter c: the filters
// of the producing convolution and of the depthwise one form one group.
// Producer norms [6, 1, 4], depthwise [1, 5, 0.5]; group [7, 6, 4.5]:
// channel 2 goes in both (alone: the producer's 1, the depthwise's 2).
// CHECK-LABEL: func.func @depthwise
// CHECK: %[[P:.*]] = arith.constant dense<{{.*}}: tensor<3x2x1x1xf32>
// CHECK-NEXT: sparsity.annotate %[[P]] pattern<channels<dim = 0, pruned = [2]>, unstructured<nnz = 4>>
// CHECK: %[[D:.*]] = arith.constant dense<{{.*}}: tensor<3x1x1xf32>
// CHECK-NEXT: sparsity.annotate %[[D]] pattern<channels<dim = 0, pruned = [2]>, unstructured<nnz = 2>>
// Hybrid on the depthwise pair: 9 weights. Channel stage: round(2.7) = 3;
// group norms per weight 7/3, 6/3, 4.5/3: channel 2 goes (3 weights). Then
// round_half_even(4.5) = 4 zeros: one more single weight, the smallest
// |w| not protected by min-kept: 0.5 at position 2 of the producer (a tie
// with position 3: the lower position goes).
// HYBRID-LABEL: func.func @depthwise
// HYBRID: sparsity.annotate %{{.*}} pattern<channels<dim = 0, pruned = [2]>, unstructured<nnz = 3>> : tensor<3x2x1x1xf32>
// HYBRID: sparsity.annotate %{{.*}} pattern<channels<dim = 0, pruned = [2]>, unstructured<nnz = 2>> : tensor<3x1x1xf32>
// HYBRID-REMARK: remark: sparsity-prune: 2 layers changed; s_param = 44.44% (4 of 9 weights zero)
func.func @depthwise(%x: tensor<1x2x2x2xf32>) -> tensor<1x3x2x2xf32> {
  %zero = arith.constant 0.0 : f32
  %wp = arith.constant dense<[[[[3.0]], [[3.0]]], [[[0.5]], [[0.5]]], [[[2.0]], [[2.0]]]]> : tensor<3x2x1x1xf32>
  %wd = arith.constant dense<[[[1.0]], [[5.0]], [[0.5]]]> : tensor<3x1x1xf32>
  %e = tensor.empty() : tensor<1x3x2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
  %p = linalg.conv_2d_nchw_fchw ins(%x, %wp : tensor<1x2x2x2xf32>, tensor<3x2x1x1xf32>) outs(%f : tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
  %d = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %wd : tensor<1x3x2x2xf32>, tensor<3x1x1xf32>) outs(%f : tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
  return %d : tensor<1x3x2x2xf32>
}
