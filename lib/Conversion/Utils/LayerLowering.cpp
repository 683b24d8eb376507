//===- LayerLowering.cpp - shared analysis of a weight layer --------------===//
//
// Part of sparsity-mlir.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Conversion/Utils/LayerLowering.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace mlir::sparsity;

bool sparsity::isMultiplyAccumulate(Block &body) {
  if (body.getNumArguments() != 3 ||
      !llvm::all_of(body.getArgumentTypes(), [](Type t) { return t.isF32(); }))
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

FailureOr<LayerLowering> sparsity::planLayer(const LayerInfo &layer,
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
  OpOperand *activation =
      op.getDpsInputOperand(op.getDpsInputOperand(0) == weight ? 1 : 0);
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

  FailureOr<LayerLoops> loops = getLayerLoops(layer, *gemm, whyNot);
  if (failed(loops))
    return failure();
  plan.groupLoops = loops->groupLoops;
  plan.nLoops = loops->nLoops;
  plan.kLoops = loops->kLoops;
  plan.mLoops = loops->mLoops;

  FailureOr<std::vector<float>> w = readLayerWeightMatrix(layer, *gemm, whyNot);
  if (failed(w))
    return failure();
  plan.weights = std::move(*w);
  if (Operation *root = layer.weightRoot.getDefiningOp())
    plan.weightOps.push_back(root);
  plan.weightOps.append(layer.weightChain.begin(), layer.weightChain.end());
  return plan;
}

void sparsity::delinearize(OpBuilder &b, Location loc, unsigned dim,
                           ArrayRef<unsigned> loops,
                           ArrayRef<int64_t> loopSizes,
                           MutableArrayRef<Value> values) {
  if (loops.empty())
    return;
  delinearize(b, loc, linalg::IndexOp::create(b, loc, dim), loops, loopSizes,
              values);
}

void sparsity::delinearize(OpBuilder &b, Location loc, Value linear,
                           ArrayRef<unsigned> loops,
                           ArrayRef<int64_t> loopSizes,
                           MutableArrayRef<Value> values) {
  if (loops.empty())
    return;
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

AffineExpr sparsity::linearize(MLIRContext *ctx, ArrayRef<unsigned> loops,
                               ArrayRef<int64_t> loopSizes,
                               llvm::function_ref<unsigned(unsigned)> dimOf) {
  AffineExpr expr = getAffineConstantExpr(0, ctx);
  for (unsigned loop : loops)
    expr = expr * loopSizes[loop] + getAffineDimExpr(dimOf(loop), ctx);
  return expr;
}
