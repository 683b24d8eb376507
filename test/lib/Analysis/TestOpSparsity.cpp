//===- TestOpSparsity.cpp - test pass for OpSparsityAnalysis --------------===//
//
// Part of sparsity-mlir. `--test-op-sparsity` prints, as remarks, what
// OpSparsityAnalysis found: every layer's figures and the zero / dead slices
// of every value it reached.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Analysis/OpSparsityAnalysis.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::sparsity;

namespace {
/// Prints `slices` as `d1[0, 3] d2[1]`, skipping empty dimensions.
void printSlices(llvm::raw_ostream &os, ArrayRef<llvm::BitVector> slices) {
  bool first = true;
  for (auto [d, bits] : llvm::enumerate(slices)) {
    if (bits.none())
      continue;
    os << (first ? "" : " ") << "d" << d << "[";
    llvm::interleaveComma(getSetIndices(bits), os);
    os << "]";
    first = false;
  }
}

struct TestOpSparsityPass
    : public PassWrapper<TestOpSparsityPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(TestOpSparsityPass)

  StringRef getArgument() const final { return "test-op-sparsity"; }
  StringRef getDescription() const final {
    return "Print the findings of OpSparsityAnalysis as remarks";
  }

  void runOnOperation() override {
    const auto &analysis = getAnalysis<OpSparsityAnalysis>();
    for (const LayerInfo &layer : analysis.getLayers()) {
      InFlightDiagnostic diag = emitRemark(layer.op->getLoc());
      diag << "layer '" << layer.name << "': params " << layer.params
           << ", zeros " << layer.zeroParams << ", uses " << layer.uses
           << ", MACs " << layer.macs << ", saved " << layer.savedMacs
           << " (unstructured " << layer.savedUnstructured << ", structured "
           << layer.savedStructured << ", propagated " << layer.savedPropagated
           << ")";
      if (!layer.zeroOutChannels.empty()) {
        diag << ", zero out channels [";
        llvm::interleaveComma(layer.zeroOutChannels, diag);
        diag << "]";
      }
      if (!layer.zeroInChannels.empty()) {
        diag << ", zero in channels [";
        llvm::interleaveComma(layer.zeroInChannels, diag);
        diag << "]";
      }
      if (layer.nm)
        diag << ", " << layer.nm->n << ":" << layer.nm->m << " along dim "
             << layer.nm->dim;
      if (layer.block) {
        diag << ", blocks [";
        llvm::interleaveComma(layer.block->shape, diag);
        diag << "] x " << layer.block->nonzeroBlocks;
      }
    }
    for (const UncountedOp &op : analysis.getUncounted())
      emitRemark(op.op->getLoc())
          << "not counted '" << op.name << "': " << op.reason;
    for (const AnalysisNote &note : analysis.getNotes())
      emitRemark(note.op->getLoc()) << note.message;

    getOperation()->walk([&](Operation *op) {
      for (Value result : op->getResults()) {
        const SliceState *state = analysis.getSliceState(result);
        if (!state)
          continue;
        std::string text;
        llvm::raw_string_ostream os(text);
        if (!state->zero.empty()) {
          os << "zero ";
          printSlices(os, state->zero);
        }
        if (!state->dead.empty()) {
          os << (state->zero.empty() ? "" : "; ") << "dead ";
          printSlices(os, state->dead);
        }
        emitRemark(op->getLoc())
            << "result #" << cast<OpResult>(result).getResultNumber() << ": "
            << text;
      }
    });

    const SparsityTotals &totals = analysis.getTotals();
    emitRemark(getOperation().getLoc()) << llvm::formatv(
        "totals: {0} layers, params {1}, zeros {2}, MACs {3}, saved {4} "
        "(unstructured {5}, structured {6}, propagated {7}), all MACs {8}, "
        "element-wise {9}, saved {10}",
        totals.layers, totals.params, totals.zeroParams, totals.macs,
        totals.savedMacs, totals.savedUnstructured, totals.savedStructured,
        totals.savedPropagated, totals.allMacs, totals.elementwiseOps,
        totals.savedElementwiseOps);
    markAllAnalysesPreserved();
  }
};
} // namespace

namespace mlir {
namespace sparsity {
namespace test {
/// Registers the analysis test passes.
void registerTestOpSparsityPass() { PassRegistration<TestOpSparsityPass>(); }
} // namespace test
} // namespace sparsity
} // namespace mlir
