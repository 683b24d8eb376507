// The default CPU pipeline is a named pipeline of sparsity-opt too, and
// sparsity-run prints it. On the annotated example it leaves LLVM dialect
// only, with the results turned into out-params.

// RUN: sparsity-opt %sparsity_src_root/models/examples/tiny_cnn.mlir \
// RUN:   --sparsity-annotate --sparsity-cpu-pipeline | FileCheck %s
// CHECK-NOT: sparsity.annotate
// CHECK-NOT: linalg.
// CHECK-NOT: memref.
// CHECK-NOT: unrealized_conversion_cast
// CHECK-LABEL: llvm.func @main(
// CHECK-SAME: %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: i64
// CHECK-NOT: -> !llvm.struct
// CHECK: llvm.fmul

// RUN: sparsity-opt %sparsity_src_root/models/examples/tiny_cnn.mlir \
// RUN:   --pass-pipeline="builtin.module(sparsity-cpu-pipeline{fuse-elementwise=false lower-tosa=false})" \
// RUN:   | FileCheck %s --check-prefix=OPTS
// OPTS: llvm.func @main(

// RUN: sparsity-run --print-pipeline | FileCheck %s --check-prefix=PRINT
// PRINT: builtin.module(sparsity-strip-annotations,{{.*}}one-shot-bufferize{{.*}}buffer-results-to-out-params{{.*}}convert-linalg-to-loops{{.*}}convert-to-llvm{{.*}}reconcile-unrealized-casts)

// RUN: sparsity-run --help | FileCheck %s --check-prefix=HELP
// HELP: --atol=<number>
// HELP: --bench=<N>
// HELP: --compare=<ref.mlir|out.npy>
// HELP: --entry=<name>
// HELP: --input=<file.npy>
// HELP: --output-dir=<DIR>
// HELP: --rtol=<number>
// HELP: --seed=<N>

// --print-pipeline shows the pipeline as --num-threads builds it: OpenMP
// worksharing for more than one thread, none for one.
// RUN: sparsity-run --print-pipeline --num-threads 2 | FileCheck %s --check-prefix=THREADS
// THREADS: convert-scf-to-openmp{num-threads=2}
// THREADS: convert-openmp-to-llvm
// RUN: sparsity-run --print-pipeline | FileCheck %s --check-prefix=ONE
// ONE-NOT: openmp
