//===- ChannelGroups.h - the structured-fold plan ---------------*- C++ -*-===//
//
// Part of sparsity-mlir. The read-only plan behind --sparsity-fold-structured:
// which channel groups exist, which channels each may lose exactly (zero, or
// a constant folded into the next layer's bias) and why the others stay.
// --sparsity-report uses it to state the MACs folding saves, prune's
// hybrid=auto to score a candidate. docs/fold-structured.md describes the
// rules; the rewrite lives with the pass (Transforms/StructuredFold.h).
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_ANALYSIS_CHANNELGROUPS_H
#define SPARSITY_MLIR_ANALYSIS_CHANNELGROUPS_H

#include "sparsity-mlir/Analysis/ConstantPattern.h"
#include "sparsity-mlir/Analysis/OpSparsityAnalysis.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/DenseMap.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mlir {
namespace sparsity {

/// What the plan decided for one channel group that has a candidate channel
/// (a zero filter or a zero reader slice).
struct FoldGroupSummary {
  /// The op the group is reported at: its first producing layer, or the op
  /// that stopped it.
  Operation *anchor = nullptr;
  /// The layers whose output channels the group carries (location names).
  SmallVector<std::string> layers;
  /// Channels of the group (whole heads after a head split).
  int64_t channels = 0;
  /// The channels removed.
  SmallVector<int64_t> removed;
  /// The candidate channels kept, by reason.
  SmallVector<std::pair<std::string, SmallVector<int64_t>>> kept;
  /// Why the whole group is left alone, or empty.
  std::string leftAlone;
};

namespace fold {

/// Per dimension, the kept indices; an empty entry keeps the dimension whole.
using KeptLists = SmallVector<SmallVector<int64_t>>;

/// The raw elements of a constant (a splat expanded on demand).
struct Payload {
  ArrayRef<char> bytes;
  bool splat = false;
  unsigned byteWidth = 0;
  Type elementType;
  int64_t numElements = 0;

  /// Reads `attr`; fails for payloads or element types it cannot read.
  static std::optional<Payload> read(Attribute attr) {
    auto elements = dyn_cast<ElementsAttr>(attr);
    if (!elements)
      return std::nullopt;
    auto type = dyn_cast<RankedTensorType>(elements.getType());
    if (!type || !type.hasStaticShape())
      return std::nullopt;
    Payload payload;
    payload.elementType = type.getElementType();
    if (!payload.elementType.isIntOrFloat())
      return std::nullopt;
    unsigned width = payload.elementType.getIntOrFloatBitWidth();
    if (!llvm::is_contained({8u, 16u, 32u, 64u}, width))
      return std::nullopt;
    payload.byteWidth = width / 8;
    payload.numElements = type.getNumElements();
    if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
      payload.bytes = dense.getRawData();
      payload.splat = dense.isSplat();
    } else if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
      const AsmResourceBlob *blob = resource.getRawHandle().getBlob();
      if (!blob)
        return std::nullopt;
      payload.bytes = blob->getData();
    } else {
      return std::nullopt;
    }
    int64_t needed = payload.splat ? 1 : payload.numElements;
    if (static_cast<int64_t>(payload.bytes.size()) <
        needed * static_cast<int64_t>(payload.byteWidth))
      return std::nullopt;
    return payload;
  }

  const char *at(int64_t i) const {
    return bytes.data() + (splat ? 0 : i) * byteWidth;
  }

  /// Element `i` as a double (integers converted).
  double get(int64_t i) const {
    return readElementAsDouble(at(i), elementType, byteWidth);
  }
};

/// Row-major strides of `shape`.
SmallVector<int64_t> getStrides(ArrayRef<int64_t> shape);

/// `shape` with each dimension that `kept` lists reduced to its kept indices.
SmallVector<int64_t> getKeptShape(ArrayRef<int64_t> shape,
                                  const KeptLists &kept);

/// The constant `value` is, looking through `sparsity.annotate`s.
/// The constant `value` is, looking through `sparsity.annotate`s.
arith::ConstantOp getConstant(Value value);

/// A `linalg.fill` of a constant scalar into a `tensor.empty`.
/// A `linalg.fill` of a constant scalar into a `tensor.empty`.
linalg::FillOp getConstantFill(Value value);

/// Values rebuilt per use: constants, `tensor.empty` and constant fills.
/// Values rebuilt per use: constants, `tensor.empty` and constant fills.
bool isLeafDef(Value value);

/// What the plan decided to change: kept indices of member values and of
/// leaf uses, additions to constant biases (per use, in the constant's full
/// layout), and fills that become broadcasts of a new bias (in the fill's
/// result layout over `dims`).
struct FoldRewrite {
  DenseMap<Value, KeptLists> keptOfValue;
  DenseMap<OpOperand *, KeptLists> keptOfLeaf;
  DenseMap<OpOperand *, std::vector<double>> biasDelta;
  struct FillBias {
    SmallVector<int64_t> dims;
    std::vector<double> values;
  };
  DenseMap<Operation *, FillBias> fillBias;
};

} // namespace fold

/// The structured-fold plan of every function under an op. Building it reads
/// the IR only; applyChannelGroups (Dialect/Sparsity/Transforms/
/// StructuredFold.h) rewrites it.
class ChannelGroups {
public:
  /// Plans the fold of the functions `analysis` covers, starting from the
  /// layers it found. With `foldConstants`, channels that hold a constant
  /// are removed too, their contribution moving into the reader's bias.
  explicit ChannelGroups(const OpSparsityAnalysis &analysis,
                         bool foldConstants = true);
  ~ChannelGroups();

  /// Emits one remark per channel group that has a candidate channel: the
  /// channels removed, the channels kept and why, or why the group is left
  /// alone.
  void emitRemarks() const;

  /// The groups that have a candidate channel, in the order they were found.
  std::vector<FoldGroupSummary> getGroups() const;

  /// Channels removed over all groups, and the groups that lose any.
  int64_t getRemovedChannels() const;
  int64_t getChangedGroups() const;

  /// Elements of `layer`'s weight that the fold removes.
  int64_t getRemovedWeights(const LayerInfo &layer) const;

  /// What the rewrite changes (Transforms' applyChannelGroups performs it).
  const fold::FoldRewrite &getRewrite() const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl;
};

} // namespace sparsity
} // namespace mlir

#endif // SPARSITY_MLIR_ANALYSIS_CHANNELGROUPS_H
