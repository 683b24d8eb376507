// How the x86-avx512 kernels read a convolution's activation
// (getX86ActLayout): in place row by row when the horizontal stride is 1
// and the output rows fill at least 85% of their 16-lane vectors (width
// 14: per-k offsets in an i32 table, no staging buffer), else through a
// staged im2col buffer [K][Mp] (width 7; horizontal stride 2). Execution of
// both is tested in test/Integration/x86.
//
// RUN: sparsity-opt %s "--sparsity-plan=target=x86-avx512 force=dense" --sparsity-lower=target=x86-avx512 2>/dev/null | FileCheck %s
// RUN: sparsity-opt %s "--sparsity-plan=target=x86-avx512 force=csr" --sparsity-lower=target=x86-avx512 2>/dev/null | FileCheck %s --check-prefix=CSR

// CHECK-DAG: memref.global "private" constant @[[KOFF:__sparsity_x86_.*_koff]] : memref<36xi32> = dense<[0, 1, 2, 16, 17, 18, 32, 33, 34, 256,
// CHECK-LABEL: func.func private @{{.*}}(%arg0: memref<1x4x16x16xf32>
// CHECK-NOT: memref.alloc
// CHECK: memref.get_global @[[KOFF]]
// CHECK-NOT: memref.alloc
// CHECK: return
// 7-wide rows: staged, 36 x 64 (49 positions padded to 64).
// CHECK-LABEL: func.func private @{{.*}}(%arg0: memref<1x4x9x9xf32>
// CHECK-NOT: _koff
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<2304xf32>
// CHECK: return
// Horizontal stride 2: staged, 36 x 64.
// CHECK-LABEL: func.func private @{{.*}}(%arg0: memref<1x4x17x17xf32>
// CHECK-NOT: _koff
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<2304xf32>
// CHECK: return

// csr keeps the offsets as its column table (i32, little-endian hex): in
// place 0, 1, 2, 16, 17, 18, ... for the 14-wide layer, k * 64 (the staged
// rows) for the other two; no separate offset table.
// CSR-NOT: _koff
// CSR-DAG: _cols : memref<288xi32> = dense<"0x000000000100000002000000100000001100000012000000
// CSR-DAG: _cols : memref<288xi32> = dense<"0x000000004000000080000000C0000000
// CSR-NOT: _koff

func.func @wide(%x: tensor<1x4x16x16xf32>) -> tensor<1x8x14x14xf32> {
  %w = arith.constant dense<0.5> : tensor<8x4x3x3xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x14x14xf32>
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<1x8x14x14xf32>) -> tensor<1x8x14x14xf32>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x4x16x16xf32>, tensor<8x4x3x3xf32>) outs(%i : tensor<1x8x14x14xf32>) -> tensor<1x8x14x14xf32>
  return %r : tensor<1x8x14x14xf32>
}

func.func @narrow(%x: tensor<1x4x9x9xf32>) -> tensor<1x8x7x7xf32> {
  %w = arith.constant dense<0.5> : tensor<8x4x3x3xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x7x7xf32>
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<1x8x7x7xf32>) -> tensor<1x8x7x7xf32>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x4x9x9xf32>, tensor<8x4x3x3xf32>) outs(%i : tensor<1x8x7x7xf32>) -> tensor<1x8x7x7xf32>
  return %r : tensor<1x8x7x7xf32>
}

func.func @strided(%x: tensor<1x4x17x17xf32>) -> tensor<1x8x8x8xf32> {
  %w = arith.constant dense<0.5> : tensor<8x4x3x3xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x8x8xf32>
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x4x17x17xf32>, tensor<8x4x3x3xf32>) outs(%i : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  return %r : tensor<1x8x8x8xf32>
}
