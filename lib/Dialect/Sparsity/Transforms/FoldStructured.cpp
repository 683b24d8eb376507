//===- FoldStructured.cpp - remove pruned channels from the shapes --------===//
//
// Part of sparsity-mlir. Implements --sparsity-fold-structured: finds the
// channels that are all zero (or a constant that can be folded into the next
// layer's bias) at every layer that reduces over them, and removes them from
// every tensor that carries them, so that the shapes shrink and the outputs
// stay the same. docs/fold-structured.md describes the rules.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Analysis/OpSparsityAnalysis.h"
#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityOps.h"
#include "sparsity-mlir/Dialect/Sparsity/Transforms/Passes.h"
#include "sparsity-mlir/Dialect/Sparsity/Transforms/StructuredFold.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <cstring>
#include <map>

namespace mlir {
namespace sparsity {
#define GEN_PASS_DEF_SPARSITYFOLDSTRUCTUREDPASS
#include "sparsity-mlir/Dialect/Sparsity/Transforms/Passes.h.inc"
} // namespace sparsity
} // namespace mlir

using namespace mlir;
using namespace mlir::sparsity;
using namespace mlir::sparsity::fold;

namespace {

/// Performs one plan.
struct Rewriter {
  const FoldRewrite &plan;

  LogicalResult rewrite(func::FuncOp function);
  Value materializeLeaf(OpBuilder &builder, OpOperand &operand);
};

/// Writes `value`, rounded to `type` (a float type), to `out`.
void writeFloat(FloatType type, double value, char *out) {
  APFloat converted(value);
  bool lost = false;
  converted.convert(type.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                    &lost);
  uint64_t bits = converted.bitcastToAPInt().getZExtValue();
  std::memcpy(out, &bits, type.getWidth() / 8);
}

} // namespace

//===----------------------------------------------------------------------===//
// Rewriting
//===----------------------------------------------------------------------===//

/// Copies the elements of `payload` (shape `shape`) kept by `kept` into a new
/// buffer, after adding `delta` (full layout) when given.
static std::vector<char> sliceBytes(const Payload &payload,
                                    ArrayRef<int64_t> shape,
                                    const KeptLists &kept,
                                    const std::vector<double> *delta) {
  SmallVector<int64_t> newShape = getKeptShape(shape, kept);
  int64_t rank = shape.size();
  int64_t count = 1;
  for (int64_t s : newShape)
    count *= s;
  SmallVector<int64_t> strides = getStrides(shape);
  SmallVector<int64_t> newStrides = getStrides(newShape);
  std::vector<char> out(count * payload.byteWidth);
  for (int64_t e = 0; e < count; ++e) {
    int64_t rem = e, source = 0;
    for (int64_t d = 0; d < rank; ++d) {
      int64_t i = rem / newStrides[d];
      rem %= newStrides[d];
      int64_t original = kept[d].empty() ? i : kept[d][i];
      source += original * strides[d];
    }
    char *dst = out.data() + e * payload.byteWidth;
    if (delta) {
      writeFloat(cast<FloatType>(payload.elementType),
                 payload.get(source) + (*delta)[source], dst);
    } else {
      std::memcpy(dst, payload.at(source), payload.byteWidth);
    }
  }
  return out;
}

/// A new constant holding `bytes` of `type`, a `dense_resource` (under a
/// name derived from `like`'s) when `like` is one.
static Value createConstant(OpBuilder &builder, Location loc,
                            RankedTensorType type, ArrayRef<char> bytes,
                            Attribute like) {
  Attribute value;
  if (auto resource = dyn_cast_or_null<DenseResourceElementsAttr>(like)) {
    unsigned width = type.getElementTypeBitWidth() / 8;
    AsmResourceBlob blob = HeapAsmResourceBlob::allocate(
        bytes.size(), std::max<size_t>(width, 8), /*dataIsMutable=*/true);
    std::memcpy(blob.getMutableData().data(), bytes.data(), bytes.size());
    value = DenseResourceElementsAttr::get(
        type, (resource.getRawHandle().getKey() + "_folded").str(),
        std::move(blob));
  } else {
    value = DenseElementsAttr::getFromRawBuffer(type, bytes);
  }
  return arith::ConstantOp::create(builder, loc, cast<TypedAttr>(value));
}

Value Rewriter::materializeLeaf(OpBuilder &builder, OpOperand &operand) {
  Value old = operand.get();
  auto type = cast<RankedTensorType>(old.getType());
  KeptLists kept(type.getRank());
  if (auto it = plan.keptOfLeaf.find(&operand); it != plan.keptOfLeaf.end())
    kept = it->second;
  SmallVector<int64_t> newShape = getKeptShape(type.getShape(), kept);
  auto newType = RankedTensorType::get(newShape, type.getElementType());
  Location loc = old.getLoc();
  if (old.getDefiningOp<tensor::EmptyOp>())
    return tensor::EmptyOp::create(builder, loc, newShape,
                                   type.getElementType());
  if (linalg::FillOp fill = getConstantFill(old)) {
    Value empty =
        tensor::EmptyOp::create(builder, loc, newShape, type.getElementType());
    auto biasIt = plan.fillBias.find(fill);
    if (biasIt == plan.fillBias.end())
      return linalg::FillOp::create(builder, loc, fill.getInputs()[0], empty)
          .getResult(0);
    // The fill becomes the broadcast of a bias that absorbs the removed
    // channels' constant contribution.
    const FoldRewrite::FillBias &bias = biasIt->second;
    Type elementType = type.getElementType();
    unsigned width = elementType.getIntOrFloatBitWidth() / 8;
    SmallVector<int64_t> biasShape;
    KeptLists biasKept;
    for (int64_t r : bias.dims) {
      biasShape.push_back(type.getShape()[r]);
      biasKept.push_back(kept[r]);
    }
    std::vector<char> raw(bias.values.size() * width);
    for (auto [i, v] : llvm::enumerate(bias.values))
      writeFloat(cast<FloatType>(elementType), v, raw.data() + i * width);
    std::optional<Payload> payload =
        Payload::read(DenseElementsAttr::getFromRawBuffer(
            RankedTensorType::get(biasShape, elementType), raw));
    std::vector<char> bytes =
        sliceBytes(*payload, biasShape, biasKept, nullptr);
    Value constant = createConstant(
        builder, loc,
        RankedTensorType::get(getKeptShape(biasShape, biasKept), elementType),
        bytes, {});
    SmallVector<int64_t> broadcastDims;
    for (int64_t r = 0; r < type.getRank(); ++r)
      if (!llvm::is_contained(bias.dims, r))
        broadcastDims.push_back(r);
    return linalg::BroadcastOp::create(builder, loc, constant, empty,
                                       broadcastDims)
        ->getResult(0);
  }
  arith::ConstantOp constant = getConstant(old);
  std::optional<Payload> payload = Payload::read(constant.getValue());
  auto deltaIt = plan.biasDelta.find(&operand);
  const std::vector<double> *delta =
      deltaIt == plan.biasDelta.end() ? nullptr : &deltaIt->second;
  if (payload->splat && !delta) {
    auto dense = cast<DenseElementsAttr>(constant.getValue());
    return arith::ConstantOp::create(builder, loc, dense.resizeSplat(newType));
  }
  std::vector<char> bytes = sliceBytes(*payload, type.getShape(), kept, delta);
  return createConstant(builder, loc, newType, bytes, constant.getValue());
}

LogicalResult Rewriter::rewrite(func::FuncOp function) {
  IRMapping mapping;
  SmallVector<Operation *> replaced;
  OpBuilder builder(function.getContext());
  auto newTypeOf = [&](Value value) -> Type {
    auto it = plan.keptOfValue.find(value);
    if (it == plan.keptOfValue.end())
      return value.getType();
    auto type = cast<RankedTensorType>(value.getType());
    return RankedTensorType::get(getKeptShape(type.getShape(), it->second),
                                 type.getElementType());
  };
  for (Block &block : function.getBody()) {
    for (Operation &op : llvm::make_early_inc_range(block)) {
      auto leafChanges = [&](OpOperand &use) {
        return isLeafDef(use.get()) &&
               (plan.keptOfLeaf.count(&use) || plan.biasDelta.count(&use) ||
                plan.fillBias.count(use.get().getDefiningOp()));
      };
      bool changes = llvm::any_of(op.getOpOperands(), [&](OpOperand &use) {
        return mapping.contains(use.get()) || leafChanges(use);
      });
      changes |= llvm::any_of(op.getResults(), [&](Value result) {
        return plan.keptOfValue.count(result) > 0;
      });
      if (!changes)
        continue;
      builder.setInsertionPoint(&op);
      replaced.push_back(&op);
      if (auto annotate = dyn_cast<AnnotateOp>(&op)) {
        // The pattern changes with the shape: the annotation is dropped
        // (re-annotated at the end).
        mapping.map(annotate.getResult(),
                    mapping.lookupOrDefault(annotate.getSource()));
        continue;
      }
      SmallVector<std::pair<unsigned, Value>> newLeaves;
      for (OpOperand &use : op.getOpOperands())
        if (leafChanges(use))
          newLeaves.push_back(
              {use.getOperandNumber(), materializeLeaf(builder, use)});
      Operation *clone = builder.clone(op, mapping);
      for (auto [number, value] : newLeaves)
        clone->setOperand(number, value);
      for (auto [oldResult, newResult] :
           llvm::zip(op.getResults(), clone->getResults()))
        newResult.setType(newTypeOf(oldResult));
      if (auto expand = dyn_cast<tensor::ExpandShapeOp>(clone))
        expand.setStaticOutputShape(expand.getResultType().getShape());
      if (auto slice = dyn_cast<tensor::ExtractSliceOp>(clone)) {
        // The offset counts the kept source indices before it; the size is
        // the result's.
        auto oldSlice = cast<tensor::ExtractSliceOp>(op);
        SmallVector<int64_t> offsets(oldSlice.getStaticOffsets());
        const KeptLists *sourceKept = nullptr;
        if (auto it = plan.keptOfValue.find(oldSlice.getSource());
            it != plan.keptOfValue.end())
          sourceKept = &it->second;
        else if (auto it = plan.keptOfLeaf.find(&oldSlice.getSourceMutable());
                 it != plan.keptOfLeaf.end())
          sourceKept = &it->second;
        for (size_t d = 0; sourceKept && d < sourceKept->size(); ++d) {
          const SmallVector<int64_t> &list = (*sourceKept)[d];
          if (!list.empty())
            offsets[d] = llvm::lower_bound(list, offsets[d]) - list.begin();
        }
        slice.setStaticOffsets(offsets);
        slice.setStaticSizes(slice.getResultType().getShape());
      }
      mapping.map(op.getResults(), clone->getResults());
    }
  }
  for (Operation *op : replaced)
    for (Value result : op->getResults())
      result.replaceAllUsesWith(mapping.lookup(result));
  SmallVector<Operation *> leaves;
  for (Operation *op : llvm::reverse(replaced)) {
    for (Value operand : op->getOperands())
      if (Operation *def = operand.getDefiningOp())
        if (isa<arith::ConstantOp, tensor::EmptyOp, AnnotateOp, linalg::FillOp>(
                def))
          leaves.push_back(def);
    op->erase();
  }
  // The leaves (and the annotations in front of them) no use needs any more.
  while (!leaves.empty()) {
    Operation *leaf = leaves.pop_back_val();
    if (!leaf->use_empty())
      continue;
    for (Value operand : leaf->getOperands())
      if (Operation *def = operand.getDefiningOp())
        leaves.push_back(def);
    leaf->erase();
    leaves.erase(std::remove(leaves.begin(), leaves.end(), leaf), leaves.end());
  }
  return success();
}

LogicalResult sparsity::applyChannelGroups(const ChannelGroups &groups,
                                           Operation *root) {
  const FoldRewrite &plan = groups.getRewrite();
  if (plan.keptOfValue.empty() && plan.keptOfLeaf.empty())
    return success();
  Rewriter rewriter{plan};
  WalkResult result = root->walk([&](func::FuncOp function) {
    return failed(rewriter.rewrite(function)) ? WalkResult::interrupt()
                                              : WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

namespace {
struct SparsityFoldStructuredPass
    : public sparsity::impl::SparsityFoldStructuredPassBase<
          SparsityFoldStructuredPass> {
  using Base::Base;

  /// Checks the option names and values when the options are parsed.
  LogicalResult initializeOptions(
      StringRef options,
      function_ref<LogicalResult(const Twine &)> errorHandler) override {
    static const OptionCheck checks[] = {{"fold-constants", checkBoolOption}};
    if (failed(checkPassOptions(*this, options, checks, errorHandler)))
      return failure();
    return Pass::initializeOptions(options, errorHandler);
  }

  void runOnOperation() override;
};
} // namespace

void SparsityFoldStructuredPass::runOnOperation() {
  ModuleOp module = getOperation();
  const OpSparsityAnalysis &analysis = getAnalysis<OpSparsityAnalysis>();
  int64_t macsBefore = analysis.getTotals().macs;
  ChannelGroups fold(analysis, foldConstants);
  fold.emitRemarks();
  if (fold.getRemovedChannels() == 0) {
    emitRemark(module.getLoc())
        << "sparsity-fold-structured: nothing removed; MACs " << macsBefore;
    markAllAnalysesPreserved();
    return;
  }
  if (failed(applyChannelGroups(fold, module)))
    return signalPassFailure();

  OpPassManager annotate(ModuleOp::getOperationName());
  annotate.addPass(createSparsityAnnotatePass());
  if (failed(runPipeline(annotate, module)))
    return signalPassFailure();
  int64_t macsAfter = OpSparsityAnalysis(module).getTotals().macs;
  emitRemark(module.getLoc()) << llvm::formatv(
      "sparsity-fold-structured: removed {0} channels in {1} groups; MACs "
      "{2} -> {3} ({4:P2} fewer)",
      fold.getRemovedChannels(), fold.getChangedGroups(), macsBefore, macsAfter,
      macsBefore == 0
          ? 0.0
          : static_cast<double>(macsBefore - macsAfter) / macsBefore);
}
