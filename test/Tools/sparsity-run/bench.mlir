// --bench N prints one line with the median, minimum and maximum latency of
// N timed calls (the format only: timings are never asserted), after the
// results have been checked.

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/npy.py write %t/x.npy f32 4 1,-2,3,-4
// RUN: %python %S/Inputs/npy.py write %t/expected.npy f32 4 2,0,6,0
// RUN: sparsity-run %s --input=%t/x.npy --compare=%t/expected.npy --bench 3 \
// RUN:   | FileCheck %s
// CHECK: out0 (tensor<4xf32>) vs '{{.*}}expected.npy': match
// CHECK-NEXT: bench @main: 3 iterations after 1 warm-up: median {{[0-9]+\.[0-9]+}} ms, min {{[0-9]+\.[0-9]+}} ms, max {{[0-9]+\.[0-9]+}} ms

// relu(2x): the function writes its result into a fresh buffer each call,
// and repeated calls see the original inputs.
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %zero = arith.constant 0.0 : f32
  %two = arith.constant 2.0 : f32
  %r = linalg.generic {
      indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>],
      iterator_types = ["parallel"]} ins(%x : tensor<4xf32>) outs(%x : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %d = arith.mulf %in, %two : f32
    %m = arith.maximumf %d, %zero : f32
    linalg.yield %m : f32
  } -> tensor<4xf32>
  return %r : tensor<4xf32>
}
