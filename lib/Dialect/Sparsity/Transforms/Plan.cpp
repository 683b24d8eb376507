//===- Plan.cpp - per-layer implementation choice by cost model -----------===//
//
// Part of sparsity-mlir. Predicts every candidate implementation of every
// weight layer on a target and records the fastest (or the user's override)
// as a #sparsity.plan attribute. docs/cost-model.md gives the formulas.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/CostModel/CostModel.h"
#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityAttrs.h"
#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityDialect.h"
#include "sparsity-mlir/Dialect/Sparsity/Transforms/Passes.h"
#include "sparsity-mlir/Support/PassOptions.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"

namespace mlir {
namespace sparsity {
#define GEN_PASS_DEF_SPARSITYPLANPASS
#include "sparsity-mlir/Dialect/Sparsity/Transforms/Passes.h.inc"
} // namespace sparsity
} // namespace mlir

using namespace mlir;
using namespace mlir::sparsity;

namespace {
struct PlannedLayer {
  Operation *op;
  std::vector<CandidateCost> candidates;
  std::string choice;
  bool override = false;
};

struct SparsityPlanPass
    : public sparsity::impl::SparsityPlanPassBase<SparsityPlanPass> {
  using SparsityPlanPassBase::SparsityPlanPassBase;

  /// Checks the option names and, for a preset or file target, the target
  /// and `force=` as soon as the options are parsed: one-line errors.
  LogicalResult initializeOptions(
      StringRef options,
      function_ref<LogicalResult(const Twine &)> errorHandler) override {
    if (failed(checkPassOptions(*this, options, {}, errorHandler)) ||
        failed(Pass::initializeOptions(options, errorHandler)))
      return failure();
    if (targetSpec.empty() || targetSpec == "module")
      return success();
    std::string error;
    FailureOr<TargetDescription> target =
        resolveTarget(targetSpec, ModuleOp(), error);
    if (failed(target))
      return errorHandler("sparsity-plan: " + error);
    return checkForce(*target, errorHandler);
  }

  /// `force=` names an implementation of `target`, or is empty.
  LogicalResult
  checkForce(const TargetDescription &target,
             function_ref<LogicalResult(const Twine &)> report) const {
    if (force.empty() ||
        llvm::is_contained(target.implementations, force.getValue()))
      return success();
    return report("sparsity-plan: force=" + force +
                  " is not an implementation of target '" + target.name +
                  "' (" + llvm::join(target.implementations, ", ") + ")");
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    // At the module's location, not on it: the op would be printed with the
    // message.
    auto report = [&](const Twine &message) {
      return emitError(module.getLoc()) << message;
    };
    std::string error;
    FailureOr<TargetDescription> target =
        resolveTarget(targetSpec, module, error);
    if (failed(target)) {
      report("sparsity-plan: " + error);
      return signalPassFailure();
    }
    if (failed(checkForce(*target, report)))
      return signalPassFailure();

    // Everything is decided before anything is written, so that an error
    // leaves the IR as it was.
    OpSparsityAnalysis analysis(module);
    for (const UncountedOp &op : analysis.getUncounted())
      emitRemark(op.op->getLoc()) << "sparsity-plan: layer '" << op.name
                                  << "' not planned: " << op.reason;
    std::vector<PlannedLayer> planned;
    bool failedOverride = false;
    for (const LayerInfo &layer : analysis.getLayers()) {
      std::string whyNot;
      FailureOr<std::vector<CandidateCost>> candidates =
          predictLayer(*target, layer, whyNot);
      if (failed(candidates)) {
        emitRemark(layer.op->getLoc()) << "sparsity-plan: layer '" << layer.name
                                       << "' not planned: " << whyNot;
        continue;
      }
      PlannedLayer p{layer.op, std::move(*candidates), "", false};
      p.choice = getFastest(p.candidates).impl;
      if (!force.empty())
        p.choice = force;
      FailureOr<std::optional<std::string>> user =
          getUserOverride(layer.op, *target, "sparsity-plan");
      if (failed(user)) {
        failedOverride = true;
        continue;
      }
      if (*user) {
        p.choice = **user;
        p.override = true;
      }
      // A forced or user-chosen implementation the cost model has no
      // prediction for does not apply to this layer (x86-avx512: e.g. csr
      // with m < 16, or pattern over the code-size guard); the lowering
      // would run it as dense, so plan that.
      if (!llvm::any_of(p.candidates, [&](const CandidateCost &c) {
            return c.impl == p.choice;
          })) {
        emitRemark(layer.op->getLoc())
            << "sparsity-plan: layer '" << layer.name << "': implementation '"
            << p.choice << "' does not apply to it on '" << target->name
            << "' (applicable: "
            << llvm::join(llvm::map_range(
                              p.candidates,
                              [](const CandidateCost &c) { return c.impl; }),
                          ", ")
            << "); planned dense";
        p.choice = kDenseImpl.str();
        p.override = false;
      }
      planned.push_back(std::move(p));
    }
    if (failedOverride)
      return signalPassFailure();

    MLIRContext *ctx = &getContext();
    Builder b(ctx);
    StringAttr targetName = b.getStringAttr(target->name);
    double denseUs = 0, plannedUs = 0;
    int64_t sparseLayers = 0;
    for (const PlannedLayer &p : planned) {
      SmallVector<NamedAttribute> fields;
      for (const CandidateCost &c : p.candidates) {
        fields.push_back(
            b.getNamedAttr(c.impl, b.getF64FloatAttr(c.microseconds)));
        if (c.impl == kDenseImpl)
          denseUs += c.microseconds;
        if (c.impl == p.choice)
          plannedUs += c.microseconds;
      }
      sparseLayers += p.choice != kDenseImpl ? 1 : 0;
      p.op->setAttr(PlanAttr::getAttrName(),
                    PlanAttr::get(ctx, targetName, b.getStringAttr(p.choice),
                                  b.getDictionaryAttr(fields), p.override));
    }
    module->setAttr(getTargetAttrName(), toDictionaryAttr(*target, ctx));
    emitRemark(module.getLoc()) << llvm::formatv(
        "sparsity-plan: {0} layers planned for '{1}', {2} sparse; predicted "
        "{3:F2} us dense, {4:F2} us planned ({5:F2}x)",
        planned.size(), target->name, sparseLayers, denseUs, plannedUs,
        plannedUs > 0 ? denseUs / plannedUs : 1.0);
  }
};
} // namespace
