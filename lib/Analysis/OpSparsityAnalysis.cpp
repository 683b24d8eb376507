//===- OpSparsityAnalysis.cpp - operation-saving sparsity -----------------===//
//
// Part of sparsity-mlir.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Analysis/OpSparsityAnalysis.h"

#include "sparsity-mlir/Analysis/ChannelFlow.h"

#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"

#include <map>

using namespace mlir;
using namespace mlir::sparsity;

bool mlir::sparsity::isContractionOrConvolution(linalg::LinalgOp op) {
  if (linalg::isaContractionOpInterface(op))
    return true;
  // Pooling ops also have the convolution structure, but they multiply
  // nothing.
  if (!linalg::isaConvolutionOpInterface(op) || op->getNumRegions() != 1)
    return false;
  return llvm::any_of(op->getRegion(0).front(), [](Operation &inner) {
    return isa<arith::MulFOp, arith::MulIOp>(inner);
  });
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
    int64_t resultDim = findLoopInMap(resultMap, loop);
    int64_t activationDim =
        activationMap ? findLoopInMap(activationMap, loop) : -1;
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

int64_t mlir::sparsity::mapDimToSource(Operation *view, int64_t dim) {
  if (dim < 0)
    return -1;
  if (auto transpose = dyn_cast<linalg::TransposeOp>(view))
    return transpose.getPermutation()[dim];
  if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(view)) {
    // The one dimension of the group that is not of size 1 (the last one if
    // all are).
    ArrayRef<int64_t> source = collapse.getSrcType().getShape();
    ReassociationIndices group = collapse.getReassociationIndices()[dim];
    int64_t found = -1;
    for (int64_t d : group) {
      if (source[d] == 1)
        continue;
      if (found >= 0)
        return -1;
      found = d;
    }
    return found >= 0 ? found : group.back();
  }
  if (auto expand = dyn_cast<tensor::ExpandShapeOp>(view)) {
    // Its source dimension, when the others of the group have size 1.
    ArrayRef<int64_t> result = expand.getResultType().getShape();
    for (auto [source, group] :
         llvm::enumerate(expand.getReassociationIndices())) {
      if (!llvm::is_contained(group, dim))
        continue;
      bool alone = llvm::all_of(
          group, [&](int64_t d) { return d == dim || result[d] == 1; });
      return alone ? static_cast<int64_t>(source) : -1;
    }
    return -1;
  }
  if (isa<tensor::CastOp, AnnotateOp, linalg::GenericOp>(view))
    return dim;
  return -1;
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
  // The file name without its directories keeps the name short; the line
  // tells layers apart.
  if (auto file = dyn_cast<FileLineColLoc>(loc))
    return (llvm::sys::path::filename(file.getFilename().getValue()) + ":" +
            Twine(file.getLine()) + ":" + Twine(file.getColumn()))
        .str();
  return "";
}

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

namespace {

/// Where a weight operand comes from: a constant (or a declared function
/// argument) and the view-like ops between it and the layer.
struct WeightTrace {
  /// The constant's result, or the `sparsity.annotate` of a function
  /// argument.
  Value root;
  /// The ops from `root` to the layer operand, in program order.
  SmallVector<Operation *> chain;
  /// The declaration of a function-argument weight.
  AnnotateOp declaration;
};

/// One layer while the analysis runs.
struct PendingLayer {
  linalg::LinalgOp op;
  OpOperand *weight = nullptr;
  OpOperand *activation = nullptr;
  WeightDimRoles roles;
  /// Zeros of the weight as the op sees it (proved zeros for declarations).
  ElementMask zeros;
  /// Zeros the declaration states beyond `zeros` (exact nnz, unplaceable).
  int64_t unplacedZeros = 0;
  /// Activation zero slices per weight dimension (input roles only).
  Slices activationZero;
  /// Result dead slices per weight dimension (output roles only).
  Slices resultDead;
  int64_t macs = 0;
  size_t infoIndex = 0;
};
} // namespace

/// Returns the static shape of `value` if it is a statically shaped ranked
/// tensor.
static std::optional<ArrayRef<int64_t>> getStaticShape(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || !type.hasStaticShape())
    return std::nullopt;
  return type.getShape();
}

/// One empty bit vector per dimension of `shape`.
static Slices getEmptySlices(ArrayRef<int64_t> shape) {
  Slices slices;
  for (int64_t size : shape)
    slices.emplace_back(size);
  return slices;
}

/// One full bit vector per dimension of `shape`.
static Slices getAllSlices(ArrayRef<int64_t> shape) {
  Slices slices;
  for (int64_t size : shape)
    slices.emplace_back(size, true);
  return slices;
}

static bool anySet(const Slices &slices) {
  return llvm::any_of(slices, [](const llvm::BitVector &b) { return b.any(); });
}

/// Returns true for a `linalg.generic` that only converts the element type of
/// its single input in a way that keeps zeros zero and non-zeros non-zero.
static bool isZeroPreservingCast(Operation *op) {
  auto generic = dyn_cast<linalg::GenericOp>(op);
  if (!generic || generic.getNumDpsInputs() != 1 ||
      generic.getNumDpsInits() != 1 ||
      generic.getNumParallelLoops() != generic.getNumLoops() ||
      !llvm::all_of(generic.getIndexingMapsArray(),
                    [](AffineMap map) { return map.isIdentity(); }))
    return false;
  Block &body = generic.getRegion().front();
  if (body.getOperations().size() != 2)
    return false;
  Operation &cast = body.front();
  if (!isa<arith::ExtFOp, arith::ExtSIOp, arith::ExtUIOp, arith::SIToFPOp,
           arith::UIToFPOp>(cast))
    return false;
  return cast.getOperand(0) == body.getArgument(0) &&
         body.getTerminator()->getOperand(0) == cast.getResult(0);
}

/// Follows `value` back through view-like ops to a constant or a declared
/// function argument.
static std::optional<WeightTrace> traceWeight(Value value) {
  WeightTrace trace;
  while (true) {
    Operation *def = value.getDefiningOp();
    if (!def || !getStaticShape(value))
      return std::nullopt;
    if (matchPattern(value, m_Constant())) {
      trace.root = value;
      break;
    }
    if (auto annotate = dyn_cast<AnnotateOp>(def)) {
      if (isa<BlockArgument>(annotate.getSource())) {
        trace.root = value;
        trace.declaration = annotate;
        break;
      }
      trace.chain.push_back(def);
      value = annotate.getSource();
      continue;
    }
    if (auto transpose = dyn_cast<linalg::TransposeOp>(def)) {
      trace.chain.push_back(def);
      value = transpose.getInput();
      continue;
    }
    if (isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp, tensor::CastOp>(
            def)) {
      trace.chain.push_back(def);
      value = def->getOperand(0);
      continue;
    }
    if (auto slice = dyn_cast<tensor::ExtractSliceOp>(def)) {
      if (slice.getSourceType().hasStaticShape() &&
          !ShapedType::isDynamicShape(slice.getStaticOffsets()) &&
          !ShapedType::isDynamicShape(slice.getStaticSizes()) &&
          !ShapedType::isDynamicShape(slice.getStaticStrides())) {
        trace.chain.push_back(def);
        value = slice.getSource();
        continue;
      }
      return std::nullopt;
    }
    if (isZeroPreservingCast(def)) {
      trace.chain.push_back(def);
      value = def->getOperand(0);
      continue;
    }
    return std::nullopt;
  }
  std::reverse(trace.chain.begin(), trace.chain.end());
  return trace;
}

/// Returns the zero of `type` as an attribute, or null.
static Attribute getZeroAttr(Type type) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return FloatAttr::get(floatType, 0.0);
  if (isa<IntegerType, IndexType>(type))
    return IntegerAttr::get(type, 0);
  return {};
}

/// Returns true if `attr` is a scalar zero (`-0.0` included).
static bool isZeroAttr(Attribute attr) {
  if (auto floatAttr = dyn_cast_or_null<FloatAttr>(attr))
    return floatAttr.getValue().isZero();
  if (auto intAttr = dyn_cast_or_null<IntegerAttr>(attr))
    return intAttr.getValue().isZero();
  return false;
}

SmallVector<Attribute>
mlir::sparsity::evaluatePayload(linalg::LinalgOp op, ArrayRef<Attribute> args) {
  Block &body = op->getRegion(0).front();
  DenseMap<Value, Attribute> known;
  for (auto [arg, attr] : llvm::zip(body.getArguments(), args))
    if (attr)
      known[arg] = attr;
  auto lookup = [&](Value value) -> Attribute {
    auto it = known.find(value);
    if (it != known.end())
      return it->second;
    Attribute attr;
    if (value.getParentBlock() != &body &&
        matchPattern(value, m_Constant(&attr)))
      return attr;
    return {};
  };
  for (Operation &inner : body.without_terminator()) {
    if (inner.getNumResults() != 1 || inner.getNumRegions() != 0)
      continue;
    SmallVector<Attribute> operands;
    for (Value operand : inner.getOperands())
      operands.push_back(lookup(operand));
    // Only constant folding: with an unknown operand a folder may rewrite the
    // op in place, which a read-only analysis must not do.
    if (llvm::any_of(operands, [](Attribute a) { return !a; }))
      continue;
    SmallVector<OpFoldResult> results;
    if (failed(inner.fold(operands, results)) || results.size() != 1)
      continue;
    if (auto attr = dyn_cast<Attribute>(results[0]))
      known[inner.getResult(0)] = attr;
    else if (Value folded = cast<Value>(results[0]);
             folded != inner.getResult(0))
      if (Attribute attr = lookup(folded))
        known[inner.getResult(0)] = attr;
  }
  SmallVector<Attribute> yielded;
  for (Value value : body.getTerminator()->getOperands())
    yielded.push_back(lookup(value));
  return yielded;
}

/// Applies the view-like op `op` to the mask of its source.
static ElementMask applyView(Operation *op, const ElementMask &source) {
  ArrayRef<int64_t> resultShape =
      cast<RankedTensorType>(op->getResult(0).getType()).getShape();
  if (auto transpose = dyn_cast<linalg::TransposeOp>(op))
    return source.transpose(transpose.getPermutation());
  if (auto slice = dyn_cast<tensor::ExtractSliceOp>(op))
    return source
        .extractSlice(slice.getStaticOffsets(), slice.getStaticSizes(),
                      slice.getStaticStrides())
        .reshape(resultShape);
  // Reshapes, casts, annotations and element type conversions keep the
  // row-major order.
  return source.reshape(resultShape);
}

//===----------------------------------------------------------------------===//
// The analysis of one function
//===----------------------------------------------------------------------===//

namespace {
/// Runs the forward and backward propagation over one function body.
class FunctionAnalyzer {
public:
  FunctionAnalyzer(FunctionOpInterface function,
                   DenseMap<Value, SliceState> &states,
                   std::vector<LayerInfo> &layers,
                   std::vector<UncountedOp> &uncounted,
                   std::vector<AnalysisNote> &notes, SparsityTotals &totals,
                   const llvm::DenseMap<Value, ElementMask> *zeroOverrides)
      : function(function), states(states), layers(layers),
        uncounted(uncounted), notes(notes), totals(totals) {
    // Overridden constants read as their override.
    if (zeroOverrides)
      for (const auto &[value, mask] : *zeroOverrides)
        constantMasks[value] = mask;
  }

  void run();

private:
  /// Zero slices of `value` (computing them for constants on demand), or
  /// null when nothing is known.
  const Slices *getZero(Value value);
  /// Dead slices of `value`, or null when it is entirely read.
  const Slices *getDead(Value value);
  /// A scalar that every element of `value` equals, or null.
  Attribute getScalar(Value value);
  void setZero(Value value, Slices zero);

  void forward(Operation *op);
  void forwardLinalg(linalg::LinalgOp op);
  void forwardElementwise(linalg::LinalgOp op);
  void forwardLayer(PendingLayer &layer);
  void forwardPad(const ChannelFlow &flow);

  void backward(Operation *op);
  void finalizeDead(Value value);
  void contribute(OpOperand &operand, Slices ignored);
  void backwardElementwise(linalg::LinalgOp op);
  void backwardLayer(PendingLayer &layer);

  /// Sets up a layer for `op`, or records it as uncounted / weightless.
  void classify(linalg::LinalgOp op);
  FailureOr<ElementMask> getWeightMask(const WeightTrace &trace,
                                       PendingLayer &layer,
                                       std::string &whyNot);
  void finishLayer(PendingLayer &layer);
  std::string nameOf(Operation *op);

  FunctionOpInterface function;
  DenseMap<Value, SliceState> &states;
  std::vector<LayerInfo> &layers;
  std::vector<UncountedOp> &uncounted;
  std::vector<AnalysisNote> &notes;
  SparsityTotals &totals;

  /// Zero masks of constants, computed once.
  DenseMap<Value, std::optional<ElementMask>> constantMasks;
  /// What each use ignores, per dimension of the used value.
  DenseMap<OpOperand *, Slices> ignored;
  /// Layers by op.
  DenseMap<Operation *, size_t> layerIndex;
  std::vector<PendingLayer> pending;
  /// Element-wise ops, counted after the backward pass.
  SmallVector<linalg::LinalgOp> elementwise;
};
} // namespace

std::string FunctionAnalyzer::nameOf(Operation *op) {
  std::string name = getLayerName(op->getLoc());
  if (!name.empty())
    return name;
  // Unnamed: the op name and its position among the layers.
  return (op->getName().getStringRef() + "#" +
          std::to_string(layers.size() + uncounted.size()))
      .str();
}

void FunctionAnalyzer::setZero(Value value, Slices zero) {
  if (!anySet(zero))
    return;
  states[value].zero = std::move(zero);
}

const Slices *FunctionAnalyzer::getZero(Value value) {
  auto it = states.find(value);
  if (it != states.end() && !it->second.zero.empty())
    return &it->second.zero;
  // Constants are read on demand: most of them are weights, read through
  // their layer.
  ElementsAttr values;
  if (!getStaticShape(value) || !matchPattern(value, m_Constant(&values)))
    return nullptr;
  auto [maskIt, inserted] = constantMasks.try_emplace(value);
  if (inserted) {
    std::string whyNot;
    FailureOr<ElementMask> mask = getZeroMask(values, whyNot);
    if (succeeded(mask))
      maskIt->second = std::move(*mask);
  }
  if (!maskIt->second)
    return nullptr;
  Slices zero = maskIt->second->getFullSlices();
  if (!anySet(zero))
    return nullptr;
  SliceState &state = states[value];
  state.zero = std::move(zero);
  return &state.zero;
}

const Slices *FunctionAnalyzer::getDead(Value value) {
  auto it = states.find(value);
  if (it == states.end() || it->second.dead.empty())
    return nullptr;
  return &it->second.dead;
}

Attribute FunctionAnalyzer::getScalar(Value value) {
  if (!isa<RankedTensorType>(value.getType())) {
    Attribute attr;
    if (matchPattern(value, m_Constant(&attr)) &&
        isa<FloatAttr, IntegerAttr>(attr))
      return attr;
    return {};
  }
  DenseElementsAttr dense;
  if (matchPattern(value, m_Constant(&dense)) && dense.isSplat())
    return dense.getSplatValue<Attribute>();
  if (auto fill = value.getDefiningOp<linalg::FillOp>())
    return getScalar(fill.getInputs()[0]);
  if (auto annotate = value.getDefiningOp<AnnotateOp>())
    return getScalar(annotate.getSource());
  return {};
}

//===----------------------------------------------------------------------===//
// Layers
//===----------------------------------------------------------------------===//

FailureOr<ElementMask> FunctionAnalyzer::getWeightMask(const WeightTrace &trace,
                                                       PendingLayer &layer,
                                                       std::string &whyNot) {
  ElementMask mask;
  if (trace.declaration) {
    // Only what the declaration proves: its channel slices, plus an exact
    // non-zero count that cannot be placed.
    ArrayRef<int64_t> shape = *getStaticShape(trace.root);
    mask = ElementMask(shape);
    AnnotateOp declaration = trace.declaration;
    PatternAttr pattern = declaration.getPattern();
    for (ChannelsAttr channels : pattern.getChannels()) {
      llvm::BitVector pruned(shape[channels.getDim()]);
      for (int64_t index : channels.getPruned())
        pruned.set(index * channels.getGroup(),
                   (index + 1) * channels.getGroup());
      mask.setSlices(channels.getDim(), pruned);
    }
    if (std::optional<int64_t> nnz = pattern.getExactNnz())
      layer.unplacedZeros = mask.size() - *nnz - mask.count();
  } else {
    auto [it, inserted] = constantMasks.try_emplace(trace.root);
    if (inserted) {
      ElementsAttr values;
      (void)matchPattern(trace.root, m_Constant(&values));
      FailureOr<ElementMask> zeros = getZeroMask(values, whyNot);
      if (failed(zeros))
        return failure();
      it->second = std::move(*zeros);
    }
    if (!it->second) {
      whyNot = "its payload cannot be read";
      return failure();
    }
    mask = *it->second;
  }
  for (Operation *view : trace.chain)
    mask = applyView(view, mask);
  return mask;
}

void FunctionAnalyzer::classify(linalg::LinalgOp op) {
  // Every point of the iteration space is one multiply-accumulate.
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  int64_t macs = 1;
  for (auto [loop, range] : llvm::enumerate(ranges)) {
    if (ShapedType::isDynamic(range)) {
      // Name the operand dimension that makes the loop dynamic.
      std::string reason;
      llvm::raw_string_ostream os(reason);
      os << "loop " << loop << " has a dynamic size";
      for (OpOperand &operand : op->getOpOperands()) {
        auto type = dyn_cast<RankedTensorType>(operand.get().getType());
        if (!type)
          continue;
        AffineMap map = op.getMatchingIndexingMap(&operand);
        int64_t dim = findLoopInMap(map, loop);
        if (dim >= 0 && type.isDynamicDim(dim)) {
          os << " (dimension " << dim << " of operand #"
             << operand.getOperandNumber() << " is '?')";
          break;
        }
      }
      uncounted.push_back({op, nameOf(op), reason});
      return;
    }
    macs *= range;
  }

  // The weight: an input that traces back to a constant or a declaration;
  // with two candidates, the second input (the filter / right operand).
  OpOperand *weight = nullptr;
  std::optional<WeightTrace> trace;
  // (getDpsInputOperands returns a temporary, which llvm::reverse does not
  // keep alive.)
  SmallVector<OpOperand *> inputs = op.getDpsInputOperands();
  for (OpOperand *operand : llvm::reverse(inputs)) {
    if ((trace = traceWeight(operand->get()))) {
      weight = operand;
      break;
    }
  }
  if (!weight) {
    // Activation x activation (attention scores): counted in all_macs only.
    totals.allMacs += macs;
    return;
  }
  OpOperand *activation = nullptr;
  for (OpOperand *operand : op.getDpsInputOperands())
    if (operand != weight && isa<RankedTensorType>(operand->get().getType())) {
      activation = operand;
      break;
    }

  PendingLayer layer;
  layer.op = op;
  layer.weight = weight;
  layer.activation = activation;
  layer.macs = macs;
  FailureOr<WeightDimRoles> roles = getWeightDimRoles(op, *weight, activation);
  if (failed(roles)) {
    uncounted.push_back(
        {op, nameOf(op),
         "the weight's indexing map is not a projected permutation"});
    return;
  }
  layer.roles = std::move(*roles);

  LayerInfo info;
  info.op = op;
  info.name = nameOf(op);
  info.function = function.getName().str();
  info.weightOperand = weight->getOperandNumber();
  auto weightType = cast<RankedTensorType>(weight->get().getType());
  info.weightShape.assign(weightType.getShape().begin(),
                          weightType.getShape().end());
  info.weightType = weightType.getElementType();
  info.roles = layer.roles;
  info.declared = static_cast<bool>(trace->declaration);
  info.weightRoot = trace->root;
  info.weightChain = trace->chain;

  std::string whyNot;
  FailureOr<ElementMask> mask = getWeightMask(*trace, layer, whyNot);
  if (failed(mask)) {
    // Count the MACs; prove no zeros.
    notes.push_back({op, "layer '" + info.name +
                             "': no zeros counted: the weight " + whyNot});
    layer.zeros = ElementMask(info.weightShape);
    info.zerosExact = false;
  } else {
    layer.zeros = std::move(*mask);
  }
  if (info.declared && !trace->declaration.getPattern().getExactNnz()) {
    info.zerosExact = false;
    notes.push_back(
        {op, "layer '" + info.name +
                 "': the weight is a function argument without an exact "
                 "non-zero count: only its declared channels are counted"});
  }
  info.params = layer.zeros.size();
  if (info.params == 0 || macs % info.params != 0) {
    uncounted.push_back(
        {op, info.name, "the weight does not divide the iteration space"});
    return;
  }
  info.macs = macs;
  info.uses = macs / info.params;
  layer.infoIndex = layers.size();
  layers.push_back(std::move(info));
  layerIndex[op] = pending.size();
  pending.push_back(std::move(layer));
}

void FunctionAnalyzer::forwardLayer(PendingLayer &layer) {
  linalg::LinalgOp op = layer.op;
  const WeightDimRoles &roles = layer.roles;
  int64_t rank = layer.zeros.getRank();
  const Slices *activationZero =
      layer.activation ? getZero(layer.activation->get()) : nullptr;

  // Weights multiplying a zero input channel contribute nothing.
  layer.activationZero = getEmptySlices(layer.zeros.getShape());
  ElementMask useless = layer.zeros;
  if (activationZero) {
    for (int64_t e = 0; e < rank; ++e) {
      if (!roles.input[e])
        continue;
      layer.activationZero[e] = (*activationZero)[roles.activationDim[e]];
      useless.setSlices(e, layer.activationZero[e]);
    }
  }

  // An output channel is zero when its initial value is and every weight
  // element feeding it contributes nothing.
  Value result = op->getResult(0);
  std::optional<ArrayRef<int64_t>> resultShape = getStaticShape(result);
  const Slices *initZero = getZero(op.getDpsInitOperand(0)->get());
  if (!resultShape || !initZero)
    return;
  Slices zero = getEmptySlices(*resultShape);
  Slices full = useless.getFullSlices();
  for (int64_t e = 0; e < rank; ++e)
    if (roles.output[e])
      zero[roles.resultDim[e]] |= full[e];
  // Result dimensions that only the activation indexes (matmul rows, batch):
  // zero where the activation slice is.
  AffineMap resultMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  AffineMap weightMap = op.getMatchingIndexingMap(layer.weight);
  for (auto [j, expr] : llvm::enumerate(resultMap.getResults())) {
    unsigned loop = cast<AffineDimExpr>(expr).getPosition();
    if (findLoopInMap(weightMap, loop) >= 0 || !activationZero)
      continue;
    int64_t a =
        findLoopInMap(op.getMatchingIndexingMap(layer.activation), loop);
    if (a >= 0)
      zero[j] |= (*activationZero)[a];
  }
  for (auto [j, bits] : llvm::enumerate(zero))
    bits &= (*initZero)[j];
  setZero(result, std::move(zero));
}

void FunctionAnalyzer::backwardLayer(PendingLayer &layer) {
  linalg::LinalgOp op = layer.op;
  const WeightDimRoles &roles = layer.roles;
  int64_t rank = layer.zeros.getRank();
  Value result = op->getResult(0);
  const Slices *resultDead = getDead(result);

  layer.resultDead = getEmptySlices(layer.zeros.getShape());
  ElementMask unused = layer.zeros;
  if (resultDead) {
    for (int64_t e = 0; e < rank; ++e) {
      if (!roles.output[e])
        continue;
      layer.resultDead[e] = (*resultDead)[roles.resultDim[e]];
      unused.setSlices(e, layer.resultDead[e]);
    }
  }

  // The initial value is read where the result is.
  OpOperand *init = op.getDpsInitOperand(0);
  if (resultDead)
    contribute(*init, *resultDead);

  // The activation: an input channel is ignored when every weight element
  // reading it is zero or feeds a dead output channel.
  if (!layer.activation)
    return;
  std::optional<ArrayRef<int64_t>> activationShape =
      getStaticShape(layer.activation->get());
  if (!activationShape)
    return;
  Slices activationIgnored = getEmptySlices(*activationShape);
  Slices full = unused.getFullSlices();
  for (int64_t e = 0; e < rank; ++e)
    if (roles.input[e])
      activationIgnored[roles.activationDim[e]] |= full[e];
  if (resultDead) {
    AffineMap resultMap = op.getMatchingIndexingMap(init);
    AffineMap weightMap = op.getMatchingIndexingMap(layer.weight);
    AffineMap activationMap = op.getMatchingIndexingMap(layer.activation);
    for (auto [j, expr] : llvm::enumerate(resultMap.getResults())) {
      unsigned loop = cast<AffineDimExpr>(expr).getPosition();
      if (findLoopInMap(weightMap, loop) >= 0)
        continue;
      int64_t a = findLoopInMap(activationMap, loop);
      if (a >= 0)
        activationIgnored[a] |= (*resultDead)[j];
    }
  }
  contribute(*layer.activation, std::move(activationIgnored));
}

void FunctionAnalyzer::finishLayer(PendingLayer &layer) {
  LayerInfo &info = layers[layer.infoIndex];
  const WeightDimRoles &roles = info.roles;
  int64_t rank = layer.zeros.getRank();

  Slices zeroSlices = layer.zeros.getFullSlices();
  ElementMask structured(layer.zeros.getShape());
  ElementMask removable = layer.zeros;
  for (int64_t e = 0; e < rank; ++e) {
    if (roles.output[e] || roles.input[e])
      structured.setSlices(e, zeroSlices[e]);
    if (roles.input[e] && e < static_cast<int64_t>(layer.activationZero.size()))
      removable.setSlices(e, layer.activationZero[e]);
    if (roles.output[e] && e < static_cast<int64_t>(layer.resultDead.size()))
      removable.setSlices(e, layer.resultDead[e]);
  }
  int64_t zeros = layer.zeros.count() + layer.unplacedZeros;
  int64_t structuredCount = structured.count();
  info.zeroParams = zeros;
  info.savedStructured = structuredCount * info.uses;
  info.savedUnstructured = (zeros - structuredCount) * info.uses;
  info.savedMacs = (removable.count() + layer.unplacedZeros) * info.uses;
  info.savedPropagated =
      info.savedMacs - info.savedStructured - info.savedUnstructured;
  if (roles.outDim >= 0)
    info.zeroOutChannels = getSetIndices(zeroSlices[roles.outDim]);
  if (roles.inDim >= 0)
    info.zeroInChannels = getSetIndices(zeroSlices[roles.inDim]);
  if (!info.declared && info.zerosExact) {
    if (roles.inDim >= 0)
      info.nm = detectNM(layer.zeros, roles.inDim);
    info.block = detectBlock(layer.zeros);
  }
}

//===----------------------------------------------------------------------===//
// Forward: zero slices
//===----------------------------------------------------------------------===//

void FunctionAnalyzer::forwardElementwise(linalg::LinalgOp op) {
  if (!op.hasPureTensorSemantics() || op->getNumRegions() != 1)
    return;
  bool hasReduction = op.getNumReductionLoops() > 0;
  Block &body = op->getRegion(0).front();
  unsigned numInputs = op.getNumDpsInputs();
  for (OpOperand &init : op.getDpsInitsMutable()) {
    unsigned r = init.getOperandNumber() - numInputs;
    Value result = op->getResult(r);
    std::optional<ArrayRef<int64_t>> shape = getStaticShape(result);
    AffineMap resultMap = op.getMatchingIndexingMap(&init);
    if (!shape || !resultMap.isProjectedPermutation())
      continue;
    Slices zero = getEmptySlices(*shape);
    for (auto [j, expr] : llvm::enumerate(resultMap.getResults())) {
      unsigned loop = cast<AffineDimExpr>(expr).getPosition();
      // Per operand: the dimension indexed by this loop, its zero slices,
      // and the scalar it holds everywhere.
      struct OperandView {
        int64_t dim = -1;
        const Slices *zero = nullptr;
        Attribute scalar;
        Attribute zeroValue;
        bool used = true;
      };
      SmallVector<OperandView> views;
      for (OpOperand &operand : op->getOpOperands()) {
        OperandView view;
        view.used = op.payloadUsesValueFromOperand(&operand);
        view.scalar = getScalar(operand.get());
        if (auto type = dyn_cast<RankedTensorType>(operand.get().getType())) {
          view.dim = findLoopInMap(op.getMatchingIndexingMap(&operand), loop);
          view.zero = getZero(operand.get());
          view.zeroValue = getZeroAttr(type.getElementType());
        }
        views.push_back(view);
      }
      // The payload's value only depends on which operands are zero at the
      // slice: evaluate each combination once.
      std::map<SmallVector<bool>, bool> cache;
      for (int64_t c = 0; c < (*shape)[j]; ++c) {
        SmallVector<bool> key;
        for (const OperandView &view : views)
          key.push_back(view.used && view.dim >= 0 && view.zero &&
                        (*view.zero)[view.dim].test(c));
        auto [it, inserted] = cache.try_emplace(key, false);
        if (inserted) {
          SmallVector<Attribute> args;
          for (auto [view, isZero] : llvm::zip(views, key))
            args.push_back(isZero ? view.zeroValue : view.scalar);
          args.resize(body.getNumArguments());
          SmallVector<Attribute> out = evaluatePayload(op, args);
          bool isZero = r < out.size() && isZeroAttr(out[r]);
          // A reduction must stay at zero when fed its own result.
          if (isZero && hasReduction) {
            args[init.getOperandNumber()] = out[r];
            out = evaluatePayload(op, args);
            isZero = r < out.size() && isZeroAttr(out[r]);
          }
          it->second = isZero;
        }
        if (it->second)
          zero[j].set(c);
      }
    }
    setZero(result, std::move(zero));
  }
}

void FunctionAnalyzer::forwardPad(const ChannelFlow &flow) {
  auto pad = cast<tensor::PadOp>(flow.op);
  std::optional<ArrayRef<int64_t>> shape = getStaticShape(pad.getResult());
  if (!shape || !flow.hasStaticGeometry())
    return;
  Value padValue = pad.getConstantPaddingValue();
  Attribute padAttr;
  bool padZero = padValue && matchPattern(padValue, m_Constant(&padAttr)) &&
                 isZeroAttr(padAttr);
  const Slices *sourceZero = getZero(pad.getSource());
  Slices zero = getEmptySlices(*shape);
  int64_t rank = shape->size();
  for (int64_t d = 0; d < rank; ++d) {
    bool otherPadded = false;
    for (int64_t o = 0; o < rank; ++o)
      otherPadded |= o != d && !flow.keepsIndices(0, o);
    for (int64_t c = 0; c < (*shape)[d]; ++c) {
      std::optional<int64_t> source = flow.toOperandIndex(0, d, c);
      if (!source)
        zero[d][c] = padZero;
      else
        zero[d][c] = sourceZero && (*sourceZero)[d].test(*source) &&
                     (padZero || !otherPadded);
    }
  }
  setZero(pad.getResult(), std::move(zero));
}

void FunctionAnalyzer::forwardLinalg(linalg::LinalgOp op) {
  if (isContractionOrConvolution(op)) {
    auto it = layerIndex.find(op);
    if (it != layerIndex.end())
      forwardLayer(pending[it->second]);
    return;
  }
  forwardElementwise(op);
  // Element-wise work on constants only (a weight's type conversion) is done
  // at compile time: it is not counted.
  bool onConstants = llvm::all_of(op.getDpsInputs(), [](Value input) {
    return matchPattern(input, m_Constant());
  });
  if (!onConstants && op.getNumLoops() == op.getNumParallelLoops() &&
      !isa<linalg::FillOp, linalg::BroadcastOp, linalg::TransposeOp,
           linalg::CopyOp>(op) &&
      op->getNumResults() == 1 && getStaticShape(op->getResult(0)))
    elementwise.push_back(op);
}

void FunctionAnalyzer::forward(Operation *op) {
  ChannelFlow flow = getChannelFlow(op);
  switch (flow.kind) {
  case ChannelFlowKind::Opaque:
    return;
  case ChannelFlowKind::Linalg: {
    auto linalgOp = cast<linalg::LinalgOp>(op);
    if (isContractionOrConvolution(linalgOp))
      classify(linalgOp);
    forwardLinalg(linalgOp);
    return;
  }
  case ChannelFlowKind::Pad:
    forwardPad(flow);
    return;
  case ChannelFlowKind::Identity:
  case ChannelFlowKind::Collapse:
  case ChannelFlowKind::Expand:
  case ChannelFlowKind::Slice:
  case ChannelFlowKind::Concat:
    break;
  }
  Value result = op->getResult(0);
  std::optional<ArrayRef<int64_t>> shape = getStaticShape(result);
  if (!shape || !flow.hasStaticGeometry())
    return;
  if (flow.kind == ChannelFlowKind::Concat) {
    // Along the axis, each input's zero slices at its offset; along the
    // others, the slices zero in every input.
    int64_t axis = flow.axis;
    Slices zeros = getAllSlices(*shape);
    zeros[axis].reset();
    for (OpOperand &input : op->getOpOperands()) {
      std::optional<ArrayRef<int64_t>> inputShape = getStaticShape(input.get());
      if (!inputShape)
        return;
      unsigned k = input.getOperandNumber();
      const Slices *zero = getZero(input.get());
      for (int64_t d = 0, e = shape->size(); d < e; ++d) {
        if (d == axis) {
          for (int64_t c = 0; zero && c < (*inputShape)[d]; ++c)
            zeros[d][*flow.toResultIndex(k, d, c)] = (*zero)[d].test(c);
        } else if (zero) {
          zeros[d] &= (*zero)[d];
        } else {
          zeros[d].reset();
        }
      }
    }
    setZero(result, std::move(zeros));
    return;
  }
  Value source = op->getOperand(0);
  const Slices *zero = getZero(source);
  if (!zero || !getStaticShape(source))
    return;
  switch (flow.kind) {
  case ChannelFlowKind::Identity:
    setZero(result, *zero);
    return;
  case ChannelFlowKind::Collapse:
    setZero(result, toCoarseAny(flow.groups, flow.fineShape, *zero));
    return;
  case ChannelFlowKind::Expand:
    setZero(result, toFineAll(flow.groups, flow.fineShape, *zero));
    return;
  case ChannelFlowKind::Slice: {
    Slices zeros = getEmptySlices(*shape);
    for (int64_t d = 0, e = shape->size(); d < e; ++d)
      for (int64_t c = 0; c < (*shape)[d]; ++c)
        zeros[d][c] = (*zero)[d].test(*flow.toOperandIndex(0, d, c));
    setZero(result, std::move(zeros));
    return;
  }
  default:
    llvm_unreachable("handled above");
  }
}

//===----------------------------------------------------------------------===//
// Backward: dead slices
//===----------------------------------------------------------------------===//

void FunctionAnalyzer::contribute(OpOperand &operand, Slices slices) {
  ignored[&operand] = std::move(slices);
}

void FunctionAnalyzer::finalizeDead(Value value) {
  std::optional<ArrayRef<int64_t>> shape = getStaticShape(value);
  if (!shape)
    return;
  // Dead where every use ignores it; a value without uses is dead.
  Slices dead = getAllSlices(*shape);
  for (OpOperand &use : value.getUses()) {
    auto it = ignored.find(&use);
    if (it == ignored.end())
      return;
    for (auto [bits, other] : llvm::zip(dead, it->second))
      bits &= other;
  }
  if (anySet(dead))
    states[value].dead = std::move(dead);
}

void FunctionAnalyzer::backwardElementwise(linalg::LinalgOp op) {
  if (!op.hasPureTensorSemantics())
    return;
  unsigned numInputs = op.getNumDpsInputs();
  for (OpOperand &operand : op->getOpOperands()) {
    std::optional<ArrayRef<int64_t>> shape = getStaticShape(operand.get());
    if (!shape)
      continue;
    if (!op.payloadUsesValueFromOperand(&operand)) {
      contribute(operand, getAllSlices(*shape));
      continue;
    }
    AffineMap map = op.getMatchingIndexingMap(&operand);
    Slices slices = getEmptySlices(*shape);
    for (auto [d, expr] : llvm::enumerate(map.getResults())) {
      auto dimExpr = dyn_cast<AffineDimExpr>(expr);
      if (!dimExpr || op.getIteratorTypesArray()[dimExpr.getPosition()] !=
                          utils::IteratorType::parallel)
        continue;
      // Ignored where every result slice it maps to is dead.
      llvm::BitVector bits((*shape)[d], true);
      for (OpOperand &init : op.getDpsInitsMutable()) {
        Value result = op->getResult(init.getOperandNumber() - numInputs);
        const Slices *dead = getDead(result);
        int64_t j = findLoopInMap(op.getMatchingIndexingMap(&init),
                                  dimExpr.getPosition());
        if (!dead || j < 0) {
          bits.reset();
          break;
        }
        bits &= (*dead)[j];
      }
      slices[d] = std::move(bits);
    }
    contribute(operand, std::move(slices));
  }
}

void FunctionAnalyzer::backward(Operation *op) {
  for (Value result : op->getResults())
    finalizeDead(result);

  if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op)) {
    auto it = layerIndex.find(op);
    if (it != layerIndex.end())
      backwardLayer(pending[it->second]);
    else if (!isContractionOrConvolution(linalgOp))
      backwardElementwise(linalgOp);
    return;
  }
  if (op->getNumResults() != 1)
    return;
  Value result = op->getResult(0);
  const Slices *dead = getDead(result);
  ChannelFlow flow = getChannelFlow(op);
  if (!dead || !flow.hasStaticGeometry())
    return;
  if (flow.kind == ChannelFlowKind::Concat) {
    int64_t axis = flow.axis;
    for (OpOperand &input : op->getOpOperands()) {
      std::optional<ArrayRef<int64_t>> shape = getStaticShape(input.get());
      if (!shape)
        return;
      unsigned k = input.getOperandNumber();
      Slices slices;
      for (int64_t d = 0, e = shape->size(); d < e; ++d) {
        if (d != axis) {
          slices.push_back((*dead)[d]);
          continue;
        }
        llvm::BitVector bits((*shape)[d]);
        for (int64_t c = 0; c < (*shape)[d]; ++c)
          bits[c] = (*dead)[d].test(*flow.toResultIndex(k, d, c));
        slices.push_back(std::move(bits));
      }
      contribute(input, std::move(slices));
    }
    return;
  }
  OpOperand &source = op->getOpOperand(0);
  std::optional<ArrayRef<int64_t>> sourceShape = getStaticShape(source.get());
  if (!sourceShape)
    return;
  switch (flow.kind) {
  case ChannelFlowKind::Identity:
    contribute(source, *dead);
    return;
  case ChannelFlowKind::Collapse:
    contribute(source, toFineAll(flow.groups, flow.fineShape, *dead));
    return;
  case ChannelFlowKind::Expand:
    contribute(source, toCoarseAny(flow.groups, flow.fineShape, *dead));
    return;
  case ChannelFlowKind::Pad: {
    Slices slices = getEmptySlices(*sourceShape);
    for (int64_t d = 0, e = sourceShape->size(); d < e; ++d)
      for (int64_t k = 0; k < (*sourceShape)[d]; ++k)
        slices[d][k] = (*dead)[d].test(*flow.toResultIndex(0, d, k));
    contribute(source, std::move(slices));
    return;
  }
  case ChannelFlowKind::Slice: {
    // What is not extracted is ignored too.
    std::optional<ArrayRef<int64_t>> shape = getStaticShape(result);
    Slices slices = getAllSlices(*sourceShape);
    for (int64_t d = 0, e = shape->size(); d < e; ++d)
      for (int64_t c = 0; c < (*shape)[d]; ++c)
        slices[d][*flow.toOperandIndex(0, d, c)] = (*dead)[d].test(c);
    contribute(source, std::move(slices));
    return;
  }
  case ChannelFlowKind::Opaque:
  case ChannelFlowKind::Linalg:
  case ChannelFlowKind::Concat:
    return;
  }
}

//===----------------------------------------------------------------------===//
// Driver
//===----------------------------------------------------------------------===//

void FunctionAnalyzer::run() {
  Region &body = function.getFunctionBody();
  for (Block &block : body)
    for (Operation &op : block)
      forward(&op);
  // Backward, users before producers: reverse order in reverse block order.
  // A use the walk has not reached yet has no contribution and reads
  // everything, so the result stays sound with several blocks.
  for (Block &block : llvm::reverse(body))
    for (Operation &op : llvm::reverse(block))
      backward(&op);
  for (BlockArgument arg : body.getArguments())
    finalizeDead(arg);

  for (PendingLayer &layer : pending)
    finishLayer(layer);

  for (linalg::LinalgOp op : elementwise) {
    Value result = op->getResult(0);
    ArrayRef<int64_t> shape = *getStaticShape(result);
    int64_t total = 1, untouched = 1;
    const SliceState *state = nullptr;
    auto it = states.find(result);
    if (it != states.end())
      state = &it->second;
    for (auto [d, size] : llvm::enumerate(shape)) {
      total *= size;
      llvm::BitVector saved(size);
      if (state && !state->zero.empty())
        saved |= state->zero[d];
      if (state && !state->dead.empty())
        saved |= state->dead[d];
      untouched *= size - static_cast<int64_t>(saved.count());
    }
    totals.elementwiseOps += total;
    totals.savedElementwiseOps += total - untouched;
  }
}

OpSparsityAnalysis::OpSparsityAnalysis(Operation *root)
    : OpSparsityAnalysis(root, llvm::DenseMap<Value, ElementMask>()) {}

OpSparsityAnalysis::OpSparsityAnalysis(
    Operation *root, const llvm::DenseMap<Value, ElementMask> &zeroOverrides) {
  SmallVector<FunctionOpInterface> functions;
  root->walk([&](FunctionOpInterface function) {
    if (!function.isExternal())
      functions.push_back(function);
  });
  for (FunctionOpInterface function : functions)
    FunctionAnalyzer(function, states, layers, uncounted, notes, totals,
                     &zeroOverrides)
        .run();

  for (const LayerInfo &layer : layers) {
    ++totals.layers;
    totals.params += layer.params;
    totals.zeroParams += layer.zeroParams;
    totals.macs += layer.macs;
    totals.savedMacs += layer.savedMacs;
    totals.savedUnstructured += layer.savedUnstructured;
    totals.savedStructured += layer.savedStructured;
    totals.savedPropagated += layer.savedPropagated;
  }
  totals.allMacs += totals.macs;
}

const SliceState *OpSparsityAnalysis::getSliceState(Value value) const {
  auto it = states.find(value);
  return it == states.end() ? nullptr : &it->second;
}
