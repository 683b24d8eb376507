// The IR --sparsity-lower generates for an x86-avx512 target, per
// implementation, and its remarks when an implementation does not apply.
// Execution is tested in test/Integration/x86.
//
// RUN: sparsity-opt %s "--sparsity-plan=target=x86-avx512 force=dense" --sparsity-lower=target=x86-avx512 2>/dev/null | FileCheck %s --check-prefix=DENSE
// RUN: sparsity-opt %s "--sparsity-plan=target=x86-avx512 force=csr" --sparsity-lower=target=x86-avx512 2>%t.csr.err | FileCheck %s --check-prefix=CSR
// RUN: FileCheck %s --check-prefix=CSR-REMARK < %t.csr.err
// RUN: sparsity-opt %s "--sparsity-plan=target=x86-avx512 force=pattern" --sparsity-lower=target=x86-avx512 2>/dev/null | FileCheck %s --check-prefix=PATTERN
// RUN: sparsity-opt %s "--sparsity-plan=target=x86-avx512 force=bitmap" --sparsity-lower=target=x86-avx512 2>%t.bitmap.err | FileCheck %s --check-prefix=BITMAP
// RUN: FileCheck %s --check-prefix=BITMAP-REMARK < %t.bitmap.err
// RUN: sed 's/"pattern_max_fmas": 65536/"pattern_max_fmas": 10/' %S/../../../targets/x86-avx512.json > %t.guard.json
// RUN: sparsity-opt %s "--sparsity-plan=target=%t.guard.json force=pattern" --sparsity-lower=target=%t.guard.json -o /dev/null 2>&1 | FileCheck %s --check-prefix=GUARD
// A user override that does not apply reaches the lowering, which says why.
// RUN: sed 's/linalg.matmul ins(%%x, %%w : tensor<32x32xf32>/linalg.matmul {sparsity.impl = "bitmap"} ins(%%x, %%w : tensor<32x32xf32>/' %s | sparsity-opt --sparsity-lower=target=x86-avx512 -o /dev/null 2>&1 | FileCheck %s --check-prefix=USER

// dense, FC layout: weight panels packed in a constant global, the register
// tile of FMAs, the panels as a parallel loop, the call between tensors and
// buffers, the output written in place with its initial value added.
// DENSE-DAG: memref.global "private" constant @__sparsity_x86_fc_w : memref<1024xf32>
// DENSE-LABEL: func.func @fc(
// DENSE: %[[A:.*]] = bufferization.to_buffer %{{.*}} read_only
// DENSE: %[[I:.*]] = bufferization.to_buffer %{{.*}} read_only
// DENSE: %[[O:.*]] = memref.alloc() {{.*}} : memref<32x20xf32>
// DENSE: call @__sparsity_x86_fc(%[[A]], %[[I]], %[[O]])
// DENSE: bufferization.to_tensor %[[O]] restrict writable
// DENSE-NOT: linalg.matmul
// DENSE-LABEL: func.func private @__sparsity_x86_fc(
// DENSE-SAME: passthrough = {{\[\[}}"min-legal-vector-width", "512"]
// DENSE: scf.parallel
// DENSE: scf.for {{.*}} iter_args
// DENSE: vector.fma {{.*}} : vector<16xf32>
// DENSE: vector.maskedstore

// csr: row pointers, columns and values; the FC activation is transposed in
// 16x16 register blocks for the activation-row vectors.
// CSR-DAG: memref.global "private" constant @__sparsity_x86_fc_rowptr : memref<21xi32>
// CSR-DAG: memref.global "private" constant @__sparsity_x86_fc_cols : memref<{{[0-9]+}}xi32>
// CSR-DAG: memref.global "private" constant @__sparsity_x86_fc_vals : memref<{{[0-9]+}}xf32>
// CSR-LABEL: func.func private @__sparsity_x86_fc(
// CSR: vector.transpose
// CSR: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// CSR: vector.fma
// The plan already falls back for the batch-1 layer (and says so).
// CSR-REMARK: remark: {{.*}}sparsity-plan: layer 'fc_b1': implementation 'csr' does not apply to it on 'x86-avx512' (applicable: dense, bitmap); planned dense
// CSR-REMARK: sparsity-plan: 2 layers planned for 'x86-avx512', 1 sparse

// pattern: no index arrays, every non-zero an immediate.
// PATTERN-NOT: _rowptr
// PATTERN-LABEL: func.func private @__sparsity_x86_fc(
// PATTERN: arith.constant dense<{{.*}}> : vector<16xf32>
// PATTERN: vector.fma

// bitmap, m = 1: a 16-bit mask per 16 weights of a row, the packed values
// decompressed by expand-loads; the value pointer advances by the mask's
// population count. The values are prefetched 512 ahead (hardware
// prefetchers do not follow the mask-driven stream).
// BITMAP-DAG: memref.global "private" constant @__sparsity_x86_fc_b1_masks : memref<40xi16>
// BITMAP-LABEL: func.func private @__sparsity_x86_fc_b1(
// BITMAP: memref.prefetch %{{.*}}, read, locality<3>, data
// BITMAP: vector.expandload
// BITMAP: math.ctpop
// BITMAP: vector.reduction <add>
// BITMAP-REMARK: remark: {{.*}}sparsity-plan: layer 'fc': implementation 'bitmap' does not apply to it on 'x86-avx512' (applicable: dense, csr, pattern); planned dense

// GUARD: remark: {{.*}}sparsity-plan: layer 'fc': implementation 'pattern' does not apply to it on 'x86-avx512' (applicable: dense, csr); planned dense
// USER: remark: {{.*}}sparsity-lower: layer 'fc' lowered as dense: bitmap is for layers with fewer than 16 activation rows (m = 32)

func.func @fc(%x: tensor<32x32xf32>) -> tensor<32x20xf32> {
  %w = arith.constant dense<[[0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0, 0.0, 0.0], [0.0, 0.0, -1.5, 0.0, -0.5, 0.5, 2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, -1.5, 0.0, 0.0, 0.0, 0.0, 2.0, 0.0, 2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [1.5, 0.0, 0.0, 0.0, -2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -2.0, 0.0, 0.0, 0.0, 2.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.5, 0.0, 0.0, 1.0, 0.0, -0.5, 0.0, 0.0, 0.0, -1.5, -2.0, 0.0], [0.0, 0.0, 0.0, 1.0, 0.0, -2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -1.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, -2.0, 0.0, -2.0, 0.0, -0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0, 0.0, -2.0], [-0.5, 1.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0, 0.0, 0.0, 0.0, 0.0, 1.5, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, -2.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, -1.0, 1.0, 0.0, 0.0, -2.0, 0.0, 2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5], [0.0, -1.5, 0.0, -0.5, 0.0, 1.5, 0.0, 2.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.5, 0.0, 0.0, 0.0, 2.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, -1.5, 0.0, 0.0, 0.0, 0.0, -2.0, 0.0, 0.5, 0.0, 0.0], [0.0, -2.0, 0.5, 0.0, 1.5, 0.0, 0.0, 0.0, -1.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -1.0, 2.0, -0.5], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.5, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.5, -1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -1.0, 0.0, 2.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -1.0, 0.5, 0.0, 2.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.5], [0.0, 0.0, 0.0, 0.0, -1.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [2.0, 0.0, 0.0, 0.0, -1.0, 0.0, 0.0, 1.5, 0.0, 0.0, 0.0, 1.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -1.0, 0.0, 0.0, -1.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, -1.5, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, -1.0, 0.0, -1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, -2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.5, 0.0, 0.0, 0.0], [0.0, 1.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.5], [0.0, 0.0, 0.0, -1.0, -2.0, 0.0, -1.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0, 0.0, -1.5, -1.0, 0.0], [0.0, -1.5, -1.5, 0.0, 0.0, 0.0, 0.0, -1.0, 0.0, 0.0, 0.0, 0.5, 0.0, -0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -1.5], [0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.5, 0.0, 0.0, 2.0, 0.0, 1.5, 0.5, 0.0, 0.0]]> : tensor<32x20xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<32x20xf32>
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<32x20xf32>) -> tensor<32x20xf32>
  %r = linalg.matmul ins(%x, %w : tensor<32x32xf32>, tensor<32x20xf32>) outs(%i : tensor<32x20xf32>) -> tensor<32x20xf32> loc("fc")
  return %r : tensor<32x20xf32>
}

func.func @fc_b1(%x: tensor<1x32xf32>) -> tensor<1x20xf32> {
  %w = arith.constant dense<[[0.0, 1.0, 0.0, 0.0, -1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -1.5, 0.0], [0.0, 0.0, 0.0, 0.0, -1.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.5, 0.0, 0.0, 0.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, -1.5, -2.0], [0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, -1.0, 0.0, 0.0, -2.0, 0.0, 0.0, 0.5, 0.0, 0.0, 1.5, 0.0, -1.0, 0.0, 0.0, 0.0, 0.0, -1.5, -1.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 1.0, 0.0, -0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, -0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 1.5, 0.0, -0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 1.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0], [1.0, 0.0, -1.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.5, 0.0, 0.0, 1.5, 0.0, 0.0, 0.0, 0.0, -1.5, 0.0, 1.5, 0.0], [-2.0, -1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -1.5, 0.0, -0.5, 0.0, 0.0, 0.0, 1.5, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.5, 0.0], [0.0, 0.0, 0.0, 0.0, -2.0, 0.0, 0.0, 0.0, 0.0, -2.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, -2.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, -1.0, 1.5, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -1.0, 0.0, 0.0, 0.0, 0.0, 1.5, -1.5], [-1.5, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [1.5, 0.0, 0.0, -2.0, 0.0, 0.0, -1.5, 0.0, 0.0, 0.0, 0.0, 0.0, -1.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, -2.0, 0.0, 0.0, 0.0, 0.0, 0.0, -1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -2.0], [0.0, 0.0, -1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.5, 0.0, 0.0, 1.5, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, -0.5, 0.0, 0.0, -0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -1.5, 0.0, 0.0, 2.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [-1.5, 0.5, -1.0, 0.0, 0.0, 0.0, 0.0, -1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, -0.5, 1.5, 0.0, 0.0, 0.0], [0.0, 1.0, 2.0, 0.0, 0.0, -2.0, 0.0, 1.5, 0.0, 0.0, 0.0, -2.0, -1.5, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0], [0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.5, 0.0, 0.0, -0.5, 1.0], [0.0, 0.0, -0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 1.5, 0.0, -0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -1.0], [0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.5, 0.0, 0.5, -2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.5, 0.0, 0.0, 0.0, 0.0], [0.0, -0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -1.0, 0.0, 0.0, 0.0, 0.0], [-2.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -1.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]]> : tensor<32x20xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x20xf32>
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<1x20xf32>) -> tensor<1x20xf32>
  %r = linalg.matmul ins(%x, %w : tensor<1x32xf32>, tensor<32x20xf32>) outs(%i : tensor<1x20xf32>) -> tensor<1x20xf32> loc("fc_b1")
  return %r : tensor<1x20xf32>
}
