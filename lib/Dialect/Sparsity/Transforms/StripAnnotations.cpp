//===- StripAnnotations.cpp - remove sparsity.annotate --------------------===//
//
// Part of sparsity-mlir. Implements --sparsity-strip-annotations.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityOps.h"
#include "sparsity-mlir/Dialect/Sparsity/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"

namespace mlir {
namespace sparsity {
#define GEN_PASS_DEF_SPARSITYSTRIPANNOTATIONSPASS
#include "sparsity-mlir/Dialect/Sparsity/Transforms/Passes.h.inc"
} // namespace sparsity
} // namespace mlir

using namespace mlir;
using namespace mlir::sparsity;

namespace {
struct SparsityStripAnnotationsPass
    : public sparsity::impl::SparsityStripAnnotationsPassBase<
          SparsityStripAnnotationsPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    getOperation()->walk(
        [&](AnnotateOp op) { rewriter.replaceOp(op, op.getSource()); });
  }
};
} // namespace
