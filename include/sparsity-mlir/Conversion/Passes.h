//===- Passes.h - sparsity-mlir conversion passes ---------------*- C++ -*-===//
//
// Part of sparsity-mlir.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_CONVERSION_PASSES_H
#define SPARSITY_MLIR_CONVERSION_PASSES_H

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"

#include "sparsity-mlir/Dialect/NpuRef/IR/NpuRefDialect.h"

namespace mlir {
namespace sparsity {

#define GEN_PASS_DECL
#include "sparsity-mlir/Conversion/Passes.h.inc"

/// Registers every conversion pass of this project with the global registry.
#define GEN_PASS_REGISTRATION
#include "sparsity-mlir/Conversion/Passes.h.inc"

} // namespace sparsity
} // namespace mlir

#endif // SPARSITY_MLIR_CONVERSION_PASSES_H
