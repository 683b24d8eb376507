//===- LayerLayout.cpp - loops and operand layouts of a weight layer ------===//
//
// Part of sparsity-mlir.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/CostModel/LayerLayout.h"

#include <limits>

using namespace mlir;
using namespace mlir::sparsity;

FailureOr<LayerLoops> sparsity::getLayerLoops(const LayerInfo &layer,
                                              const LayerGemm &gemm,
                                              std::string &whyNot) {
  auto op = dyn_cast<linalg::LinalgOp>(layer.op);
  if (!op || op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1) {
    whyNot = "only layers with two inputs and one init are lowered";
    return failure();
  }
  LayerLoops loops;
  OpOperand *weight = &op->getOpOperand(layer.weightOperand);
  OpOperand *activation =
      op.getDpsInputOperand(op.getDpsInputOperand(0) == weight ? 1 : 0);
  loops.activationOperand = activation->getOperandNumber();
  AffineMap actMap = op.getMatchingIndexingMap(activation);
  AffineMap weightMap = op.getMatchingIndexingMap(weight);
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (!weightMap.isProjectedPermutation() || !outMap.isProjectedPermutation()) {
    whyNot = "its weight or output indexing map is not a projected "
             "permutation";
    return failure();
  }
  unsigned numLoops = op.getNumLoops();
  loops.loopSizes = op.getStaticLoopRanges();
  SmallVector<bool> inWeight(numLoops, false), inOutput(numLoops, false);
  for (unsigned r = 0; r < weightMap.getNumResults(); ++r)
    inWeight[weightMap.getDimPosition(r)] = true;
  for (unsigned r = 0; r < outMap.getNumResults(); ++r)
    inOutput[outMap.getDimPosition(r)] = true;

  for (int64_t d : gemm.nDims) {
    unsigned loop = weightMap.getDimPosition(d);
    loops.nLoops.push_back(loop);
    if (actMap.isFunctionOfDim(loop)) {
      if (loops.groupLoops.size() + 1 != loops.nLoops.size()) {
        whyNot = "its group dimension (weight dimension " + std::to_string(d) +
                 ") follows another output dimension of the weight";
        return failure();
      }
      loops.groupLoops.push_back(loop);
    }
  }
  for (int64_t d : gemm.kDims)
    loops.kLoops.push_back(weightMap.getDimPosition(d));
  for (unsigned r = 0; r < outMap.getNumResults(); ++r) {
    unsigned loop = outMap.getDimPosition(r);
    if (!inWeight[loop])
      loops.mLoops.push_back(loop);
  }
  for (unsigned loop = 0; loop < numLoops; ++loop) {
    if (!inWeight[loop] && !inOutput[loop]) {
      whyNot = "it reduces over loop dimension " + std::to_string(loop) +
               ", which the weight does not have";
      return failure();
    }
  }
  int64_t m = 1, groups = 1;
  for (unsigned loop : loops.mLoops)
    m *= loops.loopSizes[loop];
  for (unsigned loop : loops.groupLoops)
    groups *= loops.loopSizes[loop];
  if (m != gemm.geometry.m || groups != gemm.geometry.groups) {
    whyNot = "its output rows (" + std::to_string(m) + ") or groups (" +
             std::to_string(groups) + ") differ from the analysis (" +
             std::to_string(gemm.geometry.m) + ", " +
             std::to_string(gemm.geometry.groups) + ")";
    return failure();
  }
  return loops;
}

std::vector<int64_t> sparsity::rowMajorOffsets(ArrayRef<int64_t> sizes,
                                               ArrayRef<int64_t> strides) {
  std::vector<int64_t> result = {0};
  for (auto [size, stride] : llvm::zip_equal(sizes, strides)) {
    std::vector<int64_t> next;
    next.reserve(result.size() * size);
    for (int64_t base : result)
      for (int64_t i = 0; i < size; ++i)
        next.push_back(base + i * stride);
    result = std::move(next);
  }
  return result;
}

AffineExpr sparsity::dropUnitLoops(AffineExpr e, ArrayRef<int64_t> loopSizes) {
  MLIRContext *ctx = e.getContext();
  SmallVector<AffineExpr> dims;
  for (auto [d, size] : llvm::enumerate(loopSizes))
    dims.push_back(size == 1 ? getAffineConstantExpr(0, ctx)
                             : getAffineDimExpr(d, ctx));
  return simplifyAffineExpr(e.replaceDims(dims), loopSizes.size(), 0);
}

AffineExpr sparsity::linearOperandExpr(AffineMap map, ArrayRef<int64_t> shape,
                                       ArrayRef<int64_t> loopSizes) {
  MLIRContext *ctx = map.getContext();
  AffineExpr e = getAffineConstantExpr(0, ctx);
  for (auto [r, size] : llvm::enumerate(shape))
    e = e * size + map.getResult(r);
  return dropUnitLoops(e, loopSizes);
}

AffineExpr sparsity::linearOverLoops(MLIRContext *ctx,
                                     ArrayRef<ArrayRef<unsigned>> parts,
                                     ArrayRef<int64_t> loopSizes,
                                     ArrayRef<int64_t> padTo) {
  AffineExpr e = getAffineConstantExpr(0, ctx);
  for (auto [i, loops] : llvm::enumerate(parts)) {
    AffineExpr part = getAffineConstantExpr(0, ctx);
    int64_t size = 1;
    for (unsigned loop : loops) {
      part = part * loopSizes[loop] + getAffineDimExpr(loop, ctx);
      size *= loopSizes[loop];
    }
    if (i < padTo.size() && padTo[i] > 0)
      size = padTo[i];
    e = e * size + part;
  }
  return dropUnitLoops(e, loopSizes);
}

/// `e` at the loop values `values` (one per loop), when it folds to a
/// constant.
static std::optional<int64_t> evaluate(AffineExpr e, ArrayRef<int64_t> values) {
  MLIRContext *ctx = e.getContext();
  SmallVector<AffineExpr> dims;
  for (int64_t v : values)
    dims.push_back(getAffineConstantExpr(v, ctx));
  auto c = dyn_cast<AffineConstantExpr>(
      simplifyAffineExpr(e.replaceDims(dims), values.size(), 0));
  return c ? std::optional<int64_t>(c.getValue()) : std::nullopt;
}

static bool isLinear(AffineExpr e) {
  bool linear = true;
  e.walk([&](AffineExpr sub) {
    if (sub.getKind() == AffineExprKind::Mod ||
        sub.getKind() == AffineExprKind::FloorDiv ||
        sub.getKind() == AffineExprKind::CeilDiv)
      linear = false;
    if (auto bin = dyn_cast<AffineBinaryOpExpr>(sub))
      if (sub.getKind() == AffineExprKind::Mul &&
          !isa<AffineConstantExpr>(bin.getLHS()) &&
          !isa<AffineConstantExpr>(bin.getRHS()))
        linear = false;
  });
  return linear;
}

std::optional<int64_t> sparsity::linearCoefficient(AffineExpr e, unsigned dim,
                                                   unsigned numLoops) {
  if (!isLinear(e))
    return std::nullopt;
  SmallVector<int64_t> values(numLoops, 0);
  std::optional<int64_t> zero = evaluate(e, values);
  values[dim] = 1;
  std::optional<int64_t> one = evaluate(e, values);
  if (!zero || !one)
    return std::nullopt;
  return *one - *zero;
}

/// The positions of `e` over all combinations of `loops` (row-major), the
/// other loops at 0, relative to all loops at 0; std::nullopt when `e` is
/// not linear.
static std::optional<std::vector<int64_t>>
offsetsOver(AffineExpr e, ArrayRef<unsigned> loops,
            ArrayRef<int64_t> loopSizes) {
  unsigned numLoops = loopSizes.size();
  SmallVector<int64_t> coeff;
  for (unsigned loop : loops) {
    std::optional<int64_t> c = linearCoefficient(e, loop, numLoops);
    if (!c)
      return std::nullopt;
    coeff.push_back(*c);
  }
  SmallVector<int64_t> sizes;
  for (unsigned loop : loops)
    sizes.push_back(loopSizes[loop]);
  return rowMajorOffsets(sizes, coeff);
}

X86ActLayout sparsity::getX86ActLayout(linalg::LinalgOp op,
                                       const LayerLoops &loops,
                                       const GemmGeometry &geo) {
  X86ActLayout layout;
  MLIRContext *ctx = op->getContext();
  ArrayRef<int64_t> sizes = loops.loopSizes;
  unsigned numLoops = sizes.size();
  OpOperand *act = &op->getOpOperand(loops.activationOperand);
  OpOperand *out = op.getDpsInitOperand(0);
  auto shapeOf = [](OpOperand *o) {
    return cast<ShapedType>(o->get().getType()).getShape();
  };
  AffineExpr actExpr =
      linearOperandExpr(op.getMatchingIndexingMap(act), shapeOf(act), sizes);
  AffineExpr outExpr =
      linearOperandExpr(op.getMatchingIndexingMap(out), shapeOf(out), sizes);
  if (geo.groups == 1 &&
      actExpr == linearOverLoops(ctx, {loops.mLoops, loops.kLoops}, sizes) &&
      outExpr == linearOverLoops(ctx, {loops.mLoops, loops.nLoops}, sizes)) {
    layout.kind = X86ActKind::FullyConnected;
    return layout;
  }
  // The kernels keep activation offsets in i32 tables.
  if (geo.m < kX86Lanes ||
      geo.activationElements > std::numeric_limits<int32_t>::max() ||
      outExpr != linearOverLoops(ctx, {loops.nLoops, loops.mLoops}, sizes))
    return layout;
  // The m loops that are not unit: output rows and, innermost, columns.
  SmallVector<unsigned> mLoops;
  for (unsigned loop : loops.mLoops)
    if (sizes[loop] != 1)
      mLoops.push_back(loop);
  if (mLoops.empty() || mLoops.size() > 2)
    return layout;
  unsigned inner = mLoops.back();
  std::optional<int64_t> innerCoeff =
      linearCoefficient(actExpr, inner, numLoops);
  if (!innerCoeff || *innerCoeff != 1)
    return layout;
  int64_t width = sizes[inner];
  int64_t vecs = (width + kX86Lanes - 1) / kX86Lanes;
  if (static_cast<double>(width) / static_cast<double>(vecs * kX86Lanes) <
      kX86DirectMinLaneUse)
    return layout;
  int64_t pitch = 0, rows = 1;
  if (mLoops.size() == 2) {
    std::optional<int64_t> c = linearCoefficient(actExpr, mLoops[0], numLoops);
    if (!c || *c < width)
      return layout;
    pitch = *c;
    rows = sizes[mLoops[0]];
  }
  std::optional<std::vector<int64_t>> kOffsets =
      offsetsOver(actExpr, loops.kLoops, sizes);
  std::optional<std::vector<int64_t>> groupOffsets =
      offsetsOver(actExpr, loops.groupLoops, sizes);
  std::optional<int64_t> base =
      evaluate(actExpr, SmallVector<int64_t>(numLoops, 0));
  if (!kOffsets || !groupOffsets || !base)
    return layout;
  for (int64_t &o : *kOffsets)
    o += *base;
  layout.kind = X86ActKind::Direct;
  layout.rowWidth = width;
  layout.rows = rows;
  layout.actRowPitch = pitch;
  layout.kOffsets = std::move(*kOffsets);
  layout.groupOffsets = std::move(*groupOffsets);
  return layout;
}

X86ActLayout sparsity::getX86ActLayout(const LayerInfo &layer,
                                       const LayerGemm &gemm) {
  std::string whyNot;
  FailureOr<LayerLoops> loops = getLayerLoops(layer, gemm, whyNot);
  auto op = dyn_cast<linalg::LinalgOp>(layer.op);
  if (failed(loops) || !op || !op.hasPureTensorSemantics())
    return {};
  for (Value v : op->getOperands()) {
    auto type = dyn_cast<ShapedType>(v.getType());
    if (!type || !type.hasStaticShape())
      return {};
  }
  return getX86ActLayout(op, *loops, gemm.geometry);
}
