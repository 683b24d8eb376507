//===- ConstantPattern.cpp - sparsity pattern of a constant ---------------===//
//
// Part of sparsity-mlir.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Analysis/ConstantPattern.h"
#include "sparsity-mlir/Analysis/ElementMask.h"

#include "llvm/ADT/APFloat.h"

#include <cstring>

using namespace mlir;
using namespace mlir::sparsity;

FailureOr<ConstantZeros>
mlir::sparsity::scanConstantZeros(ElementsAttr values, std::string &whyNot) {
  FailureOr<ElementMask> mask = getZeroMask(values, whyNot);
  if (failed(mask))
    return failure();
  ConstantZeros zeros;
  zeros.shape.assign(mask->getShape().begin(), mask->getShape().end());
  zeros.nnz = mask->size() - mask->count();
  for (const llvm::BitVector &slices : mask->getFullSlices())
    zeros.zeroSlices.push_back(getSetIndices(slices));
  return zeros;
}

PatternAttr mlir::sparsity::buildPattern(MLIRContext *context,
                                         const ConstantZeros &zeros) {
  SmallVector<ChannelsAttr> channels;
  for (auto [dim, slices] : llvm::enumerate(zeros.zeroSlices))
    if (!slices.empty())
      channels.push_back(ChannelsAttr::get(context, dim, slices, /*group=*/1));
  auto unstructured = UnstructuredAttr::getExact(context, zeros.nnz);
  return PatternAttr::get(context, channels, unstructured, NMAttr(),
                          BlockAttr());
}

double mlir::sparsity::readElementAsDouble(const char *p, Type type,
                                           unsigned width) {
  if (type.isF32()) {
    float v;
    std::memcpy(&v, p, 4);
    return v;
  }
  if (type.isF64()) {
    double v;
    std::memcpy(&v, p, 8);
    return v;
  }
  uint64_t bits = 0;
  std::memcpy(&bits, p, width);
  if (auto floatType = dyn_cast<FloatType>(type))
    return APFloat(floatType.getFloatSemantics(),
                   APInt(floatType.getWidth(), bits))
        .convertToDouble();
  return static_cast<double>(APInt(width * 8, bits).getSExtValue());
}
