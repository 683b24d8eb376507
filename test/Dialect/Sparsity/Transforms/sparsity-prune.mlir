// RUN: sparsity-opt %s -split-input-file --sparsity-prune="target=0.5" 2>/dev/null | FileCheck %s --check-prefix=PARAMS
// RUN: sparsity-opt %s -split-input-file --sparsity-prune="target=0.5" 2>&1 >/dev/null | FileCheck %s --check-prefix=PARAMS-REMARK
// RUN: sparsity-opt %s -split-input-file --sparsity-prune="target=0.5 metric=ops" 2>/dev/null | FileCheck %s --check-prefix=OPS
// RUN: sparsity-opt %s -split-input-file --sparsity-prune="target=0.5 metric=ops" 2>&1 >/dev/null | FileCheck %s --check-prefix=OPS-REMARK
// Deterministic: the same input and options give byte-identical output.
// RUN: sparsity-opt %s -split-input-file --sparsity-prune="target=0.5 metric=ops" -o %t.1 2>/dev/null
// RUN: sparsity-opt %s -split-input-file --sparsity-prune="target=0.5 metric=ops" -o %t.2 2>/dev/null
// RUN: cmp %t.1 %t.2

// Two layers: w1 (2x2, 4 rows of activations: uses 4) and w2 (8x1, one row:
// uses 1). 12 params, 4*4 + 8*1 = 24 MACs.
//
// metric=params, target 0.5: the 6 smallest |w| of the model go: 0.55, 0.6,
// 0.7, 0.8, 0.9 of w2 and 1 of w1. Saved MACs 5*1 + 1*4 = 9 (37.50%).
// PARAMS-LABEL: func.func @two_layers
// PARAMS: arith.constant dense<{{\[}}[0.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
// PARAMS: arith.constant dense<{{\[}}[0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [1.100000e+00], [1.200000e+00], [1.300000e+00]]> : tensor<8x1xf32>
// PARAMS-REMARK: remark: sparsity-prune: 2 layers changed; s_param = 50.00% (6 of 12 weights zero), s_op = 37.50% (37.50% from the zeros alone)
//
// metric=ops (op-guided), target 0.5 = 12 MACs: scores |w| / uses are 0.25,
// 0.5, 0.75, 1 for w1 and 0.55 ... 1.3 for w2. The lowest go until the
// budget is met: with a budget of 12, 1 and 2 of w1 (8 MACs), 0.55, 0.6, 0.7
// of w2 (11), 3 of w1 (15). But then column 0 of w1 is zero, features 0, 2,
// 4, 6 of the flattened row are zero and w2's rows 4 and 6 are removable too
// (propagated): 17 MACs, 70.83%. The pass bisects the budget below 12 and
// keeps the closest effective figure: 1 and 2 of w1 and 0.55, 0.6, 0.7 of
// w2, 11 MACs (45.83%; 50% cannot be hit on this toy, and a remark says so).
// OPS-LABEL: func.func @two_layers
// OPS: arith.constant dense<{{\[}}[0.000000e+00, 0.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
// OPS: arith.constant dense<{{\[}}[0.000000e+00], [0.000000e+00], [0.000000e+00], [8.000000e-01], [0.899999976], [1.100000e+00], [1.200000e+00], [1.300000e+00]]> : tensor<8x1xf32>
// OPS-REMARK: remark: sparsity-prune: reached 45.83% of the MACs, not the target 50.00%
// OPS-REMARK: remark: sparsity-prune: 2 layers changed; s_param = 41.67% (5 of 12 weights zero), s_op = 45.83% (45.83% from the zeros alone)
func.func @two_layers(%x: tensor<4x2xf32>) -> tensor<1x1xf32> {
  %zero = arith.constant 0.0 : f32
  %w1 = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %w2 = arith.constant dense<[[0.55], [0.6], [0.7], [0.8], [0.9], [1.1], [1.2], [1.3]]> : tensor<8x1xf32>
  %e1 = tensor.empty() : tensor<4x2xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<4x2xf32>) -> tensor<4x2xf32>
  %y1 = linalg.matmul ins(%x, %w1 : tensor<4x2xf32>, tensor<2x2xf32>) outs(%f1 : tensor<4x2xf32>) -> tensor<4x2xf32>
  %flat = tensor.collapse_shape %y1 [[0, 1]] : tensor<4x2xf32> into tensor<8xf32>
  %row = tensor.expand_shape %flat [[0, 1]] output_shape [1, 8] : tensor<8xf32> into tensor<1x8xf32>
  %e2 = tensor.empty() : tensor<1x1xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x1xf32>) -> tensor<1x1xf32>
  %y2 = linalg.matmul ins(%row, %w2 : tensor<1x8xf32>, tensor<8x1xf32>) outs(%f2 : tensor<1x1xf32>) -> tensor<1x1xf32>
  return %y2 : tensor<1x1xf32>
}

// -----

// A dense_resource weight stays a dense_resource (a new blob: 1.0 and -2.0
// are zeroed) and gets annotated with its new pattern.
// PARAMS-LABEL: func.func @resource
// PARAMS: %[[W:.*]] = arith.constant dense_resource<[[KEY:.*]]> : tensor<2x2xf32>
// PARAMS: sparsity.annotate %[[W]] pattern<channels<dim = 0, pruned = [0]>, unstructured<nnz = 2>>
// PARAMS: [[KEY]]: "0x08000000000000000000000000004040000080C0"
func.func @resource(%x: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense_resource<w> : tensor<2x2xf32>
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<2x2xf32>, tensor<2x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}
{-#
  dialect_resources: {
    builtin: {
      w: "0x040000000000803F000000C000004040000080C0"
    }
  }
#-}
