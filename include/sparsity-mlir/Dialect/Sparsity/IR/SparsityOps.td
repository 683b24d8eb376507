//===- SparsityOps.td - sparsity dialect ops ---------------*- tablegen -*-===//
//
// Part of sparsity-mlir. The carrier op that ties a pattern to a value.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_DIALECT_SPARSITY_IR_SPARSITYOPS_TD
#define SPARSITY_MLIR_DIALECT_SPARSITY_IR_SPARSITYOPS_TD

include "sparsity-mlir/Dialect/Sparsity/IR/SparsityAttrs.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"

def Sparsity_AnnotateOp : Sparsity_Op<"annotate", [
    Pure, AllTypesMatch<["source", "result"]>]> {
  let summary = "Ties a sparsity pattern to a tensor value";
  let description = [{
    An identity: the result is the operand, and the pattern (a
    `#sparsity.pattern`, written after the `pattern` keyword without its
    `#sparsity.` prefix) states what is known about its zeros. Consumers of
    the result (a `linalg.conv_2d`, a `linalg.matmul`) read the pattern
    through the op that defines their weight operand.

    The verifier checks the pattern against the tensor type: dimensions in
    range, indices within the dimension, `M` and block sizes dividing their
    dimensions, and counts that fit the tensor.

    Canonicalization merges nested annotations into one (the conjunction of
    both patterns, when one pattern states everything both did) and removes
    an annotation whose pattern is empty. `--sparsity-strip-annotations`
    removes all of them.

    Example:

    ```mlir
    %w = arith.constant dense<...> : tensor<8x4x3x3xf32>
    %0 = sparsity.annotate %w pattern<channels<dim = 0, pruned = [1, 3]>,
                                      unstructured<nnz = 200>>
         : tensor<8x4x3x3xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$source, Sparsity_PatternAttr:$pattern);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $source `pattern` `` $pattern attr-dict `:` type($result)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

#endif // SPARSITY_MLIR_DIALECT_SPARSITY_IR_SPARSITYOPS_TD
