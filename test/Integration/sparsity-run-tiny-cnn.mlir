// The bundled pruned CNN computes the same outputs with and without its
// sparsity annotations (sparsity-run strips them as the first pass of its
// pipeline), on two different random inputs, and the annotated program
// written by sparsity-opt is runnable as is.

// RUN: sparsity-opt %sparsity_src_root/models/examples/tiny_cnn.mlir \
// RUN:   --sparsity-annotate -o %t.annotated.mlir
// RUN: FileCheck %s --check-prefix=ANNOTATED < %t.annotated.mlir
// ANNOTATED: sparsity.annotate

// RUN: sparsity-run %t.annotated.mlir --seed=3 \
// RUN:   --compare=%sparsity_src_root/models/examples/tiny_cnn.mlir | FileCheck %s
// RUN: sparsity-run %t.annotated.mlir --seed=11 \
// RUN:   --compare=%sparsity_src_root/models/examples/tiny_cnn.mlir | FileCheck %s
// CHECK: out0 (tensor<1x10xf32>) vs '{{.*}}tiny_cnn.mlir' @main: match

// The comparison is not vacuous: the network's outputs depend on its input
// (two seeds give different outputs).
// RUN: rm -rf %t.s3 && sparsity-run %t.annotated.mlir --seed=3 --output-dir=%t.s3
// RUN: not sparsity-run %sparsity_src_root/models/examples/tiny_cnn.mlir \
// RUN:   --seed=11 --compare=%t.s3/out0.npy | FileCheck %s --check-prefix=DIFF
// DIFF: MISMATCH in 10 of 10 elements
