//===- LinalgToNpuRef.cpp - weight layers to npu_ref.gemm -----------------===//
//
// Part of sparsity-mlir. `--sparsity-lower`: every weight layer planned for
// an npu-ref target becomes host-side im2col, one `npu_ref.gemm` with its
// weights packed at compile time, and the write-back into the layer's output
// layout plus its initial value. docs/npu-ref-dialect.md describes the
// produced IR.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Conversion/Passes.h"
#include "sparsity-mlir/Analysis/OpSparsityAnalysis.h"
#include "sparsity-mlir/CostModel/CostModel.h"
#include "sparsity-mlir/Dialect/NpuRef/IR/NpuRefOps.h"
#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityAttrs.h"
#include "sparsity-mlir/Target/NpuRef.h"
#include "sparsity-mlir/Target/TargetDescription.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/Transforms/DialectConversion.h"

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

/// Everything the rewrite of one layer needs, decided before any IR changes.
struct LayerLowering {
  std::string name;
  NpuRefMode mode = NpuRefMode::Dense;
  GemmGeometry geometry;
  unsigned activationOperand = 0;
  /// Loop dimensions of the layer: the groups (leading n loops that the
  /// activation also reads), all n loops and the k loops in the weight's
  /// dimension order, and the m loops in the output's order.
  SmallVector<unsigned> groupLoops, nLoops, kLoops, mLoops;
  /// W[n][k], row-major.
  std::vector<float> weights;
  /// The plan's predicted latency of the chosen mode, if it has one.
  std::optional<double> predictedUs;
  /// The weight constant and its identity views, erased when unused.
  SmallVector<Operation *> weightOps;
};

/// Returns true when `body` computes `out + act * w` in f32 (in either
/// operand order), the payload of every named convolution and matmul.
bool isMultiplyAccumulate(Block &body) {
  if (body.getNumArguments() != 3 ||
      !llvm::all_of(body.getArgumentTypes(),
                    [](Type t) { return t.isF32(); }))
    return false;
  auto yield = dyn_cast<linalg::YieldOp>(body.getTerminator());
  if (!yield || yield.getNumOperands() != 1)
    return false;
  auto add = yield.getOperand(0).getDefiningOp<arith::AddFOp>();
  if (!add)
    return false;
  Value out = body.getArgument(2);
  Value product = add.getLhs() == out   ? add.getRhs()
                  : add.getRhs() == out ? add.getLhs()
                                        : Value();
  auto mul = product ? product.getDefiningOp<arith::MulFOp>() : nullptr;
  if (!mul || std::distance(body.begin(), body.end()) != 3)
    return false;
  Value a = body.getArgument(0), b = body.getArgument(1);
  return (mul.getLhs() == a && mul.getRhs() == b) ||
         (mul.getLhs() == b && mul.getRhs() == a);
}

/// Works out how `layer` maps onto npu_ref.gemm; fails with the reason.
FailureOr<LayerLowering> planLayer(const LayerInfo &layer,
                                   std::string &whyNot) {
  auto op = dyn_cast<linalg::LinalgOp>(layer.op);
  if (!op || op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      op->getNumResults() != 1 || !op.hasPureTensorSemantics()) {
    whyNot = "only layers with two tensor inputs and one tensor result are "
             "lowered";
    return failure();
  }
  LayerLowering plan;
  plan.name = layer.name;
  OpOperand *weight = &op->getOpOperand(layer.weightOperand);
  OpOperand *activation = op.getDpsInputOperand(
      op.getDpsInputOperand(0) == weight ? 1 : 0);
  OpOperand *init = op.getDpsInitOperand(0);
  plan.activationOperand = activation->getOperandNumber();
  for (OpOperand *operand : {weight, activation, init}) {
    auto type = dyn_cast<RankedTensorType>(operand->get().getType());
    if (!type || !type.hasStaticShape() || !type.getElementType().isF32()) {
      whyNot = "only statically shaped f32 layers are lowered";
      return failure();
    }
  }
  if (!isMultiplyAccumulate(op->getRegion(0).front())) {
    whyNot = "its body is not a plain multiply-accumulate";
    return failure();
  }

  FailureOr<LayerGemm> gemm = getLayerGemm(layer, whyNot);
  if (failed(gemm))
    return failure();
  plan.geometry = gemm->geometry;

  AffineMap actMap = op.getMatchingIndexingMap(activation);
  AffineMap weightMap = op.getMatchingIndexingMap(weight);
  AffineMap outMap = op.getMatchingIndexingMap(init);
  if (!weightMap.isProjectedPermutation() || !outMap.isProjectedPermutation()) {
    whyNot = "its weight or output indexing map is not a projected "
             "permutation";
    return failure();
  }
  unsigned numLoops = op.getNumLoops();
  SmallVector<int64_t> loopSizes = op.getStaticLoopRanges();
  SmallVector<bool> inWeight(numLoops, false), inOutput(numLoops, false);
  for (unsigned r = 0; r < weightMap.getNumResults(); ++r)
    inWeight[weightMap.getDimPosition(r)] = true;
  for (unsigned r = 0; r < outMap.getNumResults(); ++r)
    inOutput[outMap.getDimPosition(r)] = true;

  for (int64_t d : gemm->nDims) {
    unsigned loop = weightMap.getDimPosition(d);
    plan.nLoops.push_back(loop);
    if (actMap.isFunctionOfDim(loop)) {
      if (plan.groupLoops.size() + 1 != plan.nLoops.size()) {
        whyNot = "its group dimension (weight dimension " + std::to_string(d) +
                 ") follows another output dimension of the weight";
        return failure();
      }
      plan.groupLoops.push_back(loop);
    }
  }
  for (int64_t d : gemm->kDims)
    plan.kLoops.push_back(weightMap.getDimPosition(d));
  for (unsigned r = 0; r < outMap.getNumResults(); ++r) {
    unsigned loop = outMap.getDimPosition(r);
    if (!inWeight[loop])
      plan.mLoops.push_back(loop);
  }
  for (unsigned loop = 0; loop < numLoops; ++loop) {
    if (!inWeight[loop] && !inOutput[loop]) {
      whyNot = "it reduces over loop dimension " + std::to_string(loop) +
               ", which the weight does not have";
      return failure();
    }
  }
  int64_t m = 1, groups = 1;
  for (unsigned loop : plan.mLoops)
    m *= loopSizes[loop];
  for (unsigned loop : plan.groupLoops)
    groups *= loopSizes[loop];
  if (m != plan.geometry.m || groups != plan.geometry.groups) {
    whyNot = "its output rows (" + std::to_string(m) + ") or groups (" +
             std::to_string(groups) + ") differ from the analysis (" +
             std::to_string(plan.geometry.m) + ", " +
             std::to_string(plan.geometry.groups) + ")";
    return failure();
  }

  FailureOr<std::vector<float>> w = readLayerWeightMatrix(layer, *gemm, whyNot);
  if (failed(w))
    return failure();
  plan.weights = std::move(*w);
  if (Operation *root = layer.weightRoot.getDefiningOp())
    plan.weightOps.push_back(root);
  plan.weightOps.append(layer.weightChain.begin(), layer.weightChain.end());
  return plan;
}

/// Delinearizes the index of dimension `dim` of a linalg.generic into the
/// sizes of `loops`, in order, and stores the indices in `values`.
void delinearize(OpBuilder &b, Location loc, unsigned dim,
                 ArrayRef<unsigned> loops, ArrayRef<int64_t> loopSizes,
                 MutableArrayRef<Value> values) {
  if (loops.empty())
    return;
  Value linear = linalg::IndexOp::create(b, loc, dim);
  if (loops.size() == 1) {
    values[loops[0]] = linear;
    return;
  }
  SmallVector<int64_t> basis;
  for (unsigned loop : loops)
    basis.push_back(loopSizes[loop]);
  auto op = affine::AffineDelinearizeIndexOp::create(b, loc, linear, basis,
                                                     /*hasOuterBound=*/true);
  for (auto [loop, index] : llvm::zip_equal(loops, op.getResults()))
    values[loop] = index;
}

/// The affine expression of the row-major position over `loops`, whose
/// values are the dimensions `dimOf(loop)` of a map.
AffineExpr linearize(MLIRContext *ctx, ArrayRef<unsigned> loops,
                     ArrayRef<int64_t> loopSizes,
                     llvm::function_ref<unsigned(unsigned)> dimOf) {
  AffineExpr expr = getAffineConstantExpr(0, ctx);
  for (unsigned loop : loops)
    expr = expr * loopSizes[loop] + getAffineDimExpr(dimOf(loop), ctx);
  return expr;
}

/// A payload attribute: a literal up to `inlineLimit` elements, else a
/// `dense_resource` blob named after the layer.
template <typename T, typename ResourceAttr>
ElementsAttr makePayload(RankedTensorType type, ArrayRef<T> data,
                         int64_t inlineLimit, StringRef blobName) {
  if (type.getNumElements() <= inlineLimit)
    return DenseElementsAttr::get(type, data);
  Attribute blob = ResourceAttr::get(
      type, blobName, HeapAsmResourceBlob::allocateAndCopyInferAlign(data));
  return cast<ElementsAttr>(blob);
}

/// Rewrites one planned layer.
struct LowerLayerPattern
    : public OpInterfaceConversionPattern<linalg::LinalgOp> {
  LowerLayerPattern(MLIRContext *ctx,
                    const llvm::DenseMap<Operation *, LayerLowering> &plans,
                    const NpuRefParams &params, int64_t inlineLimit)
      : OpInterfaceConversionPattern(ctx), plans(plans), params(params),
        inlineLimit(inlineLimit) {}

  LogicalResult
  matchAndRewrite(linalg::LinalgOp op, ArrayRef<Value> operands,
                  ConversionPatternRewriter &rewriter) const override {
    auto it = plans.find(op);
    if (it == plans.end())
      return failure();
    const LayerLowering &plan = it->second;
    MLIRContext *ctx = op->getContext();
    Location loc = op.getLoc();
    Value activation = operands[plan.activationOperand];
    Value init = operands[op.getDpsInitOperand(0)->getOperandNumber()];
    AffineMap actMap = op.getMatchingIndexingMap(
        &op->getOpOperand(plan.activationOperand));
    AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
    SmallVector<int64_t> loopSizes = op.getStaticLoopRanges();
    unsigned numLoops = op.getNumLoops();
    const GemmGeometry &geo = plan.geometry;
    Type f32 = rewriter.getF32Type();

    // 1. im2col: act[g][m][k] = activation[actMap(loops)].
    auto colType = RankedTensorType::get({geo.groups, geo.m, geo.k}, f32);
    Value colInit = tensor::EmptyOp::create(rewriter, loc, colType.getShape(),
                                            f32);
    SmallVector<utils::IteratorType> parallel3(
        3, utils::IteratorType::parallel);
    auto im2col = linalg::GenericOp::create(
        rewriter, loc, colType, ValueRange(), ValueRange{colInit},
        ArrayRef<AffineMap>{rewriter.getMultiDimIdentityMap(3)}, parallel3,
        [&](OpBuilder &b, Location l, ValueRange) {
          Value zero = arith::ConstantIndexOp::create(b, l, 0);
          SmallVector<Value> loops(numLoops, zero);
          delinearize(b, l, 0, plan.groupLoops,
                      loopSizes, loops);
          delinearize(b, l, 1, plan.mLoops,
                      loopSizes, loops);
          delinearize(b, l, 2, plan.kLoops,
                      loopSizes, loops);
          SmallVector<Value> indices;
          for (AffineExpr e : actMap.getResults())
            indices.push_back(affine::AffineApplyOp::create(
                b, l, AffineMap::get(numLoops, 0, e), loops));
          Value v = tensor::ExtractOp::create(b, l, activation, indices);
          linalg::YieldOp::create(b, l, v);
        });

    // 2. The instruction, with the packed weights.
    auto resultType = RankedTensorType::get({geo.m, geo.n}, f32);
    std::string blobBase = "npu_ref_" + plan.name;
    SmallVector<NamedAttribute> attrs;
    auto i64 = [&](int64_t v) { return rewriter.getI64IntegerAttr(v); };
    attrs.push_back(rewriter.getNamedAttr("activation_elements",
                                          i64(geo.activationElements)));
    if (plan.mode == NpuRefMode::Dense) {
      attrs.push_back(rewriter.getNamedAttr(
          "weights",
          makePayload<float, DenseF32ResourceElementsAttr>(
              RankedTensorType::get({geo.n, geo.k}, f32), plan.weights,
              inlineLimit, blobBase + "_weights")));
    } else {
      NpuRefPacked packed = packZeroSkip(plan.weights, geo.n, geo.k, params);
      SmallVector<int8_t> bitmap(packed.bitmap.begin(), packed.bitmap.end());
      attrs.push_back(rewriter.getNamedAttr(
          "bitmap", makePayload<int8_t, DenseI8ResourceElementsAttr>(
                        RankedTensorType::get(
                            {static_cast<int64_t>(bitmap.size())},
                            rewriter.getI8Type()),
                        bitmap, inlineLimit, blobBase + "_bitmap")));
      attrs.push_back(rewriter.getNamedAttr(
          "values", makePayload<float, DenseF32ResourceElementsAttr>(
                        RankedTensorType::get(
                            {static_cast<int64_t>(packed.values.size())}, f32),
                        packed.values, inlineLimit, blobBase + "_values")));
      attrs.push_back(rewriter.getNamedAttr("cols", i64(params.cols)));
      attrs.push_back(rewriter.getNamedAttr("tile_k", i64(params.tileK)));
      attrs.push_back(rewriter.getNamedAttr("group", i64(params.group)));
    }
    auto gemm = npu_ref::GemmOp::create(
        rewriter, loc, resultType, im2col.getResult(0),
        rewriter.getStringAttr(plan.name),
        rewriter.getStringAttr(stringifyNpuRefMode(plan.mode)),
        i64(geo.activationElements), nullptr, nullptr, nullptr, nullptr,
        nullptr, nullptr, nullptr);
    if (plan.predictedUs)
      gemm.setPredictedUsAttr(rewriter.getF64FloatAttr(*plan.predictedUs));
    for (NamedAttribute attr : attrs)
      gemm->setAttr(attr.getName(), attr.getValue());

    // 3. result[out] = init[out] + gemm[m(out)][n(out)].
    auto outType = cast<RankedTensorType>(init.getType());
    unsigned rank = outType.getRank();
    SmallVector<unsigned> outDimOfLoop(numLoops, 0);
    for (unsigned r = 0; r < outMap.getNumResults(); ++r)
      outDimOfLoop[outMap.getDimPosition(r)] = r;
    auto dimOf = [&](unsigned loop) { return outDimOfLoop[loop]; };
    AffineMap readMap = AffineMap::get(
        rank, 0,
        {linearize(ctx, plan.mLoops, loopSizes, dimOf),
         linearize(ctx, plan.nLoops, loopSizes, dimOf)},
        ctx);
    SmallVector<utils::IteratorType> parallel(rank,
                                              utils::IteratorType::parallel);
    auto writeBack = linalg::GenericOp::create(
        rewriter, loc, outType, ValueRange{gemm.getResult()}, ValueRange{init},
        ArrayRef<AffineMap>{readMap, rewriter.getMultiDimIdentityMap(rank)},
        parallel, [&](OpBuilder &b, Location l, ValueRange args) {
          Value sum = arith::AddFOp::create(b, l, args[1], args[0]);
          linalg::YieldOp::create(b, l, sum);
        });
    rewriter.replaceOp(op, writeBack.getResults());
    return success();
  }

  const llvm::DenseMap<Operation *, LayerLowering> &plans;
  NpuRefParams params;
  int64_t inlineLimit;
};

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
      module.emitError() << "sparsity-lower: " << error;
      return signalPassFailure();
    }
    if (target->kind != "npu-ref") {
      module.emitError() << "sparsity-lower: target '" << target->name
                         << "' is of kind '" << target->kind
                         << "'; only npu-ref targets are lowered";
      return signalPassFailure();
    }
    if (inlineLimit < 0) {
      module.emitError("sparsity-lower: inline-limit must not be negative");
      return signalPassFailure();
    }

    // Decide every layer before rewriting anything, so that an error leaves
    // the module as it was.
    const OpSparsityAnalysis &analysis = getAnalysis<OpSparsityAnalysis>();
    llvm::DenseMap<Operation *, LayerLowering> plans;
    bool hadError = false;
    for (const LayerInfo &layer : analysis.getLayers()) {
      Operation *op = layer.op;
      std::string impl = "dense";
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
          op->emitRemark() << "sparsity-lower: layer '" << layer.name
                           << "' left as it is: planned for target '"
                           << plan.getTarget().getValue() << "', not '"
                           << target->name << "'";
          continue;
        }
        impl = plan.getChoice().getValue().str();
      }
      std::optional<NpuRefMode> mode = symbolizeNpuRefMode(impl);
      if (!mode) {
        op->emitRemark() << "sparsity-lower: layer '" << layer.name
                         << "' left as it is: implementation '" << impl
                         << "' has no npu-ref instruction";
        continue;
      }
      std::string whyNot;
      FailureOr<LayerLowering> plan = planLayer(layer, whyNot);
      if (failed(plan)) {
        op->emitRemark() << "sparsity-lower: layer '" << layer.name
                         << "' left as it is: " << whyNot;
        continue;
      }
      plan->mode = *mode;
      if (planAttr && planAttr.getTarget().getValue() == target->name)
        plan->predictedUs = planAttr.getPredicted(impl);
      plans.try_emplace(op, std::move(*plan));
    }
    for (const UncountedOp &uncounted : analysis.getUncounted())
      uncounted.op->emitRemark()
          << "sparsity-lower: '" << uncounted.name
          << "' left as it is: not a weight layer (" << uncounted.reason
          << ")";
    if (hadError)
      return signalPassFailure();

    ConversionTarget conversionTarget(*ctx);
    conversionTarget.markUnknownOpDynamicallyLegal(
        [&](Operation *op) { return !plans.count(op); });
    RewritePatternSet patterns(ctx);
    patterns.add<LowerLayerPattern>(ctx, plans, target->npuRef, inlineLimit);
    if (failed(applyPartialConversion(module, conversionTarget,
                                      std::move(patterns))))
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
