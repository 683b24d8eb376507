//===- ConstantPattern.h - sparsity pattern of a constant -------*- C++ -*-===//
//
// Part of sparsity-mlir. Reads the exact zero structure of a constant weight
// (dense, splat or dense_resource payload) and states it as a pattern.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_ANALYSIS_CONSTANTPATTERN_H
#define SPARSITY_MLIR_ANALYSIS_CONSTANTPATTERN_H

#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityAttrs.h"

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "llvm/ADT/SmallVector.h"

#include <string>

namespace mlir {
namespace sparsity {

/// The zeros of a constant tensor, counted exactly.
struct ConstantZeros {
  /// Shape of the tensor.
  SmallVector<int64_t> shape;
  /// Number of non-zero elements (`-0.0` is zero).
  int64_t nnz = 0;
  /// For every dimension, the sorted indices whose slice is entirely zero.
  SmallVector<SmallVector<int64_t>> zeroSlices;
};

/// Scans `values` (a `dense`, splat or `dense_resource` payload of floats or
/// integers of 8 to 64 bits). Returns failure, with the reason in `whyNot`,
/// for element types it cannot read or for a resource without data.
FailureOr<ConstantZeros> scanConstantZeros(ElementsAttr values,
                                           std::string &whyNot);

/// Element `p` (`width` bytes, little-endian as in MLIR's raw buffers) of a
/// float or integer payload of element type `type`, as a double (integers
/// signed).
double readElementAsDouble(const char *p, Type type, unsigned width);

/// States `zeros` as a pattern: exact nnz plus one channels component per
/// dimension that has zero slices.
PatternAttr buildPattern(MLIRContext *context, const ConstantZeros &zeros);

} // namespace sparsity
} // namespace mlir

#endif // SPARSITY_MLIR_ANALYSIS_CONSTANTPATTERN_H
