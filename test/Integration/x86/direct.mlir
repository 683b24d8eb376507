// Execution of the x86 kernels that read a convolution's activation in
// place (no im2col): NCHW convolutions of unit horizontal stride whose
// output rows fill at least 85% of their 16-lane vectors. Each tile covers
// whole output rows (14 wide: 1 vector per row, several rows per tile; 30
// wide: 2 vectors, the second 14 lanes), or part of one (72 wide: 5
// vectors, more than the dense tile's 4, so 2 tiles per row); the last
// vector of a row is masked on load and store. The depthwise case adds a
// per-group offset. dense, csr and pattern run at 1 and 2 threads; each
// result is compared with the unlowered module (rtol 1e-4). Weights are
// seeded, 60% zeros (30% for the depthwise filter).
//
// REQUIRES: avx512
// RUN: for impl in dense csr pattern; do \
// RUN:   sparsity-opt %s "--sparsity-plan=target=x86-avx512 force=$impl" --sparsity-lower=target=x86-avx512 -o %t.$impl.mlir 2>/dev/null || exit 1; \
// RUN:   for f in conv3x3_w14 conv3x3_w30 conv3x3_w72 depthwise_w14; do \
// RUN:     sparsity-run %t.$impl.mlir --entry $f --compare %s --seed 5 || exit 1; \
// RUN:     sparsity-run %t.$impl.mlir --entry $f --compare %s --seed 6 --num-threads 2 || exit 1; \
// RUN:   done; \
// RUN: done | FileCheck %s
// RUN: FileCheck %s --check-prefix=IR < %t.dense.mlir

// Three implementations, four functions, two thread counts.
// CHECK-COUNT-24: out0 ({{.*}}) vs '{{.*}}direct.mlir' @{{.*}}: match
// CHECK-NOT: MISMATCH

// The kernels read the activation through per-k offsets, with masked
// loads of the partial vectors. The tensor.pad in front of a convolution
// is done by its kernel (it takes the unpadded input, zeroes a padded
// buffer and copies the input into it); nothing else is staged.
// IR-DAG: memref.global "private" constant @__sparsity_x86_{{.*}}_koff : memref<36xi32>
// IR-DAG: memref.global "private" constant @__sparsity_x86_{{.*}}_goff : memref<6xi32>
// IR-NOT: tensor.pad
// IR-LABEL: func.func private @__sparsity_x86_{{.*}}(%arg0: memref<1x4x14x14xf32>
// IR: %[[P:.*]] = memref.alloc() {alignment = 64 : i64} : memref<1024xf32>
// IR: linalg.fill {{.*}} outs(%[[P]] : memref<1024xf32>)
// IR: vector.store {{.*}}, %[[P]][
// IR-NOT: memref.alloc
// IR: vector.maskedload %[[P]][
// IR-LABEL: func.func private @__sparsity_x86_{{.*}}(%arg0: memref<1x6x16x16xf32>
// IR: %[[X:.*]] = memref.collapse_shape %arg0
// IR-NOT: memref.alloc
// IR: vector.maskedload %[[X]][
// IR-NOT: memref.alloc
// IR: return

func.func @conv3x3_w14(%x: tensor<1x4x14x14xf32>) -> tensor<1x10x14x14xf32> {
  %w = arith.constant dense<[[[[0.0, -1.25, 0.0], [0.0, 0.25, 0.25], [0.75, 0.0, 0.0]], [[0.0, 0.0, 0.0], [0.0, -1.5, 0.25], [-1.25, 0.0, 1.5]], [[0.0, 0.5, 0.0], [0.0, -1.25, 0.0], [0.0, 0.5, 0.0]], [[-0.75, 0.0, 0.0], [0.0, 0.0, 0.0], [0.5, 0.0, 0.0]]], [[[0.0, 0.0, 1.0], [0.0, 1.5, 0.0], [0.0, 0.0, 0.0]], [[0.25, 0.0, 0.0], [0.0, -0.5, 1.5], [0.0, 0.0, -0.75]], [[0.25, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], [[-0.75, -1.5, 0.0], [0.0, 0.0, -0.75], [-0.25, 0.0, -1.25]]], [[[1.25, 0.0, -1.5], [0.0, 0.0, 0.0], [0.0, -1.0, 0.25]], [[-1.5, 0.0, 0.0], [-0.25, -0.5, 0.75], [0.0, -0.5, 0.0]], [[0.0, 0.0, 0.75], [0.0, 1.25, 0.0], [0.0, -1.0, 0.0]], [[0.0, 0.0, -0.25], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]], [[[0.0, 0.0, 0.0], [0.0, -1.5, -0.5], [1.5, -0.5, 0.0]], [[0.0, 0.0, 0.0], [0.0, -1.5, 0.0], [0.0, 0.0, 0.0]], [[0.0, 0.0, 0.5], [0.0, 0.0, 0.0], [0.0, -1.5, 0.0]], [[0.25, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]], [[[0.0, -1.25, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], [[0.0, 0.0, 1.25], [1.5, -1.0, 0.0], [-0.5, 0.0, 0.0]], [[-0.25, 1.5, -0.5], [1.5, 0.0, 0.0], [0.0, 0.0, 0.0]], [[-0.5, 0.0, 0.0], [1.25, 0.0, -1.25], [0.0, 0.0, -0.25]]], [[[1.5, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, -1.25]], [[0.0, 1.25, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], [[0.0, 0.0, -1.0], [0.0, 0.0, -0.25], [0.0, 0.0, 0.0]], [[1.25, -1.0, 0.75], [0.0, 0.0, -1.5], [-0.5, 0.5, -1.0]]], [[[0.0, 0.0, -1.25], [-1.25, 0.0, -0.75], [0.0, 0.0, 0.0]], [[0.0, 0.5, 1.25], [-0.5, 0.0, 0.0], [-1.0, 0.0, 0.0]], [[0.0, 0.0, 0.0], [0.25, -0.5, 0.0], [-1.5, -1.5, 0.0]], [[-1.25, 0.0, 0.25], [0.0, 0.0, 0.0], [-0.5, 0.0, 0.0]]], [[[0.0, 0.0, 0.0], [-1.25, 0.0, 0.0], [0.0, 0.0, -1.25]], [[0.0, 0.25, 0.0], [-1.25, 0.0, 1.25], [0.25, 0.0, 1.5]], [[-0.25, 0.0, -0.25], [0.0, 0.0, -1.5], [0.0, 1.0, 0.0]], [[0.5, 0.0, -1.25], [0.75, 0.0, 0.0], [0.0, 0.0, 0.0]]], [[[0.0, 0.0, 0.25], [0.0, 1.0, 0.0], [0.5, -0.75, 0.0]], [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], [[0.25, 0.0, 0.0], [0.0, 0.5, 0.25], [-1.5, -0.75, 0.0]], [[0.5, 0.0, 0.0], [1.5, 0.75, 0.0], [0.0, 0.0, 0.0]]], [[[0.5, -0.25, 0.0], [0.25, 0.0, 0.0], [0.75, 0.0, 0.0]], [[0.0, 0.0, 1.5], [-1.0, 0.0, 0.5], [-0.5, -1.25, 0.25]], [[0.0, -1.5, 0.0], [-1.0, 0.0, 1.0], [0.0, 1.0, -0.75]], [[0.5, 0.5, 1.25], [0.0, 0.0, 0.0], [-0.75, -0.5, 0.0]]]]> : tensor<10x4x3x3xf32>
  %c0 = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b2: index, %c: index, %d: index):
    tensor.yield %c0 : f32
  } : tensor<1x4x14x14xf32> to tensor<1x4x16x16xf32>
  %z = arith.constant 0.5 : f32
  %e = tensor.empty() : tensor<1x10x14x14xf32>
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<1x10x14x14xf32>) -> tensor<1x10x14x14xf32>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %w : tensor<1x4x16x16xf32>, tensor<10x4x3x3xf32>) outs(%i : tensor<1x10x14x14xf32>) -> tensor<1x10x14x14xf32>
  return %r : tensor<1x10x14x14xf32>
}

func.func @conv3x3_w30(%x: tensor<1x3x5x30xf32>) -> tensor<1x8x5x30xf32> {
  %w = arith.constant dense<[[[[0.25, 0.0, 0.0], [0.0, 0.75, 0.0], [1.0, 0.0, 0.0]], [[0.5, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, -1.25]], [[0.0, 0.0, 0.0], [0.0, 0.0, -1.0], [0.0, -0.75, 0.5]]], [[[0.0, 0.0, -0.5], [0.0, 1.0, 0.0], [-1.5, -0.25, 0.0]], [[-1.25, 0.0, 0.0], [0.0, 0.0, 0.75], [0.0, 1.5, 0.0]], [[1.5, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.5, 0.0]]], [[[-1.0, 0.0, 0.5], [0.0, 0.75, -0.25], [0.5, 0.0, 0.0]], [[0.0, 1.5, -1.5], [0.0, 0.0, -0.25], [0.0, -1.0, 0.0]], [[0.0, 0.0, 0.0], [1.5, 1.0, 0.0], [0.0, 1.5, 0.0]]], [[[0.0, 1.5, 0.0], [0.0, 0.25, -0.75], [0.0, 0.0, 0.0]], [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.75, 0.0, 0.0]], [[-1.5, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]], [[[1.5, 0.0, 0.5], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], [[-0.25, 0.0, 0.25], [0.0, 0.0, 0.0], [-1.25, 0.0, 0.0]], [[0.0, -1.0, 0.5], [-1.0, 0.0, -1.0], [0.0, 0.0, 1.25]]], [[[0.0, 0.0, -1.0], [0.0, 0.0, 0.0], [0.0, 0.0, -0.5]], [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], [[0.0, 0.0, 1.25], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]], [[[0.0, -1.5, 0.0], [0.0, 0.0, 0.0], [1.5, 0.0, 0.0]], [[0.0, 0.0, 0.0], [0.0, 0.5, 1.0], [0.0, 0.0, 0.0]], [[0.0, 1.25, 0.0], [-1.25, 0.0, 0.0], [0.0, 0.0, 0.5]]], [[[0.25, 0.0, 0.0], [0.0, 1.5, 0.0], [0.0, 0.0, 0.75]], [[1.0, 0.0, 0.0], [-1.25, 0.0, 0.0], [0.0, 0.0, 0.0]], [[0.0, 0.0, 0.0], [0.0, -1.5, 0.0], [0.0, 0.0, 0.75]]]]> : tensor<8x3x3x3xf32>
  %c0 = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b2: index, %c: index, %d: index):
    tensor.yield %c0 : f32
  } : tensor<1x3x5x30xf32> to tensor<1x3x7x32xf32>
  %z = arith.constant 0.5 : f32
  %e = tensor.empty() : tensor<1x8x5x30xf32>
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<1x8x5x30xf32>) -> tensor<1x8x5x30xf32>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %w : tensor<1x3x7x32xf32>, tensor<8x3x3x3xf32>) outs(%i : tensor<1x8x5x30xf32>) -> tensor<1x8x5x30xf32>
  return %r : tensor<1x8x5x30xf32>
}

func.func @conv3x3_w72(%x: tensor<1x2x3x72xf32>) -> tensor<1x7x3x72xf32> {
  %w = arith.constant dense<[[[[0.0, 0.0, 1.5], [0.5, 1.25, 0.0], [0.0, 0.0, 0.0]], [[0.0, 1.25, 0.0], [1.5, 0.0, 0.0], [0.0, -1.5, 0.5]]], [[[0.0, 0.0, -1.25], [0.0, 0.0, 1.25], [-0.75, 0.0, 0.0]], [[1.5, 0.0, 1.5], [0.5, -1.5, -0.25], [-0.5, 0.0, 0.0]]], [[[0.0, 0.0, 1.0], [0.0, 0.75, 0.0], [-1.25, -1.5, 0.0]], [[-0.75, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.75]]], [[[0.0, 1.25, 0.0], [-0.75, 0.0, 1.25], [0.0, -0.75, 0.0]], [[-0.5, 0.0, -1.5], [-1.5, 0.0, 0.0], [0.25, 1.5, -1.5]]], [[[0.0, 0.25, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], [[-1.0, 0.0, 0.0], [-1.5, 0.25, 0.0], [1.0, 0.0, 0.0]]], [[[0.0, 0.0, 0.0], [0.0, 0.0, 0.25], [0.5, 0.0, 0.0]], [[-1.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0]]], [[[0.0, 0.0, 0.0], [0.0, -1.0, 0.0], [0.0, 0.75, 1.5]], [[0.0, 0.25, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]]]> : tensor<7x2x3x3xf32>
  %c0 = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b2: index, %c: index, %d: index):
    tensor.yield %c0 : f32
  } : tensor<1x2x3x72xf32> to tensor<1x2x5x74xf32>
  %z = arith.constant 0.5 : f32
  %e = tensor.empty() : tensor<1x7x3x72xf32>
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<1x7x3x72xf32>) -> tensor<1x7x3x72xf32>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %w : tensor<1x2x5x74xf32>, tensor<7x2x3x3xf32>) outs(%i : tensor<1x7x3x72xf32>) -> tensor<1x7x3x72xf32>
  return %r : tensor<1x7x3x72xf32>
}

func.func @depthwise_w14(%x: tensor<1x6x16x16xf32>) -> tensor<1x6x14x14xf32> {
  %w = arith.constant dense<[[[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.5, -0.5, 0.0]], [[0.75, -1.25, 0.0], [-0.75, 0.25, 0.0], [0.75, 0.0, -0.75]], [[0.0, 0.0, 1.0], [1.0, 0.75, -0.25], [1.0, -0.75, 0.75]], [[-1.5, 0.75, 0.0], [0.0, 0.0, 0.0], [-1.5, 0.0, 0.0]], [[-1.5, 1.5, -1.5], [-1.5, -1.0, -1.25], [0.0, 0.0, 0.0]], [[0.0, 0.75, -0.25], [0.0, 0.0, -0.5], [-1.5, 0.75, -1.0]]]> : tensor<6x3x3xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x6x14x14xf32>
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<1x6x14x14xf32>) -> tensor<1x6x14x14xf32>
  %r = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x6x16x16xf32>, tensor<6x3x3xf32>) outs(%i : tensor<1x6x14x14xf32>) -> tensor<1x6x14x14xf32>
  return %r : tensor<1x6x14x14xf32>
}
