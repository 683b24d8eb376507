// The same kernels on 2 OpenMP threads (sparsity-cpu-pipeline{threads=2}):
// the parallel loops split m tiles and weight-row chunks, the staging copies
// their outermost loop; every result matches the unlowered module.
//
// REQUIRES: avx512, openmp
// RUN: for impl in dense csr pattern bitmap; do \
// RUN:   sparsity-opt %S/layers.mlir "--sparsity-plan=target=x86-avx512 force=$impl" --sparsity-lower=target=x86-avx512 -o %t.$impl.mlir 2>/dev/null || exit 1; \
// RUN:   for f in fc_bias conv3x3 conv3x3_s2 depthwise fc_b1 fc_b3; do \
// RUN:     sparsity-run %t.$impl.mlir --entry $f --compare %S/layers.mlir --seed 5 --num-threads 2 || exit 1; \
// RUN:   done; \
// RUN: done | FileCheck %s
// RUN: sparsity-opt %t.csr.mlir "--sparsity-cpu-pipeline=threads=2" | FileCheck %s --check-prefix=OMP

// CHECK-COUNT-24: out0 ({{.*}}) vs '{{.*}}layers.mlir' @{{.*}}: match
// CHECK-NOT: MISMATCH

// OMP: omp.parallel
// OMP: omp.wsloop
