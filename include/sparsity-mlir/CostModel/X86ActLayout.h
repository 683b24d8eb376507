//===- X86ActLayout.h - how x86 kernels read the activation -*- C++ -*-===//
//
// Part of sparsity-mlir. The one decision both the x86-avx512 cost model and
// the x86 lowering take from a layer's loops (Analysis/LayerForm.h): how the
// generated kernels read the activation (in place as a fully connected
// layer, in place row by row as a convolution, or staged).
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_COSTMODEL_X86ACTLAYOUT_H
#define SPARSITY_MLIR_COSTMODEL_X86ACTLAYOUT_H

#include "sparsity-mlir/Analysis/LayerForm.h"
#include "sparsity-mlir/Target/X86.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlir {
namespace sparsity {

/// The activation layout of a layer, from its loops (the same decision for
/// the cost model and the lowering). Layers with m < 16 are Staged or
/// FullyConnected, never Direct.
X86ActLayout getX86ActLayout(linalg::LinalgOp op, const LayerLoops &loops,
                             const GemmGeometry &geometry);

/// The same from the layer alone; Staged when its loops cannot be worked out.
X86ActLayout getX86ActLayout(const LayerInfo &layer, const LayerGemm &gemm);

} // namespace sparsity
} // namespace mlir

#endif // SPARSITY_MLIR_COSTMODEL_X86ACTLAYOUT_H
