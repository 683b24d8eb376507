// A 2-D convolution and math functions on hand-written inputs; the expected
// values are worked out by hand (conv) or are exact values of the functions
// (math.exp(0) = 1, math.tanh(0) = 0, math.erf(0) = 0, sqrt(4) = 2), so the
// libm calls of the pipeline are resolved and called in the JIT.

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/npy.py write %t/img.npy f4 1,1,3,3 1,2,3,4,5,6,7,8,9
// RUN: %python %S/Inputs/npy.py write %t/ker.npy f4 1,1,2,2 1,0,0,1
// RUN: sparsity-run %s --entry=conv --input=%t/img.npy --input=%t/ker.npy \
// RUN:   --print-outputs | FileCheck %s --check-prefix=CONV-CHECK
// The 2x2 diagonal kernel adds each pixel to its lower-right neighbour.
// CONV-CHECK: out0: tensor<1x1x2x2xf32> = [6, 8, 12, 14]

// RUN: %python %S/Inputs/npy.py write %t/m.npy f4 4 0,0,0,4
// RUN: sparsity-run %s --entry=math --input=%t/m.npy --print-outputs \
// RUN:   | FileCheck %s --check-prefix=MATH-CHECK
// MATH-CHECK: out0: tensor<4xf32> = [1, 0, 0, 2]

func.func @conv(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x1x2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
       ins(%x, %w : tensor<1x1x3x3xf32>, tensor<1x1x2x2xf32>) outs(%f : tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
  return %c : tensor<1x1x2x2xf32>
}

// Element 0: exp, 1: tanh, 2: erf, 3: sqrt.
func.func @math(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = linalg.generic {
      indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>],
      iterator_types = ["parallel"]} ins(%x : tensor<4xf32>) outs(%x : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %i = linalg.index 0 : index
    %exp = math.exp %in : f32
    %tanh = math.tanh %in : f32
    %erf = math.erf %in : f32
    %sqrt = math.sqrt %in : f32
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %is0 = arith.cmpi eq, %i, %c0 : index
    %is1 = arith.cmpi eq, %i, %c1 : index
    %is2 = arith.cmpi eq, %i, %c2 : index
    %s2 = arith.select %is2, %erf, %sqrt : f32
    %s1 = arith.select %is1, %tanh, %s2 : f32
    %s0 = arith.select %is0, %exp, %s1 : f32
    linalg.yield %s0 : f32
  } -> tensor<4xf32>
  return %r : tensor<4xf32>
}
