// A 2x3 by 3x2 matmul on hand-written inputs; the expected product is worked
// out by hand: [[1,2,3],[4,5,6]] x [[7,8],[9,10],[11,12]] =
// [[58,64],[139,154]].

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/npy.py write %t/a.npy f4 2,3 1,2,3,4,5,6
// RUN: %python %S/Inputs/npy.py write %t/b.npy f4 3,2 7,8,9,10,11,12
// RUN: %python %S/Inputs/npy.py write %t/expected.npy f4 2,2 58,64,139,154
// RUN: %python %S/Inputs/npy.py write %t/wrong.npy f4 2,2 58,64,139,155

// RUN: sparsity-run %s --input=%t/a.npy --input=%t/b.npy --print-outputs \
// RUN:   --output-dir=%t/out --compare=%t/expected.npy | FileCheck %s
// CHECK: out0: tensor<2x2xf32> = [58, 64, 139, 154]
// CHECK: out0 (tensor<2x2xf32>) vs '{{.*}}expected.npy': match (max abs err 0, max rel err 0; rtol 0.0001, atol 1e-05)

// The same values without LLVM optimization, and at -O3.
// RUN: sparsity-run %s --input=%t/a.npy --input=%t/b.npy --print-outputs \
// RUN:   --opt-level=0 | FileCheck %s --check-prefix=O0
// RUN: sparsity-run %s --input=%t/a.npy --input=%t/b.npy --print-outputs \
// RUN:   --opt-level=3 | FileCheck %s --check-prefix=O0
// O0: out0: tensor<2x2xf32> = [58, 64, 139, 154]

// The written file, read back by an independent reader.
// RUN: %python %S/Inputs/npy.py dump %t/out/out0.npy | FileCheck %s --check-prefix=DUMP
// DUMP: <f4 (2, 2): 58 64 139 154

// One wrong element: exit code 1, the first mismatching index and the error.
// RUN: sh %S/Inputs/exit-code.sh sparsity-run %s --input=%t/a.npy \
// RUN:   --input=%t/b.npy --compare=%t/wrong.npy | FileCheck %s --check-prefix=WRONG
// WRONG: out0 (tensor<2x2xf32>) vs '{{.*}}wrong.npy': MISMATCH in 1 of 4 elements, first at [1, 1]: got 154, expected 155 (max abs err 1, max rel err 0.0064516129; rtol 0.0001, atol 1e-05)
// WRONG: sparsity-run: results do not match the reference
// WRONG: exit code: 1

// A tolerance wide enough to accept it.
// RUN: sparsity-run %s --input=%t/a.npy --input=%t/b.npy \
// RUN:   --compare=%t/wrong.npy --atol=1 | FileCheck %s --check-prefix=LOOSE
// LOOSE: match (max abs err 1, max rel err 0.0064516129; rtol 0.0001, atol 1)

func.func @main(%a: tensor<2x3xf32>, %b: tensor<3x2xf32>) -> tensor<2x2xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %c = linalg.matmul ins(%a, %b : tensor<2x3xf32>, tensor<3x2xf32>)
                     outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %c : tensor<2x2xf32>
}
