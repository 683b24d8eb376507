// RUN: sparsity-opt %s -split-input-file --test-op-sparsity -o /dev/null 2>&1 | FileCheck %s

// The test pass prints, as remarks, what OpSparsityAnalysis finds: every
// layer's figures, the zero (forward) and dead (backward) slices of every
// value it reached, and the totals. The weights below were written so that
// each figure can be worked out by hand; the comments give the arithmetic.

// A zero filter, with a zero initial value, makes output channel 1 of conv1
// zero; relu keeps it zero, so conv2's weights on input channel 1 multiply
// zero and are removable (propagated).
// conv1: 3x2x3x3 = 54 params, filter 1 = 18 zeros, uses 1*3*3 = 9,
//        MACs 486, saved 18*9 = 162 (structured).
// conv2: 2x3x1x1 = 6 params, none zero, uses 9, MACs 54; input channel 1
//        holds 2 weights: saved 2*9 = 18 (propagated).
// CHECK: remark: loc("conv1"): layer 'conv1': params 54, zeros 18, uses 9, MACs 486, saved 162 (unstructured 0, structured 162, propagated 0), zero out channels [1]
// CHECK: remark: loc("conv2"): layer 'conv2': params 6, zeros 0, uses 9, MACs 54, saved 18 (unstructured 0, structured 0, propagated 18)
// CHECK: remark: loc("conv1"): result #0: zero d1[1]
// CHECK: remark: loc("relu"): result #0: zero d1[1]
// CHECK: totals: 2 layers, params 60, zeros 18, MACs 540, saved 180 (unstructured 0, structured 162, propagated 18), all MACs 540, element-wise 27, saved 9
func.func @zero_filter_propagates_forward(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32> {
  %zero = arith.constant 0.0 : f32
  %w1 = arith.constant dense<[[[[1.0, 1.25, 1.5], [1.25, 1.5, 1.0], [1.5, 1.0, 1.25]], [[1.25, 1.5, 1.0], [1.5, 1.0, 1.25], [1.0, 1.25, 1.5]]], [[[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]], [[[1.5, 1.0, 1.25], [1.0, 1.25, 1.5], [1.25, 1.5, 1.0]], [[1.0, 1.25, 1.5], [1.25, 1.5, 1.0], [1.5, 1.0, 1.25]]]]> : tensor<3x2x3x3xf32>
  %w2 = arith.constant dense<[[[[0.5]], [[1.5]], [[2.5]]], [[[1.5]], [[2.5]], [[3.5]]]]> : tensor<2x3x1x1xf32>
  %e1 = tensor.empty() : tensor<1x3x3x3xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<1x3x3x3xf32>) -> tensor<1x3x3x3xf32>
  %c1 = linalg.conv_2d_nchw_fchw ins(%x, %w1 : tensor<1x2x5x5xf32>, tensor<3x2x3x3xf32>) outs(%f1 : tensor<1x3x3x3xf32>) -> tensor<1x3x3x3xf32> loc("conv1")
  %r = linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (n, c, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c1 : tensor<1x3x3x3xf32>) outs(%e1 : tensor<1x3x3x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x3x3x3xf32> loc("relu")
  %e2 = tensor.empty() : tensor<1x2x3x3xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %c2 = linalg.conv_2d_nchw_fchw ins(%r, %w2 : tensor<1x3x3x3xf32>, tensor<2x3x1x1xf32>) outs(%f2 : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> loc("conv2")
  return %c2 : tensor<1x2x3x3xf32>
}

// -----

// The same network with a bias of 0.5 on channel 1: the pruned filter's
// output is the constant relu(0.5), not zero, so nothing propagates to conv2.
// CHECK: remark: loc("conv1"): layer 'conv1': params 54, zeros 18, uses 9, MACs 486, saved 162 (unstructured 0, structured 162, propagated 0), zero out channels [1]
// CHECK: remark: loc("conv2"): layer 'conv2': params 6, zeros 0, uses 9, MACs 54, saved 0 (unstructured 0, structured 0, propagated 0)
// CHECK-NOT: remark: loc("relu"): result #0: zero
// CHECK: totals: 2 layers, params 60, zeros 18, MACs 540, saved 162
func.func @nonzero_bias_blocks_forward(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32> {
  %zero = arith.constant 0.0 : f32
  %bias = arith.constant dense<[0.0, 0.5, 0.0]> : tensor<3xf32>
  %w1 = arith.constant dense<[[[[1.0, 1.25, 1.5], [1.25, 1.5, 1.0], [1.5, 1.0, 1.25]], [[1.25, 1.5, 1.0], [1.5, 1.0, 1.25], [1.0, 1.25, 1.5]]], [[[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]], [[[1.5, 1.0, 1.25], [1.0, 1.25, 1.5], [1.25, 1.5, 1.0]], [[1.0, 1.25, 1.5], [1.25, 1.5, 1.0], [1.5, 1.0, 1.25]]]]> : tensor<3x2x3x3xf32>
  %w2 = arith.constant dense<[[[[0.5]], [[1.5]], [[2.5]]], [[[1.5]], [[2.5]], [[3.5]]]]> : tensor<2x3x1x1xf32>
  %e1 = tensor.empty() : tensor<1x3x3x3xf32>
  %b1 = linalg.broadcast ins(%bias : tensor<3xf32>) outs(%e1 : tensor<1x3x3x3xf32>) dimensions = [0, 2, 3]
  %c1 = linalg.conv_2d_nchw_fchw ins(%x, %w1 : tensor<1x2x5x5xf32>, tensor<3x2x3x3xf32>) outs(%b1 : tensor<1x3x3x3xf32>) -> tensor<1x3x3x3xf32> loc("conv1")
  %r = linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (n, c, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c1 : tensor<1x3x3x3xf32>) outs(%e1 : tensor<1x3x3x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x3x3x3xf32> loc("relu")
  %e2 = tensor.empty() : tensor<1x2x3x3xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %c2 = linalg.conv_2d_nchw_fchw ins(%r, %w2 : tensor<1x3x3x3xf32>, tensor<2x3x1x1xf32>) outs(%f2 : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> loc("conv2")
  return %c2 : tensor<1x2x3x3xf32>
}

// -----

// conv2 ignores input channel 1 (its weights there are zero), so relu and
// conv1 never need channel 1: conv1's filter 1 is removable although it is
// not zero (propagated backward), bias and all.
// conv2: zeros 2 on input channel 1: saved 2*9 = 18 (structured).
// conv1: filter 1 = 18 weights, saved 18*9 = 162 (propagated).
// CHECK: remark: loc("conv1"): layer 'conv1': params 54, zeros 0, uses 9, MACs 486, saved 162 (unstructured 0, structured 0, propagated 162)
// CHECK: remark: loc("conv2"): layer 'conv2': params 6, zeros 2, uses 9, MACs 54, saved 18 (unstructured 0, structured 18, propagated 0), zero in channels [1]
// CHECK: remark: loc("conv1"): result #0: dead d1[1]
// CHECK: remark: loc("relu"): result #0: dead d1[1]
// CHECK: totals: 2 layers, params 60, zeros 2, MACs 540, saved 180 (unstructured 0, structured 18, propagated 162), all MACs 540, element-wise 27, saved 9
func.func @unused_channel_propagates_backward(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32> {
  %zero = arith.constant 0.0 : f32
  %bias = arith.constant dense<[0.25, 0.5, 0.75]> : tensor<3xf32>
  %w1 = arith.constant dense<[[[[1.0, 1.25, 1.5], [1.25, 1.5, 1.0], [1.5, 1.0, 1.25]], [[1.25, 1.5, 1.0], [1.5, 1.0, 1.25], [1.0, 1.25, 1.5]]], [[[1.25, 1.5, 1.0], [1.5, 1.0, 1.25], [1.0, 1.25, 1.5]], [[1.5, 1.0, 1.25], [1.0, 1.25, 1.5], [1.25, 1.5, 1.0]]], [[[1.5, 1.0, 1.25], [1.0, 1.25, 1.5], [1.25, 1.5, 1.0]], [[1.0, 1.25, 1.5], [1.25, 1.5, 1.0], [1.5, 1.0, 1.25]]]]> : tensor<3x2x3x3xf32>
  %w2 = arith.constant dense<[[[[0.5]], [[0.0]], [[2.5]]], [[[1.5]], [[0.0]], [[3.5]]]]> : tensor<2x3x1x1xf32>
  %e1 = tensor.empty() : tensor<1x3x3x3xf32>
  %b1 = linalg.broadcast ins(%bias : tensor<3xf32>) outs(%e1 : tensor<1x3x3x3xf32>) dimensions = [0, 2, 3]
  %c1 = linalg.conv_2d_nchw_fchw ins(%x, %w1 : tensor<1x2x5x5xf32>, tensor<3x2x3x3xf32>) outs(%b1 : tensor<1x3x3x3xf32>) -> tensor<1x3x3x3xf32> loc("conv1")
  %r = linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (n, c, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c1 : tensor<1x3x3x3xf32>) outs(%e1 : tensor<1x3x3x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x3x3x3xf32> loc("relu")
  %e2 = tensor.empty() : tensor<1x2x3x3xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %c2 = linalg.conv_2d_nchw_fchw ins(%r, %w2 : tensor<1x3x3x3xf32>, tensor<2x3x1x1xf32>) outs(%f2 : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> loc("conv2")
  return %c2 : tensor<1x2x3x3xf32>
}

// -----

// A max pool padded with -inf: the padded slice of channel 1 holds -inf, so it
// is not all zero and conv2 cannot drop input channel 1.
// CHECK: remark: loc("conv2"): layer 'conv2': params 6, zeros 0, uses 9, MACs 54, saved 0 (unstructured 0, structured 0, propagated 0)
// CHECK-NOT: remark: loc("pool"): result #0: zero
// CHECK: totals: 2 layers
func.func @maxpool_neg_inf_padding_blocks_zero(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32> {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %w1 = arith.constant dense<[[[[1.0, 1.25, 1.5], [1.25, 1.5, 1.0], [1.5, 1.0, 1.25]], [[1.25, 1.5, 1.0], [1.5, 1.0, 1.25], [1.0, 1.25, 1.5]]], [[[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]], [[[1.5, 1.0, 1.25], [1.0, 1.25, 1.5], [1.25, 1.5, 1.0]], [[1.0, 1.25, 1.5], [1.25, 1.5, 1.0], [1.5, 1.0, 1.25]]]]> : tensor<3x2x3x3xf32>
  %w2 = arith.constant dense<[[[[0.5]], [[1.5]], [[2.5]]], [[[1.5]], [[2.5]], [[3.5]]]]> : tensor<2x3x1x1xf32>
  %e1 = tensor.empty() : tensor<1x3x3x3xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<1x3x3x3xf32>) -> tensor<1x3x3x3xf32>
  %c1 = linalg.conv_2d_nchw_fchw ins(%x, %w1 : tensor<1x2x5x5xf32>, tensor<3x2x3x3xf32>) outs(%f1 : tensor<1x3x3x3xf32>) -> tensor<1x3x3x3xf32> loc("conv1")
  %p = tensor.pad %c1 low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %ninf : f32
  } : tensor<1x3x3x3xf32> to tensor<1x3x5x5xf32> loc("pad")
  %window = tensor.empty() : tensor<3x3xf32>
  %fp = linalg.fill ins(%ninf : f32) outs(%e1 : tensor<1x3x3x3xf32>) -> tensor<1x3x3x3xf32>
  %pool = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %window : tensor<1x3x5x5xf32>, tensor<3x3xf32>) outs(%fp : tensor<1x3x3x3xf32>) -> tensor<1x3x3x3xf32> loc("pool")
  %e2 = tensor.empty() : tensor<1x2x3x3xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %c2 = linalg.conv_2d_nchw_fchw ins(%pool, %w2 : tensor<1x3x3x3xf32>, tensor<2x3x1x1xf32>) outs(%f2 : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> loc("conv2")
  return %c2 : tensor<1x2x3x3xf32>
}

// -----

// The same with zero padding: max(-inf, 0) = 0 and max(0, 0) = 0, so the zero
// channel crosses the pad and the pool (the pooling window is a pure shape
// operand and is never read).
// CHECK: remark: loc("conv2"): layer 'conv2': params 6, zeros 0, uses 9, MACs 54, saved 18 (unstructured 0, structured 0, propagated 18)
// CHECK: remark: loc("pad"): result #0: zero d1[1] d2[0, 4] d3[0, 4]
// CHECK: remark: loc("pool"): result #0: zero d1[1]
// CHECK: totals: 2 layers
func.func @maxpool_zero_padding_keeps_zero(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32> {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %w1 = arith.constant dense<[[[[1.0, 1.25, 1.5], [1.25, 1.5, 1.0], [1.5, 1.0, 1.25]], [[1.25, 1.5, 1.0], [1.5, 1.0, 1.25], [1.0, 1.25, 1.5]]], [[[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]], [[[1.5, 1.0, 1.25], [1.0, 1.25, 1.5], [1.25, 1.5, 1.0]], [[1.0, 1.25, 1.5], [1.25, 1.5, 1.0], [1.5, 1.0, 1.25]]]]> : tensor<3x2x3x3xf32>
  %w2 = arith.constant dense<[[[[0.5]], [[1.5]], [[2.5]]], [[[1.5]], [[2.5]], [[3.5]]]]> : tensor<2x3x1x1xf32>
  %e1 = tensor.empty() : tensor<1x3x3x3xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<1x3x3x3xf32>) -> tensor<1x3x3x3xf32>
  %c1 = linalg.conv_2d_nchw_fchw ins(%x, %w1 : tensor<1x2x5x5xf32>, tensor<3x2x3x3xf32>) outs(%f1 : tensor<1x3x3x3xf32>) -> tensor<1x3x3x3xf32> loc("conv1")
  %p = tensor.pad %c1 low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x3x3x3xf32> to tensor<1x3x5x5xf32> loc("pad")
  %window = tensor.empty() : tensor<3x3xf32>
  %fp = linalg.fill ins(%ninf : f32) outs(%e1 : tensor<1x3x3x3xf32>) -> tensor<1x3x3x3xf32>
  %pool = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %window : tensor<1x3x5x5xf32>, tensor<3x3xf32>) outs(%fp : tensor<1x3x3x3xf32>) -> tensor<1x3x3x3xf32> loc("pool")
  %e2 = tensor.empty() : tensor<1x2x3x3xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %c2 = linalg.conv_2d_nchw_fchw ins(%pool, %w2 : tensor<1x3x3x3xf32>, tensor<2x3x1x1xf32>) outs(%f2 : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> loc("conv2")
  return %c2 : tensor<1x2x3x3xf32>
}

// -----

// A depthwise weight seen through tensor.collapse_shape (how the importer
// feeds linalg.depthwise_conv_2d_nchw_chw): its channel dimension is both an
// output and an input channel.
// 4x1x3x3 -> 4x3x3: 36 params, channel 2 = 9 zeros, uses 1*3*3 = 9,
// MACs 324, saved 9*9 = 81.
// CHECK: remark: loc("dw"): layer 'dw': params 36, zeros 9, uses 9, MACs 324, saved 81 (unstructured 0, structured 81, propagated 0), zero out channels [2], zero in channels [2]
// CHECK: remark: loc("dw"): result #0: zero d1[2]
// CHECK: totals: 1 layers, params 36, zeros 9, MACs 324, saved 81
func.func @depthwise_through_collapse(%x: tensor<1x4x5x5xf32>) -> tensor<1x4x3x3xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<[[[[1.0, 1.5, 1.0], [1.5, 1.0, 1.5], [1.0, 1.5, 1.0]]], [[[1.0, 1.5, 1.0], [1.5, 1.0, 1.5], [1.0, 1.5, 1.0]]], [[[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]], [[[1.0, 1.5, 1.0], [1.5, 1.0, 1.5], [1.0, 1.5, 1.0]]]]> : tensor<4x1x3x3xf32>
  %wc = tensor.collapse_shape %w [[0], [1, 2], [3]] : tensor<4x1x3x3xf32> into tensor<4x3x3xf32>
  %e = tensor.empty() : tensor<1x4x3x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  %d = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %wc : tensor<1x4x5x5xf32>, tensor<4x3x3xf32>) outs(%f : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32> loc("dw")
  return %d : tensor<1x4x3x3xf32>
}

// -----

// A fully connected layer in torch layout ([out, in], the matmul's indexing
// maps transpose it), in f16. Row 0 (output 0) and column 5 (input 5) are
// zero: 6 + 3 - 1 = 8 zeros, all in zero slices. uses = 4 rows, MACs 72,
// saved 8*4 = 32.
// CHECK: remark: loc("fc"): layer 'fc': params 18, zeros 8, uses 4, MACs 72, saved 32 (unstructured 0, structured 32, propagated 0), zero out channels [0], zero in channels [5]
// CHECK: totals: 1 layers, params 18, zeros 8, MACs 72, saved 32
func.func @fc_transposed_f16(%x: tensor<4x6xf16>) -> tensor<4x3xf16> {
  %zero = arith.constant 0.0 : f16
  %w = arith.constant dense<[[0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [1.5, 1.0, 1.5, 1.0, 1.5, 0.0], [1.0, 1.5, 1.0, 1.5, 1.0, 0.0]]> : tensor<3x6xf16>
  %e = tensor.empty() : tensor<4x3xf16>
  %f = linalg.fill ins(%zero : f16) outs(%e : tensor<4x3xf16>) -> tensor<4x3xf16>
  %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>] ins(%x, %w : tensor<4x6xf16>, tensor<3x6xf16>) outs(%f : tensor<4x3xf16>) -> tensor<4x3xf16> loc("fc")
  return %y : tensor<4x3xf16>
}

// -----

// An i8 weight with i32 accumulation, non-zero where k + n is even: every
// aligned group of 4 along K (dim 0) holds exactly 2 non-zeros, so 2:4.
// 16 params, 8 zeros, uses 2, MACs 32, saved 16.
// CHECK: remark: loc("q"): layer 'q': params 16, zeros 8, uses 2, MACs 32, saved 16 (unstructured 16, structured 0, propagated 0), 2:4 along dim 0
// CHECK: totals: 1 layers, params 16, zeros 8, MACs 32, saved 16 (unstructured 16, structured 0, propagated 0), all MACs 32, element-wise 0, saved 0
func.func @int8_weight_nm(%x: tensor<2x4xi8>) -> tensor<2x4xi32> {
  %zero = arith.constant 0 : i32
  %w = arith.constant dense<[[1, 0, 3, 0], [0, 3, 0, 5], [3, 0, 5, 0], [0, 5, 0, 7]]> : tensor<4x4xi8>
  %e = tensor.empty() : tensor<2x4xi32>
  %f = linalg.fill ins(%zero : i32) outs(%e : tensor<2x4xi32>) -> tensor<2x4xi32>
  %y = linalg.matmul ins(%x, %w : tensor<2x4xi8>, tensor<4x4xi8>) outs(%f : tensor<2x4xi32>) -> tensor<2x4xi32> loc("q")
  return %y : tensor<2x4xi32>
}

// -----

// An i8 weight converted to f32 by a linalg.generic (sitofp keeps zeros) and
// then used as the matmul's right operand: column 0 (output 0) is zero.
// 12 params, 4 zeros, uses 2, MACs 24, saved 8.
// CHECK: remark: loc("deq"): layer 'deq': params 12, zeros 4, uses 2, MACs 24, saved 8 (unstructured 0, structured 8, propagated 0), zero out channels [0]
// CHECK: totals: 1 layers, params 12, zeros 4, MACs 24, saved 8 (unstructured 0, structured 8, propagated 0), all MACs 24, element-wise 0, saved 0
func.func @weight_through_cast(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  %zero = arith.constant 0.0 : f32
  %wq = arith.constant dense<[[0, 1, 2], [0, 2, 3], [0, 3, 4], [0, 4, 5]]> : tensor<4x3xi8>
  %e0 = tensor.empty() : tensor<4x3xf32>
  %w = linalg.generic {indexing_maps = [affine_map<(k, n) -> (k, n)>, affine_map<(k, n) -> (k, n)>], iterator_types = ["parallel", "parallel"]} ins(%wq : tensor<4x3xi8>) outs(%e0 : tensor<4x3xf32>) {
  ^bb0(%in: i8, %out: f32):
    %v = arith.sitofp %in : i8 to f32
    linalg.yield %v : f32
  } -> tensor<4x3xf32>
  %e = tensor.empty() : tensor<2x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x3xf32>) outs(%f : tensor<2x3xf32>) -> tensor<2x3xf32> loc("deq")
  return %y : tensor<2x3xf32>
}

// -----

// Attention scores multiply two activations: no weight, so not a layer, but
// their MACs (2 batches x 4 x 4 outputs x 8 = 256) are in "all MACs".
// CHECK: totals: 0 layers, params 0, zeros 0, MACs 0, saved 0 (unstructured 0, structured 0, propagated 0), all MACs 256
func.func @activation_contraction(%q: tensor<2x4x8xf32>, %k: tensor<2x8x4xf32>) -> tensor<2x4x4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x4x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x4x4xf32>) -> tensor<2x4x4xf32>
  %s = linalg.batch_matmul ins(%q, %k : tensor<2x4x8xf32>, tensor<2x8x4xf32>) outs(%f : tensor<2x4x4xf32>) -> tensor<2x4x4xf32>
  return %s : tensor<2x4x4xf32>
}

// -----

// A dynamic batch: the layer cannot be counted, and the remark says which
// operand dimension is unknown. The totals exclude it.
// CHECK: remark: loc("fc_dyn"): not counted 'fc_dyn': loop 0 has a dynamic size (dimension 0 of operand #0 is '?')
// CHECK: totals: 0 layers, params 0, zeros 0, MACs 0
func.func @dynamic_batch(%x: tensor<?x6xf32>, %init: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %w = arith.constant dense<1.0> : tensor<6x3xf32>
  %y = linalg.matmul ins(%x, %w : tensor<?x6xf32>, tensor<6x3xf32>) outs(%init : tensor<?x3xf32>) -> tensor<?x3xf32> loc("fc_dyn")
  return %y : tensor<?x3xf32>
}

// -----

// Weights passed as function arguments count from their declaration. With an
// exact nnz: 24 params, 12 zeros of which row 1 (6, input channel 1 of a
// [K, N] weight) is placed; uses 2, MACs 48, saved 12*2 = 24 (structured
// 6*2 = 12, unstructured 12).
// CHECK: remark: loc("declared"): layer 'declared': params 24, zeros 12, uses 2, MACs 48, saved 24 (unstructured 12, structured 12, propagated 0), zero in channels [1]
// A density bound proves no zero: only the declared channels would count.
// CHECK: remark: loc("bounded"): layer 'bounded': params 24, zeros 0, uses 2, MACs 48, saved 0
// CHECK: remark: loc("bounded"): layer 'bounded': the weight is a function argument without an exact non-zero count: only its declared channels are counted
func.func @declared_weights(%x: tensor<2x4xf32>, %w: tensor<4x6xf32>, %v: tensor<4x6xf32>) -> (tensor<2x6xf32>, tensor<2x6xf32>) {
  %zero = arith.constant 0.0 : f32
  %wa = sparsity.annotate %w pattern<channels<dim = 0, pruned = [1]>, unstructured<nnz = 12>> : tensor<4x6xf32>
  %va = sparsity.annotate %v pattern<unstructured<density = 0.5>> : tensor<4x6xf32>
  %e = tensor.empty() : tensor<2x6xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x6xf32>) -> tensor<2x6xf32>
  %y = linalg.matmul ins(%x, %wa : tensor<2x4xf32>, tensor<4x6xf32>) outs(%f : tensor<2x6xf32>) -> tensor<2x6xf32> loc("declared")
  %z = linalg.matmul ins(%x, %va : tensor<2x4xf32>, tensor<4x6xf32>) outs(%f : tensor<2x6xf32>) -> tensor<2x6xf32> loc("bounded")
  return %y, %z : tensor<2x6xf32>, tensor<2x6xf32>
}

// -----

// An elided payload cannot be read: the MACs count, no zero is claimed, and a
// remark says why.
// CHECK: remark: loc("elided"): layer 'elided': params 12, zeros 0, uses 2, MACs 24, saved 0
// CHECK: remark: loc("elided"): layer 'elided': no zeros counted: the weight resource '__elided__' has no data (elided or not loaded)
func.func @elided_weight(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense_resource<__elided__> : tensor<4x3xf32>
  %e = tensor.empty() : tensor<2x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x3xf32>) outs(%f : tensor<2x3xf32>) -> tensor<2x3xf32> loc("elided")
  return %y : tensor<2x3xf32>
}

// -----

// bf16 weights (and -0.0, which is zero): 4 params, 2 zeros, uses 3.
// CHECK: remark: loc("bf16"): layer 'bf16': params 4, zeros 2, uses 3, MACs 12, saved 6 (unstructured 6, structured 0, propagated 0)
func.func @bf16_weight(%x: tensor<3x2xbf16>) -> tensor<3x2xbf16> {
  %zero = arith.constant 0.0 : bf16
  %w = arith.constant dense<[[1.5, -0.0], [0.0, 2.0]]> : tensor<2x2xbf16>
  %e = tensor.empty() : tensor<3x2xbf16>
  %f = linalg.fill ins(%zero : bf16) outs(%e : tensor<3x2xbf16>) -> tensor<3x2xbf16>
  %y = linalg.matmul ins(%x, %w : tensor<3x2xbf16>, tensor<2x2xbf16>) outs(%f : tensor<3x2xbf16>) -> tensor<3x2xbf16> loc("bf16")
  return %y : tensor<3x2xbf16>
}
