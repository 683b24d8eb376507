// TOSA input goes through the upstream TOSA-to-linalg pipelines first
// (lower-tosa, on by default): an elementwise add and a clamp, hand-checked.

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/npy.py write %t/a.npy f4 4 1,-2,3,10
// RUN: %python %S/Inputs/npy.py write %t/b.npy f4 4 0.5,0.5,-4,1
// RUN: sparsity-run %s --input=%t/a.npy --input=%t/b.npy --print-outputs \
// RUN:   | FileCheck %s
// a + b = [1.5, -1.5, -1, 11], clamped to [0, 6].
// CHECK: out0: tensor<4xf32> = [1.5, 0, 0, 6]

func.func @main(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %s = tosa.add %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %c = tosa.clamp %s {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  return %c : tensor<4xf32>
}
