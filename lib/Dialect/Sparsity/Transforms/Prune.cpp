//===- Prune.cpp - magnitude pruning of constant weights ------------------===//
//
// Part of sparsity-mlir. Implements --sparsity-prune: one-shot magnitude
// pruning of the layers OpSparsityAnalysis finds, to an exact budget in
// parameters or MACs, unstructured, by channel groups, N:M, blocks or the
// hybrid of channels and single weights. docs/pruning.md describes the
// algorithm.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Analysis/ChannelFlow.h"
#include "sparsity-mlir/Analysis/ConstantPattern.h"
#include "sparsity-mlir/Analysis/OpSparsityAnalysis.h"
#include "sparsity-mlir/CostModel/CostModel.h"
#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityOps.h"
#include "sparsity-mlir/Dialect/Sparsity/Transforms/Passes.h"
#include "sparsity-mlir/Dialect/Sparsity/Transforms/StructuredFold.h"
#include "sparsity-mlir/Support/PassOptions.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/EquivalenceClasses.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Regex.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace mlir {
namespace sparsity {
#define GEN_PASS_DEF_SPARSITYPRUNEPASS
#include "sparsity-mlir/Dialect/Sparsity/Transforms/Passes.h.inc"
} // namespace sparsity
} // namespace mlir

using namespace mlir;
using namespace mlir::sparsity;

namespace {

/// A layer whose constant weight can be pruned, in the constant's layout.
struct Prunable {
  const LayerInfo *info = nullptr;
  arith::ConstantOp constant;
  SmallVector<int64_t> shape;
  /// The payload (a splat is expanded) and its element width.
  ArrayRef<char> bytes;
  SmallVector<char> splatBytes;
  unsigned byteWidth = 0;
  Type elementType;
  /// The layer's output- and input-channel dimensions in the constant's
  /// layout, or -1 when a view merges or splits them.
  int64_t outDim = -1;
  int64_t inDim = -1;
  int64_t uses = 1;
  /// Elements to set to zero (existing zeros included).
  llvm::BitVector pruned;
  /// Elements min-kept protects from unstructured pruning.
  llvm::BitVector kept;

  int64_t size() const { return pruned.size(); }

  /// |w| of element `i`.
  double magnitude(int64_t i) const {
    return std::fabs(readElementAsDouble(bytes.data() + i * byteWidth,
                                         elementType, byteWidth));
  }
};

/// A unit of structured pruning: a channel of a group, or a block.
struct Unit {
  /// Norm of its weights (l1: sum of |w|; l2: square root of the sum of
  /// squares).
  double norm = 0;
  /// What removing it saves: parameters or MACs.
  int64_t cost = 0;
  /// Which group (or layer) and which index in it.
  unsigned owner = 0;
  int64_t index = 0;
};
} // namespace

/// Maps dimension `dim` of the value a layer sees back through `chain` to a
/// dimension of the chain's root, or -1 when a view merges or splits it.
static int64_t mapToRoot(ArrayRef<Operation *> chain, int64_t dim) {
  // Slices are rejected before (see collect); element type conversions keep
  // the layout.
  for (Operation *op : llvm::reverse(chain))
    dim = mapDimToSource(op, dim);
  return dim;
}

/// Rounds half to even, as Python's round() (and so torch.nn.utils.prune)
/// does: pruning half of 165 weights removes 82, not 83.
static int64_t roundHalfEven(double value) {
  return static_cast<int64_t>(std::nearbyint(value));
}

/// Row-major strides.
static SmallVector<int64_t> getStrides(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t d = static_cast<int64_t>(shape.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}

/// Calls `fn(linear)` for every element whose coordinates along `dimA` and
/// `dimB` (dimB may be -1) lie in [a0, a1) and [b0, b1).
template <typename Fn>
static void forEachInBox(ArrayRef<int64_t> shape, int64_t dimA, int64_t a0,
                         int64_t a1, int64_t dimB, int64_t b0, int64_t b1,
                         Fn fn) {
  int64_t rank = shape.size();
  SmallVector<int64_t> lo(rank, 0), hi(shape.begin(), shape.end());
  lo[dimA] = a0;
  hi[dimA] = a1;
  if (dimB >= 0) {
    lo[dimB] = b0;
    hi[dimB] = b1;
  }
  SmallVector<int64_t> strides = getStrides(shape);
  SmallVector<int64_t> index(lo);
  while (true) {
    int64_t linear = 0;
    for (int64_t d = 0; d < rank; ++d)
      linear += index[d] * strides[d];
    // The innermost dimension is a contiguous run.
    for (int64_t j = index[rank - 1]; j < hi[rank - 1]; ++j)
      fn(linear + (j - index[rank - 1]));
    int64_t d = rank - 2;
    for (; d >= 0; --d) {
      if (++index[d] < hi[d])
        break;
      index[d] = lo[d];
    }
    if (d < 0)
      return;
  }
}

namespace {
struct SparsityPrunePass
    : public sparsity::impl::SparsityPrunePassBase<SparsityPrunePass> {
  using Base::Base;

  void runOnOperation() override;

  /// Checks the option string before it is parsed (one-line errors, the
  /// nearest option suggested), then the options together.
  LogicalResult initializeOptions(
      StringRef options,
      function_ref<LogicalResult(const Twine &)> errorHandler) override;

private:
  /// Derives the pass's settings from its options; reports the first
  /// invalid combination through `report` and fails.
  LogicalResult parseOptions(function_ref<void(const Twine &)> report);
  void collect(const OpSparsityAnalysis &analysis);
  LogicalResult checkShapes(Location loc);
  void buildChannelGroups(const OpSparsityAnalysis &analysis);
  void pruneUnits(std::vector<Unit> units, double share, unsigned numOwners,
                  function_ref<int64_t(unsigned)> ownerUnits,
                  function_ref<void(const Unit &)> apply);
  void pruneChannels(double share);
  void pruneBlocks();
  void pruneNM();
  void pruneUnstructured();
  void protectTopWeights();
  void protectChannels();
  int64_t totalMetric() const;
  /// The totals of the report if the current selection were written.
  SparsityTotals countSelection();
  /// The effective saved MACs (with propagation) of the current selection;
  /// keeps its totals in `selectionTotals`.
  int64_t effectiveSaved();
  /// The totals of the current selection, when known.
  std::optional<SparsityTotals> selectionTotals;
  /// What the weights already save (zeros, earlier pruning), in the metric.
  int64_t currentSaved() const;
  /// Writes the pruned constants; returns how many changed. `constantOf`
  /// maps a layer's constant to the one to rewrite (default: itself).
  int64_t write(
      function_ref<arith::ConstantOp(arith::ConstantOp)> constantOf = nullptr);
  /// hybrid=auto: prunes with the structured share of lowest predicted
  /// latency on the device.
  LogicalResult searchHybrid(ModuleOp module,
                             const OpSparsityAnalysis &analysis);
  /// The predicted latency (us) of the current selection once written and
  /// folded, on a copy of `module`. Layers the cost model cannot predict are
  /// counted in `unpredicted`, the first one's name and reason kept in
  /// `firstUnpredicted`.
  /// `ownKeys` are the resources of `module`; every other one the copy
  /// creates is released with it.
  double predictSelection(ModuleOp module, const TargetDescription &device,
                          const llvm::StringSet<> &ownKeys, int64_t &predicted,
                          int64_t &unpredicted, std::string &firstUnpredicted);

  PruneGranularity kind = PruneGranularity::Unstructured;
  bool useL2 = false;
  bool byOps = false;
  bool global = true;
  int64_t nmN = 2, nmM = 4, blockR = 4, blockC = 4;
  /// Shared: the pass is copyable, a Regex is not.
  std::shared_ptr<llvm::Regex> excludeRegex;

  const OpSparsityAnalysis *analysis = nullptr;
  std::vector<Prunable> layers;
  /// What the layers that are not pruned save, in the metric.
  int64_t savedOutside = 0;
  /// Channel groups: member layers (indices into `layers`) and the channel
  /// count.
  struct Group {
    SmallVector<unsigned> members;
    int64_t channels = 0;
  };
  std::vector<Group> groups;
};
} // namespace

LogicalResult SparsityPrunePass::initializeOptions(
    StringRef options,
    function_ref<LogicalResult(const Twine &)> errorHandler) {
  static const OptionCheck checks[] = {
      {"granularity", EnumOptionParser<PruneGranularity>::check},
      {"criterion", EnumOptionParser<PruneCriterion>::check},
      {"target", checkDoubleOption},
      {"metric", EnumOptionParser<PruneMetric>::check},
      {"scope", EnumOptionParser<PruneScope>::check},
      {"structured", checkDoubleOption},
      {"nm", ValueOptionParser<NMShape>::check},
      {"block", ValueOptionParser<BlockShape>::check},
      {"min-kept", checkIntegerOption},
      {"hybrid", EnumOptionParser<HybridSearch>::check},
      {"hybrid-steps", checkIntegerOption}};
  if (failed(checkPassOptions(*this, options, checks, errorHandler)) ||
      failed(Pass::initializeOptions(options, errorHandler)))
    return failure();
  return parseOptions(
      [&](const Twine &message) { (void)errorHandler(message); });
}

LogicalResult
SparsityPrunePass::parseOptions(function_ref<void(const Twine &)> report) {
  auto bad = [&](StringRef option, const Twine &why) {
    report("sparsity-prune: option '" + option + "': " + why);
    return failure();
  };
  // The enum and shape options are parsed (and checked) with the options.
  kind = granularity;
  useL2 = criterion == PruneCriterion::L2;
  byOps = metric == PruneMetric::Ops;
  global = scope == PruneScope::Global;
  if (!(target >= 0.0 && target < 1.0))
    return bad("target",
               llvm::formatv("{0} is outside [0, 1)", target.getValue()));
  if (!(structured >= 0.0 && structured <= target))
    return bad("structured",
               llvm::formatv("{0} is outside [0, target = {1}]",
                             structured.getValue(), target.getValue()));
  if (structured > 0.0 && kind != PruneGranularity::Unstructured)
    return bad("structured", "the hybrid mode prunes channels, then single "
                             "weights: it needs granularity=unstructured");
  nmN = nm.getValue().n;
  nmM = nm.getValue().m;
  blockR = block.getValue().rows;
  blockC = block.getValue().cols;
  if (!exclude.empty()) {
    excludeRegex = std::make_shared<llvm::Regex>(exclude);
    std::string error;
    if (!excludeRegex->isValid(error))
      return bad("exclude",
                 "invalid regular expression '" + exclude + "': " + error);
  }
  if (minKept < 0)
    return bad("min-kept",
               llvm::formatv("{0} is negative", minKept.getValue()));
  if (hybrid == HybridSearch::Auto) {
    if (kind != PruneGranularity::Unstructured || !byOps || !global)
      return bad("hybrid", "hybrid=auto splits an operation budget between "
                           "channels and single weights: it needs "
                           "granularity=unstructured metric=ops scope=global");
    if (structured > 0.0)
      return bad("structured", "hybrid=auto chooses the structured share "
                               "itself: give one or the other");
    if (hybridSteps < 1 || hybridSteps > 100)
      return bad("hybrid-steps", llvm::formatv("{0} is outside [1, 100]",
                                               hybridSteps.getValue()));
  } else if (!device.empty()) {
    return bad("device", "only the hybrid=auto search uses a device");
  }
  return success();
}

void SparsityPrunePass::collect(const OpSparsityAnalysis &analysis) {
  // A constant feeding several layers is not pruned: the layers could
  // disagree.
  llvm::DenseMap<Value, unsigned> rootUses;
  for (const LayerInfo &info : analysis.getLayers())
    ++rootUses[info.weightRoot];

  for (const LayerInfo &info : analysis.getLayers()) {
    auto skip = [&](const Twine &why) {
      emitRemark(info.op->getLoc())
          << "layer '" << info.name << "' not pruned: " << why;
    };
    if (excludeRegex && excludeRegex->match(info.name))
      continue;
    auto constant = info.weightRoot.getDefiningOp<arith::ConstantOp>();
    if (info.declared || !constant) {
      skip("its weight is not a constant");
      continue;
    }
    if (rootUses[info.weightRoot] > 1) {
      skip("its weight constant is shared with another layer");
      continue;
    }
    if (llvm::any_of(info.weightChain, llvm::IsaPred<tensor::ExtractSliceOp>)) {
      skip("it reads a slice of its weight constant");
      continue;
    }
    Prunable layer;
    layer.info = &info;
    layer.constant = constant;
    auto type = cast<RankedTensorType>(constant.getType());
    layer.shape.assign(type.getShape().begin(), type.getShape().end());
    layer.elementType = type.getElementType();
    unsigned width = layer.elementType.getIntOrFloatBitWidth();
    if (!llvm::is_contained({8u, 16u, 32u, 64u}, width)) {
      skip("its element type is not supported");
      continue;
    }
    layer.byteWidth = width / 8;
    int64_t numElements = type.getNumElements();
    Attribute value = constant.getValue();
    if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
      if (dense.isSplat()) {
        ArrayRef<char> one = dense.getRawData();
        for (int64_t i = 0; i < numElements; ++i)
          layer.splatBytes.append(one.begin(), one.begin() + layer.byteWidth);
        layer.bytes = layer.splatBytes;
      } else {
        layer.bytes = dense.getRawData();
      }
    } else if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
      const AsmResourceBlob *blob = resource.getRawHandle().getBlob();
      if (!blob) {
        skip("its weight payload is not available");
        continue;
      }
      layer.bytes = blob->getData();
    } else {
      skip("its weight payload kind is not supported");
      continue;
    }
    if (static_cast<int64_t>(layer.bytes.size()) <
        numElements * layer.byteWidth) {
      skip("its weight payload is truncated");
      continue;
    }
    layer.outDim = mapToRoot(info.weightChain, info.roles.outDim);
    layer.inDim = mapToRoot(info.weightChain, info.roles.inDim);
    layer.uses = info.uses;
    layer.pruned.resize(numElements);
    layer.kept.resize(numElements);
    // Existing zeros stay zero and count as pruned.
    for (int64_t i = 0; i < numElements; ++i)
      if (layer.magnitude(i) == 0.0)
        layer.pruned.set(i);
    layers.push_back(std::move(layer));
  }
}

LogicalResult SparsityPrunePass::checkShapes(Location loc) {
  for (const Prunable &layer : layers) {
    auto fail = [&](StringRef option, const Twine &why) {
      emitError(loc) << "sparsity-prune: option '" << option << "': layer '"
                     << layer.info->name << "': " << why
                     << " (exclude it with exclude=<regex>)";
      return failure();
    };
    if (kind == PruneGranularity::NM) {
      if (layer.inDim < 0)
        return fail("nm", "it has no input-channel dimension");
      if (layer.shape[layer.inDim] % nmM != 0)
        return fail("nm", llvm::formatv("M = {0} does not divide its input "
                                        "channels ({1})",
                                        nmM, layer.shape[layer.inDim]));
    }
    if (kind == PruneGranularity::Block) {
      if (layer.inDim < 0 || layer.outDim < 0 || layer.inDim == layer.outDim)
        return fail("block", "it has no distinct output- and input-channel "
                             "dimensions");
      if (layer.shape[layer.outDim] % blockR != 0 ||
          layer.shape[layer.inDim] % blockC != 0)
        return fail("block",
                    llvm::formatv("{0}x{1} does not divide its {2} output x "
                                  "{3} input channels",
                                  blockR, blockC, layer.shape[layer.outDim],
                                  layer.shape[layer.inDim]));
    }
  }
  return success();
}

int64_t SparsityPrunePass::currentSaved() const {
  int64_t saved = savedOutside;
  for (const Prunable &layer : layers)
    saved +=
        static_cast<int64_t>(layer.pruned.count()) * (byOps ? layer.uses : 1);
  return saved;
}

SparsityTotals SparsityPrunePass::countSelection() {
  llvm::DenseMap<Value, ElementMask> overrides;
  for (const Prunable &layer : layers)
    overrides.try_emplace(layer.info->weightRoot,
                          ElementMask::fromBits(layer.shape, layer.pruned));
  return OpSparsityAnalysis(getOperation(), overrides).getTotals();
}

int64_t SparsityPrunePass::effectiveSaved() {
  selectionTotals = countSelection();
  return selectionTotals->savedMacs;
}

int64_t SparsityPrunePass::totalMetric() const {
  const SparsityTotals &totals = analysis->getTotals();
  return byOps ? totals.macs : totals.params;
}

/// Selects units to prune, lowest norm first (per cost when global), ties by
/// owner and index, until `share` of the metric is reached: over all owners
/// (global) or within each owner (layer). Every owner keeps at least one
/// unit.
void SparsityPrunePass::pruneUnits(std::vector<Unit> units, double share,
                                   unsigned numOwners,
                                   function_ref<int64_t(unsigned)> ownerUnits,
                                   function_ref<void(const Unit &)> apply) {
  auto key = [&](const Unit &u) {
    return global ? u.norm / std::max<int64_t>(u.cost, 1) : u.norm;
  };
  llvm::sort(units, [&](const Unit &a, const Unit &b) {
    double ka = key(a), kb = key(b);
    if (ka != kb)
      return ka < kb;
    if (a.owner != b.owner)
      return a.owner < b.owner;
    return a.index < b.index;
  });
  SmallVector<int64_t> taken(numOwners, 0);
  if (global) {
    int64_t needed = roundHalfEven(share * totalMetric()) - currentSaved();
    int64_t done = 0;
    for (const Unit &unit : units) {
      if (done >= needed)
        break;
      if (taken[unit.owner] + 1 >= ownerUnits(unit.owner))
        continue;
      ++taken[unit.owner];
      done += unit.cost;
      apply(unit);
    }
    return;
  }
  // Per owner: round(share * units), as torch.nn.utils.prune does.
  for (const Unit &unit : units) {
    int64_t count = ownerUnits(unit.owner);
    int64_t quota = std::min<int64_t>(roundHalfEven(share * count), count - 1);
    if (taken[unit.owner] >= quota)
      continue;
    ++taken[unit.owner];
    apply(unit);
  }
}

void SparsityPrunePass::buildChannelGroups(const OpSparsityAnalysis &analysis) {
  // Follow each layer's output channels through ops that keep channels
  // apart; where two layers' channels meet (a residual addition) or a
  // depthwise layer filters them one by one, the layers are coupled.
  llvm::DenseMap<const LayerInfo *, unsigned> prunableIndex;
  for (auto [i, layer] : llvm::enumerate(layers))
    prunableIndex[layer.info] = i;
  llvm::DenseMap<Operation *, const LayerInfo *> layerOf;
  for (const LayerInfo &info : analysis.getLayers())
    layerOf[info.op] = &info;

  llvm::EquivalenceClasses<const LayerInfo *> classes;
  llvm::DenseSet<const LayerInfo *> blocked;
  // The layer whose channels a value's dimension carries.
  llvm::DenseMap<Value, std::pair<const LayerInfo *, int64_t>> carries;

  getOperation()->walk([&](Operation *op) {
    auto layerIt = layerOf.find(op);
    if (layerIt != layerOf.end()) {
      const LayerInfo *info = layerIt->second;
      classes.insert(info);
      const WeightDimRoles &roles = info->roles;
      if (roles.outDim < 0)
        return;
      if (roles.input[roles.outDim]) {
        // Depthwise: filter c reads channel c of its input.
        auto linalgOp = cast<linalg::LinalgOp>(op);
        for (OpOperand *input : linalgOp.getDpsInputOperands()) {
          if (input->getOperandNumber() == info->weightOperand)
            continue;
          auto it = carries.find(input->get());
          if (it != carries.end() &&
              it->second.second == roles.activationDim[roles.outDim])
            classes.unionSets(info, it->second.first);
        }
      }
      carries[op->getResult(0)] = {info, roles.resultDim[roles.outDim]};
      return;
    }
    // The channels pass where the channel-flow table keeps their indices
    // (and, for a concat along another dimension, join like a residual
    // addition); along a concat's axis they mix with other channels, which
    // channel groups of layers cannot express. A reshape or a slice of the
    // channels ends the path: the fold plan decides there.
    ChannelFlow flow = getChannelFlow(op);
    switch (flow.kind) {
    case ChannelFlowKind::Identity:
    case ChannelFlowKind::Pad:
    case ChannelFlowKind::Slice: {
      auto it = carries.find(op->getOperand(0));
      if (it == carries.end() || !flow.keepsIndices(0, it->second.second))
        return;
      // A copy first: inserting may grow the map and move `it`'s entry.
      std::pair<const LayerInfo *, int64_t> carried = it->second;
      carries[op->getResult(0)] = carried;
      return;
    }
    case ChannelFlowKind::Concat: {
      const LayerInfo *joined = nullptr;
      int64_t joinedDim = -1;
      bool mixed = false;
      for (Value input : op->getOperands()) {
        auto it = carries.find(input);
        if (it == carries.end())
          continue;
        if (!flow.keepsIndices(0, it->second.second) ||
            (joined && joinedDim != it->second.second)) {
          mixed = true;
          blocked.insert(it->second.first);
          continue;
        }
        if (joined)
          classes.unionSets(joined, it->second.first);
        joined = it->second.first;
        joinedDim = it->second.second;
      }
      if (mixed && joined)
        blocked.insert(joined);
      else if (joined)
        carries[op->getResult(0)] = {joined, joinedDim};
      return;
    }
    case ChannelFlowKind::Linalg:
      break;
    case ChannelFlowKind::Opaque:
    case ChannelFlowKind::Collapse:
    case ChannelFlowKind::Expand:
      return;
    }
    auto linalgOp = cast<linalg::LinalgOp>(op);
    if (op->getNumResults() != 1 || !linalgOp.hasPureTensorSemantics())
      return;
    AffineMap resultMap =
        linalgOp.getMatchingIndexingMap(linalgOp.getDpsInitOperand(0));
    const LayerInfo *joined = nullptr;
    int64_t joinedDim = -1;
    for (OpOperand &operand : op->getOpOperands()) {
      auto it = carries.find(operand.get());
      if (it == carries.end() ||
          !linalgOp.payloadUsesValueFromOperand(&operand))
        continue;
      AffineMap map = linalgOp.getMatchingIndexingMap(&operand);
      auto expr = dyn_cast<AffineDimExpr>(map.getResult(it->second.second));
      int64_t j = -1;
      if (expr)
        for (auto [r, result] : llvm::enumerate(resultMap.getResults()))
          if (result == expr)
            j = r;
      if (j < 0) {
        // The channels are reduced or reshaped away: their consumers need
        // no coupling.
        continue;
      }
      if (joined && joinedDim == j) {
        classes.unionSets(joined, it->second.first);
      } else if (!joined) {
        joined = it->second.first;
        joinedDim = j;
      }
    }
    if (joined)
      carries[op->getResult(0)] = {joined, joinedDim};
  });

  for (auto it = classes.begin(); it != classes.end(); ++it) {
    if (!(*it)->isLeader())
      continue;
    Group group;
    bool prunable = true;
    for (auto member = classes.member_begin(**it);
         member != classes.member_end(); ++member) {
      const LayerInfo *info = *member;
      auto index = prunableIndex.find(info);
      if (index == prunableIndex.end() || blocked.contains(info)) {
        prunable = false;
        break;
      }
      const Prunable &layer = layers[index->second];
      if (layer.outDim < 0) {
        prunable = false;
        break;
      }
      int64_t channels = layer.shape[layer.outDim];
      if (group.channels != 0 && group.channels != channels) {
        prunable = false;
        break;
      }
      group.channels = channels;
      group.members.push_back(index->second);
    }
    if (!prunable || group.members.empty()) {
      emitRemark((*it)->getData()->op->getLoc())
          << "channels of layer '" << (*it)->getData()->name
          << "' not pruned: they are coupled with a layer that cannot be "
             "pruned (excluded, not constant, or coupled through a concat)";
      continue;
    }
    llvm::sort(group.members);
    groups.push_back(std::move(group));
  }
  llvm::sort(groups, [](const Group &a, const Group &b) {
    return a.members.front() < b.members.front();
  });
}

void SparsityPrunePass::pruneChannels(double share) {
  std::vector<Unit> units;
  for (auto [g, group] : llvm::enumerate(groups)) {
    for (int64_t c = 0; c < group.channels; ++c) {
      Unit unit;
      unit.owner = g;
      unit.index = c;
      for (unsigned m : group.members) {
        const Prunable &layer = layers[m];
        int64_t count = 0;
        forEachInBox(layer.shape, layer.outDim, c, c + 1, -1, 0, 0,
                     [&](int64_t i) {
                       double v = layer.magnitude(i);
                       unit.norm += useL2 ? v * v : v;
                       count += !layer.pruned.test(i);
                     });
        unit.cost += byOps ? count * layer.uses : count;
      }
      if (useL2)
        unit.norm = std::sqrt(unit.norm);
      units.push_back(unit);
    }
  }
  pruneUnits(
      std::move(units), share, groups.size(),
      [&](unsigned g) { return groups[g].channels; },
      [&](const Unit &unit) {
        for (unsigned m : groups[unit.owner].members) {
          Prunable &layer = layers[m];
          forEachInBox(layer.shape, layer.outDim, unit.index, unit.index + 1,
                       -1, 0, 0, [&](int64_t i) { layer.pruned.set(i); });
        }
      });
}

void SparsityPrunePass::pruneBlocks() {
  std::vector<Unit> units;
  SmallVector<int64_t> blocksPerLayer;
  for (unsigned l = 0, e = layers.size(); l < e; ++l) {
    const Prunable &layer = layers[l];
    int64_t rows = layer.shape[layer.outDim] / blockR;
    int64_t cols = layer.shape[layer.inDim] / blockC;
    blocksPerLayer.push_back(rows * cols);
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < cols; ++c) {
        Unit unit;
        unit.owner = l;
        unit.index = r * cols + c;
        int64_t count = 0;
        forEachInBox(layer.shape, layer.outDim, r * blockR, (r + 1) * blockR,
                     layer.inDim, c * blockC, (c + 1) * blockC, [&](int64_t i) {
                       double v = layer.magnitude(i);
                       unit.norm += useL2 ? v * v : v;
                       count += !layer.pruned.test(i);
                     });
        if (useL2)
          unit.norm = std::sqrt(unit.norm);
        unit.cost = byOps ? count * layer.uses : count;
        units.push_back(unit);
      }
  }
  pruneUnits(
      std::move(units), target, layers.size(),
      [&](unsigned l) { return blocksPerLayer[l]; },
      [&](const Unit &unit) {
        Prunable &layer = layers[unit.owner];
        int64_t cols = layer.shape[layer.inDim] / blockC;
        int64_t r = unit.index / cols, c = unit.index % cols;
        forEachInBox(layer.shape, layer.outDim, r * blockR, (r + 1) * blockR,
                     layer.inDim, c * blockC, (c + 1) * blockC,
                     [&](int64_t i) { layer.pruned.set(i); });
      });
}

void SparsityPrunePass::pruneNM() {
  for (Prunable &layer : layers) {
    int64_t stride = getStrides(layer.shape)[layer.inDim];
    int64_t size = layer.shape[layer.inDim];
    int64_t outer = layer.size() / (size * stride);
    SmallVector<std::pair<double, int64_t>> group(nmM);
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t g = 0; g < size; g += nmM)
        for (int64_t inner = 0; inner < stride; ++inner) {
          for (int64_t k = 0; k < nmM; ++k) {
            int64_t i = (o * size + g + k) * stride + inner;
            group[k] = {layer.magnitude(i), i};
          }
          // Keep the N largest; ties keep the lower position.
          llvm::sort(group, [](const auto &a, const auto &b) {
            return a.first != b.first ? a.first > b.first : a.second < b.second;
          });
          for (int64_t k = nmN; k < nmM; ++k)
            layer.pruned.set(group[k].second);
        }
  }
}

void SparsityPrunePass::protectTopWeights() {
  // Every layer keeps its min-kept largest weights (ties: lower position).
  for (Prunable &layer : layers) {
    int64_t keep = std::min<int64_t>(minKept, layer.size());
    if (keep == 0)
      continue;
    std::vector<std::pair<double, int64_t>> top;
    auto worse = [](const std::pair<double, int64_t> &a,
                    const std::pair<double, int64_t> &b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    };
    for (int64_t i = 0; i < layer.size(); ++i) {
      if (layer.pruned.test(i))
        continue;
      std::pair<double, int64_t> item{layer.magnitude(i), i};
      if (static_cast<int64_t>(top.size()) < keep) {
        top.push_back(item);
        std::push_heap(top.begin(), top.end(), worse);
      } else if (worse(item, top.front())) {
        std::pop_heap(top.begin(), top.end(), worse);
        top.back() = item;
        std::push_heap(top.begin(), top.end(), worse);
      }
    }
    for (const auto &item : top)
      layer.kept.set(item.second);
  }
}

void SparsityPrunePass::protectChannels() {
  // Every output and every input channel of every layer keeps its largest
  // weight (ties: lower position), so that no channel becomes all zero and
  // the effective saving grows by single weights, without propagation jumps.
  for (Prunable &layer : layers) {
    for (int64_t dim : {layer.outDim, layer.inDim}) {
      if (dim < 0)
        continue;
      for (int64_t c = 0, e = layer.shape[dim]; c < e; ++c) {
        int64_t best = -1;
        double bestMagnitude = 0.0;
        forEachInBox(layer.shape, dim, c, c + 1, -1, 0, 0, [&](int64_t i) {
          if (layer.pruned.test(i))
            return;
          double m = layer.magnitude(i);
          if (best < 0 || m > bestMagnitude) {
            best = i;
            bestMagnitude = m;
          }
        });
        if (best >= 0)
          layer.kept.set(best);
      }
    }
  }
}

void SparsityPrunePass::pruneUnstructured() {
  protectTopWeights();
  auto weightOf = [&](const Prunable &layer) -> int64_t {
    return byOps ? layer.uses : 1;
  };

  // Select, among `members`, the candidates with the lowest scores until
  // `needed` (in the metric, what is pruned already included) is reached.
  // Scores are |w| (params) or |w| / uses (ops: a weight that takes part in
  // more MACs goes first); as non-negative floats, their bit patterns order
  // like them. A two-level radix select over the 32-bit patterns finds the
  // threshold score t; everything below t goes, then the candidates scoring
  // exactly t in position order (layer, then element) until `needed`.
  // The scores of the last member set (rounds of the op-guided search
  // select again from the same starting point).
  constexpr uint32_t kPruned = 0, kKept = 0xFFFFFFFF;
  std::vector<std::vector<uint32_t>> scores;
  SmallVector<unsigned> scoredMembers;
  auto select = [&](ArrayRef<unsigned> members, int64_t needed) {
    selectionTotals.reset();
    if (ArrayRef<unsigned>(scoredMembers) != members) {
      scoredMembers.assign(members.begin(), members.end());
      scores.assign(members.size(), {});
      for (auto [m, l] : llvm::enumerate(members)) {
        const Prunable &layer = layers[l];
        std::vector<uint32_t> &out = scores[m];
        out.resize(layer.size());
        double divisor = byOps ? static_cast<double>(layer.uses) : 1.0;
        for (int64_t i = 0, e = layer.size(); i < e; ++i) {
          if (layer.pruned.test(i)) {
            out[i] = kPruned;
            continue;
          }
          if (layer.kept.test(i)) {
            out[i] = kKept;
            continue;
          }
          float score = static_cast<float>(layer.magnitude(i) / divisor);
          uint32_t bits;
          std::memcpy(&bits, &score, 4);
          // A non-zero weight never scores "already pruned".
          out[i] = std::max<uint32_t>(bits, 1);
        }
      }
    }
    auto histogram = [&](auto bucketOf, auto inRange) {
      std::vector<int64_t> counts(1 << 16, 0);
      for (auto [m, l] : llvm::enumerate(members)) {
        int64_t w = weightOf(layers[l]);
        for (uint32_t score : scores[m])
          if (score != kKept && inRange(score))
            counts[bucketOf(score)] += w;
      }
      return counts;
    };
    // Level 1: the high 16 bits.
    std::vector<int64_t> high = histogram([](uint32_t v) { return v >> 16; },
                                          [](uint32_t) { return true; });
    int64_t below = 0;
    uint32_t bucket = 0;
    for (; bucket < (1u << 16); ++bucket) {
      if (below + high[bucket] >= needed)
        break;
      below += high[bucket];
    }
    uint32_t threshold;
    if (bucket == (1u << 16)) {
      threshold = kKept; // Not reachable: every candidate goes.
    } else {
      // Level 2: the low 16 bits inside that bucket.
      std::vector<int64_t> low =
          histogram([](uint32_t v) { return v & 0xFFFF; },
                    [&](uint32_t v) { return (v >> 16) == bucket; });
      uint32_t lowBits = 0;
      for (; lowBits < (1u << 16); ++lowBits) {
        if (below + low[lowBits] >= needed)
          break;
        below += low[lowBits];
      }
      threshold = (bucket << 16) | std::min<uint32_t>(lowBits, 0xFFFF);
    }
    // `below` now counts everything scoring under the threshold.
    int64_t sum = below;
    for (auto [m, l] : llvm::enumerate(members)) {
      Prunable &layer = layers[l];
      int64_t w = weightOf(layer);
      const std::vector<uint32_t> &layerScores = scores[m];
      for (int64_t i = 0, e = layer.size(); i < e; ++i) {
        uint32_t score = layerScores[i];
        if (score == kKept || score == kPruned)
          continue;
        if (score < threshold) {
          layer.pruned.set(i);
        } else if (score == threshold && sum < needed) {
          layer.pruned.set(i);
          sum += w;
        }
      }
    }
  };

  if (global) {
    // The target is the whole model's: what layers that are not pruned
    // already save counts.
    SmallVector<unsigned> members;
    for (unsigned l = 0, e = layers.size(); l < e; ++l)
      members.push_back(l);
    int64_t goal = roundHalfEven(target * totalMetric());
    int64_t budget = goal - savedOutside;
    if (!byOps) {
      select(members, budget);
      return;
    }
    // Op-guided: the budget is on the MACs the zeros save where they are,
    // but a zero filter also frees its consumers (dependency propagation),
    // so the effective s_op can exceed it. The effective saving of a
    // selection is counted without rewriting anything (what-if zero masks)
    // and grows with the budget, so the budget is bisected in [0, first
    // budget] until the effective s_op is within 0.4 points of the target
    // (at most 16 rounds; the closest selection is kept). It can jump: a
    // layer whose output becomes entirely zero frees everything after it.
    std::vector<llvm::BitVector> initial;
    for (const Prunable &layer : layers)
      initial.push_back(layer.pruned);
    int64_t tolerance = totalMetric() / 250;
    auto trySelection = [&](int64_t tried) {
      for (auto [layer, bits] : llvm::zip(layers, initial))
        layer.pruned = bits;
      select(members, tried);
      return effectiveSaved() - goal;
    };
    // Returns the closest error; leaves the selection of it in place.
    auto search = [&]() {
      int64_t error = trySelection(budget);
      if (error <= tolerance)
        return error; // Close enough, or the target cannot be reached.
      int64_t lo = 0, hi = budget;
      int64_t bestBudget = budget, bestError = error;
      for (int round = 0; round < 16 && lo + 1 < hi; ++round) {
        int64_t mid = lo + (hi - lo) / 2;
        error = trySelection(mid);
        if (std::abs(error) < std::abs(bestError)) {
          bestError = error;
          bestBudget = mid;
        }
        if (std::abs(error) <= tolerance)
          return error;
        if (error > 0)
          hi = mid;
        else
          lo = mid;
      }
      trySelection(bestBudget);
      return bestError;
    };
    int64_t error = search();
    if (std::abs(error) <= tolerance)
      return;
    // The effective saving jumped over the target: the last weight of a
    // channel freed what the channel fed (VGG-16: an early layer emptied,
    // everything after it zero). Search again with every channel keeping
    // its largest weight, and keep that if it lands closer.
    std::vector<llvm::BitVector> kept, pruned;
    for (const Prunable &layer : layers) {
      kept.push_back(layer.kept);
      pruned.push_back(layer.pruned);
    }
    // Protect among the weights that were non-zero before selecting.
    for (auto [layer, bits] : llvm::zip(layers, initial))
      layer.pruned = bits;
    protectChannels();
    scoredMembers.clear();
    int64_t protectedError = search();
    if (std::abs(protectedError) < std::abs(error))
      return;
    for (auto [layer, k, p] : llvm::zip(layers, kept, pruned)) {
      layer.kept = k;
      layer.pruned = p;
    }
    selectionTotals.reset();
    return;
  }
  for (unsigned l = 0, e = layers.size(); l < e; ++l)
    select(l, roundHalfEven(target * layers[l].size()));
}

int64_t SparsityPrunePass::write(
    function_ref<arith::ConstantOp(arith::ConstantOp)> constantOf) {
  int64_t changed = 0;
  for (Prunable &layer : layers) {
    // Existing zeros are already zero: only rewrite what changes.
    bool changes = false;
    for (int i : layer.pruned.set_bits())
      if (layer.magnitude(i) != 0.0) {
        changes = true;
        break;
      }
    if (!changes)
      continue;
    ++changed;
    arith::ConstantOp constant =
        constantOf ? constantOf(layer.constant) : layer.constant;
    auto type = cast<RankedTensorType>(constant.getType());
    size_t numBytes = layer.size() * layer.byteWidth;
    Attribute value;
    if (auto resource =
            dyn_cast<DenseResourceElementsAttr>(constant.getValue())) {
      AsmResourceBlob blob = HeapAsmResourceBlob::allocate(
          numBytes, std::max<size_t>(layer.byteWidth, 8),
          /*dataIsMutable=*/true);
      char *data = blob.getMutableData().data();
      std::memcpy(data, layer.bytes.data(), numBytes);
      for (int i : layer.pruned.set_bits())
        std::memset(data + static_cast<int64_t>(i) * layer.byteWidth, 0,
                    layer.byteWidth);
      value = DenseResourceElementsAttr::get(
          type, resource.getRawHandle().getKey(), std::move(blob));
    } else {
      std::vector<char> data(layer.bytes.begin(),
                             layer.bytes.begin() + numBytes);
      for (int i : layer.pruned.set_bits())
        std::memset(data.data() + static_cast<int64_t>(i) * layer.byteWidth, 0,
                    layer.byteWidth);
      value = DenseElementsAttr::getFromRawBuffer(type, data);
    }
    // The old pattern no longer holds: drop annotations of this constant.
    for (Operation *user : llvm::make_early_inc_range(constant->getUsers()))
      if (auto annotate = dyn_cast<AnnotateOp>(user)) {
        annotate.getResult().replaceAllUsesWith(annotate.getSource());
        annotate.erase();
      }
    constant.setValueAttr(cast<TypedAttr>(value));
  }
  return changed;
}

void SparsityPrunePass::runOnOperation() {
  ModuleOp module = getOperation();
  Location loc = module.getLoc();
  // Options set through the pass's C++ options struct were not checked
  // when parsed.
  if (failed(parseOptions(
          [&](const Twine &message) { emitError(loc) << message; })))
    return signalPassFailure();

  const auto &analysisRef = getAnalysis<OpSparsityAnalysis>();
  analysis = &analysisRef;
  collect(analysisRef);
  const SparsityTotals &before = analysisRef.getTotals();
  savedOutside = byOps ? before.savedUnstructured + before.savedStructured
                       : before.zeroParams;
  for (const Prunable &layer : layers)
    savedOutside -=
        byOps ? layer.info->savedUnstructured + layer.info->savedStructured
              : layer.info->zeroParams;
  if (failed(checkShapes(loc)))
    return signalPassFailure();

  switch (kind) {
  case PruneGranularity::Unstructured:
    if (hybrid == HybridSearch::Auto) {
      if (failed(searchHybrid(module, analysisRef)))
        return signalPassFailure();
      break;
    }
    if (structured > 0.0) {
      buildChannelGroups(analysisRef);
      pruneChannels(structured);
    }
    pruneUnstructured();
    break;
  case PruneGranularity::Channel:
    buildChannelGroups(analysisRef);
    pruneChannels(target);
    break;
  case PruneGranularity::NM:
    pruneNM();
    break;
  case PruneGranularity::Block:
    pruneBlocks();
    break;
  }

  // What is achieved, counted before rewriting (the same figures the report
  // gives afterwards).
  SparsityTotals totals = selectionTotals ? *selectionTotals : countSelection();
  int64_t changed = write();
  analysis = nullptr;
  layers.clear();
  groups.clear();
  if (!changed) {
    markAllAnalysesPreserved();
  } else {
    OpPassManager annotate(ModuleOp::getOperationName());
    annotate.addPass(createSparsityAnnotatePass());
    if (failed(runPipeline(annotate, module)))
      return signalPassFailure();
  }

  auto ratio = [](int64_t part, int64_t whole) {
    return whole == 0 ? 0.0 : static_cast<double>(part) / whole;
  };
  // A global unstructured target is a promise about the whole model: say so
  // when the layers that may be pruned cannot keep it.
  if (kind == PruneGranularity::Unstructured && global) {
    int64_t whole = byOps ? totals.macs : totals.params;
    int64_t saved = byOps ? totals.savedMacs : totals.zeroParams;
    // Parameters: exactly the rounded budget; MACs: within half a point.
    bool missed = byOps ? std::abs(ratio(saved, whole) - target) > 0.005
                        : saved < roundHalfEven(target * whole);
    if (missed)
      emitRemark(loc) << llvm::formatv(
          "sparsity-prune: reached {0:P2} of the {1}, not the target {2:P2}: "
          "whole weights are the unit, and the layers that can be pruned (see "
          "the remarks) keep min-kept = {3} weights each",
          ratio(saved, whole), byOps ? "MACs" : "parameters", target.getValue(),
          minKept.getValue());
  }
  emitRemark(loc) << llvm::formatv(
      "sparsity-prune: {0} layers changed; s_param = {1:P2} ({2} of {3} "
      "weights zero), s_op = {4:P2} ({5:P2} from the zeros alone)",
      changed, ratio(totals.zeroParams, totals.params), totals.zeroParams,
      totals.params, ratio(totals.savedMacs, totals.macs),
      ratio(totals.savedUnstructured + totals.savedStructured, totals.macs));
}

//===----------------------------------------------------------------------===//
// hybrid=auto
//===----------------------------------------------------------------------===//

double SparsityPrunePass::predictSelection(ModuleOp module,
                                           const TargetDescription &device,
                                           const llvm::StringSet<> &ownKeys,
                                           int64_t &predicted,
                                           int64_t &unpredicted,
                                           std::string &firstUnpredicted) {
  predicted = unpredicted = 0;

  IRMapping mapping;
  OwningOpRef<ModuleOp> copy = cast<ModuleOp>(module->clone(mapping));
  write([&](arith::ConstantOp c) {
    return mapping.lookup(c.getResult()).getDefiningOp<arith::ConstantOp>();
  });
  {
    OpSparsityAnalysis pruned(*copy);
    ChannelGroups fold(pruned, /*foldConstants=*/true);
    if (fold.getRemovedChannels() > 0)
      (void)applyChannelGroups(fold, *copy);
  }
  double us = 0;
  OpSparsityAnalysis folded(*copy);
  for (const LayerInfo &layer : folded.getLayers()) {
    std::string whyNot;
    FailureOr<std::vector<CandidateCost>> candidates =
        predictLayer(device, layer, whyNot);
    if (succeeded(candidates)) {
      us += getFastest(*candidates).microseconds;
      ++predicted;
    } else if (unpredicted++ == 0) {
      firstUnpredicted = "'" + layer.name + "': " + whyNot;
    }
  }
  for (const UncountedOp &op : folded.getUncounted())
    if (unpredicted++ == 0)
      firstUnpredicted = "'" + op.name + "': " + op.reason;
  copy->walk([&](arith::ConstantOp op) {
    if (auto r = dyn_cast<DenseResourceElementsAttr>(op.getValue()))
      if (!ownKeys.contains(r.getRawHandle().getKey()))
        if (auto *entry = r.getRawHandle().getResource())
          entry->setBlob(AsmResourceBlob());
  });
  return us;
}

LogicalResult
SparsityPrunePass::searchHybrid(ModuleOp module,
                                const OpSparsityAnalysis &analysis) {
  std::string error;
  FailureOr<TargetDescription> dev = resolveTarget(device, module, error);
  if (failed(dev)) {
    emitError(module.getLoc()) << "sparsity-prune: option 'device': " << error;
    return failure();
  }
  buildChannelGroups(analysis);
  // The resources the module holds; the copies' others are released.
  llvm::StringSet<> ownKeys;
  module.walk([&](arith::ConstantOp op) {
    if (auto r = dyn_cast<DenseResourceElementsAttr>(op.getValue()))
      ownKeys.insert(r.getRawHandle().getKey());
  });
  std::vector<llvm::BitVector> initialPruned, initialKept;
  for (const Prunable &layer : layers) {
    initialPruned.push_back(layer.pruned);
    initialKept.push_back(layer.kept);
  }
  auto select = [&](double share) {
    for (auto [l, layer] : llvm::enumerate(layers)) {
      layer.pruned = initialPruned[l];
      layer.kept = initialKept[l];
    }
    selectionTotals.reset();
    if (share > 0.0)
      pruneChannels(share);
    pruneUnstructured();
  };

  struct Split {
    double share;
    double sOp;
    double us;
  };
  std::vector<Split> splits;
  for (int64_t i = 0; i <= hybridSteps; ++i) {
    double share =
        target * static_cast<double>(i) / static_cast<double>(hybridSteps);
    select(share);
    SparsityTotals totals =
        selectionTotals ? *selectionTotals : countSelection();
    double sOp = totals.macs == 0 ? 0.0
                                  : static_cast<double>(totals.savedMacs) /
                                        static_cast<double>(totals.macs);
    int64_t predicted = 0, unpredicted = 0;
    std::string firstUnpredicted;
    double us = predictSelection(module, *dev, ownKeys, predicted, unpredicted,
                                 firstUnpredicted);
    splits.push_back({share, sOp, us});
    // Layers the model cannot predict are left out of every split alike;
    // with none predicted there is nothing to choose from.
    if (i == 0 && unpredicted > 0) {
      if (predicted == 0) {
        emitError(module.getLoc())
            << "sparsity-prune: hybrid=auto: no layer can be predicted on '"
            << dev->name << "' (layer " << firstUnpredicted << ")";
        return failure();
      }
      emitRemark(module.getLoc())
          << "sparsity-prune: hybrid=auto: " << unpredicted
          << " layer(s) cannot be predicted and are left out of every "
             "split's latency (first: layer "
          << firstUnpredicted << ")";
    }
  }
  // The lowest prediction; the smaller share among equals.
  const Split *best = &splits.front();
  for (const Split &split : splits)
    if (split.us < best->us)
      best = &split;
  select(best->share);

  std::string table;
  llvm::raw_string_ostream os(table);
  for (const Split &split : splits)
    os << llvm::formatv("\n  structured {0:F3}: s_op {1:P2}, {2:F2} us{3}",
                        split.share, split.sOp, split.us,
                        &split == best ? "  <- chosen" : "");
  emitRemark(module.getLoc()) << llvm::formatv(
      "sparsity-prune: hybrid=auto on '{0}' chose structured share {1:F3} "
      "(predicted {2:F2} us after folding, every layer at its fastest "
      "implementation):{3}",
      dev->name, best->share, best->us, table);
  return success();
}
