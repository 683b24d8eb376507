// Debian's mlir-opt with the plugin rejects an impossible pattern with our
// verifier's message.
// REQUIRES: plain-build, upstream-mlir-opt

// RUN: %upstream_mlir_opt %s -verify-diagnostics \
// RUN:   --load-dialect-plugin=%sparsity_libs/libSparsityMLIRPlugin%shlibext

func.func @nm_m_not_dividing(%w: tensor<4x6xf32>) -> tensor<4x6xf32> {
  // expected-error @+1 {{'sparsity.annotate' op N:M group size 4 does not divide dimension 1 of size 6}}
  %0 = sparsity.annotate %w pattern<nm<2:4, dim = 1>> : tensor<4x6xf32>
  return %0 : tensor<4x6xf32>
}
