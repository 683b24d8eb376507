//===- LinalgToX86.cpp - weight layers to AVX-512 vector code -------------===//
//
// Part of sparsity-mlir. The x86-avx512 side of `--sparsity-lower`: every
// weight layer planned for an x86-avx512 target becomes a call of a
// generated private function on memrefs, written with the upstream scf,
// vector and arith dialects (and one LLVM intrinsic), whose constant weights
// are packed at compile time into memref globals. docs/x86-avx512.md describes
// the forms:
//
//   dense   register-blocked FMA tiles (R rows broadcast x V vectors of 16
//           lanes), the weight packed into the layout the tile reads;
//   csr     row-CSR SpMM: per weight row, per non-zero, V vectors of
//           activations along the activation (m) dimension;
//   pattern the csr loop unrolled at compile time: every non-zero is an
//           immediate (a code-size guard limits it);
//   bitmap  for layers with fewer than 16 activation rows (m < 16, e.g.
//           batch-1 FC): per weight row, a 16-bit mask per 16 reduction
//           elements and the packed non-zeros, decompressed with
//           `vector.expandload` (vexpandps) or, where the target says so,
//           an index vector from the mask and vpermps (an LLVM intrinsic).
//
//===----------------------------------------------------------------------===//

#include "LayerLowering.h"

#include "sparsity-mlir/CostModel/X86ActLayout.h"

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

using namespace mlir;
using namespace mlir::sparsity;

static constexpr int64_t kLanes = kX86Lanes;

static int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

//===----------------------------------------------------------------------===//
// Code generation helpers
//===----------------------------------------------------------------------===//

namespace {

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

/// A loop over [lo, hi) by `step` whose body `body(iv)` is built at the
/// builder's insertion point: an scf.parallel for the outermost loop of a
/// copy (so that threads share it), an affine.for otherwise.
void copyLoop(KernelBuilder &kb, int64_t lo, int64_t hi, int64_t step,
              bool outermost, function_ref<void(Value)> body) {
  ImplicitLocOpBuilder &b = kb.b;
  if (outermost && (hi - lo) / step > 1) {
    scf::ParallelOp::create(b, ValueRange{kb.idx(lo)}, ValueRange{kb.idx(hi)},
                            ValueRange{kb.idx(step)},
                            [&](OpBuilder &nb, Location l, ValueRange ivs) {
                              OpBuilder::InsertionGuard guard(b);
                              b.setInsertionPoint(nb.getInsertionBlock(),
                                                  nb.getInsertionPoint());
                              body(ivs[0]);
                            });
    return;
  }
  auto forOp = affine::AffineForOp::create(b, lo, hi, step);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(forOp.getBody());
  body(forOp.getInductionVar());
}

/// Emits `dst[dstExpr(loops)] = src[srcExpr(loops)]` (plus `init[initExpr]`
/// when given) over all combinations of `loops`, as an affine loop nest. The
/// innermost loop moves 16 elements at a time: vector loads and stores where
/// its elements are contiguous, gathers and scatters where they are strided
/// (a transpose), and scalar code for the remainder.
void copyNest(KernelBuilder &kb, ArrayRef<unsigned> loops,
              ArrayRef<int64_t> loopSizes, unsigned numLoops, Value src,
              AffineExpr srcExpr, Value dst, AffineExpr dstExpr,
              Value init = {}, AffineExpr initExpr = {}) {
  ImplicitLocOpBuilder &b = kb.b;
  SmallVector<Value> ivs(numLoops, kb.idx(0));
  auto apply = [&](AffineExpr e) -> Value {
    return affine::AffineApplyOp::create(b, AffineMap::get(numLoops, 0, e),
                                         ivs);
  };
  auto scalarBody = [&] {
    Value v = memref::LoadOp::create(b, src, ValueRange{apply(srcExpr)});
    if (init) {
      Value i0 = memref::LoadOp::create(b, init, ValueRange{apply(initExpr)});
      v = arith::AddFOp::create(b, i0, v);
    }
    memref::StoreOp::create(b, v, dst, ValueRange{apply(dstExpr)});
  };
  auto indexVec = [&](int64_t stride) {
    SmallVector<int32_t> lanes;
    for (int64_t l = 0; l < kLanes; ++l)
      lanes.push_back(static_cast<int32_t>(l * stride));
    auto type = VectorType::get({kLanes}, b.getI32Type());
    return arith::ConstantOp::create(
        b, type, DenseElementsAttr::get(type, ArrayRef(lanes)));
  };
  auto allTrue = [&] { return kb.lanesMask(kLanes); };
  auto read = [&](Value mem, AffineExpr e,
                  std::optional<int64_t> stride) -> Value {
    Value at = apply(e);
    if (*stride == 1)
      return kb.load(mem, at);
    return vector::GatherOp::create(b, kb.vecTy, mem, ValueRange{at},
                                    indexVec(*stride), allTrue(), kb.zeroVec())
        .getResult();
  };
  auto vectorBody = [&](unsigned inner, std::optional<int64_t> srcStride,
                        std::optional<int64_t> dstStride,
                        std::optional<int64_t> initStride) {
    Value v = read(src, srcExpr, srcStride);
    if (init)
      v = arith::AddFOp::create(b, read(init, initExpr, initStride), v);
    Value at = apply(dstExpr);
    if (*dstStride == 1)
      vector::StoreOp::create(b, v, dst, ValueRange{at});
    else
      vector::ScatterOp::create(b, Type(), dst, ValueRange{at},
                                indexVec(*dstStride), allTrue(), v);
    (void)inner;
  };
  // A transpose (src contiguous along loop `a`, dst and init along another
  // loop `b`, both multiples of 16): 16x16 blocks through registers.
  std::optional<unsigned> a, bl;
  for (unsigned loop : loops) {
    if (loopSizes[loop] % kLanes != 0)
      continue;
    if (!a && linearCoefficient(srcExpr, loop, numLoops) == 1)
      a = loop;
    if (!bl && linearCoefficient(dstExpr, loop, numLoops) == 1 &&
        (!init || linearCoefficient(initExpr, loop, numLoops) == 1))
      bl = loop;
  }
  bool innerContiguous =
      !loops.empty() &&
      linearCoefficient(srcExpr, loops.back(), numLoops) == 1 &&
      linearCoefficient(dstExpr, loops.back(), numLoops) == 1;
  if (a && bl && *a != *bl && !innerContiguous) {
    SmallVector<unsigned> outer;
    for (unsigned loop : loops)
      if (loop != *a && loop != *bl)
        outer.push_back(loop);
    auto blockTy = VectorType::get({kLanes, kLanes}, kb.f32);
    std::function<void(unsigned)> nest = [&](unsigned depth) {
      if (depth < outer.size()) {
        copyLoop(kb, 0, loopSizes[outer[depth]], 1, depth == 0, [&](Value iv) {
          ivs[outer[depth]] = iv;
          nest(depth + 1);
        });
        return;
      }
      copyLoop(kb, 0, loopSizes[*bl], kLanes, outer.empty(), [&](Value b0) {
        copyLoop(kb, 0, loopSizes[*a], kLanes, false, [&](Value a0) {
          // block[j] = src[a0 .. a0+15] at b = b0 + j.
          Value block = arith::ConstantOp::create(
              b, blockTy,
              DenseElementsAttr::get(blockTy, b.getF32FloatAttr(0)));
          for (int64_t j = 0; j < kLanes; ++j) {
            ivs[*a] = a0;
            ivs[*bl] = kb.add(b0, j);
            block = vector::InsertOp::create(b, kb.load(src, apply(srcExpr)),
                                             block, ArrayRef<int64_t>{j});
          }
          Value t =
              vector::TransposeOp::create(b, block, ArrayRef<int64_t>{1, 0});
          for (int64_t i = 0; i < kLanes; ++i) {
            ivs[*a] = kb.add(a0, i);
            ivs[*bl] = b0;
            Value v = vector::ExtractOp::create(b, t, ArrayRef<int64_t>{i});
            if (init)
              v = arith::AddFOp::create(b, kb.load(init, apply(initExpr)), v);
            vector::StoreOp::create(b, v, dst, ValueRange{apply(dstExpr)});
          }
        });
      });
    };
    nest(0);
    return;
  }

  std::function<void(unsigned)> rec = [&](unsigned depth) {
    if (depth == loops.size()) {
      scalarBody();
      return;
    }
    unsigned loop = loops[depth];
    int64_t size = loopSizes[loop];
    bool innermost = depth + 1 == loops.size();
    if (innermost && size >= kLanes) {
      auto sS = linearCoefficient(srcExpr, loop, numLoops);
      auto dS = linearCoefficient(dstExpr, loop, numLoops);
      std::optional<int64_t> iS =
          init ? linearCoefficient(initExpr, loop, numLoops) : 1;
      if (sS && dS && iS && *sS > 0 && *dS > 0 && *iS > 0) {
        int64_t full = size / kLanes * kLanes;
        copyLoop(kb, 0, full, kLanes, depth == 0, [&](Value iv) {
          ivs[loop] = iv;
          vectorBody(loop, sS, dS, iS);
        });
        if (full < size) {
          auto tail = affine::AffineForOp::create(b, full, size);
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPointToStart(tail.getBody());
          ivs[loop] = tail.getInductionVar();
          scalarBody();
        }
        return;
      }
    }
    copyLoop(kb, 0, size, 1, depth == 0, [&](Value iv) {
      ivs[loop] = iv;
      rec(depth + 1);
    });
  };
  rec(0);
}

} // namespace

//===----------------------------------------------------------------------===//
// Kernels
//===----------------------------------------------------------------------===//

namespace {

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

/// Returns a [G][K][Mp] activation buffer (Mp = m padded to 16): the
/// activation itself when it already has that layout, else a staged copy.
Value stageKM(KernelContext &c, int64_t mPad) {
  KernelBuilder &kb = c.kb;
  const X86Layer &L = c.L;
  MLIRContext *ctx = kb.b.getContext();
  unsigned numLoops = L.loopSizes.size();
  AffineExpr want =
      linearOverLoops(ctx, {L.plan.groupLoops, L.plan.kLoops, L.plan.mLoops},
                      L.loopSizes, {0, 0, mPad});
  if (mPad == c.geo.m && want == L.actExpr)
    return c.act;
  auto type = MemRefType::get({c.geo.groups * c.geo.k * mPad}, kb.f32);
  Value buf = memref::AllocOp::create(kb.b, type, kb.b.getI64IntegerAttr(64));
  if (mPad != c.geo.m) {
    Value zero = arith::ConstantOp::create(kb.b, kb.b.getF32FloatAttr(0));
    linalg::FillOp::create(kb.b, ValueRange{zero}, ValueRange{buf});
  }
  SmallVector<unsigned> loops(L.plan.groupLoops);
  loops.append(L.plan.kLoops);
  loops.append(L.plan.mLoops);
  copyNest(kb, loops, L.loopSizes, numLoops, c.act, L.actExpr, buf, want);
  return buf;
}

/// Decides whether the output is written directly ([G*Nl][M] layout) or
/// staged; returns the staged buffer or a null value.
Value makeOutputStage(KernelContext &c, int64_t mPad) {
  KernelBuilder &kb = c.kb;
  const X86Layer &L = c.L;
  MLIRContext *ctx = kb.b.getContext();
  AffineExpr direct =
      linearOverLoops(ctx, {L.plan.nLoops, L.plan.mLoops}, L.loopSizes);
  if (direct == L.outExpr)
    return {};
  auto type = MemRefType::get({c.geo.n * mPad}, kb.f32);
  return memref::AllocOp::create(kb.b, type, kb.b.getI64IntegerAttr(64));
}

/// Copies a staged [Ntot][Mp] result back into the output layout.
void writeBackStage(KernelContext &c, Value staged, int64_t mPad) {
  KernelBuilder &kb = c.kb;
  const X86Layer &L = c.L;
  MLIRContext *ctx = kb.b.getContext();
  unsigned numLoops = L.loopSizes.size();
  AffineExpr from = linearOverLoops(ctx, {L.plan.nLoops, L.plan.mLoops},
                                    L.loopSizes, {0, mPad});
  SmallVector<unsigned> loops(L.plan.nLoops);
  loops.append(L.plan.mLoops);
  copyNest(kb, loops, L.loopSizes, numLoops, staged, from, c.out, L.outExpr,
           c.init, L.outExpr);
}

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

/// The shape of `rows` output rows of `vecs` vectors each (direct), the
/// last vector of each row `tail` lanes wide.
static MTileShape directShape(const X86ActLayout &layout, int64_t rows,
                              int64_t first, int64_t vecs, int64_t tail) {
  MTileShape shape;
  shape.maskLoads = true;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t j = 0; j < vecs; ++j) {
      shape.actOff.push_back(r * layout.actRowPitch + (first + j) * kLanes);
      shape.outOff.push_back(r * layout.rowWidth + (first + j) * kLanes);
      shape.lanes.push_back(j == vecs - 1 ? tail : kLanes);
    }
  return shape;
}

/// The m walk for tiles of up to V vectors; stages the activation unless
/// the layout reads it in place (then with the per-k offset table when
/// `kTable`: csr and pattern hold the offsets in their own columns).
MWalk makeWalk(KernelContext &c, int64_t V, bool kTable) {
  KernelBuilder &kb = c.kb;
  const GemmGeometry &geo = c.geo;
  MWalk w;
  if (c.layout.kind == X86ActKind::Direct) {
    const X86ActLayout &layout = c.layout;
    w.direct = true;
    w.x = c.act;
    int64_t width = layout.rowWidth, vpr = ceilDiv(width, kLanes);
    int64_t tail = width % kLanes ? width % kLanes : kLanes;
    if (vpr <= V) {
      w.rowsPerTile = std::min(layout.rows, V / vpr);
      w.count = ceilDiv(layout.rows, w.rowsPerTile);
      w.lastEvery = w.count;
      w.full = directShape(layout, w.rowsPerTile, 0, vpr, tail);
      int64_t lastRows = layout.rows - (w.count - 1) * w.rowsPerTile;
      w.last = directShape(layout, lastRows, 0, vpr, tail);
    } else {
      w.tilesPerRow = ceilDiv(vpr, V);
      w.count = layout.rows * w.tilesPerRow;
      w.lastEvery = w.tilesPerRow;
      w.full = directShape(layout, 1, 0, V, kLanes);
      w.last = directShape(layout, 1, 0, vpr - (w.tilesPerRow - 1) * V, tail);
    }
    if (kTable) {
      std::vector<int32_t> kOff(layout.kOffsets.begin(), layout.kOffsets.end());
      w.kOffsets = kb.global<int32_t>("koff", kb.b.getI32Type(), kOff);
    }
    if (geo.groups > 1) {
      std::vector<int32_t> gOff(layout.groupOffsets.begin(),
                                layout.groupOffsets.end());
      w.groupOffsets = kb.global<int32_t>("goff", kb.b.getI32Type(), gOff);
    }
    return w;
  }
  w.mPad = ceilDiv(geo.m, kLanes) * kLanes;
  w.x = stageKM(c, w.mPad);
  int64_t vectors = ceilDiv(geo.m, kLanes);
  w.count = ceilDiv(vectors, V);
  w.lastEvery = w.count;
  auto staged = [&](int64_t vecs, int64_t tail) {
    MTileShape shape;
    for (int64_t v = 0; v < vecs; ++v) {
      shape.actOff.push_back(v * kLanes);
      shape.outOff.push_back(v * kLanes);
      shape.lanes.push_back(v == vecs - 1 ? tail : kLanes);
    }
    return shape;
  };
  w.full = staged(V, kLanes);
  w.last = staged(vectors - (w.count - 1) * V,
                  geo.m % kLanes ? geo.m % kLanes : kLanes);
  return w;
}

/// Index `i` of an i32 table.
Value loadIndex(KernelBuilder &kb, Value table, Value i) {
  return arith::IndexCastOp::create(
      kb.b, kb.b.getIndexType(),
      memref::LoadOp::create(kb.b, table, ValueRange{i}));
}

/// The bases of tile `t` of group `g`: the activation position of k = 0 and
/// the output position within a row of the output.
std::pair<Value, Value> tileBases(KernelContext &c, const MWalk &w, Value g,
                                  Value t, int64_t V) {
  KernelBuilder &kb = c.kb;
  if (!w.direct) {
    Value m0 = kb.mul(t, V * kLanes);
    return {kb.add(kb.mul(g, c.geo.k * w.mPad), m0), m0};
  }
  const X86ActLayout &layout = c.layout;
  Value rowBlock = t, col = kb.idx(0);
  if (w.tilesPerRow > 1) {
    rowBlock = arith::DivUIOp::create(kb.b, t, kb.idx(w.tilesPerRow));
    col = kb.mul(arith::RemUIOp::create(kb.b, t, kb.idx(w.tilesPerRow)),
                 V * kLanes);
  }
  Value act = kb.add(kb.mul(rowBlock, w.rowsPerTile * layout.actRowPitch), col);
  Value out = kb.add(kb.mul(rowBlock, w.rowsPerTile * layout.rowWidth), col);
  if (w.groupOffsets)
    act = kb.add(act, loadIndex(kb, w.groupOffsets, g));
  return {act, out};
}

/// Writes a tile's accumulators of weight row `nRow` (group-global): to the
/// staged [Ntot][Mp] buffer when there is one, else to the output (plus the
/// init).
void storeRow(KernelContext &c, const MWalk &w, Value staged, Value nRow,
              Value outBase, const MTileShape &shape, ArrayRef<Value> accs) {
  KernelBuilder &kb = c.kb;
  if (staged) {
    Value base = kb.add(kb.mul(nRow, w.mPad), outBase);
    for (int64_t v = 0; v < shape.size(); ++v)
      vector::StoreOp::create(kb.b, accs[v], staged,
                              ValueRange{kb.add(base, shape.outOff[v])});
    return;
  }
  Value base = kb.add(kb.mul(nRow, c.geo.m), outBase);
  for (int64_t v = 0; v < shape.size(); ++v)
    kb.storeAdded(c.out, c.init, kb.add(base, shape.outOff[v]), accs[v],
                  shape.lanes[v]);
}

/// Runs body(g, t, shape, chunk) over all (group, m tile, chunk of
/// `chunks`) triples in parallel, with each tile's shape static. Chunks
/// split the weight rows of a tile, so that layers with one m tile still
/// have parallel work.
void forEachMTile(
    KernelContext &c, const MWalk &w, int64_t chunks,
    function_ref<void(Value, Value, const MTileShape &, Value)> body) {
  KernelBuilder &kb = c.kb;
  kb.parallel({c.geo.groups, w.count, chunks}, [&](ValueRange ivs) {
    Value g = ivs[0], t = ivs[1], chunk = ivs[2];
    if (!w.lastDiffers()) {
      body(g, t, w.full, chunk);
      return;
    }
    if (w.count == 1) {
      body(g, t, w.last, chunk);
      return;
    }
    Value pos =
        w.lastEvery == w.count
            ? t
            : arith::RemUIOp::create(kb.b, t, kb.idx(w.lastEvery)).getResult();
    Value isLast = arith::CmpIOp::create(kb.b, arith::CmpIPredicate::eq, pos,
                                         kb.idx(w.lastEvery - 1));
    kb.ifElse(
        isLast, [&] { body(g, t, w.last, chunk); },
        [&] { body(g, t, w.full, chunk); });
  });
}

/// Chunks of `units` (weight rows or row blocks) of about `per` each.
int64_t numChunks(int64_t units, int64_t per) {
  return std::max<int64_t>(1, units / per);
}

/// Runs body(u) for u in chunk `chunk` of `chunks` over [0, units).
void forChunk(KernelBuilder &kb, Value chunk, int64_t chunks, int64_t units,
              function_ref<void(Value)> body) {
  if (chunks == 1) {
    kb.forLoop(0, units, body);
    return;
  }
  int64_t per = ceilDiv(units, chunks);
  Value lo = kb.mul(chunk, per);
  Value hi = arith::MinUIOp::create(kb.b, kb.add(lo, per), kb.idx(units));
  scf::ForOp::create(kb.b, lo, hi, kb.idx(1), ValueRange{},
                     [&](OpBuilder &nb, Location l, Value iv, ValueRange) {
                       OpBuilder::InsertionGuard guard(kb.b);
                       kb.b.setInsertionPoint(nb.getInsertionBlock(),
                                              nb.getInsertionPoint());
                       body(iv);
                       scf::YieldOp::create(kb.b);
                     });
}

/// dense, weight broadcast: out[n][m] = sum_k W[n][k] * X[k][m].
void emitDenseWeightA(KernelContext &c) {
  KernelBuilder &kb = c.kb;
  const GemmGeometry &geo = c.geo;
  int64_t R = c.tiling.denseRows, V = c.tiling.denseVecs;
  int64_t nl = c.nPerGroup, nb = ceilDiv(nl, R);
  // Wp[g][nb][k][R], rows past nl zero.
  std::vector<float> packed(geo.groups * nb * geo.k * R, 0.0f);
  for (int64_t g = 0; g < geo.groups; ++g)
    for (int64_t n = 0; n < nl; ++n)
      for (int64_t k = 0; k < geo.k; ++k)
        packed[((g * nb + n / R) * geo.k + k) * R + n % R] =
            c.L.plan.weights[(g * nl + n) * geo.k + k];
  Value w = kb.global<float>("w", kb.f32, packed);
  MWalk walk = makeWalk(c, V, /*kTable=*/true);
  Value staged = walk.direct ? Value() : makeOutputStage(c, walk.mPad);
  int64_t fullBlocks = nl / R;
  int64_t chunks = numChunks(fullBlocks, 8);
  forEachMTile(
      c, walk, chunks,
      [&](Value g, Value t, const MTileShape &shape, Value chunk) {
        std::pair<Value, Value> bases = tileBases(c, walk, g, t, V);
        Value xBase = bases.first, outBase = bases.second;
        SmallVector<int64_t> loadLanes;
        for (int64_t v = 0; v < shape.size(); ++v)
          loadLanes.push_back(shape.loadLanes(v));
        auto xRow = [&](Value kk) -> Value {
          if (walk.direct)
            return kb.add(xBase, loadIndex(kb, walk.kOffsets, kk));
          return kb.add(xBase, kb.mul(kk, walk.mPad));
        };
        auto tile = [&](Value nBlock, int64_t rows) {
          Value wBase = kb.mul(kb.add(kb.mul(g, nb), nBlock), geo.k * R);
          SmallVector<Value> aRow;
          for (int64_t r = 0; r < rows; ++r)
            aRow.push_back(kb.add(wBase, r));
          SmallVector<Value> accs = kb.denseTile(
              w, aRow, R, walk.x, xRow, shape.actOff, loadLanes, geo.k);
          Value nRow0 = kb.add(kb.mul(g, nl), kb.mul(nBlock, R));
          int64_t vecs = shape.size();
          for (int64_t r = 0; r < rows; ++r)
            storeRow(c, walk, staged, kb.add(nRow0, r), outBase, shape,
                     ArrayRef<Value>(accs).slice(r * vecs, vecs));
        };
        forChunk(kb, chunk, chunks, fullBlocks,
                 [&](Value nBlock) { tile(nBlock, R); });
        if (nl % R) {
          // The partial block goes with the last chunk.
          Value last = arith::CmpIOp::create(kb.b, arith::CmpIPredicate::eq,
                                             chunk, kb.idx(chunks - 1));
          auto ifOp = scf::IfOp::create(kb.b, last, /*withElseRegion=*/false);
          OpBuilder::InsertionGuard guard(kb.b);
          kb.b.setInsertionPointToStart(&ifOp.getThenRegion().front());
          tile(kb.idx(fullBlocks), nl % R);
        }
      });
  if (staged)
    writeBackStage(c, staged, walk.mPad);
}

/// dense, activation broadcast (FC layers, out[m][n] = sum_k X[m][k] W[k][n]
/// with both already in these layouts, one group).
void emitDenseWeightB(KernelContext &c) {
  KernelBuilder &kb = c.kb;
  const GemmGeometry &geo = c.geo;
  const int64_t R = 6, V = 4, P = V * kLanes;
  int64_t panels = ceilDiv(geo.n, P);
  int64_t lastVecs = ceilDiv(geo.n - (panels - 1) * P, kLanes);
  // Panel p: Wp[p*K*P + k*width + j] = W[p*P + j][k], width P (last:
  // lastVecs*16), columns past n zero.
  std::vector<float> packed(((panels - 1) * P + lastVecs * kLanes) * geo.k,
                            0.0f);
  for (int64_t p = 0; p < panels; ++p) {
    int64_t width = p == panels - 1 ? lastVecs * kLanes : P;
    for (int64_t k = 0; k < geo.k; ++k)
      for (int64_t j = 0; j < width; ++j) {
        int64_t n = p * P + j;
        if (n < geo.n)
          packed[p * geo.k * P + k * width + j] =
              c.L.plan.weights[n * geo.k + k];
      }
  }
  Value w = kb.global<float>("w", kb.f32, packed);
  bool nMasked = geo.n % kLanes != 0;
  auto panelBody = [&](Value p, int64_t vecs, bool masked) {
    Value n0 = kb.mul(p, P);
    Value wBase = kb.mul(p, geo.k * P);
    auto tile = [&](Value m0, int64_t rows) {
      SmallVector<Value> aRow;
      for (int64_t r = 0; r < rows; ++r)
        aRow.push_back(kb.mul(kb.add(m0, r), geo.k));
      SmallVector<int64_t> off, lanes(vecs, kLanes);
      for (int64_t v = 0; v < vecs; ++v)
        off.push_back(v * kLanes);
      SmallVector<Value> accs = kb.denseTile(
          c.act, aRow, 1, w,
          [&](Value kk) { return kb.add(wBase, kb.mul(kk, vecs * kLanes)); },
          off, lanes, geo.k);
      for (int64_t r = 0; r < rows; ++r) {
        Value base = kb.add(kb.mul(kb.add(m0, r), geo.n), n0);
        for (int64_t v = 0; v < vecs; ++v) {
          Value i = kb.add(base, v * kLanes);
          Value acc = accs[r * vecs + v];
          kb.storeAdded(c.out, c.init, i, acc,
                        masked && v == vecs - 1 ? geo.n % kLanes : kLanes);
        }
      }
    };
    kb.forLoop(0, geo.m / R, [&](Value mb) { tile(kb.mul(mb, R), R); });
    if (geo.m % R)
      tile(kb.idx(geo.m / R * R), geo.m % R);
  };
  kb.parallel({panels}, [&](ValueRange ivs) {
    Value p = ivs[0];
    if (panels == 1) {
      panelBody(p, lastVecs, nMasked);
      return;
    }
    if (lastVecs == V && !nMasked) {
      panelBody(p, V, false);
      return;
    }
    Value isLast = arith::CmpIOp::create(kb.b, arith::CmpIPredicate::eq, p,
                                         kb.idx(panels - 1));
    kb.ifElse(
        isLast, [&] { panelBody(p, lastVecs, nMasked); },
        [&] { panelBody(p, V, false); });
  });
}

/// csr and pattern: per weight row, per non-zero, V activation vectors.
void emitCsr(KernelContext &c, bool unrolled) {
  KernelBuilder &kb = c.kb;
  const GemmGeometry &geo = c.geo;
  int64_t V = c.tiling.sparseVecs;
  MWalk walk = makeWalk(c, V, /*kTable=*/false);
  // A non-zero's column is stored as its activation row's offset.
  auto colOffset = [&](int64_t k) -> int64_t {
    return walk.direct ? c.layout.kOffsets[k] : k * walk.mPad;
  };
  const std::vector<float> &wt = c.L.plan.weights;
  std::vector<int32_t> rowPtr(geo.n + 1, 0), cols;
  std::vector<float> vals;
  for (int64_t n = 0; n < geo.n; ++n) {
    for (int64_t k = 0; k < geo.k; ++k) {
      float v = wt[n * geo.k + k];
      if (v != 0.0f) {
        cols.push_back(static_cast<int32_t>(colOffset(k)));
        vals.push_back(v);
      }
    }
    rowPtr[n + 1] = static_cast<int32_t>(vals.size());
  }
  Value rowPtrMem, colMem, valMem;
  if (!unrolled) {
    rowPtrMem = kb.global<int32_t>("rowptr", kb.b.getI32Type(), rowPtr);
    colMem = kb.global<int32_t>("cols", kb.b.getI32Type(), cols);
    valMem = kb.global<float>("vals", kb.f32, vals);
  }
  Value x = walk.x;
  Value staged = walk.direct ? Value() : makeOutputStage(c, walk.mPad);
  int64_t nl = c.nPerGroup;
  // Weight rows per parallel chunk: 32 (csr); pattern code is emitted once
  // per chunk, so it splits the rows in two at most.
  int64_t chunks = unrolled ? std::min<int64_t>(2, nl) : numChunks(nl, 32);
  int64_t perChunk = ceilDiv(nl, chunks);
  forEachMTile(
      c, walk, chunks,
      [&](Value g, Value t, const MTileShape &shape, Value chunk) {
        std::pair<Value, Value> bases = tileBases(c, walk, g, t, V);
        Value xBase = bases.first, outBase = bases.second;
        int64_t vecs = shape.size();
        auto loadRow = [&](Value s, Value xRow, ValueRange accs) {
          SmallVector<Value> next;
          for (int64_t v = 0; v < vecs; ++v)
            next.push_back(kb.fma(
                s,
                kb.load(x, kb.add(xRow, shape.actOff[v]), shape.loadLanes(v)),
                accs[v]));
          return next;
        };
        if (unrolled) {
          // Every row, every non-zero known: straight-line code per group and
          // chunk.
          for (int64_t gi = 0; gi < geo.groups * chunks; ++gi) {
            int64_t ci = gi % chunks;
            auto body = [&] {
              for (int64_t nLocal = ci * perChunk;
                   nLocal < std::min(nl, (ci + 1) * perChunk); ++nLocal) {
                int64_t n = gi / chunks * nl + nLocal;
                SmallVector<Value> accs(vecs, kb.zeroVec());
                for (int32_t j = rowPtr[n]; j < rowPtr[n + 1]; ++j) {
                  Value s = arith::ConstantOp::create(
                      kb.b, kb.vecTy,
                      DenseElementsAttr::get(kb.vecTy, vals[j]));
                  accs = loadRow(s, kb.add(xBase, cols[j]), accs);
                }
                storeRow(c, walk, staged, kb.idx(n), outBase, shape, accs);
              }
            };
            if (geo.groups * chunks == 1) {
              body();
            } else {
              Value linear = kb.add(kb.mul(g, chunks), chunk);
              Value isG = arith::CmpIOp::create(kb.b, arith::CmpIPredicate::eq,
                                                linear, kb.idx(gi));
              auto ifOp =
                  scf::IfOp::create(kb.b, isG, /*withElseRegion=*/false);
              OpBuilder::InsertionGuard guard(kb.b);
              kb.b.setInsertionPointToStart(&ifOp.getThenRegion().front());
              body();
            }
          }
          return;
        }
        forChunk(kb, chunk, chunks, nl, [&](Value nLocal) {
          Value n = kb.add(kb.mul(g, nl), nLocal);
          Value lo = loadIndex(kb, rowPtrMem, n);
          Value hi = loadIndex(kb, rowPtrMem, kb.add(n, 1));
          SmallVector<Value> init(vecs, kb.zeroVec());
          auto loop = scf::ForOp::create(
              kb.b, lo, hi, kb.idx(1), init,
              [&](OpBuilder &nb, Location l, Value j, ValueRange accs) {
                OpBuilder::InsertionGuard guard(kb.b);
                kb.b.setInsertionPoint(nb.getInsertionBlock(),
                                       nb.getInsertionPoint());
                Value s = kb.splat(valMem, j);
                Value xRow = kb.add(xBase, loadIndex(kb, colMem, j));
                scf::YieldOp::create(kb.b, loadRow(s, xRow, accs));
              });
          storeRow(c, walk, staged, n, outBase, shape,
                   SmallVector<Value>(loop.getResults()));
        });
      });
  if (staged)
    writeBackStage(c, staged, walk.mPad);
}

/// The module's function `vpermps`: lane l of the result is lane idx[l] of
/// the values. An llvm.func around the intrinsic, because the buffer
/// deallocation pass rejects an intrinsic (unknown memory effects) in a
/// func.func but takes calls; LLVM inlines it.
LLVM::LLVMFuncOp getPermuteFn(KernelBuilder &kb) {
  constexpr StringLiteral name = "__sparsity_x86_permvar_ps";
  if (auto fn = kb.module.lookupSymbol<LLVM::LLVMFuncOp>(name))
    return fn;
  ImplicitLocOpBuilder &b = kb.b;
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToEnd(kb.module.getBody());
  auto i32x16 = VectorType::get({kLanes}, b.getI32Type());
  auto fn = LLVM::LLVMFuncOp::create(
      b, name, LLVM::LLVMFunctionType::get(kb.vecTy, {kb.vecTy, i32x16}),
      LLVM::Linkage::Internal);
  fn.setAlwaysInline(true);
  Block *entry = fn.addEntryBlock(b);
  b.setInsertionPointToStart(entry);
  Value r = LLVM::CallIntrinsicOp::create(
                b, kb.vecTy, b.getStringAttr("llvm.x86.avx512.permvar.sf.512"),
                ValueRange{entry->getArgument(0), entry->getArgument(1)})
                .getResult(0);
  LLVM::ReturnOp::create(b, ValueRange{r});
  return fn;
}

/// How far ahead (in values) the bitmap kernel prefetches its values.
constexpr int64_t kBitmapPrefetch = 512;

/// dense and bitmap for m < 16: per weight row, vectorised along k.
void emitNarrow(KernelContext &c, bool bitmap) {
  KernelBuilder &kb = c.kb;
  ImplicitLocOpBuilder &b = kb.b;
  const X86Layer &L = c.L;
  const GemmGeometry &geo = c.geo;
  MLIRContext *ctx = b.getContext();
  unsigned numLoops = L.loopSizes.size();
  int64_t kPad = ceilDiv(geo.k, kLanes) * kLanes, chunks = kPad / kLanes;
  int64_t nl = c.nPerGroup;
  const std::vector<float> &wt = L.plan.weights;

  // Activations as [G][M][Kp].
  AffineExpr want =
      linearOverLoops(ctx, {L.plan.groupLoops, L.plan.mLoops, L.plan.kLoops},
                      L.loopSizes, {0, 0, kPad});
  Value x = c.act;
  if (!(kPad == geo.k && want == L.actExpr)) {
    auto type = MemRefType::get({geo.groups * geo.m * kPad}, kb.f32);
    x = memref::AllocOp::create(b, type, b.getI64IntegerAttr(64));
    if (kPad != geo.k) {
      Value zero = arith::ConstantOp::create(b, b.getF32FloatAttr(0));
      linalg::FillOp::create(b, ValueRange{zero}, ValueRange{x});
    }
    SmallVector<unsigned> loops(L.plan.groupLoops);
    loops.append(L.plan.mLoops);
    loops.append(L.plan.kLoops);
    copyNest(kb, loops, L.loopSizes, numLoops, c.act, L.actExpr, x, want);
  }

  Value wMem, maskMem, offMem;
  if (bitmap) {
    std::vector<int16_t> masks(geo.n * chunks, 0);
    std::vector<int32_t> offsets(geo.n, 0);
    std::vector<float> vals;
    for (int64_t n = 0; n < geo.n; ++n) {
      offsets[n] = static_cast<int32_t>(vals.size());
      for (int64_t ch = 0; ch < chunks; ++ch) {
        uint16_t bits = 0;
        for (int64_t l = 0; l < kLanes; ++l) {
          int64_t k = ch * kLanes + l;
          if (k < geo.k && wt[n * geo.k + k] != 0.0f) {
            bits |= uint16_t(1) << l;
            vals.push_back(wt[n * geo.k + k]);
          }
        }
        masks[n * chunks + ch] = static_cast<int16_t>(bits);
      }
    }
    // The prefetches below run up to kBitmapPrefetch values past the last.
    vals.resize(vals.size() + kBitmapPrefetch, 0.0f);
    maskMem = kb.global<int16_t>("masks", b.getI16Type(), masks);
    offMem = kb.global<int32_t>("offsets", b.getI32Type(), offsets);
    wMem = kb.global<float>("vals", kb.f32, vals);
  } else {
    std::vector<float> padded(geo.n * kPad, 0.0f);
    for (int64_t n = 0; n < geo.n; ++n)
      for (int64_t k = 0; k < geo.k; ++k)
        padded[n * kPad + k] = wt[n * geo.k + k];
    wMem = kb.global<float>("w", kb.f32, padded);
  }

  // Output address of (n, m) in the layer's output.
  SmallVector<unsigned> outLoops(L.plan.nLoops);
  outLoops.append(L.plan.mLoops);
  auto maskTy = VectorType::get({kLanes}, b.getI1Type());
  auto i32x16 = VectorType::get({kLanes}, b.getI32Type());
  Value lowBits;
  if (bitmap && c.params.bitmapPermute) {
    SmallVector<int32_t> low;
    for (int64_t l = 0; l < kLanes; ++l)
      low.push_back(static_cast<int32_t>((1u << l) - 1));
    lowBits = arith::ConstantOp::create(
        b, DenseIntElementsAttr::get(i32x16, ArrayRef<int32_t>(low)));
  }
  int64_t M = geo.m;
  // dense: RB weight rows per step (independent streams and FMA chains);
  // bitmap: one row, U chunks per step into U accumulators (rows side by
  // side would make LLVM pack their value pointers into one vector).
  const int64_t RB = !bitmap && nl % 4 == 0 ? 4 : 1;
  const int64_t U = bitmap ? (chunks % 4 == 0   ? 4
                              : chunks % 2 == 0 ? 2
                                                : 1)
                           : 1;
  kb.parallel({geo.n / RB}, [&](ValueRange ivs) {
    Value n0 = kb.mul(ivs[0], RB);
    Value g = arith::DivUIOp::create(b, n0, kb.idx(nl));
    Value xBase = kb.mul(g, M * kPad);
    SmallVector<Value> rows, init;
    for (int64_t r = 0; r < RB; ++r)
      rows.push_back(kb.add(n0, r));
    for (int64_t r = 0; r < RB * M * U; ++r)
      init.push_back(kb.zeroVec());
    for (int64_t r = 0; r < RB; ++r)
      init.push_back(
          bitmap ? arith::IndexCastOp::create(
                       b, b.getIndexType(),
                       memref::LoadOp::create(b, offMem, ValueRange{rows[r]}))
                       .getResult()
                 : kb.idx(0));
    const int64_t numAcc = RB * M * U;
    auto loop = scf::ForOp::create(
        b, kb.idx(0), kb.idx(chunks), kb.idx(U), init,
        [&](OpBuilder &nb, Location l, Value ch0, ValueRange iter) {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
          SmallVector<Value> next(numAcc + RB);
          SmallVector<Value> ps(iter.begin() + numAcc, iter.end());
          for (int64_t u = 0; u < U; ++u) {
            Value ch = kb.add(ch0, u);
            SmallVector<Value> xs;
            for (int64_t i = 0; i < M; ++i)
              xs.push_back(kb.load(
                  x, kb.add(kb.add(xBase, i * kPad), kb.mul(ch, kLanes))));
            for (int64_t r = 0; r < RB; ++r) {
              Value wv, p = ps[r], nextP = p;
              if (bitmap) {
                Value bits = memref::LoadOp::create(
                    b, maskMem,
                    ValueRange{kb.add(kb.mul(rows[r], chunks), ch)});
                Value mask = vector::BitCastOp::create(
                    b, maskTy,
                    vector::BroadcastOp::create(
                        b, VectorType::get({1}, b.getI16Type()), bits));
                if (c.params.bitmapPermute) {
                  // Lane l takes value popcount(bits & (2^l - 1)) of the 16
                  // loaded from p (the global has padding past the last).
                  Value idx = math::CtPopOp::create(
                      b,
                      arith::AndIOp::create(
                          b,
                          vector::BroadcastOp::create(
                              b, i32x16,
                              arith::ExtUIOp::create(b, b.getI32Type(), bits)),
                          lowBits));
                  Value raw = kb.load(wMem, p);
                  Value perm = LLVM::CallOp::create(b, getPermuteFn(kb),
                                                    ValueRange{raw, idx})
                                   .getResult();
                  wv = arith::SelectOp::create(b, mask, perm, kb.zeroVec());
                } else {
                  wv = vector::ExpandLoadOp::create(
                      b, kb.vecTy, wMem, ValueRange{p}, mask, kb.zeroVec());
                }
                // The values' addresses depend on the masks, which hardware
                // prefetchers do not follow (on Zen 5 they run 3x slower
                // without this, docs/x86-avx512.md); one prefetch per chunk
                // keeps ahead of the at most 64 bytes it consumes.
                memref::PrefetchOp::create(
                    b, wMem, ValueRange{kb.add(p, kBitmapPrefetch)},
                    /*isWrite=*/false,
                    /*localityHint=*/3,
                    /*isDataCache=*/true);
                Value count = math::CtPopOp::create(b, bits);
                nextP = kb.add(
                    p, arith::IndexCastOp::create(
                           b, b.getIndexType(),
                           arith::ExtUIOp::create(b, b.getI32Type(), count)));
              } else {
                wv = kb.load(wMem,
                             kb.add(kb.mul(rows[r], kPad), kb.mul(ch, kLanes)));
              }
              for (int64_t i = 0; i < M; ++i) {
                int64_t a = (u * RB + r) * M + i;
                next[a] = kb.fma(wv, xs[i], iter[a]);
              }
              ps[r] = nextP;
            }
          }
          for (int64_t r = 0; r < RB; ++r)
            next[numAcc + r] = ps[r];
          scf::YieldOp::create(b, next);
        });
    // out[(n, m)] = init + sum of the lanes.
    for (int64_t r = 0; r < RB; ++r) {
      for (int64_t i = 0; i < M; ++i) {
        Value acc = loop.getResult(r * M + i);
        for (int64_t u = 1; u < U; ++u)
          acc = arith::AddFOp::create(b, acc,
                                      loop.getResult((u * RB + r) * M + i));
        Value sum =
            vector::ReductionOp::create(b, vector::CombiningKind::ADD, acc);
        SmallVector<Value> loopVals(numLoops, kb.idx(0));
        delinearize(b, b.getLoc(), rows[r], L.plan.nLoops, L.loopSizes,
                    loopVals);
        delinearize(b, b.getLoc(), kb.idx(i), L.plan.mLoops, L.loopSizes,
                    loopVals);
        Value at = affine::AffineApplyOp::create(
            b, AffineMap::get(numLoops, 0, L.outExpr), loopVals);
        Value i0 = memref::LoadOp::create(b, c.init, ValueRange{at});
        memref::StoreOp::create(b, arith::AddFOp::create(b, i0, sum), c.out,
                                ValueRange{at});
      }
    }
  });
}

} // namespace

/// The zero padding in front of a layer's activation that its kernel does
/// itself (static sizes, padding value +0.0), or null.
static tensor::PadOp getFoldablePad(Value activation) {
  auto pad = activation.getDefiningOp<tensor::PadOp>();
  if (!pad || !pad.getSourceType().hasStaticShape() ||
      !pad.getResultType().hasStaticShape() || !pad.getLow().empty() ||
      !pad.getHigh().empty() || pad.getNofold())
    return {};
  Value value = pad.getConstantPaddingValue();
  FloatAttr zero;
  if (!value || !matchPattern(value, m_Constant(&zero)) ||
      !zero.getValue().isPosZero())
    return {};
  return pad;
}

/// Copies the unpadded activation `src` (shape of `pad`'s source) into a
/// new zeroed buffer of the padded shape; returns its 1-D view.
static Value emitPad(KernelBuilder &kb, tensor::PadOp pad, Value src) {
  ImplicitLocOpBuilder &b = kb.b;
  MLIRContext *ctx = b.getContext();
  ArrayRef<int64_t> from = pad.getSourceType().getShape();
  ArrayRef<int64_t> to = pad.getResultType().getShape();
  ArrayRef<int64_t> low = pad.getStaticLow();
  auto type = MemRefType::get({pad.getResultType().getNumElements()}, kb.f32);
  Value buf = memref::AllocOp::create(b, type, b.getI64IntegerAttr(64));
  Value zero = arith::ConstantOp::create(b, b.getF32FloatAttr(0));
  linalg::FillOp::create(b, ValueRange{zero}, ValueRange{buf});
  AffineExpr srcExpr = getAffineConstantExpr(0, ctx);
  AffineExpr dstExpr = getAffineConstantExpr(0, ctx);
  SmallVector<unsigned> loops;
  for (auto [d, size] : llvm::enumerate(from)) {
    srcExpr = srcExpr * size + getAffineDimExpr(d, ctx);
    dstExpr = dstExpr * to[d] + getAffineDimExpr(d, ctx) + low[d];
    loops.push_back(d);
  }
  ReassociationIndices all;
  for (int64_t d = 0; d < static_cast<int64_t>(from.size()); ++d)
    all.push_back(d);
  Value flatSrc = from.size() == 1
                      ? src
                      : memref::CollapseShapeOp::create(
                            b, src, ArrayRef<ReassociationIndices>{all})
                            .getResult();
  copyNest(kb, loops, from, from.size(), flatSrc, dropUnitLoops(srcExpr, from),
           buf, dropUnitLoops(dstExpr, from));
  return buf;
}

//===----------------------------------------------------------------------===//
// The rewrite of one layer
//===----------------------------------------------------------------------===//

LogicalResult
sparsity::lowerLayerToX86(RewriterBase &rewriter, linalg::LinalgOp op,
                          const LayerLowering &plan, const X86Params &params,
                          int64_t inlineLimit, std::string &kernelName) {
  MLIRContext *ctx = op->getContext();
  Location loc = op.getLoc();
  ModuleOp module = op->getParentOfType<ModuleOp>();
  X86Impl impl = *symbolizeX86Impl(plan.impl);
  OpOperand *actOperand = &op->getOpOperand(plan.activationOperand);
  OpOperand *initOperand = op.getDpsInitOperand(0);
  auto actType = cast<RankedTensorType>(actOperand->get().getType());
  auto outType = cast<RankedTensorType>(initOperand->get().getType());

  X86Layer L{plan,
             impl,
             op,
             op.getStaticLoopRanges(),
             {},
             {},
             actType.getShape(),
             outType.getShape()};
  L.actExpr = linearOperandExpr(op.getMatchingIndexingMap(actOperand),
                                actType.getShape(), L.loopSizes);
  L.outExpr = linearOperandExpr(op.getMatchingIndexingMap(initOperand),
                                outType.getShape(), L.loopSizes);

  // A unique kernel name from the layer name.
  std::string base = "__sparsity_x86_";
  for (char ch : plan.name)
    base += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
  kernelName = base;
  for (int i = 1; module.lookupSymbol(kernelName); ++i)
    kernelName = base + "_" + std::to_string(i);

  // A zero tensor.pad in front of the layer is done inside the kernel,
  // which then takes the unpadded tensor.
  tensor::PadOp pad = getFoldablePad(actOperand->get());
  Value actValue = pad ? pad.getSource() : actOperand->get();
  auto actMem =
      MemRefType::get(cast<RankedTensorType>(actValue.getType()).getShape(),
                      rewriter.getF32Type());
  auto outMem = MemRefType::get(outType.getShape(), rewriter.getF32Type());
  auto fnType = FunctionType::get(ctx, {actMem, outMem, outMem}, {});
  func::FuncOp fn;
  {
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPointToEnd(module.getBody());
    fn = func::FuncOp::create(rewriter, loc, kernelName, fnType);
    fn.setPrivate();
    // AVX-512 registers for the vector<16xf32> code: LLVM's default for
    // server cores prefers 256-bit vectors and would split them.
    fn->setAttr("passthrough",
                rewriter.getArrayAttr(
                    {rewriter.getArrayAttr(
                         {rewriter.getStringAttr("min-legal-vector-width"),
                          rewriter.getStringAttr("512")}),
                     rewriter.getArrayAttr(
                         {rewriter.getStringAttr("prefer-vector-width"),
                          rewriter.getStringAttr("512")})}));
    Block *entry = fn.addEntryBlock();
    ImplicitLocOpBuilder b(loc, rewriter);
    b.setInsertionPointToStart(entry);
    auto flat = [&](Value v, MemRefType t) -> Value {
      if (t.getRank() == 1)
        return v;
      ReassociationIndices all;
      for (int64_t d = 0; d < t.getRank(); ++d)
        all.push_back(d);
      return memref::CollapseShapeOp::create(
          b, v, ArrayRef<ReassociationIndices>{all});
    };
    KernelBuilder kb(b, module, kernelName, inlineLimit);
    KernelContext c{kb,
                    L,
                    params,
                    plan.geometry,
                    X86Tiling(),
                    plan.geometry.n / plan.geometry.groups,
                    pad ? emitPad(kb, pad, entry->getArgument(0))
                        : flat(entry->getArgument(0), actMem),
                    flat(entry->getArgument(1), outMem),
                    flat(entry->getArgument(2), outMem),
                    {}};
    const GemmGeometry &geo = plan.geometry;
    LayerLoops loops{plan.activationOperand,
                     L.loopSizes,
                     plan.groupLoops,
                     plan.nLoops,
                     plan.kLoops,
                     plan.mLoops};
    c.layout = getX86ActLayout(op, loops, geo);
    c.tiling = getX86Tiling(geo, c.layout);
    bool fcLayout = c.layout.kind == X86ActKind::FullyConnected;
    switch (impl) {
    case X86Impl::Dense:
      if (geo.m < kLanes)
        emitNarrow(c, /*bitmap=*/false);
      else if (fcLayout)
        emitDenseWeightB(c);
      else
        emitDenseWeightA(c);
      break;
    case X86Impl::Csr:
      emitCsr(c, /*unrolled=*/false);
      break;
    case X86Impl::Pattern:
      emitCsr(c, /*unrolled=*/true);
      break;
    case X86Impl::Bitmap:
      emitNarrow(c, /*bitmap=*/true);
      break;
    }
    func::ReturnOp::create(b);
  }

  // The call, between tensors and buffers.
  ImplicitLocOpBuilder b(loc, rewriter);
  b.setInsertionPoint(op);
  Value actBuf = bufferization::ToBufferOp::create(b, actMem, actValue,
                                                   /*readOnly=*/true);
  Value initBuf = bufferization::ToBufferOp::create(
      b, outMem, initOperand->get(), /*readOnly=*/true);
  Value outBuf = memref::AllocOp::create(b, outMem, b.getI64IntegerAttr(64));
  func::CallOp::create(b, fn, ValueRange{actBuf, initBuf, outBuf});
  Value result = bufferization::ToTensorOp::create(
      b, outType, outBuf, /*restrict=*/true, /*writable=*/true);
  rewriter.replaceOp(op, result);
  if (pad && pad->use_empty())
    rewriter.eraseOp(pad);
  return success();
}
