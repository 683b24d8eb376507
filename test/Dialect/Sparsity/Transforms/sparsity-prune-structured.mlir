// Structured granularities of --sparsity-prune, each on a weight worked out
// by hand.
// RUN: sparsity-opt %s --sparsity-prune="granularity=nm nm=2:4" 2>/dev/null | FileCheck %s
// RUN: sparsity-opt %s --sparsity-prune="granularity=block block=2x2 target=0.5 scope=layer" 2>/dev/null | FileCheck %s --check-prefix=BLOCK
// RUN: sparsity-opt %s --sparsity-prune="granularity=block block=2x2 target=0.5 scope=layer exclude=^fc$" 2>/dev/null | FileCheck %s --check-prefix=EXCLUDE
// RUN: sparsity-opt %s --sparsity-prune="target=0.9 scope=layer min-kept=3" 2>/dev/null | FileCheck %s --check-prefix=MINKEPT

// A torch-layout FC weight [out = 4, in = 8] (the matmul's maps transpose it).
//
// N:M 2:4 along the input channels keeps the 2 largest |w| of every aligned
// group of 4 (ties: the lower position):
//   row 0 [1 -5 3 2 | .5 6 -7 8]  -> [0 -5 3 0 | 0 0 -7 8]
//   row 1 [4 4 1 1 | 2 3 2 3]     -> [4 4 0 0 | 0 3 0 3]
//   row 2 [1 1 1 1 | 1 1 1 1]     -> [1 1 0 0 | 1 1 0 0]
//   row 3 [9 8 7 6 | 5 4 3 2]     -> [9 8 0 0 | 5 4 0 0]
// CHECK: %[[W:.*]] = arith.constant dense<{{\[}}[0.000000e+00, -5.000000e+00, 3.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, -7.000000e+00, 8.000000e+00], [4.000000e+00, 4.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 3.000000e+00, 0.000000e+00, 3.000000e+00], [1.000000e+00, 1.000000e+00, 0.000000e+00, 0.000000e+00, 1.000000e+00, 1.000000e+00, 0.000000e+00, 0.000000e+00], [9.000000e+00, 8.000000e+00, 0.000000e+00, 0.000000e+00, 5.000000e+00, 4.000000e+00, 0.000000e+00, 0.000000e+00]]>
// Column 3 ends up entirely zero, which the annotation also records.
// CHECK: sparsity.annotate %[[W]] pattern<channels<dim = 1, pruned = [3]>, unstructured<nnz = 16>, nm<2:4, dim = 1>>
//
// Blocks of 2 output x 2 input channels; L1 norms, row blocks 0-1 / 2-3:
//   cols 0-1: 14, 19    cols 2-3: 7, 15    cols 4-5: 11.5, 11   cols 6-7: 20, 7
// scope=layer, target 0.5: round(0.5 * 8) = 4 blocks with the lowest norms
// go: the two 7s (tie: the lower block index first, both go), 11, 11.5.
// BLOCK: arith.constant dense<{{\[}}[1.000000e+00, -5.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, -7.000000e+00, 8.000000e+00], [4.000000e+00, 4.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 2.000000e+00, 3.000000e+00], [1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00], [9.000000e+00, 8.000000e+00, 7.000000e+00, 6.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00]]>
// BLOCK: pattern<channels<dim = 1, pruned = [4, 5]>, unstructured<nnz = 16>, nm<4:8, dim = 1>, block<[2, 2], nonzero_blocks = 4>>
//
// exclude= matches the layer name: nothing changes.
// EXCLUDE: arith.constant dense<{{\[}}[1.000000e+00, -5.000000e+00,
// EXCLUDE-NOT: sparsity.annotate
//
// min-kept=3: at 90% per layer (29 of 32), every layer still keeps its 3
// largest weights (9, 8, 8).
// MINKEPT: arith.constant dense<{{\[}}[0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 8.000000e+00], [0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00], [9.000000e+00, 8.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00]]>
func.func @fc(%x: tensor<2x8xf32>) -> tensor<2x4xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<[[1.0, -5.0, 3.0, 2.0, 0.5, 6.0, -7.0, 8.0], [4.0, 4.0, 1.0, 1.0, 2.0, 3.0, 2.0, 3.0], [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0], [9.0, 8.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0]]> : tensor<4x8xf32>
  %e = tensor.empty() : tensor<2x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>] ins(%x, %w : tensor<2x8xf32>, tensor<4x8xf32>) outs(%f : tensor<2x4xf32>) -> tensor<2x4xf32> loc("fc")
  return %y : tensor<2x4xf32>
}
