//===- SparsityDialect.cpp - sparsity dialect -----------------------------===//
//
// Part of sparsity-mlir.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityDialect.h"
#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityAttrs.h"
#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityOps.h"
#include "sparsity-mlir/Target/TargetDescription.h"

#include "mlir/IR/BuiltinOps.h"

using namespace mlir;
using namespace mlir::sparsity;

#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityDialect.cpp.inc"

void SparsityDialect::initialize() {
  registerAttributes();
  addOperations<
#define GET_OP_LIST
#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityOps.cpp.inc"
      >();
}

/// The discardable attributes of the dialect: `sparsity.plan` (a
/// #sparsity.plan, written by --sparsity-plan), `sparsity.impl` (the user's
/// choice of implementation, a string) and `sparsity.target` (a target
/// description, on the module). Whether an implementation exists on a target
/// is the passes' to say: it depends on the target they are given.
LogicalResult SparsityDialect::verifyOperationAttribute(Operation *op,
                                                        NamedAttribute attr) {
  StringRef name = attr.getName().getValue();
  Attribute value = attr.getValue();
  if (name == PlanAttr::getAttrName()) {
    if (!isa<PlanAttr>(value))
      return op->emitError()
             << name << " must be a #sparsity.plan, got " << value;
    return success();
  }
  if (name == PlanAttr::getOverrideAttrName()) {
    if (!isa<StringAttr>(value))
      return op->emitError()
             << name << " = " << value
             << " must be a string naming an implementation (e.g. \"dense\")";
    return success();
  }
  if (name == getTargetAttrName()) {
    if (!isa<ModuleOp>(op))
      return op->emitError()
             << "'" << name << "' belongs on the module, not on '"
             << op->getName() << "'";
    auto dict = dyn_cast<DictionaryAttr>(value);
    if (!dict)
      return op->emitError()
             << "the module's '" << name << "' attribute is not a dictionary";
    std::string error;
    if (failed(parseTargetDescription(dict, error)))
      return op->emitError() << "module attribute '" << name << "': " << error;
    return success();
  }
  return op->emitError() << "unknown attribute '" << name
                         << "' (the sparsity dialect defines "
                         << PlanAttr::getAttrName() << ", "
                         << PlanAttr::getOverrideAttrName() << " and "
                         << getTargetAttrName() << ")";
}
