//===- SparsityOps.h - sparsity dialect ops ---------------------*- C++ -*-===//
//
// Part of sparsity-mlir.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_DIALECT_SPARSITY_IR_SPARSITYOPS_H
#define SPARSITY_MLIR_DIALECT_SPARSITY_IR_SPARSITYOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityAttrs.h"
#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityDialect.h"

#define GET_OP_CLASSES
#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityOps.h.inc"

#endif // SPARSITY_MLIR_DIALECT_SPARSITY_IR_SPARSITYOPS_H
