// Entry functions sparsity-run must reject, one per reason (see
// ../errors.mlir), next to a valid @ok.
func.func @ok(%x: tensor<2xf32>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}
func.func @dynamic(%x: tensor<?xf32>) -> tensor<?xf32> {
  return %x : tensor<?xf32>
}
func.func @memref_arg(%x: tensor<2xf32>, %m: memref<2xf32>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}
func.func @bool_arg(%x: tensor<2xi1>) -> tensor<2xf32> {
  %c = arith.constant dense<1.0> : tensor<2xf32>
  return %c : tensor<2xf32>
}
func.func @bad_result(%x: tensor<2xf32>) -> tensor<2xbf16> {
  %c = arith.constant dense<1.0> : tensor<2xbf16>
  return %c : tensor<2xbf16>
}
func.func @no_result(%x: tensor<2xf32>) {
  return
}
// Same arguments as @ok, different result shape.
func.func @other_result(%x: tensor<2xf32>) -> tensor<3xf32> {
  %c = arith.constant dense<1.0> : tensor<3xf32>
  return %c : tensor<3xf32>
}
// Two results, for --output-dir's all-or-nothing writes.
func.func @two(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  return %x, %x : tensor<2xf32>, tensor<2xf32>
}
