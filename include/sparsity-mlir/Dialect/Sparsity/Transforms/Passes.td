//===- Passes.td - sparsity dialect passes -----------------*- tablegen -*-===//
//
// Part of sparsity-mlir.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_DIALECT_SPARSITY_TRANSFORMS_PASSES_TD
#define SPARSITY_MLIR_DIALECT_SPARSITY_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def SparsityAnnotatePass : Pass<"sparsity-annotate"> {
  let summary = "Attach the exact sparsity pattern of constant weights";
  let description = [{
    Finds the constant weights of weight-bearing linalg ops (contractions
    such as `linalg.matmul`, and convolutions, recognised through the
    upstream linalg interfaces) and ties to each one, with
    `sparsity.annotate`, the pattern read from its values:

    * `unstructured<nnz = K>`: the exact number of non-zero elements
      (`-0.0` counts as zero);
    * one `channels` component for every dimension that has all-zero slices
      (for an OIHW conv weight, dimension 0 lists the zero filters and
      dimension 1 the unused input channels).

    Payloads may be `dense`, splat or `dense_resource`, with element types
    f32, f16, bf16, f64 and integers of 8 to 64 bits. A weight that is
    already annotated, or whose payload is not available (e.g. an elided
    `dense_resource`), is left alone with a remark saying why.

    Example:

    ```mlir
    %w = arith.constant dense<[[0.0, 0.0], [1.0, 2.0]]> : tensor<2x2xf32>
    %r = linalg.matmul ins(%x, %w : tensor<4x2xf32>, tensor<2x2xf32>) ...
    // becomes
    %a = sparsity.annotate %w pattern<channels<dim = 0, pruned = [0]>,
                                      unstructured<nnz = 2>>
         : tensor<2x2xf32>
    %r = linalg.matmul ins(%x, %a : tensor<4x2xf32>, tensor<2x2xf32>) ...
    ```
  }];
  let dependentDialects = ["::mlir::sparsity::SparsityDialect"];
}

def SparsityStripAnnotationsPass : Pass<"sparsity-strip-annotations"> {
  let summary = "Remove every sparsity.annotate, forwarding its operand";
  let description = [{
    Replaces each `sparsity.annotate` by its operand. Use it before handing
    IR to a tool that does not know the `sparsity` dialect; the computation
    is unchanged because the carrier is an identity.
  }];
}

#endif // SPARSITY_MLIR_DIALECT_SPARSITY_TRANSFORMS_PASSES_TD
