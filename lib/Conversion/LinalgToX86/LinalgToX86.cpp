//===- LinalgToX86.cpp - weight layers to AVX-512 vector code -------------===//
//
// Part of sparsity-mlir. The x86-avx512 side of `--sparsity-lower`: every
// weight layer planned for an x86-avx512 target becomes a call of a
// generated private function on memrefs, written with the upstream scf,
// vector and arith dialects (and one LLVM intrinsic), whose constant weights
// are packed at compile time into memref globals. docs/x86-avx512.md describes
// the forms:
//
//   dense   register-blocked FMA tiles (R rows broadcast x V vectors of 16
//           lanes), the weight packed into the layout the tile reads;
//   csr     row-CSR SpMM: per weight row, per non-zero, V vectors of
//           activations along the activation (m) dimension;
//   pattern the csr loop unrolled at compile time: every non-zero is an
//           immediate (a code-size guard limits it);
//   bitmap  for layers with fewer than 16 activation rows (m < 16, e.g.
//           batch-1 FC): per weight row, a 16-bit mask per 16 reduction
//           elements and the packed non-zeros, decompressed with
//           `vector.expandload` (vexpandps) or, where the target says so,
//           an index vector from the mask and vpermps (an LLVM intrinsic).
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Conversion/LinalgToX86/LinalgToX86.h"
#include "KernelBuilder.h"

#include "sparsity-mlir/CostModel/X86ActLayout.h"

using namespace mlir;
using namespace mlir::sparsity;
using namespace mlir::sparsity::x86;

/// The zero padding in front of a layer's activation that its kernel does
/// itself (static sizes, padding value +0.0), or null.
static tensor::PadOp getFoldablePad(Value activation) {
  auto pad = activation.getDefiningOp<tensor::PadOp>();
  if (!pad || !pad.getSourceType().hasStaticShape() ||
      !pad.getResultType().hasStaticShape() || !pad.getLow().empty() ||
      !pad.getHigh().empty() || pad.getNofold())
    return {};
  Value value = pad.getConstantPaddingValue();
  FloatAttr zero;
  if (!value || !matchPattern(value, m_Constant(&zero)) ||
      !zero.getValue().isPosZero())
    return {};
  return pad;
}

/// Copies the unpadded activation `src` (shape of `pad`'s source) into a
/// new zeroed buffer of the padded shape; returns its 1-D view.
static Value emitPad(KernelBuilder &kb, tensor::PadOp pad, Value src) {
  ImplicitLocOpBuilder &b = kb.b;
  MLIRContext *ctx = b.getContext();
  ArrayRef<int64_t> from = pad.getSourceType().getShape();
  ArrayRef<int64_t> to = pad.getResultType().getShape();
  ArrayRef<int64_t> low = pad.getStaticLow();
  auto type = MemRefType::get({pad.getResultType().getNumElements()}, kb.f32);
  Value buf = memref::AllocOp::create(b, type, b.getI64IntegerAttr(64));
  Value zero = arith::ConstantOp::create(b, b.getF32FloatAttr(0));
  linalg::FillOp::create(b, ValueRange{zero}, ValueRange{buf});
  AffineExpr srcExpr = getAffineConstantExpr(0, ctx);
  AffineExpr dstExpr = getAffineConstantExpr(0, ctx);
  SmallVector<unsigned> loops;
  for (auto [d, size] : llvm::enumerate(from)) {
    srcExpr = srcExpr * size + getAffineDimExpr(d, ctx);
    dstExpr = dstExpr * to[d] + getAffineDimExpr(d, ctx) + low[d];
    loops.push_back(d);
  }
  ReassociationIndices all;
  for (int64_t d = 0; d < static_cast<int64_t>(from.size()); ++d)
    all.push_back(d);
  Value flatSrc = from.size() == 1
                      ? src
                      : memref::CollapseShapeOp::create(
                            b, src, ArrayRef<ReassociationIndices>{all})
                            .getResult();
  copyNest(kb, loops, from, from.size(), flatSrc, dropUnitLoops(srcExpr, from),
           buf, dropUnitLoops(dstExpr, from));
  return buf;
}

//===----------------------------------------------------------------------===//
// The rewrite of one layer
//===----------------------------------------------------------------------===//

LogicalResult
sparsity::lowerLayerToX86(RewriterBase &rewriter, linalg::LinalgOp op,
                          const LayerLowering &plan, const X86Params &params,
                          int64_t inlineLimit, std::string &kernelName) {
  MLIRContext *ctx = op->getContext();
  Location loc = op.getLoc();
  ModuleOp module = op->getParentOfType<ModuleOp>();
  X86Impl impl = *symbolizeX86Impl(plan.impl);
  OpOperand *actOperand = &op->getOpOperand(plan.activationOperand);
  OpOperand *initOperand = op.getDpsInitOperand(0);
  auto actType = cast<RankedTensorType>(actOperand->get().getType());
  auto outType = cast<RankedTensorType>(initOperand->get().getType());

  X86Layer L{plan,
             impl,
             op,
             op.getStaticLoopRanges(),
             {},
             {},
             actType.getShape(),
             outType.getShape()};
  L.actExpr = linearOperandExpr(op.getMatchingIndexingMap(actOperand),
                                actType.getShape(), L.loopSizes);
  L.outExpr = linearOperandExpr(op.getMatchingIndexingMap(initOperand),
                                outType.getShape(), L.loopSizes);

  // A unique kernel name from the layer name.
  std::string base = "__sparsity_x86_";
  for (char ch : plan.name)
    base += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
  kernelName = base;
  for (int i = 1; module.lookupSymbol(kernelName); ++i)
    kernelName = base + "_" + std::to_string(i);

  // A zero tensor.pad in front of the layer is done inside the kernel,
  // which then takes the unpadded tensor.
  tensor::PadOp pad = getFoldablePad(actOperand->get());
  Value actValue = pad ? pad.getSource() : actOperand->get();
  auto actMem =
      MemRefType::get(cast<RankedTensorType>(actValue.getType()).getShape(),
                      rewriter.getF32Type());
  auto outMem = MemRefType::get(outType.getShape(), rewriter.getF32Type());
  auto fnType = FunctionType::get(ctx, {actMem, outMem, outMem}, {});
  func::FuncOp fn;
  {
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPointToEnd(module.getBody());
    fn = func::FuncOp::create(rewriter, loc, kernelName, fnType);
    fn.setPrivate();
    // AVX-512 registers for the vector<16xf32> code: LLVM's default for
    // server cores prefers 256-bit vectors and would split them.
    fn->setAttr("passthrough",
                rewriter.getArrayAttr(
                    {rewriter.getArrayAttr(
                         {rewriter.getStringAttr("min-legal-vector-width"),
                          rewriter.getStringAttr("512")}),
                     rewriter.getArrayAttr(
                         {rewriter.getStringAttr("prefer-vector-width"),
                          rewriter.getStringAttr("512")})}));
    Block *entry = fn.addEntryBlock();
    ImplicitLocOpBuilder b(loc, rewriter);
    b.setInsertionPointToStart(entry);
    auto flat = [&](Value v, MemRefType t) -> Value {
      if (t.getRank() == 1)
        return v;
      ReassociationIndices all;
      for (int64_t d = 0; d < t.getRank(); ++d)
        all.push_back(d);
      return memref::CollapseShapeOp::create(
          b, v, ArrayRef<ReassociationIndices>{all});
    };
    KernelBuilder kb(b, module, kernelName, inlineLimit);
    KernelContext c{kb,
                    L,
                    params,
                    plan.geometry,
                    X86Tiling(),
                    plan.geometry.n / plan.geometry.groups,
                    pad ? emitPad(kb, pad, entry->getArgument(0))
                        : flat(entry->getArgument(0), actMem),
                    flat(entry->getArgument(1), outMem),
                    flat(entry->getArgument(2), outMem),
                    {}};
    const GemmGeometry &geo = plan.geometry;
    LayerLoops loops{plan.activationOperand,
                     L.loopSizes,
                     plan.groupLoops,
                     plan.nLoops,
                     plan.kLoops,
                     plan.mLoops};
    c.layout = getX86ActLayout(op, loops, geo);
    c.tiling = getX86Tiling(geo, c.layout);
    bool fcLayout = c.layout.kind == X86ActKind::FullyConnected;
    switch (impl) {
    case X86Impl::Dense:
      if (geo.m < kLanes)
        emitNarrow(c, /*bitmap=*/false);
      else if (fcLayout)
        emitDenseWeightB(c);
      else
        emitDenseWeightA(c);
      break;
    case X86Impl::Csr:
      emitCsr(c, /*unrolled=*/false);
      break;
    case X86Impl::Pattern:
      emitCsr(c, /*unrolled=*/true);
      break;
    case X86Impl::Bitmap:
      emitNarrow(c, /*bitmap=*/true);
      break;
    }
    func::ReturnOp::create(b);
  }

  // The call, between tensors and buffers.
  ImplicitLocOpBuilder b(loc, rewriter);
  b.setInsertionPoint(op);
  Value actBuf = bufferization::ToBufferOp::create(b, actMem, actValue,
                                                   /*readOnly=*/true);
  Value initBuf = bufferization::ToBufferOp::create(
      b, outMem, initOperand->get(), /*readOnly=*/true);
  Value outBuf = memref::AllocOp::create(b, outMem, b.getI64IntegerAttr(64));
  func::CallOp::create(b, fn, ValueRange{actBuf, initBuf, outBuf});
  Value result = bufferization::ToTensorOp::create(
      b, outType, outBuf, /*restrict=*/true, /*writable=*/true);
  rewriter.replaceOp(op, result);
  if (pad && pad->use_empty())
    rewriter.eraseOp(pad);
  return success();
}

LogicalResult sparsity::lowerLayersToX86(
    ModuleOp module, const llvm::DenseMap<Operation *, LayerLowering> &plans,
    const X86Params &params, int64_t inlineLimit) {
  // Program order, so that kernel names follow the layers.
  SmallVector<Operation *> order;
  module.walk([&](Operation *op) {
    if (plans.count(op))
      order.push_back(op);
  });
  IRRewriter rewriter(module.getContext());
  for (Operation *op : order) {
    std::string kernel;
    rewriter.setInsertionPoint(op);
    if (failed(lowerLayerToX86(rewriter, cast<linalg::LinalgOp>(op),
                               plans.find(op)->second, params, inlineLimit,
                               kernel)))
      return failure();
  }
  return success();
}
