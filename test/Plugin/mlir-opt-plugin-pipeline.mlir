// The default CPU pipeline is available in Debian's own mlir-opt through the
// plugin (either plugin flag registers it), and takes annotated linalg on
// tensors to the LLVM dialect there too.
// REQUIRES: plain-build, upstream-mlir-opt

// RUN: %upstream_mlir_opt %s \
// RUN:   --load-dialect-plugin=%sparsity_libs/libSparsityMLIRPlugin%shlibext \
// RUN:   --load-pass-plugin=%sparsity_libs/libSparsityMLIRPlugin%shlibext \
// RUN:   --pass-pipeline="builtin.module(sparsity-cpu-pipeline)" | FileCheck %s

// CHECK-NOT: sparsity.annotate
// CHECK-NOT: linalg.
// CHECK-LABEL: llvm.func @scale(
// CHECK: llvm.fmul
func.func @scale(%x: tensor<4xf32>) -> tensor<4xf32> {
  %w = arith.constant dense<[1.0, 0.0, 2.0, 0.0]> : tensor<4xf32>
  %a = sparsity.annotate %w pattern<unstructured<nnz = 2>> : tensor<4xf32>
  %r = arith.mulf %x, %a : tensor<4xf32>
  return %r : tensor<4xf32>
}
