//===- OpSparsityAnalysis.h - operation-saving sparsity ---------*- C++ -*-===//
//
// Part of sparsity-mlir. Finds the weight-bearing layers of linalg-on-tensors
// functions, counts their MACs and the MACs their zero weights save, and
// propagates structured savings along dependencies (zero channels forward,
// unused channels backward). docs/op-sparsity.md defines every figure.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_ANALYSIS_OPSPARSITYANALYSIS_H
#define SPARSITY_MLIR_ANALYSIS_OPSPARSITYANALYSIS_H

#include "sparsity-mlir/Analysis/ElementMask.h"
#include "sparsity-mlir/Analysis/Regularity.h"

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/DenseMap.h"

#include <optional>
#include <string>
#include <vector>

namespace mlir {
namespace sparsity {

/// How the dimensions of a weight operand relate to its op.
struct WeightDimRoles {
  /// Per weight dimension: its loop also indexes the op's result (an output
  /// channel: the `F` of a `fchw` filter, the `N` of a matmul's right side).
  SmallVector<bool> output;
  /// Per weight dimension: its loop also indexes the activation operand
  /// directly (an input channel: the `C` of a `fchw` filter).
  SmallVector<bool> input;
  /// Per weight dimension: the activation dimension indexed by the same loop,
  /// or -1.
  SmallVector<int64_t> activationDim;
  /// Per weight dimension: the result dimension indexed by the same loop, or
  /// -1.
  SmallVector<int64_t> resultDim;
  /// The dimension listed as `zero_out_channels`: the last output-only
  /// dimension, else the last output one; -1 if none.
  int64_t outDim = -1;
  /// The dimension listed as `zero_in_channels` and along which N:M is
  /// detected: the last input-only dimension, else the last input one; -1 if
  /// none.
  int64_t inDim = -1;
};

/// Returns the roles of the dimensions of `weight`, an input operand of
/// `op` whose other input is `activation`. Fails unless the weight's indexing
/// map is a projected permutation.
FailureOr<WeightDimRoles> getWeightDimRoles(linalg::LinalgOp op,
                                            OpOperand &weight,
                                            OpOperand *activation);

/// Maps dimension `dim` of the result of `view`, a view-like op of a weight
/// chain (`linalg.transpose`, `tensor.collapse_shape` / `expand_shape`,
/// `tensor.cast`, `sparsity.annotate`, an element type conversion), to the
/// dimension of its source it comes from; -1 when the view merges or splits
/// it with dimensions of size other than 1, or is another op.
int64_t mapDimToSource(Operation *view, int64_t dim);

/// Evaluates the payload of `op` with its block arguments bound to `args`
/// (null: unknown) by constant folding only, and returns the yielded values
/// (null: unknown). Nothing is rewritten.
SmallVector<Attribute> evaluatePayload(linalg::LinalgOp op,
                                       ArrayRef<Attribute> args);

/// Returns true for the linalg ops that can bear weights: contractions and
/// convolutions, recognised through the upstream interfaces.
bool isContractionOrConvolution(linalg::LinalgOp op);

/// Returns a human-readable layer name for `loc`: the name of a `NameLoc`
/// (looking into fused and call-site locations), else `file:line:col`, else
/// an empty string.
std::string getLayerName(Location loc);

/// The figures of one weight-bearing layer.
struct LayerInfo {
  /// The layer op.
  Operation *op = nullptr;
  /// Name from the op's location (or `<op>#<index>` if it has none).
  std::string name;
  /// Name of the enclosing function.
  std::string function;
  /// Operand number of the weight.
  unsigned weightOperand = 0;
  /// The weight's shape and element type, as the op sees it.
  SmallVector<int64_t> weightShape;
  Type weightType;
  /// Roles of the weight dimensions.
  WeightDimRoles roles;
  /// Where the weight comes from: the constant (or the `sparsity.annotate`
  /// of a declared function argument) and the view-like ops between it and
  /// the layer, in program order.
  Value weightRoot;
  SmallVector<Operation *> weightChain;
  /// The weight is a function argument: only its declared pattern is known.
  bool declared = false;
  /// The zeros of the weight are all known (a readable constant, or a
  /// declaration with an exact non-zero count).
  bool zerosExact = true;

  int64_t params = 0;
  int64_t zeroParams = 0;
  int64_t uses = 0;
  int64_t macs = 0;
  int64_t savedMacs = 0;
  int64_t savedUnstructured = 0;
  int64_t savedStructured = 0;
  int64_t savedPropagated = 0;

  /// All-zero slices of the weight along `roles.outDim` / `roles.inDim`.
  SmallVector<int64_t> zeroOutChannels;
  SmallVector<int64_t> zeroInChannels;
  /// Regular structure of the zeros.
  std::optional<NMRegularity> nm;
  std::optional<BlockRegularity> block;
};

/// A contraction or convolution that could not be counted, and why.
struct UncountedOp {
  Operation *op = nullptr;
  std::string name;
  std::string reason;
};

/// Something the analysis could only bound, to be reported as a remark.
struct AnalysisNote {
  Operation *op = nullptr;
  std::string message;
};

/// Totals over all counted layers.
struct SparsityTotals {
  int64_t layers = 0;
  int64_t params = 0;
  int64_t zeroParams = 0;
  int64_t macs = 0;
  int64_t savedMacs = 0;
  int64_t savedUnstructured = 0;
  int64_t savedStructured = 0;
  int64_t savedPropagated = 0;
  /// Weight-bearing MACs plus the MACs of contractions without a weight.
  int64_t allMacs = 0;
  /// Work of the element-wise linalg ops (one per output element) and the
  /// part of it that falls on zero or unused channels.
  int64_t elementwiseOps = 0;
  int64_t savedElementwiseOps = 0;
};

/// Per-dimension slice sets of a tensor value: `zero[d]` has bit `c` set when
/// slice `c` along `d` is provably all zero; `dead[d]` when nothing reads it.
struct SliceState {
  SmallVector<llvm::BitVector> zero;
  SmallVector<llvm::BitVector> dead;
};

/// The operation-saving sparsity of every function under an op. Read-only:
/// use it through `getAnalysis<OpSparsityAnalysis>()`.
class OpSparsityAnalysis {
public:
  /// Analyses every `func.func` in `root` (or `root` itself if it is one).
  explicit OpSparsityAnalysis(Operation *root);

  /// The same, as if the constants in `zeroOverrides` had the zeros of their
  /// mask (a set bit marks a zero) instead of their own: what a pass that is
  /// about to rewrite weights would obtain, without rewriting them.
  OpSparsityAnalysis(Operation *root,
                     const llvm::DenseMap<Value, ElementMask> &zeroOverrides);

  /// The counted layers, in program order.
  ArrayRef<LayerInfo> getLayers() const { return layers; }
  /// The contractions and convolutions that could not be counted.
  ArrayRef<UncountedOp> getUncounted() const { return uncounted; }
  /// What was only bounded.
  ArrayRef<AnalysisNote> getNotes() const { return notes; }
  /// Totals over the counted layers.
  const SparsityTotals &getTotals() const { return totals; }
  /// The slice sets of `value`, if it is a statically shaped tensor the
  /// analysis reached.
  const SliceState *getSliceState(Value value) const;

private:
  void analyzeFunction(Operation *function);

  std::vector<LayerInfo> layers;
  std::vector<UncountedOp> uncounted;
  std::vector<AnalysisNote> notes;
  SparsityTotals totals;
  llvm::DenseMap<Value, SliceState> states;
};

} // namespace sparsity
} // namespace mlir

#endif // SPARSITY_MLIR_ANALYSIS_OPSPARSITYANALYSIS_H
