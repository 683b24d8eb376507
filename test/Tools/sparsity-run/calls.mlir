// An entry that calls a private multi-result helper and returns a constant:
// every function's results become out-params, and a returned global is
// copied into the caller's buffer. x = [3, -1]: 2x = [6, -2], x*x = [9, 1],
// sum = [15, -1].

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/npy.py write %t/x.npy f4 2 3,-1
// RUN: sparsity-run %s --input=%t/x.npy --print-outputs | FileCheck %s
// The program can come from standard input.
// RUN: sparsity-run - --input=%t/x.npy --print-outputs < %s | FileCheck %s
// CHECK: out0: tensor<2xf32> = [15, -1]
// CHECK: out1: tensor<2xf32> = [6, -2]
// CHECK: out2: tensor<3xi32> = [7, 8, 9]

func.func private @helper(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  %y = arith.addf %x, %x : tensor<2xf32>
  %z = arith.mulf %x, %x : tensor<2xf32>
  return %y, %z : tensor<2xf32>, tensor<2xf32>
}
func.func @main(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<3xi32>) {
  %y, %z = func.call @helper(%x) : (tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>)
  %s = arith.addf %y, %z : tensor<2xf32>
  %c = arith.constant dense<[7, 8, 9]> : tensor<3xi32>
  return %s, %y, %c : tensor<2xf32>, tensor<2xf32>, tensor<3xi32>
}
