//===- SparsityOps.cpp - sparsity dialect ops -----------------------------===//
//
// Part of sparsity-mlir.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::sparsity;

#define GET_OP_CLASSES
#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityOps.cpp.inc"

//===----------------------------------------------------------------------===//
// AnnotateOp
//===----------------------------------------------------------------------===//

LogicalResult AnnotateOp::verify() {
  return getPattern().verifyAgainstShape([&]() { return emitOpError(); },
                                         getType().getShape());
}

OpFoldResult AnnotateOp::fold(FoldAdaptor) {
  // An empty pattern states nothing: the annotation is a plain identity.
  if (getPattern().empty())
    return getSource();
  return {};
}

namespace {
/// Merges `annotate(annotate(x, inner), outer)` into
/// `annotate(x, inner & outer)` when the conjunction is one pattern.
struct MergeNestedAnnotations : public OpRewritePattern<AnnotateOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(AnnotateOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getSource().getDefiningOp<AnnotateOp>();
    if (!inner)
      return rewriter.notifyMatchFailure(op, "operand is not annotated");
    ArrayRef<int64_t> shape = op.getType().getShape();
    FailureOr<PatternAttr> merged =
        inner.getPattern().compose(op.getPattern(), shape);
    if (failed(merged))
      return rewriter.notifyMatchFailure(op, "patterns do not compose");
    // compose() fails rather than drop a statement (e.g. a density bound it
    // cannot check without the element count), so nothing is lost here.
    assert(merged->implies(inner.getPattern(), shape) &&
           merged->implies(op.getPattern(), shape) &&
           "composition must state everything both patterns did");
    rewriter.replaceOpWithNewOp<AnnotateOp>(op, op.getType(), inner.getSource(),
                                            *merged);
    return success();
  }
};
} // namespace

void AnnotateOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                             MLIRContext *context) {
  results.add<MergeNestedAnnotations>(context);
}
