//===- LinalgToNpuRef.cpp - weight layers to npu_ref.gemm -----------------===//
//
// Part of sparsity-mlir. The npu-ref backend of `--sparsity-lower`: every
// weight layer planned for an npu-ref target becomes host-side im2col, one
// `npu_ref.gemm` with its weights packed at compile time, and the write-back
// into the layer's output layout plus its initial value.
// docs/npu-ref-dialect.md describes the produced IR.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Conversion/LinalgToNpuRef/LinalgToNpuRef.h"
#include "sparsity-mlir/Dialect/NpuRef/IR/NpuRefOps.h"
#include "sparsity-mlir/Target/NpuRef.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/Transforms/DialectConversion.h"

#include "llvm/ADT/DenseMap.h"

using namespace mlir;
using namespace mlir::sparsity;

namespace {

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
    AffineMap actMap =
        op.getMatchingIndexingMap(&op->getOpOperand(plan.activationOperand));
    AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
    SmallVector<int64_t> loopSizes = op.getStaticLoopRanges();
    unsigned numLoops = op.getNumLoops();
    const GemmGeometry &geo = plan.geometry;
    Type f32 = rewriter.getF32Type();

    // 1. im2col: act[g][m][k] = activation[actMap(loops)].
    auto colType = RankedTensorType::get({geo.groups, geo.m, geo.k}, f32);
    Value colInit =
        tensor::EmptyOp::create(rewriter, loc, colType.getShape(), f32);
    SmallVector<utils::IteratorType> parallel3(3,
                                               utils::IteratorType::parallel);
    auto im2col = linalg::GenericOp::create(
        rewriter, loc, colType, ValueRange(), ValueRange{colInit},
        ArrayRef<AffineMap>{rewriter.getMultiDimIdentityMap(3)}, parallel3,
        [&](OpBuilder &b, Location l, ValueRange) {
          Value zero = arith::ConstantIndexOp::create(b, l, 0);
          SmallVector<Value> loops(numLoops, zero);
          delinearize(b, l, 0, plan.groupLoops, loopSizes, loops);
          delinearize(b, l, 1, plan.mLoops, loopSizes, loops);
          delinearize(b, l, 2, plan.kLoops, loopSizes, loops);
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
    NpuRefMode mode = *symbolizeNpuRefMode(plan.impl);
    if (mode == NpuRefMode::Dense) {
      attrs.push_back(rewriter.getNamedAttr(
          "weights", makePayload<float, DenseF32ResourceElementsAttr>(
                         RankedTensorType::get({geo.n, geo.k}, f32),
                         plan.weights, inlineLimit, blobBase + "_weights")));
    } else {
      NpuRefPacked packed = packZeroSkip(plan.weights, geo.n, geo.k, params);
      SmallVector<int8_t> bitmap(packed.bitmap.begin(), packed.bitmap.end());
      attrs.push_back(rewriter.getNamedAttr(
          "bitmap",
          makePayload<int8_t, DenseI8ResourceElementsAttr>(
              RankedTensorType::get({static_cast<int64_t>(bitmap.size())},
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
        NpuRefModeAttr::get(rewriter.getContext(), mode),
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
    AffineMap readMap =
        AffineMap::get(rank, 0,
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
} // namespace

LogicalResult sparsity::lowerLayersToNpuRef(
    ModuleOp module, const llvm::DenseMap<Operation *, LayerLowering> &plans,
    const NpuRefParams &params, int64_t inlineLimit) {
  MLIRContext *ctx = module.getContext();
  ConversionTarget conversionTarget(*ctx);
  conversionTarget.markUnknownOpDynamicallyLegal(
      [&](Operation *op) { return !plans.count(op); });
  RewritePatternSet patterns(ctx);
  patterns.add<LowerLayerPattern>(ctx, plans, params, inlineLimit);
  return applyPartialConversion(module, conversionTarget, std::move(patterns));
}
