//===- SparsityDialect.h - sparsity dialect ---------------------*- C++ -*-===//
//
// Part of sparsity-mlir.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_DIALECT_SPARSITY_IR_SPARSITYDIALECT_H
#define SPARSITY_MLIR_DIALECT_SPARSITY_IR_SPARSITYDIALECT_H

#include "mlir/IR/Dialect.h"

#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityDialect.h.inc"

#endif // SPARSITY_MLIR_DIALECT_SPARSITY_IR_SPARSITYDIALECT_H
