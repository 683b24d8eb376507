// The bundled example, annotated, goes all the way down to the LLVM dialect
// with the upstream passes sparsity-opt registers (bufferization, linalg,
// memref, affine, scf, cf, ConvertToLLVM).

// RUN: sparsity-opt %sparsity_src_root/models/examples/tiny_cnn.mlir \
// RUN:   --sparsity-annotate --sparsity-strip-annotations \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries" \
// RUN:   --convert-linalg-to-loops --expand-strided-metadata --lower-affine \
// RUN:   --convert-scf-to-cf --convert-to-llvm --reconcile-unrealized-casts \
// RUN:   | FileCheck %s

// CHECK-NOT: sparsity.annotate
// CHECK-NOT: linalg.
// CHECK-NOT: unrealized_conversion_cast
// CHECK: llvm.func @main(
// CHECK: llvm.fmul
// CHECK: llvm.fadd
