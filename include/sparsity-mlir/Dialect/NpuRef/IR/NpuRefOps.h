//===- NpuRefOps.h - npu_ref dialect ops ------------------------*- C++ -*-===//
//
// Part of sparsity-mlir.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_DIALECT_NPUREF_IR_NPUREFOPS_H
#define SPARSITY_MLIR_DIALECT_NPUREF_IR_NPUREFOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "sparsity-mlir/Dialect/NpuRef/IR/NpuRefDialect.h"
#include "sparsity-mlir/Target/NpuRefEnums.h"

#include <optional>
#include <vector>

#define GET_OP_CLASSES
#include "sparsity-mlir/Dialect/NpuRef/IR/NpuRefOps.h.inc"

#endif // SPARSITY_MLIR_DIALECT_NPUREF_IR_NPUREFOPS_H
