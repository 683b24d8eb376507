//===- X86ActLayout.cpp - how the x86 kernels read a layer's input --------===//
//
// Part of sparsity-mlir.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/CostModel/X86ActLayout.h"
#include "sparsity-mlir/Analysis/OpSparsityAnalysis.h"

#include <limits>

using namespace mlir;
using namespace mlir::sparsity;

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
      offsetsOverLoops(actExpr, loops.kLoops, sizes);
  std::optional<std::vector<int64_t>> groupOffsets =
      offsetsOverLoops(actExpr, loops.groupLoops, sizes);
  std::optional<int64_t> base =
      evaluateAtLoops(actExpr, SmallVector<int64_t>(numLoops, 0));
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
