//===- SparsityDialect.cpp - sparsity dialect -----------------------------===//
//
// Part of sparsity-mlir.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityDialect.h"
#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityAttrs.h"
#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityOps.h"

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
