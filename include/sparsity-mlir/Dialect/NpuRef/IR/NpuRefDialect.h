//===- NpuRefDialect.h - npu_ref dialect ------------------------*- C++ -*-===//
//
// Part of sparsity-mlir.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_DIALECT_NPUREF_IR_NPUREFDIALECT_H
#define SPARSITY_MLIR_DIALECT_NPUREF_IR_NPUREFDIALECT_H

#include "mlir/IR/Dialect.h"

#include "sparsity-mlir/Dialect/NpuRef/IR/NpuRefDialect.h.inc"

#endif // SPARSITY_MLIR_DIALECT_NPUREF_IR_NPUREFDIALECT_H
