//===- CostModel.cpp - per-layer latency prediction -----------------------===//
//
// Part of sparsity-mlir. The dispatch over the per-target models
// (NpuRefModel.cpp, X86Model.cpp): every candidate of a layer on a target,
// the fastest, and the user's override. docs/cost-model.md gives every
// formula.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/CostModel/CostModel.h"
#include "sparsity-mlir/Analysis/ElementMask.h"
#include "sparsity-mlir/CostModel/X86ActLayout.h"
#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityAttrs.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <cassert>
#include <cmath>

using namespace mlir;
using namespace mlir::sparsity;

std::vector<CandidateCost> sparsity::predictCandidates(
    const TargetDescription &target, const GemmGeometry &geometry,
    const WeightGroupStats &stats, const X86ActLayout &layout) {
  std::vector<CandidateCost> result;
  for (const std::string &impl : target.implementations) {
    switch (target.kind) {
    case TargetKind::X86AVX512:
      if (std::optional<X86Impl> x86 = symbolizeX86Impl(impl))
        if (std::optional<CandidateCost> c =
                predictX86(geometry, *x86, stats.nonZeros, layout, target.x86))
          result.push_back(*c);
      break;
    case TargetKind::NpuRef:
      if (std::optional<NpuRefMode> mode = symbolizeNpuRefMode(impl))
        result.push_back(predictNpuRef(geometry, *mode, stats, target.npuRef));
      break;
    }
  }
  return result;
}

FailureOr<std::vector<CandidateCost>>
sparsity::predictLayer(const TargetDescription &target, const LayerInfo &layer,
                       std::string &whyNot) {
  FailureOr<LayerGemm> gemm = getLayerGemm(layer, whyNot);
  if (failed(gemm))
    return failure();
  FailureOr<std::vector<float>> w = readLayerWeightMatrix(layer, *gemm, whyNot);
  if (failed(w))
    return failure();
  WeightGroupStats stats =
      computeGroupStats(*w, gemm->geometry.n, gemm->geometry.k, target.npuRef);
  return predictCandidates(target, gemm->geometry, stats,
                           target.kind == TargetKind::X86AVX512
                               ? getX86ActLayout(layer, *gemm)
                               : X86ActLayout());
}

const CandidateCost &
sparsity::getFastest(llvm::ArrayRef<CandidateCost> candidates) {
  assert(!candidates.empty() && "no candidates");
  const CandidateCost *best = &candidates.front();
  for (const CandidateCost &c : candidates)
    if (c.cycles < best->cycles)
      best = &c;
  return *best;
}

FailureOr<std::optional<std::string>>
sparsity::getUserOverride(Operation *op, const TargetDescription &target,
                          llvm::StringRef passName) {
  Attribute user = op->getAttr(PlanAttr::getOverrideAttrName());
  if (!user)
    return std::optional<std::string>();
  auto impl = dyn_cast<StringAttr>(user);
  if (!impl ||
      !llvm::is_contained(target.implementations, impl.getValue().str())) {
    op->emitError() << passName << ": " << PlanAttr::getOverrideAttrName()
                    << " = " << user << " is not an implementation of target '"
                    << target.name << "' ("
                    << llvm::join(target.implementations, ", ") << ")";
    return failure();
  }
  return std::optional<std::string>(impl.getValue().str());
}
