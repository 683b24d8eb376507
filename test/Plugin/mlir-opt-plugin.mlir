// Debian's own mlir-opt (not ours) loads the plugin: the dialect through
// --load-dialect-plugin, the passes through --load-pass-plugin.
// The sanitized build cannot dlopen an ASan plugin into an uninstrumented
// mlir-opt, so this test runs in the plain suite only.
// REQUIRES: plain-build, upstream-mlir-opt

// RUN: %upstream_mlir_opt %s \
// RUN:   --load-dialect-plugin=%sparsity_libs/libSparsityMLIRPlugin%shlibext \
// RUN:   | FileCheck %s --check-prefix=PARSE
// RUN: %upstream_mlir_opt %s \
// RUN:   --load-dialect-plugin=%sparsity_libs/libSparsityMLIRPlugin%shlibext \
// RUN:   --load-pass-plugin=%sparsity_libs/libSparsityMLIRPlugin%shlibext \
// RUN:   --pass-pipeline="builtin.module(sparsity-annotate)" \
// RUN:   | FileCheck %s --check-prefix=PASS

// PARSE-LABEL: func.func @annotated_weight
// PARSE: sparsity.annotate %{{.*}} pattern<channels<dim = 0, pruned = [1]>, unstructured<nnz = 2>> : tensor<2x2xf32>
func.func @annotated_weight(%w: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %0 = sparsity.annotate %w pattern<channels<dim = 0, pruned = [1]>, unstructured<nnz = 2>> : tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// PASS-LABEL: func.func @constant_weight
// PASS: %[[W:.*]] = arith.constant
// PASS: %[[A:.*]] = sparsity.annotate %[[W]] pattern<channels<dim = 1, pruned = [1]>, unstructured<nnz = 2>> : tensor<2x2xf32>
// PASS: linalg.matmul ins(%{{.*}}, %[[A]] :
func.func @constant_weight(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w = arith.constant dense<[[1.0, 0.0], [2.0, 0.0]]> : tensor<2x2xf32>
  %init = tensor.empty() : tensor<3x2xf32>
  %r = linalg.matmul ins(%x, %w : tensor<3x2xf32>, tensor<2x2xf32>)
                     outs(%init : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %r : tensor<3x2xf32>
}
