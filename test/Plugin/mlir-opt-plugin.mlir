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
// The report and the pruning pass work inside mlir-opt too.
// RUN: %upstream_mlir_opt %s \
// RUN:   --load-dialect-plugin=%sparsity_libs/libSparsityMLIRPlugin%shlibext \
// RUN:   --load-pass-plugin=%sparsity_libs/libSparsityMLIRPlugin%shlibext \
// RUN:   --pass-pipeline="builtin.module(sparsity-report{format=csv})" \
// RUN:   -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: %upstream_mlir_opt %s \
// RUN:   --load-dialect-plugin=%sparsity_libs/libSparsityMLIRPlugin%shlibext \
// RUN:   --load-pass-plugin=%sparsity_libs/libSparsityMLIRPlugin%shlibext \
// RUN:   --pass-pipeline="builtin.module(sparsity-prune{target=0.75})" \
// RUN:   2>&1 | FileCheck %s --check-prefix=PRUNE
// The planner and the npu-ref lowering too.
// RUN: %upstream_mlir_opt %s \
// RUN:   --load-dialect-plugin=%sparsity_libs/libSparsityMLIRPlugin%shlibext \
// RUN:   --load-pass-plugin=%sparsity_libs/libSparsityMLIRPlugin%shlibext \
// RUN:   --pass-pipeline="builtin.module(sparsity-plan{target=npu-ref-g1},sparsity-lower)" \
// RUN:   2>&1 | FileCheck %s --check-prefix=LOWER

// PARSE-LABEL: func.func @annotated_weight
// PARSE: sparsity.annotate %{{.*}} pattern<channels<dim = 0, pruned = [1]>, unstructured<nnz = 2>> : tensor<2x2xf32>
func.func @annotated_weight(%w: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %0 = sparsity.annotate %w pattern<channels<dim = 0, pruned = [1]>, unstructured<nnz = 2>> : tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// REPORT: TOTAL,,,,4,2,0.500000,,12,6,0,6,0,0.500000,,,,
// REPORT: remark: sparsity report: 1 layers, s_param = 50.00% (2 of 4 weights zero), s_op = 50.00% (6 of 12 MACs saved), 12 MACs in all, 0 not counted
// PRUNE: remark: sparsity-prune: 1 layers changed; s_param = 75.00% (3 of 4 weights zero)
// PRUNE: arith.constant dense<{{\[}}[0.000000e+00, 0.000000e+00], [2.000000e+00, 0.000000e+00]]>

// LOWER: remark: sparsity-plan: 1 layers planned for 'npu-ref-g1'
// LOWER-LABEL: func.func @constant_weight
// LOWER: npu_ref.gemm

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
