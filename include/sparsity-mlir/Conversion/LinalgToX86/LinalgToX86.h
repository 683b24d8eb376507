//===- LinalgToX86.h - weight layers to AVX-512 kernels ---------*- C++ -*-===//
//
// Part of sparsity-mlir. The x86-avx512 backend of `--sparsity-lower`: one
// planned weight layer becomes a call of a generated kernel function
// (lib/Conversion/LinalgToX86, docs/x86-avx512.md).
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_CONVERSION_LINALGTOX86_LINALGTOX86_H
#define SPARSITY_MLIR_CONVERSION_LINALGTOX86_LINALGTOX86_H

#include "sparsity-mlir/Conversion/Utils/LayerLowering.h"
#include "sparsity-mlir/Target/TargetDescription.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/DenseMap.h"

#include <string>

namespace mlir {
namespace sparsity {

/// Replaces `op` (planned as `plan`, with `plan.impl` an applicable x86
/// implementation) by a call of a generated kernel function named
/// `kernelName` (unique in the module).
LogicalResult lowerLayerToX86(RewriterBase &rewriter, linalg::LinalgOp op,
                              const LayerLowering &plan,
                              const X86Params &params, int64_t inlineLimit,
                              std::string &kernelName);

/// Lowers every layer of `plans` (each with an applicable x86
/// implementation) in program order, so that kernel names follow the
/// layers. Fails, with the error emitted, when a layer cannot be built.
LogicalResult
lowerLayersToX86(ModuleOp module,
                 const llvm::DenseMap<Operation *, LayerLowering> &plans,
                 const X86Params &params, int64_t inlineLimit);

} // namespace sparsity
} // namespace mlir

#endif // SPARSITY_MLIR_CONVERSION_LINALGTOX86_LINALGTOX86_H
