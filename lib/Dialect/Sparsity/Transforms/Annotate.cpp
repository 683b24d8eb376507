//===- Annotate.cpp - attach patterns to constant weights -----------------===//
//
// Part of sparsity-mlir. Implements --sparsity-annotate.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Analysis/ConstantPattern.h"
#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityOps.h"
#include "sparsity-mlir/Dialect/Sparsity/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/DenseSet.h"

namespace mlir {
namespace sparsity {
#define GEN_PASS_DEF_SPARSITYANNOTATEPASS
#include "sparsity-mlir/Dialect/Sparsity/Transforms/Passes.h.inc"
} // namespace sparsity
} // namespace mlir

using namespace mlir;
using namespace mlir::sparsity;

namespace {
/// Returns true for the linalg ops whose constant operands are weights.
bool isWeightBearing(linalg::LinalgOp op) {
  return linalg::isaContractionOpInterface(op) ||
         linalg::isaConvolutionOpInterface(op);
}

struct SparsityAnnotatePass
    : public sparsity::impl::SparsityAnnotatePassBase<SparsityAnnotatePass> {
  void runOnOperation() override {
    // Collect first, rewrite after: annotating changes the use lists.
    llvm::SetVector<Value> weights;
    getOperation()->walk([&](linalg::LinalgOp op) {
      if (!isWeightBearing(op))
        return;
      for (OpOperand *operand : op.getDpsInputOperands()) {
        // Look through existing annotations, so that an annotated weight is
        // reported below rather than silently skipped.
        Value value = operand->get();
        while (auto annotate = value.getDefiningOp<AnnotateOp>())
          value = annotate.getSource();
        if (matchPattern(value, m_Constant()))
          weights.insert(value);
      }
    });

    for (Value weight : weights) {
      ElementsAttr values;
      Operation *constant = weight.getDefiningOp();
      if (!matchPattern(weight, m_Constant(&values)) ||
          !isa<RankedTensorType>(weight.getType()))
        continue;
      // Annotating again would stack a second pattern on the first one.
      if (llvm::any_of(weight.getUsers(), llvm::IsaPred<AnnotateOp>)) {
        constant->emitRemark()
            << "weight not annotated: it is already annotated";
        continue;
      }
      std::string whyNot;
      FailureOr<ConstantZeros> zeros = scanConstantZeros(values, whyNot);
      if (failed(zeros)) {
        constant->emitRemark() << "weight not annotated: " << whyNot;
        continue;
      }
      OpBuilder builder(constant->getContext());
      builder.setInsertionPointAfter(constant);
      auto annotate = AnnotateOp::create(
          builder, constant->getLoc(), weight.getType(), weight,
          buildPattern(constant->getContext(), *zeros));
      weight.replaceAllUsesExcept(annotate.getResult(), annotate);
    }
  }
};
} // namespace
