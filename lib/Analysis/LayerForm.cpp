//===- LayerForm.cpp - a weight layer in matrix form ----------------------===//
//
// Part of sparsity-mlir.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Analysis/LayerForm.h"
#include "sparsity-mlir/Analysis/ElementMask.h"
#include "sparsity-mlir/Analysis/OpSparsityAnalysis.h"
#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityOps.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::sparsity;

//===----------------------------------------------------------------------===//
// The matrix form of a layer
//===----------------------------------------------------------------------===//

FailureOr<LayerGemm> sparsity::getLayerGemm(const LayerInfo &layer,
                                            std::string &whyNot) {
  LayerGemm gemm;
  int64_t n = 1, k = 1, groups = 1;
  for (auto [d, size] : llvm::enumerate(layer.weightShape)) {
    if (layer.roles.output[d]) {
      gemm.nDims.push_back(d);
      n *= size;
      if (layer.roles.input[d])
        groups *= size;
    } else {
      gemm.kDims.push_back(d);
      k *= size;
    }
  }
  if (gemm.nDims.empty()) {
    whyNot = "the weight has no output dimension";
    return failure();
  }
  auto linalgOp = dyn_cast<linalg::LinalgOp>(layer.op);
  if (!linalgOp) {
    whyNot = "the layer is not a linalg op";
    return failure();
  }
  Value activation;
  for (OpOperand *input : linalgOp.getDpsInputOperands())
    if (input->getOperandNumber() != layer.weightOperand) {
      activation = input->get();
      break;
    }
  auto actType = activation ? dyn_cast<RankedTensorType>(activation.getType())
                            : RankedTensorType();
  if (!actType || !actType.hasStaticShape()) {
    whyNot = "the activation is not a statically shaped tensor";
    return failure();
  }
  gemm.geometry.m = layer.uses;
  gemm.geometry.k = k;
  gemm.geometry.n = n;
  gemm.geometry.groups = groups;
  gemm.geometry.activationElements = actType.getNumElements();
  return gemm;
}

FailureOr<std::vector<float>>
sparsity::readLayerWeightMatrix(const LayerInfo &layer, const LayerGemm &gemm,
                                std::string &whyNot) {
  if (layer.declared) {
    whyNot = "the weight is a function argument";
    return failure();
  }
  // Casts, annotations and reshapes keep the elements in row-major order,
  // so the constant's payload is the weight as the layer sees it.
  for (Operation *view : layer.weightChain)
    if (!isa<tensor::CastOp, tensor::CollapseShapeOp, tensor::ExpandShapeOp,
             AnnotateOp>(view)) {
      whyNot = "the weight reaches the layer through '" +
               view->getName().getStringRef().str() +
               "', which reorders its elements";
      return failure();
    }
  ElementsAttr values;
  if (!matchPattern(layer.weightRoot, m_Constant(&values))) {
    whyNot = "the weight is not a constant";
    return failure();
  }
  FailureOr<std::vector<double>> elements = readConstantValues(values, whyNot);
  if (failed(elements))
    return failure();

  // Strides of the weight in its own layout, then W[n][k] by walking the n
  // dimensions and the k dimensions each in order.
  ArrayRef<int64_t> shape = layer.weightShape;
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t d = static_cast<int64_t>(shape.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  auto offsets = [&](ArrayRef<int64_t> dims) {
    SmallVector<int64_t> sizes, dimStrides;
    for (int64_t d : dims) {
      sizes.push_back(shape[d]);
      dimStrides.push_back(strides[d]);
    }
    return rowMajorOffsets(sizes, dimStrides);
  };
  std::vector<int64_t> nOff = offsets(gemm.nDims), kOff = offsets(gemm.kDims);
  std::vector<float> w;
  w.reserve(nOff.size() * kOff.size());
  for (int64_t no : nOff)
    for (int64_t ko : kOff)
      w.push_back(static_cast<float>((*elements)[no + ko]));
  return w;
}

//===----------------------------------------------------------------------===//
// The loops of a layer
//===----------------------------------------------------------------------===//

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

std::optional<int64_t> sparsity::evaluateAtLoops(AffineExpr e,
                                                 ArrayRef<int64_t> values) {
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
  std::optional<int64_t> zero = evaluateAtLoops(e, values);
  values[dim] = 1;
  std::optional<int64_t> one = evaluateAtLoops(e, values);
  if (!zero || !one)
    return std::nullopt;
  return *one - *zero;
}

std::optional<std::vector<int64_t>>
sparsity::offsetsOverLoops(AffineExpr e, ArrayRef<unsigned> loops,
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
