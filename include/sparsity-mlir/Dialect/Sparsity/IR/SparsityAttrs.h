//===- SparsityAttrs.h - sparsity pattern attributes ------------*- C++ -*-===//
//
// Part of sparsity-mlir. The pattern language and its query/compose API.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_DIALECT_SPARSITY_IR_SPARSITYATTRS_H
#define SPARSITY_MLIR_DIALECT_SPARSITY_IR_SPARSITYATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <optional>

#define GET_ATTRDEF_CLASSES
#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityAttrs.h.inc"

#endif // SPARSITY_MLIR_DIALECT_SPARSITY_IR_SPARSITYATTRS_H
