//===- Annotate.cpp - attach patterns to constant weights -----------------===//
//
// Part of sparsity-mlir. Implements --sparsity-annotate.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Analysis/ConstantPattern.h"
#include "sparsity-mlir/Analysis/ElementMask.h"
#include "sparsity-mlir/Analysis/OpSparsityAnalysis.h"
#include "sparsity-mlir/Analysis/Regularity.h"
#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityOps.h"
#include "sparsity-mlir/Dialect/Sparsity/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/MapVector.h"

namespace mlir {
namespace sparsity {
#define GEN_PASS_DEF_SPARSITYANNOTATEPASS
#include "sparsity-mlir/Dialect/Sparsity/Transforms/Passes.h.inc"
} // namespace sparsity
} // namespace mlir

using namespace mlir;
using namespace mlir::sparsity;

namespace {
/// The input-channel dimension of a constant as one weight-bearing user sees
/// it, mapped back through the views between them.
struct InChannelDim {
  /// The constant's dimension, or -1 when there is none (the user has no
  /// input-channel dimension, or a view merges or splits it).
  int64_t dim = -1;
  /// A view on the way merges or splits the user's input-channel dimension,
  /// so that it is no single dimension of the constant.
  bool ambiguous = false;
};

/// What the weight-bearing users of one constant say about it.
struct WeightUses {
  /// One entry per use by a weight-bearing op.
  SmallVector<InChannelDim> inChannelDims;
  /// Some user reads the constant through an existing annotation.
  bool annotated = false;
};
} // namespace

/// Returns the input-channel dimension of `weight` as `op` sees it, or -1.
/// The activation is the first other input of `op`.
static int64_t getUserInChannelDim(linalg::LinalgOp op, OpOperand &weight) {
  OpOperand *activation = nullptr;
  for (OpOperand *input : op.getDpsInputOperands()) {
    if (input != &weight) {
      activation = input;
      break;
    }
  }
  FailureOr<WeightDimRoles> roles = getWeightDimRoles(op, weight, activation);
  return succeeded(roles) ? roles->inDim : -1;
}

/// Follows `value` back through annotations and view-like ops
/// (`linalg.transpose`, `tensor.collapse_shape` / `expand_shape`,
/// `tensor.cast`) to the value they view, mapping `inChannelDim` from a
/// dimension of `value` to one of that source. Sets `annotated` when an
/// annotation lies on the way.
static Value traceToSource(Value value, InChannelDim &inChannelDim,
                           bool &annotated) {
  // Maps the dimension through one view; `map` returns -1 when it merges or
  // splits it.
  auto remap = [&](auto map) {
    if (inChannelDim.dim < 0)
      return;
    inChannelDim.dim = map(inChannelDim.dim);
    inChannelDim.ambiguous |= inChannelDim.dim < 0;
  };
  while (Operation *def = value.getDefiningOp()) {
    if (auto annotate = dyn_cast<AnnotateOp>(def)) {
      annotated = true;
      value = annotate.getSource();
    } else if (auto transpose = dyn_cast<linalg::TransposeOp>(def)) {
      remap([&](int64_t dim) { return mapDimToSource(def, dim); });
      value = transpose.getInput();
    } else if (auto cast = dyn_cast<tensor::CastOp>(def)) {
      value = cast.getSource();
    } else if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(def)) {
      remap([&](int64_t dim) { return mapDimToSource(def, dim); });
      value = collapse.getSrc();
    } else if (auto expand = dyn_cast<tensor::ExpandShapeOp>(def)) {
      remap([&](int64_t dim) { return mapDimToSource(def, dim); });
      value = expand.getSrc();
    } else {
      break;
    }
  }
  return value;
}

/// Returns the dimension of `constant` along which to look for N:M: the
/// input-channel dimension all its users agree on, or -1. When they do not
/// agree, or a view hides the dimension, says so in a remark.
static int64_t chooseNMDim(Operation *constant,
                           ArrayRef<InChannelDim> inChannelDims) {
  if (llvm::any_of(inChannelDims,
                   [](const InChannelDim &use) { return use.ambiguous; })) {
    emitRemark(constant->getLoc())
        << "weight annotated without N:M: a view between it and a user "
           "merges or splits the user's input-channel dimension";
    return -1;
  }
  SmallVector<int64_t> dims;
  for (const InChannelDim &use : inChannelDims)
    dims.push_back(use.dim);
  llvm::sort(dims);
  dims.erase(llvm::unique(dims), dims.end());
  if (dims.size() > 1) {
    InFlightDiagnostic remark = emitRemark(constant->getLoc());
    remark << "weight annotated without N:M: its users read input channels "
              "along different dimensions (";
    llvm::interleaveComma(dims, remark, [&](int64_t dim) {
      if (dim < 0)
        remark << "none";
      else
        remark << dim;
    });
    remark << ")";
    return -1;
  }
  return dims.front();
}

/// Builds the pattern of a constant whose zeros are `zeros`: the exact
/// non-zero count and all-zero slices (see buildPattern), N:M along `nmDim`
/// (if >= 0) and the block structure. The block component is left out when
/// the zero slices already account for every zero: any slice pruning is
/// trivially block-structured, and the slices say more. The result is
/// verified against the shape; on failure, which means a detection is wrong,
/// an error is emitted on `constant`.
static FailureOr<PatternAttr> buildWeightPattern(Operation *constant,
                                                 const ElementMask &zeros,
                                                 int64_t nmDim) {
  MLIRContext *context = constant->getContext();
  ConstantZeros counted;
  counted.shape.assign(zeros.getShape().begin(), zeros.getShape().end());
  counted.nnz = zeros.size() - zeros.count();
  for (const llvm::BitVector &slices : zeros.getFullSlices())
    counted.zeroSlices.push_back(getSetIndices(slices));
  PatternAttr slicesOnly = buildPattern(context, counted);

  NMAttr nm;
  if (nmDim >= 0)
    if (std::optional<NMRegularity> found = detectNM(zeros, nmDim))
      nm = NMAttr::get(context, found->n, found->m, found->dim);
  BlockAttr block;
  if (slicesOnly.getStructuralMaxNnz(counted.shape) != counted.nnz)
    if (std::optional<BlockRegularity> found = detectBlock(zeros))
      block = BlockAttr::get(context, found->shape, found->nonzeroBlocks);

  auto pattern = PatternAttr::get(context, slicesOnly.getChannels(),
                                  slicesOnly.getUnstructured(), nm, block);
  auto emitError = [&]() -> InFlightDiagnostic {
    return constant->emitError()
           << "sparsity-annotate built an inconsistent pattern " << pattern
           << ": ";
  };
  if (failed(pattern.verifyAgainstShape(emitError, counted.shape)))
    return failure();
  return pattern;
}

namespace {
struct SparsityAnnotatePass
    : public sparsity::impl::SparsityAnnotatePassBase<SparsityAnnotatePass> {
  void runOnOperation() override {
    // Collect first, rewrite after: annotating changes the use lists.
    llvm::MapVector<Value, WeightUses> weights;
    getOperation()->walk([&](linalg::LinalgOp op) {
      if (!isContractionOrConvolution(op))
        return;
      for (OpOperand *operand : op.getDpsInputOperands()) {
        // Look through existing annotations too, so that an annotated weight
        // is reported below rather than silently skipped.
        InChannelDim inChannelDim{getUserInChannelDim(op, *operand)};
        bool annotated = false;
        Value source = traceToSource(operand->get(), inChannelDim, annotated);
        if (!matchPattern(source, m_Constant()))
          continue;
        WeightUses &uses = weights[source];
        uses.inChannelDims.push_back(inChannelDim);
        uses.annotated |= annotated;
      }
    });

    for (auto &[weight, uses] : weights) {
      ElementsAttr values;
      Operation *constant = weight.getDefiningOp();
      if (!matchPattern(weight, m_Constant(&values)) ||
          !isa<RankedTensorType>(weight.getType()))
        continue;
      // Annotating again would stack a second pattern on the first one.
      if (uses.annotated ||
          llvm::any_of(weight.getUsers(), llvm::IsaPred<AnnotateOp>)) {
        emitRemark(constant->getLoc())
            << "weight not annotated: it is already annotated";
        continue;
      }
      std::string whyNot;
      FailureOr<ElementMask> zeros = getZeroMask(values, whyNot);
      if (failed(zeros)) {
        emitRemark(constant->getLoc()) << "weight not annotated: " << whyNot;
        continue;
      }
      int64_t nmDim = chooseNMDim(constant, uses.inChannelDims);
      FailureOr<PatternAttr> pattern =
          buildWeightPattern(constant, *zeros, nmDim);
      if (failed(pattern))
        return signalPassFailure();
      OpBuilder builder(constant->getContext());
      builder.setInsertionPointAfter(constant);
      auto annotate = AnnotateOp::create(builder, constant->getLoc(),
                                         weight.getType(), weight, *pattern);
      weight.replaceAllUsesExcept(annotate.getResult(), annotate);
    }
  }
};
} // namespace
