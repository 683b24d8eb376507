//===- SparsityBase.td - sparsity dialect definition -------*- tablegen -*-===//
//
// Part of sparsity-mlir. The `sparsity` dialect: what is known about the
// zeros of a weight tensor, and the carrier that ties that knowledge to an
// SSA value.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_DIALECT_SPARSITY_IR_SPARSITYBASE_TD
#define SPARSITY_MLIR_DIALECT_SPARSITY_IR_SPARSITYBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

def Sparsity_Dialect : Dialect {
  let name = "sparsity";
  let cppNamespace = "::mlir::sparsity";
  let summary = "Sparsity patterns of neural-network weights";
  let description = [{
    The `sparsity` dialect describes what is known about the zeros of a
    weight tensor, in a form that passes can reason about and compose:

    * structured sparsity: index sets pruned along one dimension (output or
      input channels, attention heads with a group size),
    * unstructured sparsity: the exact number of non-zeros, or a declared
      upper bound on the density,
    * N:M sparsity along one dimension,
    * block sparsity: a block shape and the exact number of blocks that hold
      a non-zero,

    and any conjunction of these on one weight (`#sparsity.pattern`). The
    pattern is tied to a value by the identity op `sparsity.annotate`.

    Why an op and not a tensor `encoding`: an encoding changes the tensor
    type, so every upstream op that receives the annotated value (linalg,
    tensor, tosa) would have to accept a type it does not know, and
    `sparse_tensor` already owns the encoding slot for storage formats. An
    identity op keeps types untouched, survives canonicalization (it has no
    folder that drops a non-empty pattern) and can be stripped with
    `--sparsity-strip-annotations` before handing IR to other tools.

    The numbers this dialect carries feed the operation-saving sparsity
    analysis: a zero weight of layer `l` saves `uses(l)` multiply-accumulates.

    Three discardable attributes belong to the dialect, and the verifier
    checks them wherever they appear, before any pass reads them:

    * `sparsity.plan` on a layer op: a `#sparsity.plan` (what
      `--sparsity-plan` chose);
    * `sparsity.impl` on a layer op: a string, the user's choice of
      implementation (whether the target has it is checked by the pass that
      knows the target);
    * `sparsity.target` on the module: a dictionary that is a valid target
      description (docs/targets.md).

    Any other `sparsity.*` attribute is an error.
  }];
  let useDefaultAttributePrinterParser = 1;
  let hasOperationAttrVerify = 1;
  let extraClassDeclaration = [{
    /// Registers the attributes; defined next to their storage classes.
    void registerAttributes();
  }];
}

/// Base class of every attribute of the dialect.
class Sparsity_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Sparsity_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

/// Base class of every op of the dialect.
class Sparsity_Op<string mnemonic, list<Trait> traits = []>
    : Op<Sparsity_Dialect, mnemonic, traits>;

#endif // SPARSITY_MLIR_DIALECT_SPARSITY_IR_SPARSITYBASE_TD
