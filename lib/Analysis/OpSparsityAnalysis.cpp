//===- OpSparsityAnalysis.cpp - operation-saving sparsity -----------------===//
//
// Part of sparsity-mlir.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Analysis/OpSparsityAnalysis.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Location.h"

using namespace mlir;
using namespace mlir::sparsity;

bool mlir::sparsity::isContractionOrConvolution(linalg::LinalgOp op) {
  return linalg::isaContractionOpInterface(op) ||
         linalg::isaConvolutionOpInterface(op);
}

/// Returns the position of loop `loop` among the results of `map` when it
/// appears there as a plain dimension, or -1.
static int64_t findPureDim(AffineMap map, unsigned loop) {
  for (auto [i, expr] : llvm::enumerate(map.getResults()))
    if (auto dim = dyn_cast<AffineDimExpr>(expr))
      if (dim.getPosition() == loop)
        return i;
  return -1;
}

FailureOr<WeightDimRoles>
mlir::sparsity::getWeightDimRoles(linalg::LinalgOp op, OpOperand &weight,
                                  OpOperand *activation) {
  AffineMap weightMap = op.getMatchingIndexingMap(&weight);
  if (!weightMap.isProjectedPermutation(/*allowZeroInResults=*/false))
    return failure();
  if (op.getNumDpsInits() != 1)
    return failure();
  AffineMap resultMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  AffineMap activationMap =
      activation ? op.getMatchingIndexingMap(activation) : AffineMap();
  WeightDimRoles roles;
  for (AffineExpr expr : weightMap.getResults()) {
    unsigned loop = cast<AffineDimExpr>(expr).getPosition();
    int64_t resultDim = findPureDim(resultMap, loop);
    int64_t activationDim =
        activationMap ? findPureDim(activationMap, loop) : -1;
    roles.output.push_back(resultDim >= 0);
    roles.input.push_back(activationDim >= 0);
    roles.resultDim.push_back(resultDim);
    roles.activationDim.push_back(activationDim);
  }
  int64_t rank = weightMap.getNumResults();
  auto pickLast = [&](ArrayRef<bool> role, ArrayRef<bool> other) {
    for (int64_t d = rank - 1; d >= 0; --d)
      if (role[d] && !other[d])
        return d;
    for (int64_t d = rank - 1; d >= 0; --d)
      if (role[d])
        return d;
    return int64_t{-1};
  };
  roles.outDim = pickLast(roles.output, roles.input);
  roles.inDim = pickLast(roles.input, roles.output);
  return roles;
}

std::string mlir::sparsity::getLayerName(Location loc) {
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  if (auto fused = dyn_cast<FusedLoc>(loc)) {
    for (Location inner : fused.getLocations()) {
      std::string name = getLayerName(inner);
      if (!name.empty())
        return name;
    }
    return "";
  }
  if (auto callSite = dyn_cast<CallSiteLoc>(loc))
    return getLayerName(callSite.getCallee());
  if (auto file = dyn_cast<FileLineColLoc>(loc))
    return (file.getFilename().str() + ":" + std::to_string(file.getLine()) +
            ":" + std::to_string(file.getColumn()));
  return "";
}

OpSparsityAnalysis::OpSparsityAnalysis(Operation *root) {
  // Placeholder: the analysis body lands in the next commit.
  (void)root;
}

const SliceState *OpSparsityAnalysis::getSliceState(Value value) const {
  auto it = states.find(value);
  return it == states.end() ? nullptr : &it->second;
}
