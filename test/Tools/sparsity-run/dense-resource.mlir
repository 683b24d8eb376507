// Weights as dense_resource blobs (what the ONNX importer and torch-mlir
// emit) lower and run: x + [1, 2, 3, 4], hand-checked.

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/npy.py write %t/x.npy f4 4 0,0,0,10
// RUN: sparsity-run %s --input=%t/x.npy --print-outputs | FileCheck %s
// CHECK: out0: tensor<4xf32> = [1, 2, 3, 14]

func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %w = arith.constant dense_resource<weights> : tensor<4xf32>
  %r = arith.addf %x, %w : tensor<4xf32>
  return %r : tensor<4xf32>
}

// Four little-endian f32 (1, 2, 3, 4) after the 4-byte alignment prefix.
{-#
  dialect_resources: {
    builtin: {
      weights: "0x040000000000803F000000400000404000008040"
    }
  }
#-}
