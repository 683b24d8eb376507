//===- ChannelFlow.cpp - how tensor indices pass through ops --------------===//
//
// Part of sparsity-mlir.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Analysis/ChannelFlow.h"

#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityOps.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::sparsity;

static bool isStatic(ArrayRef<int64_t> values) {
  return !ShapedType::isDynamicShape(values);
}

ChannelFlow mlir::sparsity::getChannelFlow(Operation *op) {
  ChannelFlow flow;
  flow.op = op;
  if (isa<AnnotateOp, tensor::CastOp>(op)) {
    flow.kind = ChannelFlowKind::Identity;
    return flow;
  }
  if (auto pad = dyn_cast<tensor::PadOp>(op)) {
    flow.kind = ChannelFlowKind::Pad;
    flow.low = llvm::to_vector(pad.getStaticLow());
    flow.high = llvm::to_vector(pad.getStaticHigh());
    return flow;
  }
  if (auto slice = dyn_cast<tensor::ExtractSliceOp>(op)) {
    flow.kind = ChannelFlowKind::Slice;
    flow.offsets = llvm::to_vector(slice.getStaticOffsets());
    flow.sizes = llvm::to_vector(slice.getStaticSizes());
    flow.strides = llvm::to_vector(slice.getStaticStrides());
    flow.sameRank =
        slice.getSourceType().getRank() == slice.getResultType().getRank();
    return flow;
  }
  if (auto concat = dyn_cast<tensor::ConcatOp>(op)) {
    flow.kind = ChannelFlowKind::Concat;
    flow.axis = concat.getDim();
    int64_t offset = 0;
    for (Value input : concat.getInputs()) {
      flow.inputOffsets.push_back(offset);
      int64_t size = cast<RankedTensorType>(input.getType())
                         .getDimSize(static_cast<unsigned>(flow.axis));
      offset = ShapedType::isDynamic(size) || ShapedType::isDynamic(offset)
                   ? ShapedType::kDynamic
                   : offset + size;
    }
    return flow;
  }
  if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(op)) {
    flow.kind = ChannelFlowKind::Collapse;
    flow.groups = collapse.getReassociationIndices();
    flow.fineShape = llvm::to_vector(collapse.getSrcType().getShape());
    return flow;
  }
  if (auto expand = dyn_cast<tensor::ExpandShapeOp>(op)) {
    flow.kind = ChannelFlowKind::Expand;
    flow.groups = expand.getReassociationIndices();
    flow.fineShape = llvm::to_vector(expand.getResultType().getShape());
    return flow;
  }
  if (isa<linalg::LinalgOp>(op)) {
    flow.kind = ChannelFlowKind::Linalg;
    return flow;
  }
  return flow;
}

bool ChannelFlow::hasStaticGeometry() const {
  switch (kind) {
  case ChannelFlowKind::Opaque:
    return false;
  case ChannelFlowKind::Identity:
  case ChannelFlowKind::Linalg:
    return true;
  case ChannelFlowKind::Pad:
    return isStatic(low) && isStatic(high);
  case ChannelFlowKind::Slice:
    return sameRank && isStatic(offsets) && isStatic(sizes) &&
           isStatic(strides);
  case ChannelFlowKind::Concat:
    return isStatic(inputOffsets);
  case ChannelFlowKind::Collapse:
  case ChannelFlowKind::Expand:
    return isStatic(fineShape);
  }
  llvm_unreachable("unknown channel flow kind");
}

bool ChannelFlow::keepsIndices(unsigned operand, int64_t dim) const {
  switch (kind) {
  case ChannelFlowKind::Identity:
    return operand == 0;
  case ChannelFlowKind::Pad:
    return operand == 0 && dim < static_cast<int64_t>(low.size()) &&
           low[dim] == 0 && high[dim] == 0;
  case ChannelFlowKind::Slice: {
    if (operand != 0 || !hasStaticGeometry())
      return false;
    auto type = cast<RankedTensorType>(op->getOperand(0).getType());
    return offsets[dim] == 0 && strides[dim] == 1 &&
           sizes[dim] == type.getDimSize(dim);
  }
  case ChannelFlowKind::Concat:
    return dim != axis;
  case ChannelFlowKind::Opaque:
  case ChannelFlowKind::Collapse:
  case ChannelFlowKind::Expand:
  case ChannelFlowKind::Linalg:
    return false;
  }
  llvm_unreachable("unknown channel flow kind");
}

std::optional<int64_t> ChannelFlow::toResultIndex(unsigned operand, int64_t dim,
                                                  int64_t index) const {
  switch (kind) {
  case ChannelFlowKind::Identity:
    return index;
  case ChannelFlowKind::Pad:
    return index + low[dim];
  case ChannelFlowKind::Slice: {
    int64_t shifted = index - offsets[dim];
    if (shifted < 0 || shifted % strides[dim] != 0 ||
        shifted / strides[dim] >= sizes[dim])
      return std::nullopt;
    return shifted / strides[dim];
  }
  case ChannelFlowKind::Concat:
    return dim == axis ? inputOffsets[operand] + index : index;
  case ChannelFlowKind::Opaque:
  case ChannelFlowKind::Collapse:
  case ChannelFlowKind::Expand:
  case ChannelFlowKind::Linalg:
    return std::nullopt;
  }
  llvm_unreachable("unknown channel flow kind");
}

std::optional<int64_t> ChannelFlow::toOperandIndex(unsigned operand,
                                                   int64_t dim,
                                                   int64_t index) const {
  switch (kind) {
  case ChannelFlowKind::Identity:
    return index;
  case ChannelFlowKind::Pad: {
    auto type = cast<RankedTensorType>(op->getOperand(0).getType());
    int64_t source = index - low[dim];
    if (source < 0 || source >= type.getDimSize(dim))
      return std::nullopt;
    return source;
  }
  case ChannelFlowKind::Slice:
    return offsets[dim] + index * strides[dim];
  case ChannelFlowKind::Concat: {
    if (dim != axis)
      return index;
    int64_t size = cast<RankedTensorType>(op->getOperand(operand).getType())
                       .getDimSize(dim);
    int64_t local = index - inputOffsets[operand];
    if (local < 0 || local >= size)
      return std::nullopt;
    return local;
  }
  case ChannelFlowKind::Opaque:
  case ChannelFlowKind::Collapse:
  case ChannelFlowKind::Expand:
  case ChannelFlowKind::Linalg:
    return std::nullopt;
  }
  llvm_unreachable("unknown channel flow kind");
}

int64_t mlir::sparsity::findLoopInMap(AffineMap map, unsigned loop,
                                      bool strict) {
  int64_t found = -1;
  for (auto [k, expr] : llvm::enumerate(map.getResults())) {
    if (auto dim = dyn_cast<AffineDimExpr>(expr)) {
      // Without `strict`, the first plain occurrence.
      if (dim.getPosition() == loop && (strict || found < 0))
        found = k;
    } else if (strict && expr.isFunctionOfDim(loop)) {
      return -2;
    }
  }
  return found;
}

std::optional<unsigned> mlir::sparsity::getLinalgLoop(linalg::LinalgOp op,
                                                      OpOperand &operand,
                                                      int64_t dim) {
  auto expr =
      dyn_cast<AffineDimExpr>(op.getMatchingIndexingMap(&operand).getResult(
          static_cast<unsigned>(dim)));
  if (!expr)
    return std::nullopt;
  return expr.getPosition();
}

bool mlir::sparsity::othersAreUnit(ArrayRef<int64_t> shape,
                                   ArrayRef<int64_t> indices, int64_t dim) {
  return llvm::all_of(indices, [&](int64_t index) {
    return index == dim || shape[index] == 1;
  });
}

int64_t mlir::sparsity::getSoleDim(ArrayRef<int64_t> shape,
                                   ArrayRef<int64_t> indices) {
  for (int64_t index : indices)
    if (shape[index] != 1)
      return othersAreUnit(shape, indices, index) ? index : -1;
  return -1;
}

std::optional<std::pair<int64_t, int64_t>>
mlir::sparsity::getHeadSplit(ArrayRef<int64_t> shape,
                             ArrayRef<int64_t> indices) {
  auto heads =
      llvm::find_if(indices, [&](int64_t index) { return shape[index] != 1; });
  if (heads == indices.end())
    return std::nullopt;
  int64_t inner = 1;
  for (auto rest = std::next(heads); rest != indices.end(); ++rest)
    inner *= shape[*rest];
  return std::make_pair(*heads, inner);
}

/// For a collapsed dimension made of `sizes` (outer to inner): the collapsed
/// index set whose every element has, along some inner dimension `j`, a
/// coordinate set in `fine[j]`.
static llvm::BitVector collapseAny(ArrayRef<int64_t> sizes,
                                   ArrayRef<llvm::BitVector> fine) {
  int64_t total = 1;
  for (int64_t size : sizes)
    total *= size;
  llvm::BitVector coarse(total);
  if (llvm::none_of(fine, [](const llvm::BitVector &b) { return b.any(); }))
    return coarse;
  for (int64_t n = 0; n < total; ++n) {
    int64_t rest = n;
    for (int64_t j = static_cast<int64_t>(sizes.size()) - 1; j >= 0; --j) {
      int64_t coord = rest % sizes[j];
      rest /= sizes[j];
      if (fine[j].test(coord)) {
        coarse.set(n);
        break;
      }
    }
  }
  return coarse;
}

/// The converse of collapseAny: for every inner dimension `j`, the
/// coordinates `c` such that every collapsed index with coordinate `c` along
/// `j` is set in `coarse`.
static Slices expandAll(ArrayRef<int64_t> sizes,
                        const llvm::BitVector &coarse) {
  Slices fine;
  for (int64_t size : sizes)
    fine.emplace_back(size, true);
  for (int64_t n = 0, e = coarse.size(); n < e; ++n) {
    if (coarse.test(n))
      continue;
    int64_t rest = n;
    for (int64_t j = static_cast<int64_t>(sizes.size()) - 1; j >= 0; --j) {
      fine[j].reset(rest % sizes[j]);
      rest /= sizes[j];
    }
  }
  return fine;
}

Slices mlir::sparsity::toCoarseAny(ArrayRef<ReassociationIndices> groups,
                                   ArrayRef<int64_t> fineShape,
                                   const Slices &fine) {
  Slices coarse;
  for (const ReassociationIndices &group : groups) {
    SmallVector<int64_t> sizes;
    Slices parts;
    for (int64_t d : group) {
      sizes.push_back(fineShape[d]);
      parts.push_back(fine[d]);
    }
    coarse.push_back(collapseAny(sizes, parts));
  }
  return coarse;
}

Slices mlir::sparsity::toFineAll(ArrayRef<ReassociationIndices> groups,
                                 ArrayRef<int64_t> fineShape,
                                 const Slices &coarse) {
  Slices fine(fineShape.size());
  for (auto [c, group] : llvm::enumerate(groups)) {
    SmallVector<int64_t> sizes;
    for (int64_t d : group)
      sizes.push_back(fineShape[d]);
    Slices parts = expandAll(sizes, coarse[c]);
    for (auto [d, bits] : llvm::zip(group, parts))
      fine[d] = std::move(bits);
  }
  return fine;
}
