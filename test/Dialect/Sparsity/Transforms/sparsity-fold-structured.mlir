// --sparsity-fold-structured removes channels from the shapes only where the
// outputs stay the same; every group with a candidate channel gets a remark
// (channels removed, kept and why), and the module a summary with the MACs.
// RUN: sparsity-opt %s -split-input-file --sparsity-fold-structured -verify-diagnostics | FileCheck %s
// The report states beforehand what folding saves (saved_macs_foldable:
// removed weights x uses), here for the first case: 18 - 12 = 6 MACs, 4 of
// the first layer's 12 weights and 2 of the second's 6.
// RUN: sparsity-opt %s -split-input-file --sparsity-report=format=json -o %t 2>/dev/null | FileCheck %s --check-prefix=REPORT
// REPORT: "macs": 18,
// REPORT: "saved_macs_foldable": 6
// REPORT: "macs": 12,
// REPORT: "saved_macs_foldable": 4
// REPORT: "macs": 6,
// REPORT: "saved_macs_foldable": 2
// The report also lists the groups: removed, kept (why) or left alone (why).
// REPORT: "fold_groups": [
// REPORT-NEXT: {
// REPORT-NEXT: "layers": [
// REPORT-NEXT: "linalg.matmul"
// REPORT-NEXT: ],
// REPORT-NEXT: "channels": 3,
// REPORT-NEXT: "removed": [
// REPORT-NEXT: 1
// REPORT-NEXT: ],
// REPORT-NEXT: "kept": [],
// REPORT-NEXT: "left_alone": null
// REPORT: "kept": [{{$}}
// REPORT-NEXT: {
// REPORT-NEXT: "channels": [
// REPORT-NEXT: 1
// REPORT-NEXT: ],
// REPORT-NEXT: "reason": "a non-zero constant reaches 'linalg.matmul', but its initial value is not a constant bias to fold into"
// REPORT: "left_alone": "'linalg.generic' reduces over the channels and is no contraction or convolution"

// Two fully connected layers. Neuron 1 of the first has an all-zero weight
// column and a zero bias: relu(0) = 0 reaches the second layer, which loses
// row 1 of its weight. MACs: 4*3 + 3*2 = 18 -> 4*2 + 2*2 = 12.
// CHECK-LABEL: func.func @fc_zero_neuron
// CHECK-DAG: arith.constant dense<{{\[}}[1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00], [5.000000e+00, 6.000000e+00], [7.000000e+00, 8.000000e+00]]> : tensor<4x2xf32>
// CHECK-DAG: arith.constant dense<[5.000000e-01, -1.000000e+00]> : tensor<2xf32>
// CHECK-DAG: arith.constant dense<{{\[}}[1.000000e+00, 2.000000e+00], [5.000000e+00, 6.000000e+00]]> : tensor<2x2xf32>
// CHECK-DAG: arith.constant dense<[1.000000e+01, 2.000000e+01]> : tensor<2xf32>
// CHECK-DAG: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<1x4xf32>, tensor<4x2xf32>) outs(%{{.*}} : tensor<1x2xf32>)
// CHECK-DAG: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<1x2xf32>, tensor<2x2xf32>) outs(%{{.*}} : tensor<1x2xf32>)
// expected-remark @below {{sparsity-fold-structured: removed 1 channels in 1 groups; MACs 18 -> 12 (33.33% fewer)}}
module {
func.func @fc_zero_neuron(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %w1 = arith.constant dense<[[1.0, 0.0, 2.0], [3.0, 0.0, 4.0], [5.0, 0.0, 6.0], [7.0, 0.0, 8.0]]> : tensor<4x3xf32>
  %b1 = arith.constant dense<[0.5, 0.0, -1.0]> : tensor<3xf32>
  %w2 = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %b2 = arith.constant dense<[10.0, 20.0]> : tensor<2xf32>
  %e1 = tensor.empty() : tensor<1x3xf32>
  %i1 = linalg.broadcast ins(%b1 : tensor<3xf32>) outs(%e1 : tensor<1x3xf32>) dimensions = [0]
  // expected-remark @+1 {{group of 'linalg.matmul' (3 channels): removed 1 [1]}}
  %y1 = linalg.matmul ins(%x, %w1 : tensor<1x4xf32>, tensor<4x3xf32>) outs(%i1 : tensor<1x3xf32>) -> tensor<1x3xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%y1 : tensor<1x3xf32>) outs(%e1 : tensor<1x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    %zero = arith.constant 0.0 : f32
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x3xf32>
  %e2 = tensor.empty() : tensor<1x2xf32>
  %i2 = linalg.broadcast ins(%b2 : tensor<2xf32>) outs(%e2 : tensor<1x2xf32>) dimensions = [0]
  %y2 = linalg.matmul ins(%r, %w2 : tensor<1x3xf32>, tensor<3x2xf32>) outs(%i2 : tensor<1x2xf32>) -> tensor<1x2xf32>
  return %y2 : tensor<1x2xf32>
}
}

// -----

// The same with bias 2.0 on the zero neuron: the channel is the constant
// relu(2) = 2, and the second layer has no padding, so 2 * W2[1, :] =
// [6, 8] moves into its bias: [10, 20] -> [16, 28].
// CHECK-LABEL: func.func @fc_constant_neuron
// CHECK-DAG: arith.constant dense<[1.600000e+01, 2.800000e+01]> : tensor<2xf32>
// CHECK-DAG: arith.constant dense<{{\[}}[1.000000e+00, 2.000000e+00], [5.000000e+00, 6.000000e+00]]> : tensor<2x2xf32>
// expected-remark @below {{removed 1 channels in 1 groups; MACs 18 -> 12}}
module {
func.func @fc_constant_neuron(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %w1 = arith.constant dense<[[1.0, 0.0, 2.0], [3.0, 0.0, 4.0], [5.0, 0.0, 6.0], [7.0, 0.0, 8.0]]> : tensor<4x3xf32>
  %b1 = arith.constant dense<[0.5, 2.0, -1.0]> : tensor<3xf32>
  %w2 = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %b2 = arith.constant dense<[10.0, 20.0]> : tensor<2xf32>
  %e1 = tensor.empty() : tensor<1x3xf32>
  %i1 = linalg.broadcast ins(%b1 : tensor<3xf32>) outs(%e1 : tensor<1x3xf32>) dimensions = [0]
  // expected-remark @+1 {{removed 1 [1]}}
  %y1 = linalg.matmul ins(%x, %w1 : tensor<1x4xf32>, tensor<4x3xf32>) outs(%i1 : tensor<1x3xf32>) -> tensor<1x3xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%y1 : tensor<1x3xf32>) outs(%e1 : tensor<1x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    %zero = arith.constant 0.0 : f32
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x3xf32>
  %e2 = tensor.empty() : tensor<1x2xf32>
  %i2 = linalg.broadcast ins(%b2 : tensor<2xf32>) outs(%e2 : tensor<1x2xf32>) dimensions = [0]
  %y2 = linalg.matmul ins(%r, %w2 : tensor<1x3xf32>, tensor<3x2xf32>) outs(%i2 : tensor<1x2xf32>) -> tensor<1x2xf32>
  return %y2 : tensor<1x2xf32>
}
}

// -----

// A constant neuron read by a layer without a bias (a fill of 0.0): the fill
// becomes the broadcast of the bias 2 * W2[1, :] = [6, 8].
// CHECK-LABEL: func.func @fc_constant_into_fill
// CHECK: %[[B:.*]] = arith.constant dense<[6.000000e+00, 8.000000e+00]> : tensor<2xf32>
// CHECK: %[[I:.*]] = linalg.broadcast ins(%[[B]] : tensor<2xf32>) outs(%{{.*}} : tensor<1x2xf32>) dimensions = [0]
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<1x2xf32>, tensor<2x2xf32>) outs(%[[I]] : tensor<1x2xf32>)
// expected-remark @below {{removed 1 channels in 1 groups}}
module {
func.func @fc_constant_into_fill(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %w1 = arith.constant dense<[[1.0, 0.0, 2.0], [3.0, 0.0, 4.0], [5.0, 0.0, 6.0], [7.0, 0.0, 8.0]]> : tensor<4x3xf32>
  %b1 = arith.constant dense<[0.5, 2.0, -1.0]> : tensor<3xf32>
  %w2 = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<1x3xf32>
  %i1 = linalg.broadcast ins(%b1 : tensor<3xf32>) outs(%e1 : tensor<1x3xf32>) dimensions = [0]
  // expected-remark @+1 {{removed 1 [1]}}
  %y1 = linalg.matmul ins(%x, %w1 : tensor<1x4xf32>, tensor<4x3xf32>) outs(%i1 : tensor<1x3xf32>) -> tensor<1x3xf32>
  %e2 = tensor.empty() : tensor<1x2xf32>
  %i2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x2xf32>) -> tensor<1x2xf32>
  %y2 = linalg.matmul ins(%y1, %w2 : tensor<1x3xf32>, tensor<3x2xf32>) outs(%i2 : tensor<1x2xf32>) -> tensor<1x2xf32>
  return %y2 : tensor<1x2xf32>
}
}

// -----

// A constant neuron whose reader's initial value is computed, not a constant
// bias: kept.
// CHECK-LABEL: func.func @kept_init_not_constant
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<1x3xf32>, tensor<3x2xf32>)
// expected-remark @below {{nothing removed; MACs 18}}
module {
func.func @kept_init_not_constant(%x: tensor<1x4xf32>, %init: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w1 = arith.constant dense<[[1.0, 0.0, 2.0], [3.0, 0.0, 4.0], [5.0, 0.0, 6.0], [7.0, 0.0, 8.0]]> : tensor<4x3xf32>
  %b1 = arith.constant dense<[0.5, 2.0, -1.0]> : tensor<3xf32>
  %w2 = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %e1 = tensor.empty() : tensor<1x3xf32>
  %i1 = linalg.broadcast ins(%b1 : tensor<3xf32>) outs(%e1 : tensor<1x3xf32>) dimensions = [0]
  // expected-remark @+1 {{removed 0; kept [1]: a non-zero constant reaches 'linalg.matmul', but its initial value is not a constant bias to fold into}}
  %y1 = linalg.matmul ins(%x, %w1 : tensor<1x4xf32>, tensor<4x3xf32>) outs(%i1 : tensor<1x3xf32>) -> tensor<1x3xf32>
  %y2 = linalg.matmul ins(%y1, %w2 : tensor<1x3xf32>, tensor<3x2xf32>) outs(%init : tensor<1x2xf32>) -> tensor<1x2xf32>
  return %y2 : tensor<1x2xf32>
}
}

// -----

// A constant neuron multiplied with another activation (no constant weight to
// sum): kept.
// CHECK-LABEL: func.func @kept_other_operand_not_constant
// expected-remark @below {{nothing removed}}
module {
func.func @kept_other_operand_not_constant(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %c = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %ev = tensor.empty() : tensor<3x2xf32>
  %v = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%c : tensor<3x2xf32>) outs(%ev : tensor<3x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = math.exp %in : f32
    linalg.yield %m : f32
  } -> tensor<3x2xf32>
  %w1 = arith.constant dense<[[1.0, 0.0, 2.0], [3.0, 0.0, 4.0], [5.0, 0.0, 6.0], [7.0, 0.0, 8.0]]> : tensor<4x3xf32>
  %b1 = arith.constant dense<[0.5, 2.0, -1.0]> : tensor<3xf32>
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<1x3xf32>
  %i1 = linalg.broadcast ins(%b1 : tensor<3xf32>) outs(%e1 : tensor<1x3xf32>) dimensions = [0]
  // expected-remark @+1 {{kept [1]: a non-zero constant reaches 'linalg.matmul', whose other operand is not a constant weight}}
  %y1 = linalg.matmul ins(%x, %w1 : tensor<1x4xf32>, tensor<4x3xf32>) outs(%i1 : tensor<1x3xf32>) -> tensor<1x3xf32>
  %e2 = tensor.empty() : tensor<1x2xf32>
  %i2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x2xf32>) -> tensor<1x2xf32>
  %y2 = linalg.matmul ins(%y1, %v : tensor<1x3xf32>, tensor<3x2xf32>) outs(%i2 : tensor<1x2xf32>) -> tensor<1x2xf32>
  return %y2 : tensor<1x2xf32>
}
}

// -----

// Filter 1 of the first convolution is zero, its bias 0.5: the channel is
// relu(0.5) = 0.5 everywhere, but the zero padding of the 3x3 convolution
// makes its border differ: kept.
// CHECK-LABEL: func.func @kept_constant_through_padding
// CHECK: linalg.conv_2d_nchw_fchw {{.*}} -> tensor<1x2x2x2xf32>
// expected-remark @below {{nothing removed; MACs 80}}
module {
func.func @kept_constant_through_padding(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %zero = arith.constant 0.0 : f32
  %w1 = arith.constant dense<[[[[1.0]]], [[[0.0]]]]> : tensor<2x1x1x1xf32>
  %b1 = arith.constant dense<[0.0, 0.5]> : tensor<2xf32>
  %w2 = arith.constant dense<1.0> : tensor<1x2x3x3xf32>
  %e1 = tensor.empty() : tensor<1x2x2x2xf32>
  %i1 = linalg.broadcast ins(%b1 : tensor<2xf32>) outs(%e1 : tensor<1x2x2x2xf32>) dimensions = [0, 2, 3]
  // expected-remark @+1 {{kept [1]: a non-zero constant reaches 'linalg.conv_2d_nchw_fchw' through zero padding, so it cannot be folded into the bias}}
  %y1 = linalg.conv_2d_nchw_fchw ins(%x, %w1 : tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>) outs(%i1 : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (n, c, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%y1 : tensor<1x2x2x2xf32>) outs(%e1 : tensor<1x2x2x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x2x2x2xf32>
  %p = tensor.pad %r low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x2x2x2xf32> to tensor<1x2x4x4xf32>
  %e2 = tensor.empty() : tensor<1x1x2x2xf32>
  %i2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
  %y2 = linalg.conv_2d_nchw_fchw ins(%p, %w2 : tensor<1x2x4x4xf32>, tensor<1x2x3x3xf32>) outs(%i2 : tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
  return %y2 : tensor<1x1x2x2xf32>
}
}

// -----

// A residual addition couples two layers: channel 1 is zero in the first
// but not in the second, so neither loses it.
// CHECK-LABEL: func.func @kept_residual
// expected-remark @below {{nothing removed}}
module {
func.func @kept_residual(%x: tensor<1x2xf32>) -> tensor<1x1xf32> {
  %zero = arith.constant 0.0 : f32
  %wa = arith.constant dense<[[1.0, 0.0], [2.0, 0.0]]> : tensor<2x2xf32>
  %wb = arith.constant dense<[[1.0, 3.0], [2.0, 4.0]]> : tensor<2x2xf32>
  %wc = arith.constant dense<[[1.0], [1.0]]> : tensor<2x1xf32>
  %e = tensor.empty() : tensor<1x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2xf32>) -> tensor<1x2xf32>
  // expected-remark @+1 {{removed 0; kept [1]: it is not zero where 'linalg.matmul' reads it (a coupled layer or a bias keeps it alive)}}
  %a = linalg.matmul ins(%x, %wa : tensor<1x2xf32>, tensor<2x2xf32>) outs(%f : tensor<1x2xf32>) -> tensor<1x2xf32>
  %b = linalg.matmul ins(%x, %wb : tensor<1x2xf32>, tensor<2x2xf32>) outs(%f : tensor<1x2xf32>) -> tensor<1x2xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%a, %b : tensor<1x2xf32>, tensor<1x2xf32>) outs(%e : tensor<1x2xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %v = arith.addf %p, %q : f32
    linalg.yield %v : f32
  } -> tensor<1x2xf32>
  %e1 = tensor.empty() : tensor<1x1xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<1x1xf32>) -> tensor<1x1xf32>
  %y = linalg.matmul ins(%s, %wc : tensor<1x2xf32>, tensor<2x1xf32>) outs(%f1 : tensor<1x1xf32>) -> tensor<1x1xf32>
  return %y : tensor<1x1xf32>
}
}

// -----

// Every filter is zero: one channel stays so that no tensor is empty.
// CHECK-LABEL: func.func @keep_one
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<1x2xf32>, tensor<2x1xf32>)
// expected-remark @below {{removed 1 channels in 1 groups}}
module {
// expected-remark @+1 {{left alone: the channels come from a function argument}}
func.func @keep_one(%x: tensor<1x2xf32>) -> tensor<1x1xf32> {
  %zero = arith.constant 0.0 : f32
  %wa = arith.constant dense<0.0> : tensor<2x2xf32>
  %wc = arith.constant dense<[[1.0], [1.0]]> : tensor<2x1xf32>
  %e = tensor.empty() : tensor<1x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2xf32>) -> tensor<1x2xf32>
  // expected-remark @+1 {{removed 1 [1]; kept [0]: one channel is kept so that no tensor becomes empty}}
  %a = linalg.matmul ins(%x, %wa : tensor<1x2xf32>, tensor<2x2xf32>) outs(%f : tensor<1x2xf32>) -> tensor<1x2xf32>
  %e1 = tensor.empty() : tensor<1x1xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<1x1xf32>) -> tensor<1x1xf32>
  %y = linalg.matmul ins(%a, %wc : tensor<1x2xf32>, tensor<2x1xf32>) outs(%f1 : tensor<1x1xf32>) -> tensor<1x1xf32>
  return %y : tensor<1x1xf32>
}
}

// -----

// Through a depthwise convolution (its filter 1 is sliced too) and a flatten
// (1x2x2x2 -> 1x8: channel c is columns 4c..4c+3 of the next weight).
// CHECK-LABEL: func.func @depthwise_flatten
// CHECK: linalg.depthwise_conv_2d_nchw_chw {{.*}}ins(%{{.*}}, %{{.*}} : tensor<1x1x2x2xf32>, tensor<1x1x1xf32>)
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0], [1, 2, 3]] : tensor<1x1x2x2xf32> into tensor<1x4xf32>
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<1x4xf32>, tensor<4x1xf32>)
// expected-remark @below {{removed 1 channels in 1 groups; MACs 24 -> 12}}
module {
func.func @depthwise_flatten(%x: tensor<1x1x2x2xf32>) -> tensor<1x1xf32> {
  %zero = arith.constant 0.0 : f32
  %w1 = arith.constant dense<[[[[1.0]]], [[[0.0]]]]> : tensor<2x1x1x1xf32>
  %dw = arith.constant dense<[[[2.0]], [[3.0]]]> : tensor<2x1x1xf32>
  %w2 = arith.constant dense<1.0> : tensor<8x1xf32>
  %e1 = tensor.empty() : tensor<1x2x2x2xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  // expected-remark @+1 {{removed 1 [1]}}
  %y1 = linalg.conv_2d_nchw_fchw ins(%x, %w1 : tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>) outs(%f1 : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %y2 = linalg.depthwise_conv_2d_nchw_chw ins(%y1, %dw : tensor<1x2x2x2xf32>, tensor<2x1x1xf32>) outs(%f1 : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %flat = tensor.collapse_shape %y2 [[0], [1, 2, 3]] : tensor<1x2x2x2xf32> into tensor<1x8xf32>
  %e2 = tensor.empty() : tensor<1x1xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x1xf32>) -> tensor<1x1xf32>
  %y3 = linalg.matmul ins(%flat, %w2 : tensor<1x8xf32>, tensor<8x1xf32>) outs(%f2 : tensor<1x1xf32>) -> tensor<1x1xf32>
  return %y3 : tensor<1x1xf32>
}
}

// -----

// The same tensor concatenated twice: indices 1 and 3 of the concat are
// channel 1 of the layer, zero in both places; the reader keeps rows 0 and 2
// of its weight.
// CHECK-LABEL: func.func @concat_same_twice
// CHECK-DAG: arith.constant dense<{{\[}}[1.000000e+00], [3.000000e+00]]> : tensor<2x1xf32>
// CHECK-DAG: tensor.concat dim(1) %{{.*}}, %{{.*}} : (tensor<1x1xf32>, tensor<1x1xf32>) -> tensor<1x2xf32>
// CHECK-DAG: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<1x2xf32>, tensor<2x1xf32>)
// expected-remark @below {{removed 1 channels in 1 groups; MACs 8 -> 4}}
module {
func.func @concat_same_twice(%x: tensor<1x2xf32>) -> tensor<1x1xf32> {
  %zero = arith.constant 0.0 : f32
  %wa = arith.constant dense<[[1.0, 0.0], [2.0, 0.0]]> : tensor<2x2xf32>
  %wc = arith.constant dense<[[1.0], [2.0], [3.0], [4.0]]> : tensor<4x1xf32>
  %e = tensor.empty() : tensor<1x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2xf32>) -> tensor<1x2xf32>
  // expected-remark @+1 {{removed 1 [1]}}
  %a = linalg.matmul ins(%x, %wa : tensor<1x2xf32>, tensor<2x2xf32>) outs(%f : tensor<1x2xf32>) -> tensor<1x2xf32>
  %c = tensor.concat dim(1) %a, %a : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x4xf32>
  %e1 = tensor.empty() : tensor<1x1xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<1x1xf32>) -> tensor<1x1xf32>
  %y = linalg.matmul ins(%c, %wc : tensor<1x4xf32>, tensor<4x1xf32>) outs(%f1 : tensor<1x1xf32>) -> tensor<1x1xf32>
  return %y : tensor<1x1xf32>
}
}

// -----

// Two layers concatenated: the concat's channels are both layers' (2 + 2).
// A slice (a split) takes concat indices 1..3 to the reader: index 0 (the
// first layer's channel 0) is read by nobody, index 1 and 2 are zero (the
// first layer's channel 1, the second's channel 0). All three could go, but
// the first layer would be left without channels: it keeps its channel 0.
// The slice now starts at index 1 of the 2-channel concat; the reader keeps
// row 2 of its weight. MACs 4 + 4 + 3 = 11 -> 2 + 2 + 1 = 5.
// CHECK-LABEL: func.func @concat_split
// CHECK-DAG: arith.constant dense<3.000000e+00> : tensor<1x1xf32>
// CHECK-DAG: tensor.concat dim(1) %{{.*}}, %{{.*}} : (tensor<1x1xf32>, tensor<1x1xf32>) -> tensor<1x2xf32>
// CHECK-DAG: tensor.extract_slice %{{.*}}[0, 1] [1, 1] [1, 1] : tensor<1x2xf32> to tensor<1x1xf32>
// expected-remark @below {{removed 2 channels in 1 groups; MACs 11 -> 5}}
module {
func.func @concat_split(%x: tensor<1x2xf32>) -> tensor<1x1xf32> {
  %zero = arith.constant 0.0 : f32
  %wa = arith.constant dense<[[1.0, 0.0], [2.0, 0.0]]> : tensor<2x2xf32>
  %wb = arith.constant dense<[[0.0, 1.0], [0.0, 2.0]]> : tensor<2x2xf32>
  %wc = arith.constant dense<[[1.0], [2.0], [3.0]]> : tensor<3x1xf32>
  %e = tensor.empty() : tensor<1x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2xf32>) -> tensor<1x2xf32>
  // expected-remark @+1 {{group of 'linalg.matmul', 'linalg.matmul' (4 channels): removed 2 [1, 2]; kept [0]: one channel is kept so that no tensor becomes empty}}
  %a = linalg.matmul ins(%x, %wa : tensor<1x2xf32>, tensor<2x2xf32>) outs(%f : tensor<1x2xf32>) -> tensor<1x2xf32>
  %b = linalg.matmul ins(%x, %wb : tensor<1x2xf32>, tensor<2x2xf32>) outs(%f : tensor<1x2xf32>) -> tensor<1x2xf32>
  %c = tensor.concat dim(1) %a, %b : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x4xf32>
  %s = tensor.extract_slice %c[0, 1] [1, 3] [1, 1] : tensor<1x4xf32> to tensor<1x3xf32>
  %e1 = tensor.empty() : tensor<1x1xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<1x1xf32>) -> tensor<1x1xf32>
  %y = linalg.matmul ins(%s, %wc : tensor<1x3xf32>, tensor<3x1xf32>) outs(%f1 : tensor<1x1xf32>) -> tensor<1x1xf32>
  return %y : tensor<1x1xf32>
}
}

// -----

// A reduction over the channels that is no contraction (a LayerNorm mean)
// would change if a channel went.
// CHECK-LABEL: func.func @unknown_reduction
// expected-remark @below {{nothing removed}}
module {
func.func @unknown_reduction(%x: tensor<1x2xf32>) -> tensor<1xf32> {
  %zero = arith.constant 0.0 : f32
  %wa = arith.constant dense<[[1.0, 0.0], [2.0, 0.0]]> : tensor<2x2xf32>
  %e = tensor.empty() : tensor<1x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2xf32>) -> tensor<1x2xf32>
  %a = linalg.matmul ins(%x, %wa : tensor<1x2xf32>, tensor<2x2xf32>) outs(%f : tensor<1x2xf32>) -> tensor<1x2xf32>
  %e1 = tensor.empty() : tensor<1xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<1xf32>) -> tensor<1xf32>
  // expected-remark @+1 {{left alone: 'linalg.generic' reduces over the channels and is no contraction or convolution}}
  %m = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>], iterator_types = ["parallel", "reduction"]} ins(%a : tensor<1x2xf32>) outs(%f1 : tensor<1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.addf %in, %out : f32
    linalg.yield %s : f32
  } -> tensor<1xf32>
  return %m : tensor<1xf32>
}
}

// -----

// A split into heads that does not start at a head boundary (a slice moved
// the channels by one) is not folded.
// CHECK-LABEL: func.func @unknown_split
// expected-remark @below {{nothing removed}}
module {
func.func @unknown_split(%x: tensor<1x2xf32>) -> tensor<1x1xf32> {
  %zero = arith.constant 0.0 : f32
  %wa = arith.constant dense<[[1.0, 0.0, 1.0, 1.0, 1.0], [2.0, 0.0, 1.0, 1.0, 1.0]]> : tensor<2x5xf32>
  %wc = arith.constant dense<1.0> : tensor<2x1xf32>
  %e = tensor.empty() : tensor<1x5xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x5xf32>) -> tensor<1x5xf32>
  %a = linalg.matmul ins(%x, %wa : tensor<1x2xf32>, tensor<2x5xf32>) outs(%f : tensor<1x5xf32>) -> tensor<1x5xf32>
  %s = tensor.extract_slice %a[0, 1] [1, 4] [1, 1] : tensor<1x5xf32> to tensor<1x4xf32>
  // expected-remark @+1 {{left alone: 'tensor.expand_shape' splits the channel dimension in a way this pass does not fold}}
  %h = tensor.expand_shape %s [[0], [1, 2]] output_shape [1, 2, 2] : tensor<1x4xf32> into tensor<1x2x2xf32>
  %c = tensor.collapse_shape %h [[0, 1], [2]] : tensor<1x2x2xf32> into tensor<2x2xf32>
  %e1 = tensor.empty() : tensor<2x1xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<2x1xf32>) -> tensor<2x1xf32>
  %y = linalg.matmul ins(%c, %wc : tensor<2x2xf32>, tensor<2x1xf32>) outs(%f1 : tensor<2x1xf32>) -> tensor<2x1xf32>
  %r = tensor.collapse_shape %y [[0, 1]] : tensor<2x1xf32> into tensor<2xf32>
  %r2 = tensor.expand_shape %r [[0, 1]] output_shape [1, 2] : tensor<2xf32> into tensor<1x2xf32>
  %o = tensor.extract_slice %r2[0, 0] [1, 1] [1, 1] : tensor<1x2xf32> to tensor<1x1xf32>
  return %o : tensor<1x1xf32>
}
}

// -----

// A pad of the channel dimension itself.
// CHECK-LABEL: func.func @unknown_channel_pad
// expected-remark @below {{nothing removed}}
module {
func.func @unknown_channel_pad(%x: tensor<1x2xf32>) -> tensor<1x1xf32> {
  %zero = arith.constant 0.0 : f32
  %wa = arith.constant dense<[[1.0, 0.0], [2.0, 0.0]]> : tensor<2x2xf32>
  %wc = arith.constant dense<1.0> : tensor<3x1xf32>
  %e = tensor.empty() : tensor<1x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2xf32>) -> tensor<1x2xf32>
  %a = linalg.matmul ins(%x, %wa : tensor<1x2xf32>, tensor<2x2xf32>) outs(%f : tensor<1x2xf32>) -> tensor<1x2xf32>
  // expected-remark @+1 {{left alone: 'tensor.pad' pads the channel dimension}}
  %p = tensor.pad %a low[0, 1] high[0, 0] {
  ^bb0(%i: index, %j: index):
    tensor.yield %zero : f32
  } : tensor<1x2xf32> to tensor<1x3xf32>
  %e1 = tensor.empty() : tensor<1x1xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<1x1xf32>) -> tensor<1x1xf32>
  %y = linalg.matmul ins(%p, %wc : tensor<1x3xf32>, tensor<3x1xf32>) outs(%f1 : tensor<1x1xf32>) -> tensor<1x1xf32>
  return %y : tensor<1x1xf32>
}
}

// -----

// Input channels the weights ignore, of a function argument: the argument's
// shape is the caller's, so they stay.
// CHECK-LABEL: func.func @unknown_argument
// expected-remark @below {{nothing removed}}
module {
// expected-remark @+1 {{left alone: the channels come from a function argument}}
func.func @unknown_argument(%x: tensor<1x2xf32>) -> tensor<1x1xf32> {
  %zero = arith.constant 0.0 : f32
  %wc = arith.constant dense<[[1.0], [0.0]]> : tensor<2x1xf32>
  %e1 = tensor.empty() : tensor<1x1xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<1x1xf32>) -> tensor<1x1xf32>
  %y = linalg.matmul ins(%x, %wc : tensor<1x2xf32>, tensor<2x1xf32>) outs(%f1 : tensor<1x1xf32>) -> tensor<1x1xf32>
  return %y : tensor<1x1xf32>
}
}

// -----

// A dynamic shape on the channel path.
// CHECK-LABEL: func.func @unknown_dynamic
// expected-remark @below {{nothing removed}}
module {
func.func @unknown_dynamic(%x: tensor<1x2xf32>) -> tensor<?x2xf32> {
  %zero = arith.constant 0.0 : f32
  %wa = arith.constant dense<[[1.0, 0.0], [2.0, 0.0]]> : tensor<2x2xf32>
  %e = tensor.empty() : tensor<1x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2xf32>) -> tensor<1x2xf32>
  %a = linalg.matmul ins(%x, %wa : tensor<1x2xf32>, tensor<2x2xf32>) outs(%f : tensor<1x2xf32>) -> tensor<1x2xf32>
  // expected-remark @+1 {{left alone: a tensor on the channel path has a dynamic shape}}
  %d = tensor.cast %a : tensor<1x2xf32> to tensor<?x2xf32>
  return %d : tensor<?x2xf32>
}
}

// -----

// A strided read of the channels (d1 * 2) is no plain dimension.
// CHECK-LABEL: func.func @unknown_expression
// expected-remark @below {{nothing removed}}
module {
func.func @unknown_expression(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %zero = arith.constant 0.0 : f32
  %wa = arith.constant dense<[[1.0, 0.0, 1.0, 1.0], [2.0, 0.0, 1.0, 1.0]]> : tensor<2x4xf32>
  %e = tensor.empty() : tensor<1x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %a = linalg.matmul ins(%x, %wa : tensor<1x2xf32>, tensor<2x4xf32>) outs(%f : tensor<1x4xf32>) -> tensor<1x4xf32>
  %e2 = tensor.empty() : tensor<1x2xf32>
  // expected-remark @+1 {{left alone: 'linalg.generic' indexes the channels with an expression this pass does not fold}}
  %s = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j * 2)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<1x4xf32>) outs(%e2 : tensor<1x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x2xf32>
  return %s : tensor<1x2xf32>
}
}

// -----

// A layer's channels meet a flattened tensor: seen from the flatten's result,
// channel c is not one slice of its source.
// CHECK-LABEL: func.func @unknown_merge_from_result
// expected-remark @below {{nothing removed}}
module {
func.func @unknown_merge_from_result(%x: tensor<1x2xf32>, %y: tensor<1x2x2xf32>) -> tensor<1x1xf32> {
  %zero = arith.constant 0.0 : f32
  %wa = arith.constant dense<[[1.0, 0.0, 1.0, 1.0], [2.0, 0.0, 1.0, 1.0]]> : tensor<2x4xf32>
  %wc = arith.constant dense<1.0> : tensor<4x1xf32>
  %e = tensor.empty() : tensor<1x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %a = linalg.matmul ins(%x, %wa : tensor<1x2xf32>, tensor<2x4xf32>) outs(%f : tensor<1x4xf32>) -> tensor<1x4xf32>
  // expected-remark @+1 {{left alone: 'tensor.collapse_shape' merges the channels with other dimensions, seen from its result}}
  %flat = tensor.collapse_shape %y [[0], [1, 2]] : tensor<1x2x2xf32> into tensor<1x4xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%a, %flat : tensor<1x4xf32>, tensor<1x4xf32>) outs(%e : tensor<1x4xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %v = arith.addf %p, %q : f32
    linalg.yield %v : f32
  } -> tensor<1x4xf32>
  %e1 = tensor.empty() : tensor<1x1xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<1x1xf32>) -> tensor<1x1xf32>
  %r = linalg.matmul ins(%s, %wc : tensor<1x4xf32>, tensor<4x1xf32>) outs(%f1 : tensor<1x1xf32>) -> tensor<1x1xf32>
  return %r : tensor<1x1xf32>
}
}

// -----

// The same channels flattened channel-major and channel-minor, then added:
// one tensor would need two layouts of the channels.
// CHECK-LABEL: func.func @unknown_two_layouts
// expected-remark @below {{nothing removed}}
module {
func.func @unknown_two_layouts(%x: tensor<1x1x2x2xf32>) -> tensor<1x1xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<[[[[1.0]]], [[[0.0]]]]> : tensor<2x1x1x1xf32>
  %wc = arith.constant dense<1.0> : tensor<8x1xf32>
  %e = tensor.empty() : tensor<1x2x2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %z = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>) outs(%f : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %t = linalg.transpose ins(%z : tensor<1x2x2x2xf32>) outs(%e : tensor<1x2x2x2xf32>) permutation = [0, 2, 3, 1]
  %fa = tensor.collapse_shape %z [[0], [1, 2, 3]] : tensor<1x2x2x2xf32> into tensor<1x8xf32>
  // expected-remark @+1 {{left alone: a tensor carries the channels in two different layouts}}
  %fb = tensor.collapse_shape %t [[0], [1, 2, 3]] : tensor<1x2x2x2xf32> into tensor<1x8xf32>
  %e8 = tensor.empty() : tensor<1x8xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%fa, %fb : tensor<1x8xf32>, tensor<1x8xf32>) outs(%e8 : tensor<1x8xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %v = arith.addf %p, %q : f32
    linalg.yield %v : f32
  } -> tensor<1x8xf32>
  %e1 = tensor.empty() : tensor<1x1xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<1x1xf32>) -> tensor<1x1xf32>
  %r = linalg.matmul ins(%s, %wc : tensor<1x8xf32>, tensor<8x1xf32>) outs(%f1 : tensor<1x1xf32>) -> tensor<1x1xf32>
  return %r : tensor<1x1xf32>
}
}

// -----

// A use inside a nested region (here an scf.execute_region) is not rebuilt
// by the pass: the group stays.
// CHECK-LABEL: func.func @unknown_nested_region
// expected-remark @below {{nothing removed}}
module {
func.func @unknown_nested_region(%x: tensor<1x2xf32>) -> tensor<1x1xf32> {
  %zero = arith.constant 0.0 : f32
  %wa = arith.constant dense<[[1.0, 0.0], [2.0, 0.0]]> : tensor<2x2xf32>
  %wc = arith.constant dense<1.0> : tensor<2x1xf32>
  %e = tensor.empty() : tensor<1x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2xf32>) -> tensor<1x2xf32>
  %a = linalg.matmul ins(%x, %wa : tensor<1x2xf32>, tensor<2x2xf32>) outs(%f : tensor<1x2xf32>) -> tensor<1x2xf32>
  %r = scf.execute_region -> tensor<1x1xf32> {
    %e1 = tensor.empty() : tensor<1x1xf32>
    %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<1x1xf32>) -> tensor<1x1xf32>
    // expected-remark @+1 {{left alone: 'linalg.matmul' is inside a nested region}}
    %y = linalg.matmul ins(%a, %wc : tensor<1x2xf32>, tensor<2x1xf32>) outs(%f1 : tensor<1x1xf32>) -> tensor<1x1xf32>
    scf.yield %y : tensor<1x1xf32>
  }
  return %r : tensor<1x1xf32>
}
}

// -----

// A layer whose output is the function's result: its zero channel stays.
// CHECK-LABEL: func.func @unknown_result
// expected-remark @below {{nothing removed}}
module {
func.func @unknown_result(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %zero = arith.constant 0.0 : f32
  %wa = arith.constant dense<[[1.0, 0.0], [2.0, 0.0]]> : tensor<2x2xf32>
  %e = tensor.empty() : tensor<1x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2xf32>) -> tensor<1x2xf32>
  %a = linalg.matmul ins(%x, %wa : tensor<1x2xf32>, tensor<2x2xf32>) outs(%f : tensor<1x2xf32>) -> tensor<1x2xf32>
  // expected-remark @+1 {{channels of 'linalg.matmul' left alone: the channels are a result of the function}}
  return %a : tensor<1x2xf32>
}
}

// -----

// A strided slice of the channels.
// CHECK-LABEL: func.func @unknown_strided_slice
// expected-remark @below {{nothing removed}}
module {
func.func @unknown_strided_slice(%x: tensor<1x2xf32>) -> tensor<1x1xf32> {
  %zero = arith.constant 0.0 : f32
  %wa = arith.constant dense<[[1.0, 0.0, 1.0, 1.0], [2.0, 0.0, 1.0, 1.0]]> : tensor<2x4xf32>
  %wc = arith.constant dense<1.0> : tensor<2x1xf32>
  %e = tensor.empty() : tensor<1x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  %a = linalg.matmul ins(%x, %wa : tensor<1x2xf32>, tensor<2x4xf32>) outs(%f : tensor<1x4xf32>) -> tensor<1x4xf32>
  // expected-remark @+1 {{left alone: 'tensor.extract_slice' is not a static, unit-stride slice of the same rank}}
  %s = tensor.extract_slice %a[0, 0] [1, 2] [1, 2] : tensor<1x4xf32> to tensor<1x2xf32>
  %e1 = tensor.empty() : tensor<1x1xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<1x1xf32>) -> tensor<1x1xf32>
  %y = linalg.matmul ins(%s, %wc : tensor<1x2xf32>, tensor<2x1xf32>) outs(%f1 : tensor<1x1xf32>) -> tensor<1x1xf32>
  return %y : tensor<1x1xf32>
}
}

// -----

// A slice moves the channels by one, and a flatten then merges them with an
// outer dimension of size 2: index i of the result would belong to channel
// ((i % 3) + 1) % 4, which is no single map of the group.
// CHECK-LABEL: func.func @unknown_merge_slice
// expected-remark @below {{nothing removed}}
module {
func.func @unknown_merge_slice(%x: tensor<2x2xf32>) -> tensor<6xf32> {
  %zero = arith.constant 0.0 : f32
  %wa = arith.constant dense<[[1.0, 0.0, 1.0, 1.0], [2.0, 0.0, 1.0, 1.0]]> : tensor<2x4xf32>
  %e = tensor.empty() : tensor<2x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  %a = linalg.matmul ins(%x, %wa : tensor<2x2xf32>, tensor<2x4xf32>) outs(%f : tensor<2x4xf32>) -> tensor<2x4xf32>
  %s = tensor.extract_slice %a[0, 1] [2, 3] [1, 1] : tensor<2x4xf32> to tensor<2x3xf32>
  // expected-remark @+1 {{left alone: 'tensor.collapse_shape' merges a slice of the channels with other dimensions}}
  %c = tensor.collapse_shape %s [[0, 1]] : tensor<2x3xf32> into tensor<6xf32>
  return %c : tensor<6xf32>
}
}

// -----

// Integer layers: a constant channel is not folded into an integer bias.
// CHECK-LABEL: func.func @kept_integer
// expected-remark @below {{nothing removed}}
module {
func.func @kept_integer(%x: tensor<1x2xi32>) -> tensor<1x1xi32> {
  %wa = arith.constant dense<[[1, 0], [2, 0]]> : tensor<2x2xi32>
  %ba = arith.constant dense<[0, 3]> : tensor<2xi32>
  %wc = arith.constant dense<[[1], [1]]> : tensor<2x1xi32>
  %bc = arith.constant dense<[5]> : tensor<1xi32>
  %e = tensor.empty() : tensor<1x2xi32>
  %i = linalg.broadcast ins(%ba : tensor<2xi32>) outs(%e : tensor<1x2xi32>) dimensions = [0]
  // expected-remark @+1 {{kept [1]: a non-zero constant reaches 'linalg.matmul', but its element type is not a float}}
  %a = linalg.matmul ins(%x, %wa : tensor<1x2xi32>, tensor<2x2xi32>) outs(%i : tensor<1x2xi32>) -> tensor<1x2xi32>
  %e1 = tensor.empty() : tensor<1x1xi32>
  %i1 = linalg.broadcast ins(%bc : tensor<1xi32>) outs(%e1 : tensor<1x1xi32>) dimensions = [0]
  %y = linalg.matmul ins(%a, %wc : tensor<1x2xi32>, tensor<2x1xi32>) outs(%i1 : tensor<1x1xi32>) -> tensor<1x1xi32>
  return %y : tensor<1x1xi32>
}
}

// -----

// The reader's bias is one value broadcast along its output channels: a
// per-channel contribution cannot be added to it.
// CHECK-LABEL: func.func @kept_bias_broadcast_along_channels
// expected-remark @below {{nothing removed}}
module {
func.func @kept_bias_broadcast_along_channels(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %wa = arith.constant dense<[[1.0, 0.0], [2.0, 0.0]]> : tensor<2x2xf32>
  %ba = arith.constant dense<[0.0, 3.0]> : tensor<2xf32>
  %wc = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %bc = arith.constant dense<[5.0]> : tensor<1xf32>
  %e = tensor.empty() : tensor<1x2xf32>
  %i = linalg.broadcast ins(%ba : tensor<2xf32>) outs(%e : tensor<1x2xf32>) dimensions = [0]
  // expected-remark @+1 {{kept [1]: a non-zero constant reaches 'linalg.matmul', but its bias is broadcast along an output channel dimension}}
  %a = linalg.matmul ins(%x, %wa : tensor<1x2xf32>, tensor<2x2xf32>) outs(%i : tensor<1x2xf32>) -> tensor<1x2xf32>
  %e1 = tensor.empty() : tensor<1x2xf32>
  %i1 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%bc : tensor<1xf32>) outs(%e1 : tensor<1x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x2xf32>
  %y = linalg.matmul ins(%a, %wc : tensor<1x2xf32>, tensor<2x2xf32>) outs(%i1 : tensor<1x2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}
}

// -----

// A per-channel scale on the path is a dense_resource without data: it
// cannot be sliced, so nothing of the group goes (without this check the
// rewrite would copy bytes that are not there).
// CHECK-LABEL: func.func @unknown_unreadable_constant
// CHECK: dense_resource<nodata> : tensor<2xf32>
// expected-remark @below {{nothing removed}}
module {
func.func @unknown_unreadable_constant(%x: tensor<1x2xf32>) -> tensor<1x1xf32> {
  %zero = arith.constant 0.0 : f32
  %wa = arith.constant dense<[[1.0, 3.0], [2.0, 4.0]]> : tensor<2x2xf32>
  // expected-remark @+1 {{left alone: the payload of a constant on the channel path cannot be read}}
  %s = arith.constant dense_resource<nodata> : tensor<2xf32>
  %wc = arith.constant dense<[[1.0], [0.0]]> : tensor<2x1xf32>
  %e = tensor.empty() : tensor<1x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2xf32>) -> tensor<1x2xf32>
  %a = linalg.matmul ins(%x, %wa : tensor<1x2xf32>, tensor<2x2xf32>) outs(%f : tensor<1x2xf32>) -> tensor<1x2xf32>
  %m = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%a, %s : tensor<1x2xf32>, tensor<2xf32>) outs(%e : tensor<1x2xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %v = arith.mulf %p, %q : f32
    linalg.yield %v : f32
  } -> tensor<1x2xf32>
  %e1 = tensor.empty() : tensor<1x1xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<1x1xf32>) -> tensor<1x1xf32>
  %y = linalg.matmul ins(%m, %wc : tensor<1x2xf32>, tensor<2x1xf32>) outs(%f1 : tensor<1x1xf32>) -> tensor<1x1xf32>
  return %y : tensor<1x1xf32>
}
}

// -----

// A constant neuron whose reader's bias is a dense_resource without data:
// the contribution cannot be added to it.
// CHECK-LABEL: func.func @kept_unreadable_bias
// expected-remark @below {{nothing removed}}
module {
func.func @kept_unreadable_bias(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %w1 = arith.constant dense<[[1.0, 0.0, 2.0], [3.0, 0.0, 4.0], [5.0, 0.0, 6.0], [7.0, 0.0, 8.0]]> : tensor<4x3xf32>
  %b1 = arith.constant dense<[0.5, 2.0, -1.0]> : tensor<3xf32>
  %w2 = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %b2 = arith.constant dense_resource<nobias> : tensor<2xf32>
  %e1 = tensor.empty() : tensor<1x3xf32>
  %i1 = linalg.broadcast ins(%b1 : tensor<3xf32>) outs(%e1 : tensor<1x3xf32>) dimensions = [0]
  // expected-remark @+1 {{kept [1]: a non-zero constant reaches 'linalg.matmul', but its bias constant cannot be read}}
  %y1 = linalg.matmul ins(%x, %w1 : tensor<1x4xf32>, tensor<4x3xf32>) outs(%i1 : tensor<1x3xf32>) -> tensor<1x3xf32>
  %e2 = tensor.empty() : tensor<1x2xf32>
  %i2 = linalg.broadcast ins(%b2 : tensor<2xf32>) outs(%e2 : tensor<1x2xf32>) dimensions = [0]
  %y2 = linalg.matmul ins(%y1, %w2 : tensor<1x3xf32>, tensor<3x2xf32>) outs(%i2 : tensor<1x2xf32>) -> tensor<1x2xf32>
  return %y2 : tensor<1x2xf32>
}
}
