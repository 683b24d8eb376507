//===- KernelBuilder.h - building x86 layer kernels -------------*- C++ -*-===//
//
// Part of sparsity-mlir. Internal to the LinalgToX86 library: the builder of
// one kernel function, what one layer's kernel needs (X86Layer,
// KernelContext), how a kernel walks the activation rows (MWalk), the copy
// and tile helpers every kernel uses (KernelBuilder.cpp) and the kernels
// (DenseKernels.cpp, SparseKernels.cpp, NarrowKernels.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_LIB_CONVERSION_LINALGTOX86_KERNELBUILDER_H
#define SPARSITY_MLIR_LIB_CONVERSION_LINALGTOX86_KERNELBUILDER_H

#include "sparsity-mlir/Conversion/Utils/LayerLowering.h"
#include "sparsity-mlir/Target/TargetDescription.h"
#include "sparsity-mlir/Target/X86.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/AffineExprVisitor.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/Matchers.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/MathExtras.h"

namespace mlir {
namespace sparsity {
namespace x86 {

inline constexpr int64_t kLanes = kX86Lanes;

/// Builds one kernel function.
class KernelBuilder {
public:
  KernelBuilder(ImplicitLocOpBuilder &b, ModuleOp module, StringRef prefix,
                int64_t inlineLimit)
      : b(b), module(module), prefix(prefix.str()), inlineLimit(inlineLimit) {
    f32 = b.getF32Type();
    vecTy = VectorType::get({kLanes}, f32);
  }

  Value idx(int64_t v) { return arith::ConstantIndexOp::create(b, v); }
  Value add(Value a, Value c) { return arith::AddIOp::create(b, a, c); }
  Value add(Value a, int64_t c) { return c ? add(a, idx(c)) : a; }
  Value mul(Value a, int64_t c) {
    return c == 1 ? a : arith::MulIOp::create(b, a, idx(c)).getResult();
  }
  Value zeroVec() {
    return arith::ConstantOp::create(
        b, vecTy, DenseElementsAttr::get(vecTy, b.getF32FloatAttr(0)));
  }
  Value load(Value mem, Value i) {
    return vector::LoadOp::create(b, vecTy, mem, ValueRange{i});
  }
  /// A vector of mem[i .. i+lanes), zeros past `lanes` (masked when
  /// lanes < 16: no element past them is read).
  Value load(Value mem, Value i, int64_t lanes) {
    if (lanes == kLanes)
      return load(mem, i);
    return vector::MaskedLoadOp::create(b, vecTy, mem, ValueRange{i},
                                        lanesMask(lanes), zeroVec());
  }
  Value splat(Value mem, Value i) {
    Value s = memref::LoadOp::create(b, mem, ValueRange{i});
    return vector::BroadcastOp::create(b, vecTy, s);
  }
  Value fma(Value a, Value c, Value acc) {
    return vector::FMAOp::create(b, a, c, acc);
  }
  Value lanesMask(int64_t lanes) {
    auto maskTy = VectorType::get({kLanes}, b.getI1Type());
    return vector::ConstantMaskOp::create(b, maskTy, ArrayRef<int64_t>{lanes});
  }

  /// out[i .. i+lanes) = init[i .. i+lanes) + acc (masked when lanes < 16).
  void storeAdded(Value out, Value init, Value i, Value acc, int64_t lanes) {
    if (lanes == kLanes) {
      Value sum = arith::AddFOp::create(b, load(init, i), acc);
      vector::StoreOp::create(b, sum, out, ValueRange{i});
      return;
    }
    Value mask = lanesMask(lanes);
    Value i0 = vector::MaskedLoadOp::create(b, vecTy, init, ValueRange{i}, mask,
                                            zeroVec());
    vector::MaskedStoreOp::create(b, out, ValueRange{i}, mask,
                                  arith::AddFOp::create(b, i0, acc));
  }

  /// A constant 1-D global holding `data`; returns its memref.
  template <typename T>
  Value global(StringRef suffix, Type elemTy, ArrayRef<T> data) {
    std::string base = prefix + "_" + suffix.str(), name = base;
    for (int i = 1; module.lookupSymbol(name); ++i)
      name = base + "_" + std::to_string(i);
    int64_t size = std::max<int64_t>(1, data.size());
    auto memTy = MemRefType::get({size}, elemTy);
    auto tensorTy = RankedTensorType::get({size}, elemTy);
    SmallVector<T> padded(data.begin(), data.end());
    if (padded.empty())
      padded.push_back(T());
    Attribute init;
    if (size <= inlineLimit)
      init = DenseElementsAttr::get(tensorTy, ArrayRef<T>(padded));
    else if constexpr (std::is_same_v<T, float>)
      init = DenseF32ResourceElementsAttr::get(
          tensorTy, name,
          HeapAsmResourceBlob::allocateAndCopyInferAlign(ArrayRef<T>(padded)));
    else if constexpr (std::is_same_v<T, int32_t>)
      init = DenseI32ResourceElementsAttr::get(
          tensorTy, name,
          HeapAsmResourceBlob::allocateAndCopyInferAlign(ArrayRef<T>(padded)));
    else
      init = DenseI16ResourceElementsAttr::get(
          tensorTy, name,
          HeapAsmResourceBlob::allocateAndCopyInferAlign(ArrayRef<T>(padded)));
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(module.getBody());
      memref::GlobalOp::create(b, b.getStringAttr(name),
                               b.getStringAttr("private"), TypeAttr::get(memTy),
                               init, b.getUnitAttr(), b.getI64IntegerAttr(64));
    }
    return memref::GetGlobalOp::create(b, memTy, name);
  }

  /// Runs `body(ivs)` over [0, n) for each of `sizes`, as one scf.parallel
  /// (threads) or nested scf.for.
  void parallel(ArrayRef<int64_t> sizes, function_ref<void(ValueRange)> body) {
    SmallVector<Value> lbs, ubs, steps;
    for (int64_t s : sizes) {
      lbs.push_back(idx(0));
      ubs.push_back(idx(s));
      steps.push_back(idx(1));
    }
    scf::ParallelOp::create(
        b, lbs, ubs, steps, [&](OpBuilder &nb, Location l, ValueRange ivs) {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
          body(ivs);
        });
  }

  void forLoop(int64_t lo, int64_t hi, function_ref<void(Value)> body) {
    if (hi <= lo)
      return;
    if (hi - lo == 1) {
      body(idx(lo));
      return;
    }
    scf::ForOp::create(b, idx(lo), idx(hi), idx(1), ValueRange{},
                       [&](OpBuilder &nb, Location l, Value iv, ValueRange) {
                         OpBuilder::InsertionGuard guard(b);
                         b.setInsertionPoint(nb.getInsertionBlock(),
                                             nb.getInsertionPoint());
                         body(iv);
                         scf::YieldOp::create(b);
                       });
  }

  /// Runs `then` when `cond`, else `otherwise`.
  void ifElse(Value cond, function_ref<void()> then,
              function_ref<void()> otherwise) {
    auto op = scf::IfOp::create(b, cond, /*withElseRegion=*/true);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(&op.getThenRegion().front());
      then();
      b.setInsertionPointToStart(&op.getElseRegion().front());
      otherwise();
    }
  }

  /// The register tile: acc[r][v] += bcast(A[aRow[r] + kk*aK]) *
  /// B[bRow(kk) + bOff[v] .. + bLanes[v]) for kk in [0, K). Returns the
  /// R*V accumulators.
  SmallVector<Value> denseTile(Value a, ArrayRef<Value> aRow, int64_t aK,
                               Value bm, function_ref<Value(Value)> bRow,
                               ArrayRef<int64_t> bOff, ArrayRef<int64_t> bLanes,
                               int64_t K) {
    int64_t R = aRow.size(), V = bOff.size();
    SmallVector<Value> init(R * V, zeroVec());
    auto loop = scf::ForOp::create(
        b, idx(0), idx(K), idx(1), init,
        [&](OpBuilder &nb, Location l, Value kk, ValueRange accs) {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
          SmallVector<Value> bv;
          Value row = bRow(kk);
          for (int64_t v = 0; v < V; ++v)
            bv.push_back(load(bm, add(row, bOff[v]), bLanes[v]));
          SmallVector<Value> next(accs.begin(), accs.end());
          Value kOff = mul(kk, aK);
          for (int64_t r = 0; r < R; ++r) {
            Value s = splat(a, add(aRow[r], kOff));
            for (int64_t v = 0; v < V; ++v)
              next[r * V + v] = fma(s, bv[v], next[r * V + v]);
          }
          scf::YieldOp::create(b, next);
        });
    return SmallVector<Value>(loop.getResults());
  }

  ImplicitLocOpBuilder &b;
  ModuleOp module;
  std::string prefix;
  int64_t inlineLimit;
  Type f32;
  VectorType vecTy;
};

/// Everything one layer's kernel needs.
struct X86Layer {
  const LayerLowering &plan;
  X86Impl impl;
  linalg::LinalgOp op;
  SmallVector<int64_t> loopSizes;
  AffineExpr actExpr, outExpr;
  ArrayRef<int64_t> actShape, outShape;
};

struct KernelContext {
  KernelBuilder &kb;
  const X86Layer &L;
  const X86Params &params;
  const GemmGeometry &geo;
  X86Tiling tiling;
  int64_t nPerGroup;
  Value act, init, out; // 1-D views
  X86ActLayout layout;
};

/// The activation and output vectors of one m tile, relative to the tile's
/// bases: vector v reads x[kRow + actOff[v] ..) and writes
/// out[nRow + outOff[v] ..), lanes[v] lanes of each.
struct MTileShape {
  SmallVector<int64_t> actOff, outOff, lanes;
  /// Loads are masked to `lanes` (direct reads: the elements past them
  /// belong to the next row or lie past the activation).
  bool maskLoads = false;
  int64_t size() const { return actOff.size(); }
  int64_t loadLanes(int64_t v) const { return maskLoads ? lanes[v] : kLanes; }
};

/// How a kernel walks the m dimension: tiles of at most V vectors of the
/// activation it reads, `x`: a staged [G][K][Mp] buffer (tile t covers
/// positions [t*16V, (t+1)*16V)), or the layer's activation itself, read in
/// place (X86ActKind::Direct: tile t covers output rows, or a part of one).
struct MWalk {
  Value x;
  bool direct = false;
  int64_t mPad = 0;
  int64_t count = 0;
  /// Tiles whose index t satisfies (t + 1) % lastEvery == 0 have `last`'s
  /// shape, the others `full`'s.
  int64_t lastEvery = 0;
  MTileShape full, last;
  /// Direct: output rows per tile, and tiles per output row.
  int64_t rowsPerTile = 1, tilesPerRow = 1;
  /// Direct: the per-k and per-group offsets into the activation.
  Value kOffsets, groupOffsets;

  bool lastDiffers() const {
    return last.size() != full.size() || last.lanes != full.lanes;
  }
};

//===----------------------------------------------------------------------===//
// Copies and tile walking (KernelBuilder.cpp)
//===----------------------------------------------------------------------===//

/// A loop over [lo, hi) by `step` whose body `body(iv)` is built at the
/// builder's insertion point: an scf.parallel for the outermost loop of a
/// copy (so that threads share it), an affine.for otherwise.
void copyLoop(KernelBuilder &kb, int64_t lo, int64_t hi, int64_t step,
              bool outermost, function_ref<void(Value)> body);

/// Emits `dst[dstExpr(loops)] = src[srcExpr(loops)]` (plus `init[initExpr]`
/// when given) over all combinations of `loops`, as an affine loop nest. The
/// innermost loop moves 16 elements at a time: vector loads and stores where
/// its elements are contiguous, gathers and scatters where they are strided
/// (a transpose), and scalar code for the remainder.
void copyNest(KernelBuilder &kb, ArrayRef<unsigned> loops,
              ArrayRef<int64_t> loopSizes, unsigned numLoops, Value src,
              AffineExpr srcExpr, Value dst, AffineExpr dstExpr,
              Value init = {}, AffineExpr initExpr = {});

/// Returns a [G][K][Mp] activation buffer (Mp = m padded to 16): the
/// activation itself when it already has that layout, else a staged copy.
Value stageKM(KernelContext &c, int64_t mPad);

/// Decides whether the output is written directly ([G*Nl][M] layout) or
/// staged; returns the staged buffer or a null value.
Value makeOutputStage(KernelContext &c, int64_t mPad);

/// Copies a staged [Ntot][Mp] result back into the output layout.
void writeBackStage(KernelContext &c, Value staged, int64_t mPad);

/// The m walk for tiles of up to V vectors; stages the activation unless
/// the layout reads it in place (then with the per-k offset table when
/// `kTable`: csr and pattern hold the offsets in their own columns).
MWalk makeWalk(KernelContext &c, int64_t V, bool kTable);

/// Index `i` of an i32 table.
Value loadIndex(KernelBuilder &kb, Value table, Value i);

/// The bases of tile `t` of group `g`: the activation position of k = 0 and
/// the output position within a row of the output.
std::pair<Value, Value> tileBases(KernelContext &c, const MWalk &w, Value g,
                                  Value t, int64_t V);

/// Writes a tile's accumulators of weight row `nRow` (group-global): to the
/// staged [Ntot][Mp] buffer when there is one, else to the output (plus the
/// init).
void storeRow(KernelContext &c, const MWalk &w, Value staged, Value nRow,
              Value outBase, const MTileShape &shape, ArrayRef<Value> accs);

/// Runs body(g, t, shape, chunk) over all (group, m tile, chunk of
/// `chunks`) triples in parallel, with each tile's shape static. Chunks
/// split the weight rows of a tile, so that layers with one m tile still
/// have parallel work.
void forEachMTile(
    KernelContext &c, const MWalk &w, int64_t chunks,
    function_ref<void(Value, Value, const MTileShape &, Value)> body);

/// Chunks of `units` (weight rows or row blocks) of about `per` each.
int64_t numChunks(int64_t units, int64_t per);

/// Runs body(u) for u in chunk `chunk` of `chunks` over [0, units).
void forChunk(KernelBuilder &kb, Value chunk, int64_t chunks, int64_t units,
              function_ref<void(Value)> body);

//===----------------------------------------------------------------------===//
// Kernels
//===----------------------------------------------------------------------===//

/// dense, weight broadcast: out[n][m] = sum_k W[n][k] * X[k][m].
void emitDenseWeightA(KernelContext &c);

/// dense, activation broadcast (FC layers, out[m][n] = sum_k X[m][k] W[k][n]
/// with both already in these layouts, one group).
void emitDenseWeightB(KernelContext &c);

/// csr and pattern: per weight row, per non-zero, V activation vectors.
void emitCsr(KernelContext &c, bool unrolled);

/// dense and bitmap for m < 16: per weight row, vectorised along k.
void emitNarrow(KernelContext &c, bool bitmap);

} // namespace x86
} // namespace sparsity
} // namespace mlir

#endif // SPARSITY_MLIR_LIB_CONVERSION_LINALGTOX86_KERNELBUILDER_H
