//===- ChannelGroups.cpp - the structured-fold plan -----------------------===//
//
// Part of sparsity-mlir. The read-only plan behind --sparsity-fold-structured
// (and the fold figures of --sparsity-report and prune's hybrid=auto): the
// channel groups that carry one layer's output channels through the ops of
// Analysis/ChannelFlow, which channels each may lose exactly (zero, or a
// constant folded into the next layer's bias), and why the others stay.
// docs/fold-structured.md describes the rules.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Analysis/ChannelGroups.h"
#include "sparsity-mlir/Analysis/ChannelFlow.h"
#include "sparsity-mlir/Analysis/ConstantPattern.h"
#include "sparsity-mlir/Analysis/OpSparsityAnalysis.h"
#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <cstring>
#include <map>

using namespace mlir;
using namespace mlir::sparsity;
using namespace mlir::sparsity::fold;

namespace {

/// Where an index along a tensor dimension lies in its group's channels:
/// index `i` is channel `((i + shift) / inner) % channels` (a flatten puts
/// `inner` consecutive elements of one channel side by side; a slice or a
/// concat moves the indices by `shift`, kept in [0, inner * channels)).
struct ChannelMap {
  int64_t inner = 1;
  int64_t channels = 0;
  int64_t shift = 0;
  int64_t channelOf(int64_t i) const {
    return ((i + shift) / inner) % channels;
  }
  /// The map of a tensor whose index `j` is index `j + offset` here.
  ChannelMap moved(int64_t offset) const {
    int64_t period = inner * channels;
    return {inner, channels, (((shift + offset) % period) + period) % period};
  }
  bool operator==(const ChannelMap &other) const {
    return inner == other.inner && channels == other.channels &&
           shift == other.shift;
  }
};

/// A tensor dimension that carries a group's channels.
struct Member {
  Value value;
  int64_t dim;
  ChannelMap map;
};

/// A use of a constant or `tensor.empty` whose dimension carries a group's
/// channels: rebuilt per use, since other users may keep other channels.
struct Leaf {
  OpOperand *operand;
  int64_t dim;
  ChannelMap map;
};

/// A contraction or convolution that reduces over a group's channels.
struct Consumer {
  linalg::LinalgOp op;
  unsigned loop;
};

/// The set of tensor dimensions that must lose the same channels.
struct Group {
  int64_t channels = 0;
  SmallVector<Member> members;
  SmallVector<Leaf> leaves;
  SmallVector<Consumer> consumers;
  /// Layers whose output channels the group carries.
  SmallVector<std::pair<linalg::LinalgOp, unsigned>> producers;
  /// Why nothing of the group can be removed, and where.
  Operation *blockedAt = nullptr;
  std::string blockedWhy;
  /// Decisions, per channel.
  llvm::BitVector removed;
  llvm::BitVector candidate;
  std::map<std::string, SmallVector<int64_t>> keptWhy;
};

/// A name for `op` in remarks: the name of its location (an ONNX node name),
/// else its op name.
static std::string getName(Operation *op) {
  std::string name;
  op->getLoc()->walk([&](Location loc) {
    if (auto named = dyn_cast<NameLoc>(loc)) {
      name = named.getName().str();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  if (name.empty())
    name = op->getName().getStringRef().str();
  return name;
}

/// The same, quoted.
static std::string describe(Operation *op) { return "'" + getName(op) + "'"; }

static bool isReduction(utils::IteratorType type) {
  return type == utils::IteratorType::reduction;
}

/// `[a, b, c]`.
static std::string formatChannels(ArrayRef<int64_t> channels) {
  std::string text = "[";
  for (auto [i, c] : llvm::enumerate(channels))
    text += (i ? ", " : "") + std::to_string(c);
  return text + "]";
}

/// Returns the static shape of `value` if it is a statically shaped tensor.
static std::optional<ArrayRef<int64_t>> getStaticShape(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || !type.hasStaticShape())
    return std::nullopt;
  return type.getShape();
}

/// The constant value of every slice of a tensor along one dimension.
using SliceConstants = SmallVector<std::optional<double>>;

} // namespace

//===----------------------------------------------------------------------===//
// Helpers shared with the rewrite (ChannelGroups.h)
//===----------------------------------------------------------------------===//

SmallVector<int64_t> fold::getStrides(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t d = static_cast<int64_t>(shape.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}

SmallVector<int64_t> fold::getKeptShape(ArrayRef<int64_t> shape,
                                        const KeptLists &kept) {
  SmallVector<int64_t> result(shape);
  for (auto [d, list] : llvm::enumerate(kept))
    if (!list.empty())
      result[d] = list.size();
  return result;
}

/// The constant `value` is, looking through `sparsity.annotate`s.
arith::ConstantOp fold::getConstant(Value value) {
  while (auto annotate = value.getDefiningOp<AnnotateOp>())
    value = annotate.getSource();
  return value.getDefiningOp<arith::ConstantOp>();
}

/// A `linalg.fill` of a constant scalar into a `tensor.empty`.
linalg::FillOp fold::getConstantFill(Value value) {
  auto fill = value.getDefiningOp<linalg::FillOp>();
  if (!fill || !matchPattern(fill.getInputs()[0], m_Constant()) ||
      !fill.getOutputs()[0].getDefiningOp<tensor::EmptyOp>())
    return {};
  return fill;
}

/// Values rebuilt per use: constants, `tensor.empty` and constant fills.
bool fold::isLeafDef(Value value) {
  return getConstant(value) || value.getDefiningOp<tensor::EmptyOp>() ||
         getConstantFill(value);
}

/// The plan: groups, decisions and what the rewrite changes.
struct mlir::sparsity::ChannelGroups::Impl : fold::FoldRewrite {
  Impl(const OpSparsityAnalysis &analysis, bool foldConstants);

  bool foldConstants = true;

  std::vector<FoldGroupSummary> getGroups() const;
  int64_t getRemovedWeights(const LayerInfo &layer) const;

  // Forming groups.
  void formGroup(Member seed);
  void addOperand(Group &group, OpOperand &operand, int64_t dim,
                  ChannelMap map);
  void addMember(Group &group, Value value, int64_t dim, ChannelMap map);
  void visit(Group &group, Operation *op, Value from, int64_t dim,
             ChannelMap map);
  void visitCollapse(Group &group, tensor::CollapseShapeOp collapse,
                     const ChannelFlow &flow, bool fromResult, int64_t dim,
                     ChannelMap map);
  void visitExpand(Group &group, tensor::ExpandShapeOp expand,
                   const ChannelFlow &flow, bool fromResult, int64_t dim,
                   ChannelMap map);
  void visitConcat(Group &group, Operation *op, const ChannelFlow &flow,
                   Value from, int64_t dim, ChannelMap map);
  void visitSlice(Group &group, Operation *op, const ChannelFlow &flow,
                  bool fromResult, int64_t dim, ChannelMap map);
  void visitLinalg(Group &group, linalg::LinalgOp linalgOp, Value from,
                   bool fromResult, int64_t dim, ChannelMap map);
  void linkLinalg(Group &group, linalg::LinalgOp op, AffineMap map, int64_t pos,
                  ChannelMap channelMap);
  void block(Group &group, Operation *op, const Twine &why);
  bool growGroup(Group &group, int64_t channels);
  bool coarsenGroup(Group &group, int64_t factor);

  // Values.
  const SliceConstants &sliceConstants(Value value, int64_t dim);
  SliceConstants computeSliceConstants(Value value, int64_t dim);
  SliceConstants expandSliceConstants(const ChannelFlow &flow, int64_t dim,
                                      SliceConstants result);
  SliceConstants collapseSliceConstants(const ChannelFlow &flow, int64_t dim,
                                        SliceConstants result);
  SliceConstants linalgSliceConstants(linalg::LinalgOp op, Value value,
                                      int64_t dim, SliceConstants result);
  std::optional<double> getScalar(Value value);
  const ConstantZeros *getConstantZeros(Value constant);
  bool isZeroSlice(Value value, int64_t dim, int64_t index);

  // Deciding.
  void decide(Group &group);
  std::string checkFoldableInit(linalg::LinalgOp op);
  void addContribution(linalg::LinalgOp op, unsigned weightOperand,
                       int64_t weightDim, ArrayRef<double> factors);

  unsigned currentGroup = 0;
  std::vector<Group> groups;
  /// The group and map of every member (value, dimension).
  DenseMap<std::pair<Value, int64_t>, std::pair<unsigned, ChannelMap>> memberOf;
  DenseSet<std::pair<Operation *, unsigned>> visitedLoops;
  /// Node-based: references stay valid while the recursion inserts.
  std::map<std::pair<void *, int64_t>, SliceConstants> constantsCache;
  DenseMap<Value, std::optional<ConstantZeros>> zerosCache;

  int64_t removedChannels = 0;
  int64_t changedGroups = 0;
};

//===----------------------------------------------------------------------===//
// Groups
//===----------------------------------------------------------------------===//

void ChannelGroups::Impl::block(Group &group, Operation *op, const Twine &why) {
  if (group.blockedAt)
    return;
  group.blockedAt = op;
  group.blockedWhy = why.str();
}

bool ChannelGroups::Impl::growGroup(Group &group, int64_t channels) {
  // Only maps that never wrap around keep their meaning with more channels.
  auto wraps = [&](Value value, int64_t dim, const ChannelMap &map) {
    int64_t size = cast<RankedTensorType>(value.getType()).getDimSize(dim);
    return (size - 1 + map.shift) / map.inner >= map.channels;
  };
  for (const Member &m : group.members)
    if (wraps(m.value, m.dim, m.map))
      return false;
  for (const Leaf &l : group.leaves)
    if (wraps(l.operand->get(), l.dim, l.map))
      return false;
  group.channels = channels;
  for (Member &m : group.members) {
    m.map.channels = channels;
    memberOf[{m.value, m.dim}].second = m.map;
  }
  for (Leaf &l : group.leaves)
    l.map.channels = channels;
  return true;
}

bool ChannelGroups::Impl::coarsenGroup(Group &group, int64_t factor) {
  // Channel c becomes c / factor: ((i + s) / inner) % C / factor is
  // ((i + s) / (inner * factor)) % (C / factor) when factor divides C.
  if (factor <= 1 || group.channels % factor != 0)
    return false;
  auto coarsen = [&](ChannelMap &map) {
    map.inner *= factor;
    map.channels /= factor;
  };
  group.channels /= factor;
  for (Member &m : group.members) {
    coarsen(m.map);
    memberOf[{m.value, m.dim}].second = m.map;
  }
  for (Leaf &l : group.leaves)
    coarsen(l.map);
  return true;
}

void ChannelGroups::Impl::addOperand(Group &group, OpOperand &operand,
                                     int64_t dim, ChannelMap map) {
  if (isLeafDef(operand.get())) {
    group.leaves.push_back({&operand, dim, map});
    return;
  }
  addMember(group, operand.get(), dim, map);
}

void ChannelGroups::Impl::addMember(Group &group, Value value, int64_t dim,
                                    ChannelMap map) {
  auto key = std::make_pair(value, dim);
  auto it = memberOf.find(key);
  if (it != memberOf.end()) {
    if (it->second.first != currentGroup || !(it->second.second == map))
      block(group,
            value.getDefiningOp() ? value.getDefiningOp()
                                  : value.getParentBlock()->getParentOp(),
            "a tensor carries the channels in two different layouts");
    return;
  }
  std::optional<ArrayRef<int64_t>> shape = getStaticShape(value);
  if (!shape) {
    block(group,
          value.getDefiningOp() ? value.getDefiningOp()
                                : value.getParentBlock()->getParentOp(),
          "a tensor on the channel path has a dynamic shape");
    return;
  }
  memberOf[key] = {currentGroup, map};
  group.members.push_back({value, dim, map});
}

void ChannelGroups::Impl::linkLinalg(Group &group, linalg::LinalgOp op,
                                     AffineMap map, int64_t pos,
                                     ChannelMap channelMap) {
  auto expr = dyn_cast<AffineDimExpr>(map.getResult(pos));
  if (!expr || !op.hasPureTensorSemantics()) {
    block(group, op,
          llvm::formatv("{0} indexes the channels with an "
                        "expression this pass does not fold",
                        describe(op)));
    return;
  }
  unsigned loop = expr.getPosition();
  if (!visitedLoops.insert({op, loop}).second)
    return;
  bool reduction = isReduction(op.getIteratorTypesArray()[loop]);
  bool layer = isContractionOrConvolution(op);
  if (reduction && !layer) {
    block(group, op,
          llvm::formatv("{0} reduces over the channels and is no "
                        "contraction or convolution",
                        describe(op)));
    return;
  }
  if (reduction)
    group.consumers.push_back({op, loop});
  else if (layer)
    group.producers.push_back({op, loop});
  for (OpOperand &operand : op->getOpOperands()) {
    if (!isa<RankedTensorType>(operand.get().getType()))
      continue;
    int64_t k = findLoopInMap(op.getMatchingIndexingMap(&operand), loop,
                              /*strict=*/true);
    if (k == -2) {
      block(group, op,
            llvm::formatv("{0} indexes the channels with an "
                          "expression this pass does not fold",
                          describe(op)));
      return;
    }
    if (k >= 0)
      addOperand(group, operand, k, channelMap);
  }
  if (reduction)
    return;
  for (OpOperand &init : op.getDpsInitsMutable()) {
    int64_t k =
        findLoopInMap(op.getMatchingIndexingMap(&init), loop, /*strict=*/true);
    if (k >= 0)
      addMember(group,
                op->getResult(init.getOperandNumber() - op.getNumDpsInputs()),
                k, channelMap);
  }
}

void ChannelGroups::Impl::visit(Group &group, Operation *op, Value from,
                                int64_t dim, ChannelMap map) {
  bool fromResult = from.getDefiningOp() == op;
  // The rewrite rebuilds the ops of a function body, not of nested regions.
  if (!isa_and_nonnull<func::FuncOp>(op->getParentOp())) {
    block(group, op,
          llvm::formatv("{0} is inside a nested region", describe(op)));
    return;
  }
  ChannelFlow flow = getChannelFlow(op);
  switch (flow.kind) {
  case ChannelFlowKind::Identity:
  case ChannelFlowKind::Pad:
    if (!flow.keepsIndices(0, dim)) {
      block(group, op,
            llvm::formatv("{0} pads the channel dimension", describe(op)));
      return;
    }
    if (fromResult)
      addOperand(group, op->getOpOperand(0), dim, map);
    else
      addMember(group, op->getResult(0), dim, map);
    return;
  case ChannelFlowKind::Collapse:
    visitCollapse(group, cast<tensor::CollapseShapeOp>(op), flow, fromResult,
                  dim, map);
    return;
  case ChannelFlowKind::Expand:
    visitExpand(group, cast<tensor::ExpandShapeOp>(op), flow, fromResult, dim,
                map);
    return;
  case ChannelFlowKind::Concat:
    visitConcat(group, op, flow, from, dim, map);
    return;
  case ChannelFlowKind::Slice:
    visitSlice(group, op, flow, fromResult, dim, map);
    return;
  case ChannelFlowKind::Linalg:
    visitLinalg(group, cast<linalg::LinalgOp>(op), from, fromResult, dim, map);
    return;
  case ChannelFlowKind::Opaque:
    break;
  }
  if (isa<func::ReturnOp>(op)) {
    block(group, op, "the channels are a result of the function");
    return;
  }
  block(group, op,
        llvm::formatv("'{0}' is on the channel path and this pass does not "
                      "understand it",
                      op->getName().getStringRef()));
}

void ChannelGroups::Impl::visitCollapse(Group &group,
                                        tensor::CollapseShapeOp collapse,
                                        const ChannelFlow &flow,
                                        bool fromResult, int64_t dim,
                                        ChannelMap map) {
  Operation *op = collapse;
  ArrayRef<int64_t> source = flow.fineShape;
  ArrayRef<ReassociationIndices> groupsOf = flow.groups;
  if (!fromResult) {
    for (auto [g, indices] : llvm::enumerate(groupsOf)) {
      auto it = llvm::find(indices, dim);
      if (it == indices.end())
        continue;
      int64_t inner = 1;
      for (auto rest = std::next(it); rest != indices.end(); ++rest)
        inner *= source[*rest];
      // Index m of the result is index (m / inner) % size of the source;
      // the modulo drops out when no dimension before this one counts.
      bool outermost =
          llvm::all_of(llvm::make_range(indices.begin(), it),
                       [&](int64_t before) { return source[before] == 1; });
      if (!outermost && source[dim] % (map.inner * map.channels) != 0) {
        block(group, op,
              llvm::formatv("{0} merges a slice of the channels with other "
                            "dimensions",
                            describe(op)));
        return;
      }
      addMember(group, collapse.getResult(), g,
                {map.inner * inner, map.channels, map.shift * inner});
    }
    return;
  }
  const ReassociationIndices &indices = groupsOf[dim];
  // Reached forward already: the source is a member.
  for (int64_t index : indices) {
    auto it = memberOf.find({collapse.getSrc(), index});
    if (it != memberOf.end() && it->second.first == currentGroup)
      return;
  }
  if (int64_t index = getSoleDim(source, indices); index >= 0) {
    addOperand(group, collapse.getSrcMutable(), index, map);
    return;
  }
  block(group, op,
        llvm::formatv("{0} merges the channels with other "
                      "dimensions, seen from its result",
                      describe(op)));
}

void ChannelGroups::Impl::visitExpand(Group &group,
                                      tensor::ExpandShapeOp expand,
                                      const ChannelFlow &flow, bool fromResult,
                                      int64_t dim, ChannelMap map) {
  Operation *op = expand;
  auto blockSplit = [&] {
    block(group, op,
          llvm::formatv("{0} splits the channel dimension in a way this "
                        "pass does not fold",
                        describe(op)));
  };
  ArrayRef<int64_t> result = flow.fineShape;
  ArrayRef<ReassociationIndices> groupsOf = flow.groups;
  if (!fromResult) {
    const ReassociationIndices &indices = groupsOf[dim];
    if (int64_t index = getSoleDim(result, indices); index >= 0) {
      addMember(group, expand.getResult(), index, map);
      return;
    }
    // A split into heads: [C] -> [..., H, D] with only unit dimensions
    // before H. Whole heads are the unit from now on: the group is
    // coarsened to channels / D, and H carries them.
    if (auto split = getHeadSplit(result, indices)) {
      auto [heads, inner] = *split;
      if (map.shift % inner == 0 &&
          (map.inner == inner ||
           (map.inner == 1 && coarsenGroup(group, inner)))) {
        addMember(group, expand.getResult(), heads,
                  {1, group.channels, map.shift / inner});
        return;
      }
    }
    blockSplit();
    return;
  }
  // Seen from the result: its source is a member already (a head split),
  // or the channels are the sole non-unit dimension of their group.
  for (auto [g, indices] : llvm::enumerate(groupsOf)) {
    if (!llvm::is_contained(indices, dim))
      continue;
    auto known = memberOf.find({expand.getSrc(), int64_t(g)});
    if (known != memberOf.end() && known->second.first == currentGroup)
      return;
    if (othersAreUnit(result, indices, dim)) {
      addOperand(group, expand.getSrcMutable(), g, map);
      return;
    }
    // The heads of a split: source index h * D + t is head h.
    auto split = getHeadSplit(result, indices);
    if (split && split->first == dim && map.inner == 1) {
      int64_t inner = split->second;
      addOperand(group, expand.getSrcMutable(), g,
                 {inner, map.channels, map.shift * inner});
      return;
    }
  }
  blockSplit();
}

void ChannelGroups::Impl::visitConcat(Group &group, Operation *op,
                                      const ChannelFlow &flow, Value from,
                                      int64_t dim, ChannelMap map) {
  auto concat = cast<tensor::ConcatOp>(op);
  bool fromResult = from.getDefiningOp() == op;
  // Input k holds indices [o_k, o_k + size_k) of the result.
  if (flow.keepsIndices(0, dim)) {
    // Concatenated along another dimension: the same channels everywhere.
    if (fromResult)
      for (OpOperand &input : op->getOpOperands())
        addOperand(group, input, dim, map);
    else
      addMember(group, concat.getResult(), dim, map);
    return;
  }
  ArrayRef<int64_t> offsets = flow.inputOffsets;
  ChannelMap resultMap = map;
  if (!fromResult)
    for (OpOperand &input : op->getOpOperands())
      if (input.get() == from) {
        int64_t k = input.getOperandNumber();
        int64_t sizeK = cast<RankedTensorType>(from.getType()).getDimSize(dim);
        int64_t sizeR = concat.getResultType().getDimSize(dim);
        // The group's channels are exactly this input's: they become the
        // input's part of the result's, the other inputs bring new ones.
        bool fresh = llvm::all_of(concat.getInputs(), [&](Value other) {
          return other == from ? llvm::count(concat.getInputs(), from) == 1
                               : !memberOf.count({other, dim});
        });
        if (fresh && map == ChannelMap{1, sizeK, 0} &&
            group.channels == sizeK && growGroup(group, sizeR))
          resultMap = ChannelMap{1, sizeR, 0}.moved(-offsets[k]);
        else
          resultMap = map.moved(-offsets[k]);
        break;
      }
  addMember(group, concat.getResult(), dim, resultMap);
  for (OpOperand &input : op->getOpOperands())
    addOperand(group, input, dim,
               resultMap.moved(offsets[input.getOperandNumber()]));
}

void ChannelGroups::Impl::visitSlice(Group &group, Operation *op,
                                     const ChannelFlow &flow, bool fromResult,
                                     int64_t dim, ChannelMap map) {
  auto slice = cast<tensor::ExtractSliceOp>(op);
  ArrayRef<int64_t> offsets = flow.offsets;
  if (!flow.hasStaticGeometry() ||
      llvm::any_of(flow.strides, [](int64_t s) { return s != 1; })) {
    block(group, op,
          llvm::formatv("{0} is not a static, unit-stride slice "
                        "of the same rank",
                        describe(op)));
    return;
  }
  if (fromResult)
    addOperand(group, slice.getSourceMutable(), dim, map.moved(-offsets[dim]));
  else
    addMember(group, slice.getResult(), dim, map.moved(offsets[dim]));
}

void ChannelGroups::Impl::visitLinalg(Group &group, linalg::LinalgOp linalgOp,
                                      Value from, bool fromResult, int64_t dim,
                                      ChannelMap map) {
  Operation *op = linalgOp;
  if (fromResult) {
    auto result = cast<OpResult>(from);
    OpOperand *init = linalgOp.getDpsInitOperand(result.getResultNumber());
    linkLinalg(group, linalgOp, linalgOp.getMatchingIndexingMap(init), dim,
               map);
    return;
  }
  for (OpOperand &operand : op->getOpOperands())
    if (operand.get() == from)
      linkLinalg(group, linalgOp, linalgOp.getMatchingIndexingMap(&operand),
                 dim, map);
}

void ChannelGroups::Impl::formGroup(Member seed) {
  groups.emplace_back();
  currentGroup = groups.size() - 1;
  Group &group = groups.back();
  group.channels = seed.map.channels;
  addMember(group, seed.value, seed.dim, seed.map);
  for (size_t next = 0; next < group.members.size(); ++next) {
    // Copies: visiting may grow the group (and its maps) and add members.
    Value value = group.members[next].value;
    int64_t dim = group.members[next].dim;
    if (Operation *def = value.getDefiningOp())
      visit(group, def, value, dim, group.members[next].map);
    else
      block(group, value.getParentBlock()->getParentOp(),
            "the channels come from a function argument");
    for (OpOperand &use : llvm::make_early_inc_range(value.getUses()))
      visit(group, use.getOwner(), value, dim, group.members[next].map);
  }
}

//===----------------------------------------------------------------------===//
// Values
//===----------------------------------------------------------------------===//

const ConstantZeros *ChannelGroups::Impl::getConstantZeros(Value constant) {
  auto it = zerosCache.find(constant);
  if (it == zerosCache.end()) {
    std::optional<ConstantZeros> zeros;
    ElementsAttr values;
    std::string whyNot;
    if (matchPattern(constant, m_Constant(&values)))
      if (FailureOr<ConstantZeros> scanned = scanConstantZeros(values, whyNot);
          succeeded(scanned))
        zeros = std::move(*scanned);
    it = zerosCache.try_emplace(constant, std::move(zeros)).first;
  }
  return it->second ? &*it->second : nullptr;
}

bool ChannelGroups::Impl::isZeroSlice(Value value, int64_t dim, int64_t index) {
  if (arith::ConstantOp constant = getConstant(value)) {
    const ConstantZeros *zeros = getConstantZeros(constant);
    return zeros && llvm::binary_search(zeros->zeroSlices[dim], index);
  }
  if (value.getDefiningOp<tensor::EmptyOp>())
    return false;
  const std::optional<double> &c = sliceConstants(value, dim)[index];
  return c && *c == 0.0;
}

std::optional<double> ChannelGroups::Impl::getScalar(Value value) {
  Attribute attr;
  if (!isa<ShapedType>(value.getType())) {
    if (matchPattern(value, m_Constant(&attr))) {
      if (auto f = dyn_cast<FloatAttr>(attr))
        return f.getValueAsDouble();
      if (auto i = dyn_cast<IntegerAttr>(attr))
        return static_cast<double>(i.getValue().getSExtValue());
    }
    return std::nullopt;
  }
  if (auto fill = value.getDefiningOp<linalg::FillOp>())
    return getScalar(fill.getInputs()[0]);
  if (auto annotate = value.getDefiningOp<AnnotateOp>())
    return getScalar(annotate.getSource());
  if (matchPattern(value, m_Constant(&attr)))
    if (std::optional<Payload> payload = Payload::read(attr)) {
      double first = payload->get(0);
      if (payload->splat)
        return first;
      if (payload->numElements > (1 << 22))
        return std::nullopt;
      for (int64_t i = 1; i < payload->numElements; ++i)
        if (payload->get(i) != first)
          return std::nullopt;
      return first;
    }
  return std::nullopt;
}

const SliceConstants &ChannelGroups::Impl::sliceConstants(Value value,
                                                          int64_t dim) {
  auto key = std::make_pair(value.getAsOpaquePointer(), dim);
  auto it = constantsCache.find(key);
  if (it != constantsCache.end())
    return it->second;
  SliceConstants computed = computeSliceConstants(value, dim);
  if (auto type = dyn_cast<RankedTensorType>(value.getType()))
    computed.resize(type.getDimSize(dim));
  return constantsCache[key] = std::move(computed);
}

static Attribute toAttr(Type type, std::optional<double> value) {
  if (!value)
    return {};
  if (auto floatType = dyn_cast<FloatType>(type))
    return FloatAttr::get(floatType, *value);
  if (auto intType = dyn_cast<IntegerType>(type))
    return IntegerAttr::get(intType, static_cast<int64_t>(*value));
  return {};
}

static std::optional<double> fromAttr(Attribute attr) {
  if (auto f = dyn_cast_or_null<FloatAttr>(attr)) {
    double v = f.getValueAsDouble();
    if (std::isnan(v))
      return std::nullopt;
    return v;
  }
  if (auto i = dyn_cast_or_null<IntegerAttr>(attr))
    return static_cast<double>(i.getValue().getSExtValue());
  return std::nullopt;
}

SliceConstants ChannelGroups::Impl::computeSliceConstants(Value value,
                                                          int64_t dim) {
  std::optional<ArrayRef<int64_t>> shape = getStaticShape(value);
  if (!shape)
    return {};
  int64_t size = (*shape)[dim];
  SliceConstants result(size);
  Operation *def = value.getDefiningOp();
  if (!def)
    return result;

  if (std::optional<double> scalar = getScalar(value)) {
    result.assign(size, scalar);
    return result;
  }
  if (auto constant = dyn_cast<arith::ConstantOp>(def)) {
    std::optional<Payload> payload = Payload::read(constant.getValue());
    if (!payload || payload->numElements > (1 << 22))
      return result;
    SmallVector<int64_t> strides = getStrides(*shape);
    int64_t inner = strides[dim], outer = payload->numElements / (inner * size);
    for (int64_t c = 0; c < size; ++c) {
      std::optional<double> first;
      bool same = true;
      for (int64_t o = 0; o < outer && same; ++o)
        for (int64_t i = 0; i < inner && same; ++i) {
          double v = payload->get((o * size + c) * inner + i);
          if (!first)
            first = v;
          else if (v != *first)
            same = false;
        }
      if (same && first && !std::isnan(*first))
        result[c] = first;
    }
    return result;
  }
  ChannelFlow flow = getChannelFlow(def);
  switch (flow.kind) {
  case ChannelFlowKind::Identity:
    return sliceConstants(def->getOperand(0), dim);
  case ChannelFlowKind::Slice: {
    if (!flow.hasStaticGeometry() ||
        llvm::any_of(flow.strides, [](int64_t stride) { return stride != 1; }))
      return result;
    const SliceConstants &source = sliceConstants(def->getOperand(0), dim);
    for (int64_t c = 0; c < size; ++c)
      result[c] = source[*flow.toOperandIndex(0, dim, c)];
    return result;
  }
  case ChannelFlowKind::Concat:
    if (flow.keepsIndices(0, dim)) {
      // Concatenated along another dimension: a slice is the constant every
      // input holds there.
      for (OpOperand &input : def->getOpOperands()) {
        const SliceConstants &part = sliceConstants(input.get(), dim);
        for (int64_t c = 0; c < size; ++c)
          if (input.getOperandNumber() == 0 || result[c] != part[c])
            result[c] = input.getOperandNumber() == 0 ? part[c] : std::nullopt;
      }
      return result;
    }
    for (OpOperand &input : def->getOpOperands()) {
      const SliceConstants &part = sliceConstants(input.get(), dim);
      for (auto [i, value] : llvm::enumerate(part))
        result[*flow.toResultIndex(input.getOperandNumber(), dim, i)] = value;
    }
    return result;
  case ChannelFlowKind::Pad: {
    if (!flow.hasStaticGeometry() || !flow.keepsIndices(0, dim))
      return result;
    bool padded =
        llvm::any_of(llvm::seq<int64_t>(0, flow.low.size()),
                     [&](int64_t d) { return !flow.keepsIndices(0, d); });
    std::optional<double> padValue;
    if (Value constantPad = cast<tensor::PadOp>(def).getConstantPaddingValue())
      padValue = getScalar(constantPad);
    const SliceConstants &source = sliceConstants(def->getOperand(0), dim);
    for (int64_t c = 0; c < size; ++c)
      if (source[c] && (!padded || (padValue && *padValue == *source[c])))
        result[c] = source[c];
    return result;
  }
  case ChannelFlowKind::Expand:
    return expandSliceConstants(flow, dim, result);
  case ChannelFlowKind::Collapse:
    return collapseSliceConstants(flow, dim, result);
  case ChannelFlowKind::Linalg:
    return linalgSliceConstants(cast<linalg::LinalgOp>(def), value, dim,
                                result);
  case ChannelFlowKind::Opaque:
    return result;
  }
  llvm_unreachable("unknown channel flow kind");
}

SliceConstants
ChannelGroups::Impl::expandSliceConstants(const ChannelFlow &flow, int64_t dim,
                                          SliceConstants result) {
  int64_t size = result.size();
  Value source = flow.op->getOperand(0);
  ArrayRef<int64_t> shapeOut = flow.fineShape;
  for (auto [g, indices] : llvm::enumerate(flow.groups)) {
    if (!llvm::is_contained(indices, dim))
      continue;
    if (othersAreUnit(shapeOut, indices, dim))
      return sliceConstants(source, g);
    // Slice h of the outermost split dimension is source slices
    // [h * D, (h + 1) * D): constant when they all hold one value.
    auto split = getHeadSplit(shapeOut, indices);
    if (!split || split->first != dim)
      return result;
    int64_t inner = split->second;
    const SliceConstants &parts = sliceConstants(source, g);
    for (int64_t h = 0; h < size; ++h) {
      std::optional<double> value = parts[h * inner];
      for (int64_t t = 1; t < inner && value; ++t)
        if (parts[h * inner + t] != value)
          value = std::nullopt;
      result[h] = value;
    }
    return result;
  }
  return result;
}

SliceConstants ChannelGroups::Impl::collapseSliceConstants(
    const ChannelFlow &flow, int64_t dim, SliceConstants result) {
  int64_t size = result.size();
  // Slice m of the result lies in slice (m / inner) % size_j of the source
  // along each dimension j of the group (inner: the sizes after j).
  ArrayRef<int64_t> source = flow.fineShape;
  const ReassociationIndices &indices = flow.groups[dim];
  int64_t inner = 1;
  for (int64_t index : llvm::reverse(indices)) {
    const SliceConstants &along = sliceConstants(flow.op->getOperand(0), index);
    for (int64_t m = 0; m < size; ++m)
      if (!result[m])
        result[m] = along[(m / inner) % source[index]];
    inner *= source[index];
  }
  return result;
}

SliceConstants
ChannelGroups::Impl::linalgSliceConstants(linalg::LinalgOp op, Value value,
                                          int64_t dim, SliceConstants result) {
  int64_t size = result.size();
  if (!op.hasPureTensorSemantics() || op->getNumRegions() != 1)
    return result;
  unsigned resultNumber = cast<OpResult>(value).getResultNumber();
  OpOperand *init = op.getDpsInitOperand(resultNumber);
  auto expr =
      dyn_cast<AffineDimExpr>(op.getMatchingIndexingMap(init).getResult(dim));
  if (!expr)
    return result;
  unsigned loop = expr.getPosition();

  // Per operand: the dimension indexed by the loop (-1: none) and the
  // constants along it, or the scalar it holds everywhere.
  struct View {
    int64_t dim = -1;
    const SliceConstants *constants = nullptr;
    std::optional<double> scalar;
    bool used = true;
    Type elementType;
  };
  SmallVector<View> views;
  for (OpOperand &operand : op->getOpOperands()) {
    View view;
    view.used = op.payloadUsesValueFromOperand(&operand);
    view.elementType = getElementTypeOrSelf(operand.get().getType());
    if (isa<RankedTensorType>(operand.get().getType())) {
      int64_t k = findLoopInMap(op.getMatchingIndexingMap(&operand), loop,
                                /*strict=*/true);
      if (k == -2)
        return result;
      view.dim = k;
    }
    views.push_back(view);
  }

  if (isContractionOrConvolution(op)) {
    // A slice where an input is zero holds the initial value.
    if (views[init->getOperandNumber()].dim < 0)
      return result;
    const SliceConstants &initial = sliceConstants(init->get(), dim);
    for (int64_t c = 0; c < size; ++c) {
      bool zero = false;
      for (OpOperand *input : op.getDpsInputOperands()) {
        const View &view = views[input->getOperandNumber()];
        if (view.dim >= 0 && isZeroSlice(input->get(), view.dim, c))
          zero = true;
      }
      if (zero)
        result[c] = initial[c];
    }
    return result;
  }

  for (auto [operand, view] : llvm::zip(op->getOpOperands(), views)) {
    if (!view.used)
      continue;
    if (view.dim >= 0)
      view.constants = &sliceConstants(operand.get(), view.dim);
    else
      view.scalar = getScalar(operand.get());
  }
  // A reduction over other dimensions folds its payload once per reduced
  // element (sum: n * k; max: k), up to a bound.
  int64_t reduced = 1;
  for (auto [range, type] :
       llvm::zip(op.getStaticLoopRanges(), op.getIteratorTypesArray()))
    if (isReduction(type))
      reduced = ShapedType::isDynamic(range) ? -1 : reduced * range;
  if (reduced < 0 || reduced > (1 << 16))
    return result;
  std::map<SmallVector<std::optional<double>>, std::optional<double>> cache;
  Block &body = op->getRegion(0).front();
  for (int64_t c = 0; c < size; ++c) {
    SmallVector<std::optional<double>> key;
    bool known = true;
    for (const View &view : views) {
      std::optional<double> v;
      if (view.used)
        v = view.constants ? (*view.constants)[c] : view.scalar;
      if (view.used && !v)
        known = false;
      key.push_back(v);
    }
    if (!known)
      continue;
    auto [it, inserted] = cache.try_emplace(key, std::nullopt);
    if (inserted) {
      SmallVector<Attribute> args;
      for (auto [view, v] : llvm::zip(views, key))
        args.push_back(toAttr(view.elementType, v));
      args.resize(body.getNumArguments());
      std::optional<double> value;
      for (int64_t step = 0; step < reduced; ++step) {
        SmallVector<Attribute> out = evaluatePayload(op, args);
        std::optional<double> next = resultNumber < out.size()
                                         ? fromAttr(out[resultNumber])
                                         : std::nullopt;
        if (!next || (step > 0 && value && *next == *value)) {
          // Unknown, or a fixed point (max of a constant): done.
          value = next;
          break;
        }
        value = next;
        args[init->getOperandNumber()] = out[resultNumber];
      }
      it->second = value;
    }
    result[c] = it->second;
  }
  return result;
}

//===----------------------------------------------------------------------===//
// Decisions
//===----------------------------------------------------------------------===//

/// The op that defines the initial value of `op`'s single result, when it is
/// used by `op` only.
static Operation *getSingleUseInit(linalg::LinalgOp op) {
  if (op.getNumDpsInits() != 1)
    return nullptr;
  Value init = op.getDpsInitOperand(0)->get();
  if (!init.hasOneUse())
    return nullptr;
  return init.getDefiningOp();
}

/// A linalg op that only copies (broadcasts) its single input, a constant.
static bool isConstantBroadcast(Operation *op) {
  auto linalgOp = dyn_cast_or_null<linalg::LinalgOp>(op);
  if (!linalgOp || linalgOp.getNumDpsInputs() != 1 ||
      linalgOp.getNumDpsInits() != 1 || op->getNumRegions() != 1 ||
      linalgOp.getNumReductionLoops() != 0 ||
      !getConstant(linalgOp.getDpsInputOperand(0)->get()))
    return false;
  Block &body = op->getRegion(0).front();
  return body.getTerminator()->getNumOperands() == 1 &&
         body.getTerminator()->getOperand(0) == body.getArgument(0) &&
         llvm::all_of(linalgOp.getIndexingMapsArray(),
                      [](AffineMap m) { return m.isProjectedPermutation(); });
}

std::string ChannelGroups::Impl::checkFoldableInit(linalg::LinalgOp op) {
  if (!isa<FloatType>(getElementTypeOrSelf(op->getResult(0).getType())))
    return "its element type is not a float";
  Operation *init = getSingleUseInit(op);
  if (auto fill = dyn_cast_or_null<linalg::FillOp>(init))
    if (getScalar(fill.getInputs()[0]) &&
        fill.getOutputs()[0].getDefiningOp<tensor::EmptyOp>())
      return "";
  if (!isConstantBroadcast(init))
    return llvm::formatv("its initial value is not a constant bias to fold "
                         "into")
        .str();
  // Every output dimension of the weight must be a dimension of the bias.
  auto broadcast = cast<linalg::LinalgOp>(init);
  if (!Payload::read(
          getConstant(broadcast.getDpsInputOperand(0)->get()).getValue()))
    return "its bias constant cannot be read";
  AffineMap resultMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  AffineMap outMap =
      broadcast.getMatchingIndexingMap(broadcast.getDpsInitOperand(0));
  AffineMap inMap =
      broadcast.getMatchingIndexingMap(broadcast.getDpsInputOperand(0));
  for (OpOperand *input : op.getDpsInputOperands()) {
    if (!getConstant(input->get()))
      continue;
    AffineMap weightMap = op.getMatchingIndexingMap(input);
    for (AffineExpr expr : weightMap.getResults()) {
      unsigned loop = cast<AffineDimExpr>(expr).getPosition();
      if (isReduction(op.getIteratorTypesArray()[loop]))
        continue;
      int64_t r = findLoopInMap(resultMap, loop, /*strict=*/true);
      if (r < 0)
        return "its initial value is not a constant bias to fold into";
      unsigned bLoop = cast<AffineDimExpr>(outMap.getResult(r)).getPosition();
      if (findLoopInMap(inMap, bLoop, /*strict=*/true) < 0)
        return "its bias is broadcast along an output channel dimension";
    }
  }
  return "";
}

void ChannelGroups::Impl::addContribution(linalg::LinalgOp op,
                                          unsigned weightOperand,
                                          int64_t weightDim,
                                          ArrayRef<double> factors) {
  // delta[o] += factors[i] * W[..., i, ...] (i along `weightDim`) summed over
  // the reduction dimensions, for every output coordinate o of W (its
  // parallel dimensions): one pass over W for all removed channels.
  OpOperand &weight = op->getOpOperand(weightOperand);
  auto constant = getConstant(weight.get());
  std::optional<Payload> payload = Payload::read(constant.getValue());
  ArrayRef<int64_t> wShape =
      cast<RankedTensorType>(constant.getType()).getShape();
  AffineMap weightMap = op.getMatchingIndexingMap(&weight);
  AffineMap resultMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  ArrayRef<int64_t> rShape =
      cast<RankedTensorType>(op->getResult(0).getType()).getShape();
  // For each weight dim: the result dim it maps to, or -1 (reduction).
  SmallVector<int64_t> toResult;
  for (AffineExpr expr : weightMap.getResults()) {
    unsigned loop = cast<AffineDimExpr>(expr).getPosition();
    toResult.push_back(isReduction(op.getIteratorTypesArray()[loop])
                           ? -1
                           : findLoopInMap(resultMap, loop, /*strict=*/true));
  }
  // The delta lives on the result dims that W's output dims index, in
  // ascending result order.
  SmallVector<int64_t> dims;
  for (int64_t r : toResult)
    if (r >= 0)
      dims.push_back(r);
  llvm::sort(dims);
  SmallVector<int64_t> deltaShape;
  for (int64_t r : dims)
    deltaShape.push_back(rShape[r]);
  SmallVector<int64_t> deltaStrides = getStrides(deltaShape);
  int64_t deltaSize = 1;
  for (int64_t s : deltaShape)
    deltaSize *= s;
  std::vector<double> delta(deltaSize, 0.0);
  SmallVector<int64_t> wStrides = getStrides(wShape);
  int64_t rank = wShape.size();
  // Per weight dim: its stride in the delta, or -1.
  SmallVector<int64_t> deltaStride(rank, -1);
  for (int64_t d = 0; d < rank; ++d)
    if (toResult[d] >= 0)
      deltaStride[d] =
          deltaStrides[llvm::find(dims, toResult[d]) - dims.begin()];
  SmallVector<int64_t> idx(rank, 0);
  for (int64_t e = 0; e < payload->numElements; ++e) {
    int64_t rem = e;
    for (int64_t d = 0; d < rank; ++d) {
      idx[d] = rem / wStrides[d];
      rem %= wStrides[d];
    }
    double factor = factors[idx[weightDim]];
    if (factor == 0.0)
      continue;
    int64_t flat = 0;
    for (int64_t d = 0; d < rank; ++d)
      if (deltaStride[d] >= 0)
        flat += idx[d] * deltaStride[d];
    delta[flat] += factor * payload->get(e);
  }

  Operation *init = getSingleUseInit(op);
  if (auto fill = dyn_cast<linalg::FillOp>(init)) {
    FillBias &bias = fillBias[fill];
    if (bias.values.empty()) {
      bias.dims = dims;
      bias.values.assign(deltaSize, *getScalar(fill.getInputs()[0]));
    }
    for (int64_t i = 0; i < deltaSize; ++i)
      bias.values[i] += delta[i];
    return;
  }
  // A constant broadcast: add delta to the bias, element by element.
  auto broadcast = cast<linalg::LinalgOp>(init);
  OpOperand *biasOperand = broadcast.getDpsInputOperand(0);
  arith::ConstantOp biasConstant = getConstant(biasOperand->get());
  ArrayRef<int64_t> bShape =
      cast<RankedTensorType>(biasConstant.getType()).getShape();
  AffineMap outMap =
      broadcast.getMatchingIndexingMap(broadcast.getDpsInitOperand(0));
  AffineMap inMap = broadcast.getMatchingIndexingMap(biasOperand);
  // For each delta dim: the bias dim it is.
  SmallVector<int64_t> biasDim;
  for (int64_t r : dims) {
    unsigned bLoop = cast<AffineDimExpr>(outMap.getResult(r)).getPosition();
    biasDim.push_back(findLoopInMap(inMap, bLoop, /*strict=*/true));
  }
  int64_t bSize = 1;
  for (int64_t s : bShape)
    bSize *= s;
  std::vector<double> &values = biasDelta[biasOperand];
  if (values.empty())
    values.assign(bSize, 0.0);
  SmallVector<int64_t> bStrides = getStrides(bShape);
  int64_t bRank = bShape.size();
  SmallVector<int64_t> bIdx(bRank, 0);
  for (int64_t e = 0; e < bSize; ++e) {
    int64_t rem = e;
    for (int64_t d = 0; d < bRank; ++d) {
      bIdx[d] = rem / bStrides[d];
      rem %= bStrides[d];
    }
    int64_t flat = 0;
    for (auto [k, bd] : llvm::enumerate(biasDim))
      flat += bIdx[bd] * deltaStrides[k];
    values[e] += delta[flat];
  }
}

void ChannelGroups::Impl::decide(Group &group) {
  int64_t channels = group.channels;
  group.removed.resize(channels);
  group.candidate.resize(channels);
  // Candidates: channels a producer's filters or a consumer's weights zero.
  auto markCandidates = [&](linalg::LinalgOp op, unsigned loop) {
    for (OpOperand *input : op.getDpsInputOperands()) {
      if (!getConstant(input->get()))
        continue;
      int64_t k = findLoopInMap(op.getMatchingIndexingMap(input), loop,
                                /*strict=*/true);
      if (k < 0)
        continue;
      int64_t size =
          cast<RankedTensorType>(input->get().getType()).getDimSize(k);
      ChannelMap map{1, channels};
      for (const Leaf &l : group.leaves)
        if (l.operand == input)
          map = l.map;
      for (int64_t i = 0; i < size; ++i)
        if (isZeroSlice(input->get(), k, i))
          group.candidate.set(map.channelOf(i));
    }
  };
  for (auto [op, loop] : group.producers)
    markCandidates(op, loop);
  for (auto [op, loop] : group.consumers)
    markCandidates(op, loop);
  if (group.blockedAt)
    return;
  llvm::BitVector keep(channels);
  struct Fold {
    linalg::LinalgOp op;
    unsigned weight;
    int64_t weightDim, index;
    double value;
  };
  std::vector<Fold> folds;
  auto keepFor = [&](int64_t c, const std::string &why) {
    if (!keep.test(c))
      group.keptWhy[why].push_back(c);
    keep.set(c);
  };
  for (auto [op, loop] : group.consumers) {
    SmallVector<std::pair<OpOperand *, int64_t>> operands;
    for (OpOperand *input : op.getDpsInputOperands()) {
      int64_t k = findLoopInMap(op.getMatchingIndexingMap(input), loop,
                                /*strict=*/true);
      if (k >= 0)
        operands.push_back({input, k});
    }
    ChannelMap map;
    for (const Member &m : group.members)
      if (m.value == operands.front().first->get() &&
          m.dim == operands.front().second)
        map = m.map;
    for (const Leaf &l : group.leaves)
      if (l.operand == operands.front().first)
        map = l.map;
    int64_t size =
        cast<RankedTensorType>(operands.front().first->get().getType())
            .getShape()[operands.front().second];
    std::string initWhy;
    bool initChecked = false;
    for (int64_t i = 0; i < size; ++i) {
      int64_t c = map.channelOf(i);
      if (keep.test(c))
        continue;
      bool zero = false;
      for (auto [operand, k] : operands)
        if (isZeroSlice(operand->get(), k, i)) {
          zero = true;
          group.candidate.set(c);
        }
      if (zero)
        continue;
      // One constant activation against a constant weight folds into the
      // bias.
      OpOperand *activation = nullptr, *weight = nullptr;
      int64_t weightDim = -1, activationDim = -1;
      std::optional<double> value;
      for (auto [operand, k] : operands) {
        if (getConstant(operand->get())) {
          weight = operand;
          weightDim = k;
          continue;
        }
        std::optional<double> v = sliceConstants(operand->get(), k)[i];
        if (!activation || (v && !value)) {
          activation = operand;
          activationDim = k;
          value = v;
        }
      }
      if (!value) {
        // Name the reason: a constant channel turned non-constant by a pad.
        Value source = activation ? activation->get() : Value();
        while (source && source.getDefiningOp<AnnotateOp>())
          source = source.getDefiningOp()->getOperand(0);
        if (auto pad = source ? source.getDefiningOp<tensor::PadOp>()
                              : tensor::PadOp())
          if (sliceConstants(pad.getSource(), activationDim)[i]) {
            keepFor(c, llvm::formatv("a non-zero constant reaches {0} "
                                     "through zero padding, so it cannot be "
                                     "folded into the bias",
                                     describe(op))
                           .str());
            continue;
          }
        if (group.candidate.test(c))
          keepFor(c, llvm::formatv("it is not zero where {0} reads it "
                                   "(a coupled layer or a bias keeps it "
                                   "alive)",
                                   describe(op))
                         .str());
        else
          keep.set(c);
        continue;
      }
      group.candidate.set(c);
      if (!foldConstants) {
        keepFor(c, llvm::formatv("a non-zero constant reaches {0}, and "
                                 "fold-constants=false",
                                 describe(op))
                       .str());
        continue;
      }
      if (!weight || op.getNumDpsInputs() != 2 ||
          !Payload::read(getConstant(weight->get()).getValue())) {
        keepFor(c, llvm::formatv("a non-zero constant reaches {0}, whose "
                                 "other operand is not a constant weight",
                                 describe(op))
                       .str());
        continue;
      }
      if (!initChecked) {
        initWhy = checkFoldableInit(op);
        initChecked = true;
      }
      if (!initWhy.empty()) {
        keepFor(c, llvm::formatv("a non-zero constant reaches {0}, but {1}",
                                 describe(op), initWhy)
                       .str());
        continue;
      }
      folds.push_back({op, weight->getOperandNumber(), weightDim, i, *value});
    }
  }
  if (group.consumers.empty())
    keep.set();
  for (int64_t c = 0; c < channels; ++c)
    if (!keep.test(c))
      group.removed.set(c);
  // No tensor of the group may lose all its indices (a concat input, a
  // slice): it keeps the channel of its first index.
  auto keepOneOf = [&](Value value, int64_t dim, const ChannelMap &map) {
    int64_t size = cast<RankedTensorType>(value.getType()).getDimSize(dim);
    for (int64_t i = 0; i < size; ++i)
      if (!group.removed.test(map.channelOf(i)))
        return;
    int64_t c = map.channelOf(0);
    group.removed.reset(c);
    group.keptWhy["one channel is kept so that no tensor becomes empty"]
        .push_back(c);
  };
  for (const Member &m : group.members)
    keepOneOf(m.value, m.dim, m.map);
  for (const Leaf &l : group.leaves)
    keepOneOf(l.operand->get(), l.dim, l.map);
  // Every constant to slice must be readable, or nothing of the group goes.
  if (group.removed.any())
    for (const Leaf &l : group.leaves)
      if (arith::ConstantOp constant = getConstant(l.operand->get());
          constant && !Payload::read(constant.getValue())) {
        group.removed.reset();
        group.keptWhy.clear();
        block(group, constant,
              "the payload of a constant on the channel path cannot be read");
        return;
      }
  for (auto &[why, list] : group.keptWhy)
    llvm::sort(list);
  // Only the contributions of removed channels are folded, one pass over
  // each reader's weight.
  llvm::MapVector<std::tuple<Operation *, unsigned, int64_t>,
                  std::vector<double>>
      factors;
  for (const Fold &fold : folds) {
    ChannelMap map;
    for (const Leaf &l : group.leaves)
      if (l.operand == &fold.op->getOpOperand(fold.weight))
        map = l.map;
    if (map.channels == 0 || !group.removed.test(map.channelOf(fold.index)))
      continue;
    std::vector<double> &f = factors[{fold.op, fold.weight, fold.weightDim}];
    if (f.empty())
      f.assign(
          cast<RankedTensorType>(fold.op->getOperand(fold.weight).getType())
              .getDimSize(fold.weightDim),
          0.0);
    f[fold.index] = fold.value;
  }
  for (auto &[key, f] : factors)
    addContribution(cast<linalg::LinalgOp>(std::get<0>(key)), std::get<1>(key),
                    std::get<2>(key), f);
}

//===----------------------------------------------------------------------===//
// Totals
//===----------------------------------------------------------------------===//

ChannelGroups::Impl::Impl(const OpSparsityAnalysis &analysis,
                          bool foldConstants)
    : foldConstants(foldConstants) {
  // Seeds: the output and input channels of every layer whose weight has
  // all-zero slices there.
  for (const LayerInfo &layer : analysis.getLayers()) {
    const WeightDimRoles &roles = layer.roles;
    auto op = cast<linalg::LinalgOp>(layer.op);
    if (!layer.zeroOutChannels.empty() && roles.outDim >= 0 &&
        roles.resultDim[roles.outDim] >= 0) {
      Value result = op->getResult(0);
      int64_t dim = roles.resultDim[roles.outDim];
      if (!memberOf.count({result, dim}))
        formGroup(
            {result,
             dim,
             {1, cast<RankedTensorType>(result.getType()).getDimSize(dim)}});
    }
    if (!layer.zeroInChannels.empty() && roles.inDim >= 0 &&
        roles.activationDim[roles.inDim] >= 0) {
      for (OpOperand *input : op.getDpsInputOperands()) {
        if (input->getOperandNumber() == layer.weightOperand ||
            isLeafDef(input->get()))
          continue;
        int64_t dim = roles.activationDim[roles.inDim];
        Value value = input->get();
        if (!memberOf.count({value, dim}))
          formGroup(
              {value,
               dim,
               {1, cast<RankedTensorType>(value.getType()).getDimSize(dim)}});
      }
    }
  }

  for (Group &group : groups)
    decide(group);

  for (Group &group : groups) {
    if (group.blockedAt || group.removed.none())
      continue;
    removedChannels += group.removed.count();
    ++changedGroups;
    auto keptOf = [&](int64_t size, ChannelMap map) {
      SmallVector<int64_t> kept;
      for (int64_t i = 0; i < size; ++i)
        if (!group.removed.test(map.channelOf(i)))
          kept.push_back(i);
      return kept;
    };
    for (const Member &m : group.members) {
      auto type = cast<RankedTensorType>(m.value.getType());
      KeptLists &lists = keptOfValue[m.value];
      lists.resize(type.getRank());
      lists[m.dim] = keptOf(type.getDimSize(m.dim), m.map);
    }
    for (const Leaf &l : group.leaves) {
      auto type = cast<RankedTensorType>(l.operand->get().getType());
      KeptLists &lists = keptOfLeaf[l.operand];
      lists.resize(type.getRank());
      lists[l.dim] = keptOf(type.getDimSize(l.dim), l.map);
    }
  }
}

std::vector<FoldGroupSummary> ChannelGroups::Impl::getGroups() const {
  std::vector<FoldGroupSummary> summaries;
  for (const Group &group : groups) {
    if (group.blockedAt ? group.candidate.none()
                        : group.removed.none() && group.keptWhy.empty())
      continue;
    FoldGroupSummary summary;
    summary.channels = group.channels;
    for (auto [op, loop] : group.producers)
      summary.layers.push_back(getName(op));
    if (group.blockedAt) {
      summary.anchor = group.blockedAt;
      summary.leftAlone = group.blockedWhy;
    } else {
      // A group with a candidate has a producer or a reader.
      linalg::LinalgOp first = group.producers.empty()
                                   ? group.consumers.front().op
                                   : group.producers.front().first;
      summary.anchor = first;
      for (int c : group.removed.set_bits())
        summary.removed.push_back(c);
      for (const auto &[why, channels] : group.keptWhy)
        summary.kept.push_back({why, channels});
    }
    if (summary.layers.empty())
      summary.layers.push_back(getName(summary.anchor));
    summaries.push_back(std::move(summary));
  }
  return summaries;
}

int64_t ChannelGroups::Impl::getRemovedWeights(const LayerInfo &layer) const {
  OpOperand &weight = layer.op->getOpOperand(layer.weightOperand);
  auto type = cast<RankedTensorType>(weight.get().getType());
  const KeptLists *kept = nullptr;
  if (auto it = keptOfValue.find(weight.get()); it != keptOfValue.end())
    kept = &it->second;
  else if (auto it = keptOfLeaf.find(&weight); it != keptOfLeaf.end())
    kept = &it->second;
  if (!kept)
    return 0;
  int64_t after = 1;
  for (int64_t size : getKeptShape(type.getShape(), *kept))
    after *= size;
  return type.getNumElements() - after;
}

//===----------------------------------------------------------------------===//
// Public API
//===----------------------------------------------------------------------===//

ChannelGroups::ChannelGroups(const OpSparsityAnalysis &analysis,
                             bool foldConstants)
    : impl(std::make_unique<Impl>(analysis, foldConstants)) {}

ChannelGroups::~ChannelGroups() = default;

std::vector<FoldGroupSummary> ChannelGroups::getGroups() const {
  return impl->getGroups();
}

void ChannelGroups::emitRemarks() const {
  for (const FoldGroupSummary &group : getGroups()) {
    std::string names;
    for (const std::string &name : group.layers)
      names += (names.empty() ? "'" : ", '") + name + "'";
    if (!group.leftAlone.empty()) {
      emitRemark(group.anchor->getLoc())
          << "sparsity-fold-structured: channels of " << names
          << " left alone: " << group.leftAlone;
      continue;
    }
    InFlightDiagnostic remark = emitRemark(group.anchor->getLoc());
    remark << "sparsity-fold-structured: group of " << names << " ("
           << group.channels << " channels): removed " << group.removed.size();
    if (!group.removed.empty())
      remark << " " << formatChannels(group.removed);
    for (const auto &[why, channels] : group.kept)
      remark << "; kept " << formatChannels(channels) << ": " << why;
  }
}

int64_t ChannelGroups::getRemovedChannels() const {
  return impl->removedChannels;
}

int64_t ChannelGroups::getChangedGroups() const { return impl->changedGroups; }

int64_t ChannelGroups::getRemovedWeights(const LayerInfo &layer) const {
  return impl->getRemovedWeights(layer);
}

const fold::FoldRewrite &ChannelGroups::getRewrite() const { return *impl; }
