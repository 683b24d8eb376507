//===- SparsityLower.cpp - planned weight layers to target code -----------===//
//
// Part of sparsity-mlir. `--sparsity-lower`: decides every weight layer (its
// implementation: the user's override, the plan, or dense) before anything
// is rewritten, so that an error leaves the module as it was; then hands the
// decided layers to the target's backend (LinalgToX86, LinalgToNpuRef) and
// erases the weight constants nothing reads any more.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Analysis/OpSparsityAnalysis.h"
#include "sparsity-mlir/Conversion/LinalgToNpuRef/LinalgToNpuRef.h"
#include "sparsity-mlir/Conversion/LinalgToX86/LinalgToX86.h"
#include "sparsity-mlir/Conversion/Passes.h"
#include "sparsity-mlir/Conversion/Utils/LayerLowering.h"
#include "sparsity-mlir/CostModel/CostModel.h"
#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityAttrs.h"
#include "sparsity-mlir/Target/NpuRef.h"
#include "sparsity-mlir/Target/TargetDescription.h"
#include "sparsity-mlir/Target/X86.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SetVector.h"

namespace mlir {
namespace sparsity {
#define GEN_PASS_DEF_SPARSITYLOWERPASS
#include "sparsity-mlir/Conversion/Passes.h.inc"
} // namespace sparsity
} // namespace mlir

using namespace mlir;
using namespace mlir::sparsity;

namespace {

struct SparsityLowerPass
    : public sparsity::impl::SparsityLowerPassBase<SparsityLowerPass> {
  using SparsityLowerPassBase::SparsityLowerPassBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    std::string error;
    FailureOr<TargetDescription> target =
        resolveTarget(targetSpec, module, error);
    if (failed(target)) {
      // At the module's location, not on the module: an op's diagnostic
      // prints the whole op under -mlir-print-op-on-diagnostic.
      mlir::emitError(module.getLoc()) << "sparsity-lower: " << error;
      return signalPassFailure();
    }
    bool x86 = target->kind == TargetKind::X86AVX512;
    if (inlineLimit < 0) {
      mlir::emitError(module.getLoc())
          << "sparsity-lower: inline-limit must not be negative";
      return signalPassFailure();
    }

    // Decide every layer before rewriting anything, so that an error leaves
    // the module as it was.
    const OpSparsityAnalysis &analysis = getAnalysis<OpSparsityAnalysis>();
    llvm::DenseMap<Operation *, LayerLowering> plans;
    bool hadError = false;
    for (const LayerInfo &layer : analysis.getLayers()) {
      Operation *op = layer.op;
      std::string impl = kDenseImpl.str();
      auto planAttr =
          dyn_cast_or_null<PlanAttr>(op->getAttr(PlanAttr::getAttrName()));
      FailureOr<std::optional<std::string>> user =
          getUserOverride(op, *target, "sparsity-lower");
      if (failed(user)) {
        hadError = true;
        continue;
      }
      if (*user) {
        impl = **user;
      } else if (Attribute attr = op->getAttr(PlanAttr::getAttrName())) {
        auto plan = dyn_cast<PlanAttr>(attr);
        if (!plan) {
          op->emitError() << "sparsity-lower: " << PlanAttr::getAttrName()
                          << " must be a #sparsity.plan, got " << attr;
          hadError = true;
          continue;
        }
        if (plan.getTarget().getValue() != target->name) {
          emitRemark(op->getLoc()) << "sparsity-lower: layer '" << layer.name
                                   << "' left as it is: planned for target '"
                                   << plan.getTarget().getValue() << "', not '"
                                   << target->name << "'";
          continue;
        }
        impl = plan.getChoice().getValue().str();
      }
      bool known = x86 ? symbolizeX86Impl(impl).has_value()
                       : symbolizeNpuRefMode(impl).has_value();
      if (!known) {
        emitRemark(op->getLoc())
            << "sparsity-lower: layer '" << layer.name
            << "' left as it is: implementation '" << impl << "' has no "
            << stringifyTargetKind(target->kind)
            << (x86 ? " kernel" : " instruction");
        continue;
      }
      std::string whyNot;
      FailureOr<LayerLowering> plan = planLayer(layer, whyNot);
      if (failed(plan)) {
        emitRemark(op->getLoc()) << "sparsity-lower: layer '" << layer.name
                                 << "' left as it is: " << whyNot;
        continue;
      }
      plan->impl = impl;
      if (x86) {
        int64_t nonZeros =
            llvm::count_if(plan->weights, [](float w) { return w != 0.0f; });
        std::string why = whyX86ImplNotApplicable(
            plan->geometry, *symbolizeX86Impl(impl), nonZeros, target->x86);
        if (!why.empty()) {
          emitRemark(op->getLoc()) << "sparsity-lower: layer '" << layer.name
                                   << "' lowered as dense: " << why;
          plan->impl = kDenseImpl.str();
        }
      }
      if (planAttr && planAttr.getTarget().getValue() == target->name)
        plan->predictedUs = planAttr.getPredicted(impl);
      plans.try_emplace(op, std::move(*plan));
    }
    for (const UncountedOp &uncounted : analysis.getUncounted())
      emitRemark(uncounted.op->getLoc())
          << "sparsity-lower: '" << uncounted.name
          << "' left as it is: not a weight layer (" << uncounted.reason << ")";
    if (hadError)
      return signalPassFailure();

    LogicalResult lowered = failure();
    switch (target->kind) {
    case TargetKind::X86AVX512:
      lowered = lowerLayersToX86(module, plans, target->x86, inlineLimit);
      break;
    case TargetKind::NpuRef:
      lowered = lowerLayersToNpuRef(module, plans, target->npuRef, inlineLimit);
      break;
    }
    if (failed(lowered))
      return signalPassFailure();

    // The weight constants (and their identity views) nothing reads any
    // more; a constant shared by several layers goes once all are lowered.
    llvm::SetVector<Operation *> weightOps;
    for (auto &entry : plans)
      for (Operation *weightOp : llvm::reverse(entry.second.weightOps))
        weightOps.insert(weightOp);
    SmallVector<Operation *> pending = weightOps.takeVector();
    for (bool erased = true; erased;) {
      erased = false;
      for (Operation *&weightOp : pending) {
        if (weightOp && weightOp->use_empty()) {
          weightOp->erase();
          weightOp = nullptr;
          erased = true;
        }
      }
    }
    module->setAttr(getTargetAttrName(), toDictionaryAttr(*target, ctx));
  }
};

} // namespace
