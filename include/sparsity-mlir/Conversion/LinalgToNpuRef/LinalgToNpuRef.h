//===- LinalgToNpuRef.h - weight layers to npu_ref.gemm ---------*- C++ -*-===//
//
// Part of sparsity-mlir. The npu-ref backend of `--sparsity-lower`: planned
// weight layers become im2col, one npu_ref.gemm with packed weights, and
// the write-back (lib/Conversion/LinalgToNpuRef, docs/npu-ref-dialect.md).
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_CONVERSION_LINALGTONPUREF_LINALGTONPUREF_H
#define SPARSITY_MLIR_CONVERSION_LINALGTONPUREF_LINALGTONPUREF_H

#include "sparsity-mlir/Conversion/Utils/LayerLowering.h"
#include "sparsity-mlir/Target/TargetDescription.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/DenseMap.h"

namespace mlir {
namespace sparsity {

/// Rewrites every layer of `plans` (each planned with an npu-ref mode) by
/// one conversion over `module`; payloads above `inlineLimit` elements
/// become `dense_resource` blobs.
LogicalResult
lowerLayersToNpuRef(ModuleOp module,
                    const llvm::DenseMap<Operation *, LayerLowering> &plans,
                    const NpuRefParams &params, int64_t inlineLimit);

} // namespace sparsity
} // namespace mlir

#endif // SPARSITY_MLIR_CONVERSION_LINALGTONPUREF_LINALGTONPUREF_H
