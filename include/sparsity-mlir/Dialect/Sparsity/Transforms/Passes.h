//===- Passes.h - sparsity dialect passes -----------------------*- C++ -*-===//
//
// Part of sparsity-mlir.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_DIALECT_SPARSITY_TRANSFORMS_PASSES_H
#define SPARSITY_MLIR_DIALECT_SPARSITY_TRANSFORMS_PASSES_H

#include "sparsity-mlir/Dialect/Sparsity/Transforms/PassOptionTypes.h"

#include "mlir/Pass/Pass.h"

namespace mlir {
namespace sparsity {

#define GEN_PASS_DECL
#include "sparsity-mlir/Dialect/Sparsity/Transforms/Passes.h.inc"

/// Registers every pass of the sparsity dialect with the global registry.
#define GEN_PASS_REGISTRATION
#include "sparsity-mlir/Dialect/Sparsity/Transforms/Passes.h.inc"

} // namespace sparsity
} // namespace mlir

#endif // SPARSITY_MLIR_DIALECT_SPARSITY_TRANSFORMS_PASSES_H
