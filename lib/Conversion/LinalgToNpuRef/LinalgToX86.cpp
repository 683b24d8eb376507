//===- LinalgToX86.cpp - weight layers to AVX-512 vector code -------------===//
//
// Part of sparsity-mlir. The x86-avx512 side of `--sparsity-lower`: every
// weight layer planned for an x86-avx512 target becomes a call of a
// generated private function on memrefs, written with the upstream scf,
// vector and arith dialects, whose constant weights are packed at compile
// time into memref globals. docs/x86-avx512.md describes the forms:
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
//           `vector.expandload` (vpexpandps).
//
//===----------------------------------------------------------------------===//

#include "LayerLowering.h"

#include "sparsity-mlir/Target/TargetDescription.h"
#include "sparsity-mlir/Target/X86.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/AffineExprVisitor.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

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
    return arith::ConstantOp::create(b, vecTy, DenseElementsAttr::get(
                                                   vecTy, b.getF32FloatAttr(0)));
  }
  Value load(Value mem, Value i) {
    return vector::LoadOp::create(b, vecTy, mem, ValueRange{i});
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
    return vector::ConstantMaskOp::create(b, maskTy,
                                          ArrayRef<int64_t>{lanes});
  }

  /// out[i .. i+lanes) = init[i .. i+lanes) + acc (masked when lanes < 16).
  void storeAdded(Value out, Value init, Value i, Value acc, int64_t lanes) {
    if (lanes == kLanes) {
      Value sum = arith::AddFOp::create(b, load(init, i), acc);
      vector::StoreOp::create(b, sum, out, ValueRange{i});
      return;
    }
    Value mask = lanesMask(lanes);
    Value i0 = vector::MaskedLoadOp::create(b, vecTy, init, ValueRange{i},
                                            mask, zeroVec());
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
          tensorTy, name, HeapAsmResourceBlob::allocateAndCopyInferAlign(
                              ArrayRef<T>(padded)));
    else if constexpr (std::is_same_v<T, int32_t>)
      init = DenseI32ResourceElementsAttr::get(
          tensorTy, name, HeapAsmResourceBlob::allocateAndCopyInferAlign(
                              ArrayRef<T>(padded)));
    else
      init = DenseI16ResourceElementsAttr::get(
          tensorTy, name, HeapAsmResourceBlob::allocateAndCopyInferAlign(
                              ArrayRef<T>(padded)));
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
  void parallel(ArrayRef<int64_t> sizes,
                function_ref<void(ValueRange)> body) {
    SmallVector<Value> lbs, ubs, steps;
    for (int64_t s : sizes) {
      lbs.push_back(idx(0));
      ubs.push_back(idx(s));
      steps.push_back(idx(1));
    }
    scf::ParallelOp::create(b, lbs, ubs, steps,
                            [&](OpBuilder &nb, Location l, ValueRange ivs) {
                              OpBuilder::InsertionGuard guard(b);
                              b.setInsertionPoint(nb.getInsertionBlock(),
                                                  nb.getInsertionPoint());
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
  /// B[bBase + kk*bK + 16v] for kk in [0, K). Returns the R*V accumulators.
  SmallVector<Value> denseTile(Value a, ArrayRef<Value> aRow, int64_t aK,
                               Value bm, Value bBase, int64_t bK, int64_t K,
                               int64_t V) {
    int64_t R = aRow.size();
    SmallVector<Value> init(R * V, zeroVec());
    auto loop = scf::ForOp::create(
        b, idx(0), idx(K), idx(1), init,
        [&](OpBuilder &nb, Location l, Value kk, ValueRange accs) {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
          SmallVector<Value> bv;
          Value bRow = add(bBase, mul(kk, bK));
          for (int64_t v = 0; v < V; ++v)
            bv.push_back(load(bm, add(bRow, v * kLanes)));
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

/// `e` with the loops of size 1 replaced by 0, simplified: two layouts that
/// differ only in unit dimensions compare equal.
AffineExpr dropUnitLoops(AffineExpr e, ArrayRef<int64_t> loopSizes) {
  MLIRContext *ctx = e.getContext();
  SmallVector<AffineExpr> dims;
  for (auto [d, size] : llvm::enumerate(loopSizes))
    dims.push_back(size == 1 ? getAffineConstantExpr(0, ctx)
                             : getAffineDimExpr(d, ctx));
  return simplifyAffineExpr(e.replaceDims(dims), loopSizes.size(), 0);
}

/// The affine expression of the row-major linear position of an operand
/// element, as a function of the layer's loops.
AffineExpr linearOperandExpr(AffineMap map, ArrayRef<int64_t> shape,
                             ArrayRef<int64_t> loopSizes) {
  MLIRContext *ctx = map.getContext();
  AffineExpr e = getAffineConstantExpr(0, ctx);
  for (auto [r, size] : llvm::enumerate(shape))
    e = e * size + map.getResult(r);
  return dropUnitLoops(e, loopSizes);
}

/// Row-major linear expression over the loop groups `parts`, each a list of
/// loops; all sizes come from `loopSizes`.
AffineExpr linearOverLoops(MLIRContext *ctx, unsigned numLoops,
                           ArrayRef<ArrayRef<unsigned>> parts,
                           ArrayRef<int64_t> loopSizes,
                           ArrayRef<int64_t> padTo = {}) {
  AffineExpr e = getAffineConstantExpr(0, ctx);
  for (auto [i, loops] : llvm::enumerate(parts)) {
    AffineExpr part = getAffineConstantExpr(0, ctx);
    int64_t size = 1;
    for (unsigned loop : loops) {
      part = part * loopSizes[loop] + getAffineDimExpr(loop, ctx);
      size *= loopSizes[loop];
    }
    if (i < padTo.size() && padTo[i] > 0)
      size = padTo[i];
    e = e * size + part;
  }
  (void)numLoops;
  return dropUnitLoops(e, loopSizes);
}

/// Everything one layer's kernel needs.
struct X86Layer {
  const LayerLowering &plan;
  X86Impl impl;
  linalg::LinalgOp op;
  SmallVector<int64_t> loopSizes;
  AffineExpr actExpr, outExpr;
  ArrayRef<int64_t> actShape, outShape;
};

/// The coefficient of loop `dim` in `e` when `e` is a linear function of
/// the loops (no mod or division), else std::nullopt.
std::optional<int64_t> linearCoefficient(AffineExpr e, unsigned dim,
                                         unsigned numLoops) {
  bool linear = true;
  e.walk([&](AffineExpr sub) {
    if (sub.getKind() == AffineExprKind::Mod ||
        sub.getKind() == AffineExprKind::FloorDiv ||
        sub.getKind() == AffineExprKind::CeilDiv)
      linear = false;
    if (auto bin = dyn_cast<AffineBinaryOpExpr>(sub))
      if (sub.getKind() == AffineExprKind::Mul &&
          !isa<AffineConstantExpr>(bin.getLHS()) &&
          !isa<AffineConstantExpr>(bin.getRHS()))
        linear = false;
  });
  if (!linear)
    return std::nullopt;
  MLIRContext *ctx = e.getContext();
  auto at = [&](int64_t v) {
    SmallVector<AffineExpr> dims(numLoops, getAffineConstantExpr(0, ctx));
    dims[dim] = getAffineConstantExpr(v, ctx);
    auto c = dyn_cast<AffineConstantExpr>(
        simplifyAffineExpr(e.replaceDims(dims), numLoops, 0));
    return c ? std::optional<int64_t>(c.getValue()) : std::nullopt;
  };
  std::optional<int64_t> zero = at(0), one = at(1);
  if (!zero || !one)
    return std::nullopt;
  return *one - *zero;
}

/// A loop over [lo, hi) by `step` whose body `body(iv)` is built at the
/// builder's insertion point: an scf.parallel for the outermost loop of a
/// copy (so that threads share it), an affine.for otherwise.
void copyLoop(KernelBuilder &kb, int64_t lo, int64_t hi, int64_t step,
              bool outermost, function_ref<void(Value)> body) {
  ImplicitLocOpBuilder &b = kb.b;
  if (outermost && (hi - lo) / step > 1) {
    scf::ParallelOp::create(
        b, ValueRange{kb.idx(lo)}, ValueRange{kb.idx(hi)},
        ValueRange{kb.idx(step)},
        [&](OpBuilder &nb, Location l, ValueRange ivs) {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
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
    return arith::ConstantOp::create(b, type,
                                     DenseElementsAttr::get(type,
                                                            ArrayRef(lanes)));
  };
  auto allTrue = [&] { return kb.lanesMask(kLanes); };
  auto read = [&](Value mem, AffineExpr e,
                  std::optional<int64_t> stride) -> Value {
    Value at = apply(e);
    if (*stride == 1)
      return kb.load(mem, at);
    return vector::GatherOp::create(b, kb.vecTy, mem, ValueRange{at},
                                    indexVec(*stride), allTrue(),
                                    kb.zeroVec())
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
          b, blockTy, DenseElementsAttr::get(blockTy, b.getF32FloatAttr(0)));
      for (int64_t j = 0; j < kLanes; ++j) {
        ivs[*a] = a0;
        ivs[*bl] = kb.add(b0, j);
        block = vector::InsertOp::create(b, kb.load(src, apply(srcExpr)),
                                         block, ArrayRef<int64_t>{j});
      }
      Value t = vector::TransposeOp::create(b, block, ArrayRef<int64_t>{1, 0});
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
  const GemmGeometry &geo;
  X86Tiling tiling;
  int64_t nPerGroup;
  Value act, init, out; // 1-D views
};

/// Returns a [G][K][Mp] activation buffer (Mp = m padded to 16): the
/// activation itself when it already has that layout, else a staged copy.
Value stageKM(KernelContext &c, int64_t mPad) {
  KernelBuilder &kb = c.kb;
  const X86Layer &L = c.L;
  MLIRContext *ctx = kb.b.getContext();
  unsigned numLoops = L.loopSizes.size();
  AffineExpr want = linearOverLoops(
      ctx, numLoops, {L.plan.groupLoops, L.plan.kLoops, L.plan.mLoops},
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

/// The output of a tile of weight rows x activation vectors: `store(nRow,
/// m0, accs)` writes V vectors of row `nRow` (group-global) at activation
/// position `m0`.
struct RowStorer {
  KernelContext &c;
  Value staged; // [Ntot][Mp] when the output is staged
  int64_t mPad;

  void store(Value nRow, Value m0, ArrayRef<Value> accs, bool lastMasked) {
    KernelBuilder &kb = c.kb;
    int64_t V = accs.size();
    if (staged) {
      Value base = kb.add(kb.mul(nRow, mPad), m0);
      for (int64_t v = 0; v < V; ++v)
        vector::StoreOp::create(kb.b, accs[v], staged,
                                ValueRange{kb.add(base, v * kLanes)});
      return;
    }
    Value base = kb.add(kb.mul(nRow, c.geo.m), m0);
    for (int64_t v = 0; v < V; ++v) {
      Value i = kb.add(base, v * kLanes);
      kb.storeAdded(c.out, c.init, i, accs[v],
                    lastMasked && v == V - 1 ? c.geo.m % kLanes : kLanes);
    }
  }
};

/// Decides whether the output is written directly ([G*Nl][M] layout) or
/// staged; returns the staged buffer or a null value.
Value makeOutputStage(KernelContext &c, int64_t mPad) {
  KernelBuilder &kb = c.kb;
  const X86Layer &L = c.L;
  MLIRContext *ctx = kb.b.getContext();
  unsigned numLoops = L.loopSizes.size();
  AffineExpr direct = linearOverLoops(ctx, numLoops,
                                      {L.plan.nLoops, L.plan.mLoops},
                                      L.loopSizes);
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
  AffineExpr from = linearOverLoops(ctx, numLoops,
                                    {L.plan.nLoops, L.plan.mLoops},
                                    L.loopSizes, {0, mPad});
  SmallVector<unsigned> loops(L.plan.nLoops);
  loops.append(L.plan.mLoops);
  copyNest(kb, loops, L.loopSizes, numLoops, staged, from, c.out, L.outExpr,
           c.init, L.outExpr);
}

/// The m tiles of V vectors: (count, vectors of the last tile, whether the
/// last vector of the last tile is partial).
struct MTiles {
  int64_t count, lastVecs;
  bool lastMasked;
};
MTiles getMTiles(int64_t m, int64_t V) {
  int64_t vectors = ceilDiv(m, kLanes);
  MTiles t;
  t.count = ceilDiv(vectors, V);
  t.lastVecs = vectors - (t.count - 1) * V;
  t.lastMasked = m % kLanes != 0;
  return t;
}

/// Runs body(g, mTile, V, masked, chunk) over all (group, m tile, chunk of
/// `chunks`) triples in parallel, with the last tile's vector count static.
/// Chunks split the weight rows of a tile, so that layers with one m tile
/// still have parallel work.
void forEachMTile(
    KernelContext &c, int64_t V, int64_t chunks,
    function_ref<void(Value, Value, int64_t, bool, Value)> body) {
  KernelBuilder &kb = c.kb;
  MTiles t = getMTiles(c.geo.m, V);
  kb.parallel({c.geo.groups, t.count, chunks}, [&](ValueRange ivs) {
    Value g = ivs[0], mt = ivs[1], chunk = ivs[2];
    if (t.lastVecs == V && !t.lastMasked) {
      body(g, mt, V, false, chunk);
      return;
    }
    if (t.count == 1) {
      body(g, mt, t.lastVecs, t.lastMasked, chunk);
      return;
    }
    Value isLast = arith::CmpIOp::create(kb.b, arith::CmpIPredicate::eq, mt,
                                         kb.idx(t.count - 1));
    kb.ifElse(
        isLast, [&] { body(g, mt, t.lastVecs, t.lastMasked, chunk); },
        [&] { body(g, mt, V, false, chunk); });
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
  int64_t mPad = ceilDiv(geo.m, kLanes) * kLanes;
  int64_t nl = c.nPerGroup, nb = ceilDiv(nl, R);
  // Wp[g][nb][k][R], rows past nl zero.
  std::vector<float> packed(geo.groups * nb * geo.k * R, 0.0f);
  for (int64_t g = 0; g < geo.groups; ++g)
    for (int64_t n = 0; n < nl; ++n)
      for (int64_t k = 0; k < geo.k; ++k)
        packed[((g * nb + n / R) * geo.k + k) * R + n % R] =
            c.L.plan.weights[(g * nl + n) * geo.k + k];
  Value w = kb.global<float>("w", kb.f32, packed);
  Value x = stageKM(c, mPad);
  Value staged = makeOutputStage(c, mPad);
  RowStorer storer{c, staged, mPad};
  int64_t fullBlocks = nl / R;
  int64_t chunks = numChunks(fullBlocks, 8);
  forEachMTile(c, V, chunks, [&](Value g, Value mt, int64_t vecs, bool masked,
                                 Value chunk) {
    Value m0 = kb.mul(mt, V * kLanes);
    Value xBase = kb.add(kb.mul(g, geo.k * mPad), m0);
    auto tile = [&](Value nBlock, int64_t rows) {
      Value wBase = kb.mul(kb.add(kb.mul(g, nb), nBlock), geo.k * R);
      SmallVector<Value> aRow;
      for (int64_t r = 0; r < rows; ++r)
        aRow.push_back(kb.add(wBase, r));
      SmallVector<Value> accs =
          kb.denseTile(w, aRow, R, x, xBase, mPad, geo.k, vecs);
      Value nRow0 = kb.add(kb.mul(g, nl), kb.mul(nBlock, R));
      for (int64_t r = 0; r < rows; ++r)
        storer.store(kb.add(nRow0, r), m0,
                     ArrayRef<Value>(accs).slice(r * vecs, vecs), masked);
    };
    forChunk(kb, chunk, chunks, fullBlocks,
             [&](Value nBlock) { tile(nBlock, R); });
    if (nl % R) {
      // The partial block goes with the last chunk.
      Value last = arith::CmpIOp::create(kb.b, arith::CmpIPredicate::eq, chunk,
                                         kb.idx(chunks - 1));
      auto ifOp = scf::IfOp::create(kb.b, last, /*withElseRegion=*/false);
      OpBuilder::InsertionGuard guard(kb.b);
      kb.b.setInsertionPointToStart(&ifOp.getThenRegion().front());
      tile(kb.idx(fullBlocks), nl % R);
    }
  });
  if (staged)
    writeBackStage(c, staged, mPad);
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
      SmallVector<Value> accs =
          kb.denseTile(c.act, aRow, 1, w, wBase, vecs * kLanes, geo.k, vecs);
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
    kb.forLoop(0, geo.m / R,
               [&](Value mb) { tile(kb.mul(mb, R), R); });
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
  int64_t mPad = ceilDiv(geo.m, kLanes) * kLanes;
  const std::vector<float> &wt = c.L.plan.weights;
  std::vector<int32_t> rowPtr(geo.n + 1, 0), cols;
  std::vector<float> vals;
  for (int64_t n = 0; n < geo.n; ++n) {
    for (int64_t k = 0; k < geo.k; ++k) {
      float v = wt[n * geo.k + k];
      if (v != 0.0f) {
        cols.push_back(static_cast<int32_t>(k * mPad));
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
  Value x = stageKM(c, mPad);
  Value staged = makeOutputStage(c, mPad);
  RowStorer storer{c, staged, mPad};
  int64_t nl = c.nPerGroup;
  // Weight rows per parallel chunk: 32 (csr); pattern code is emitted once
  // per chunk, so it splits the rows in two at most.
  int64_t chunks = unrolled ? std::min<int64_t>(2, nl) : numChunks(nl, 32);
  int64_t perChunk = ceilDiv(nl, chunks);
  forEachMTile(c, V, chunks, [&](Value g, Value mt, int64_t vecs, bool masked,
                                 Value chunk) {
    Value m0 = kb.mul(mt, V * kLanes);
    Value xBase = kb.add(kb.mul(g, geo.k * mPad), m0);
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
              Value xRow = kb.add(xBase, cols[j]);
              for (int64_t v = 0; v < vecs; ++v)
                accs[v] = kb.fma(s, kb.load(x, kb.add(xRow, v * kLanes)),
                                 accs[v]);
            }
            storer.store(kb.idx(n), m0, accs, masked);
          }
        };
        if (geo.groups * chunks == 1) {
          body();
        } else {
          Value linear = kb.add(kb.mul(g, chunks), chunk);
          Value isG = arith::CmpIOp::create(kb.b, arith::CmpIPredicate::eq,
                                            linear, kb.idx(gi));
          auto ifOp = scf::IfOp::create(kb.b, isG, /*withElseRegion=*/false);
          OpBuilder::InsertionGuard guard(kb.b);
          kb.b.setInsertionPointToStart(&ifOp.getThenRegion().front());
          body();
        }
      }
      return;
    }
    forChunk(kb, chunk, chunks, nl, [&](Value nLocal) {
      Value n = kb.add(kb.mul(g, nl), nLocal);
      Value lo = arith::IndexCastOp::create(
          kb.b, kb.b.getIndexType(),
          memref::LoadOp::create(kb.b, rowPtrMem, ValueRange{n}));
      Value hi = arith::IndexCastOp::create(
          kb.b, kb.b.getIndexType(),
          memref::LoadOp::create(kb.b, rowPtrMem,
                                 ValueRange{kb.add(n, 1)}));
      SmallVector<Value> init(vecs, kb.zeroVec());
      auto loop = scf::ForOp::create(
          kb.b, lo, hi, kb.idx(1), init,
          [&](OpBuilder &nb, Location l, Value j, ValueRange accs) {
            OpBuilder::InsertionGuard guard(kb.b);
            kb.b.setInsertionPoint(nb.getInsertionBlock(),
                                   nb.getInsertionPoint());
            Value col = arith::IndexCastOp::create(
                kb.b, kb.b.getIndexType(),
                memref::LoadOp::create(kb.b, colMem, ValueRange{j}));
            Value s = kb.splat(valMem, j);
            Value xRow = kb.add(xBase, col);
            SmallVector<Value> next;
            for (int64_t v = 0; v < vecs; ++v)
              next.push_back(
                  kb.fma(s, kb.load(x, kb.add(xRow, v * kLanes)), accs[v]));
            scf::YieldOp::create(kb.b, next);
          });
      storer.store(n, m0, SmallVector<Value>(loop.getResults()), masked);
    });
  });
  if (staged)
    writeBackStage(c, staged, mPad);
}

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
  AffineExpr want = linearOverLoops(
      ctx, numLoops, {L.plan.groupLoops, L.plan.mLoops, L.plan.kLoops},
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
  int64_t M = geo.m;
  // dense: RB weight rows per step (independent streams and FMA chains);
  // bitmap: one row, U chunks per step into U accumulators (rows side by
  // side would make LLVM pack their value pointers into one vector).
  const int64_t RB = !bitmap && nl % 4 == 0 ? 4 : 1;
  const int64_t U = bitmap ? (chunks % 4 == 0 ? 4 : chunks % 2 == 0 ? 2 : 1)
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
      init.push_back(bitmap ? arith::IndexCastOp::create(
                                  b, b.getIndexType(),
                                  memref::LoadOp::create(b, offMem,
                                                         ValueRange{rows[r]}))
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
                  b, maskMem, ValueRange{kb.add(kb.mul(rows[r], chunks), ch)});
              Value mask = vector::BitCastOp::create(
                  b, maskTy,
                  vector::BroadcastOp::create(
                      b, VectorType::get({1}, b.getI16Type()), bits));
              wv = vector::ExpandLoadOp::create(b, kb.vecTy, wMem,
                                                ValueRange{p}, mask,
                                                kb.zeroVec());
              Value count = math::CtPopOp::create(b, bits);
              nextP = kb.add(p, arith::IndexCastOp::create(
                                    b, b.getIndexType(),
                                    arith::ExtUIOp::create(
                                        b, b.getI32Type(), count)));
            } else {
              wv = kb.load(wMem, kb.add(kb.mul(rows[r], kPad),
                                        kb.mul(ch, kLanes)));
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
        Value sum = vector::ReductionOp::create(
            b, vector::CombiningKind::ADD, acc);
        SmallVector<Value> loopVals(numLoops, kb.idx(0));
        auto fill = [&](ArrayRef<unsigned> loops, Value linear) {
          if (loops.empty())
            return;
          if (loops.size() == 1) {
            loopVals[loops[0]] = linear;
            return;
          }
          SmallVector<int64_t> basis;
          for (unsigned loop : loops)
            basis.push_back(L.loopSizes[loop]);
          auto d = affine::AffineDelinearizeIndexOp::create(
              b, linear, basis, /*hasOuterBound=*/true);
          for (auto [loop, v] : llvm::zip_equal(loops, d.getResults()))
            loopVals[loop] = v;
        };
        fill(L.plan.nLoops, rows[r]);
        fill(L.plan.mLoops, kb.idx(i));
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

//===----------------------------------------------------------------------===//
// The rewrite of one layer
//===----------------------------------------------------------------------===//

LogicalResult sparsity::lowerLayerToX86(RewriterBase &rewriter,
                                        linalg::LinalgOp op,
                                        const LayerLowering &plan,
                                        int64_t inlineLimit,
                                        std::string &kernelName) {
  MLIRContext *ctx = op->getContext();
  Location loc = op.getLoc();
  ModuleOp module = op->getParentOfType<ModuleOp>();
  X86Impl impl = *symbolizeX86Impl(plan.impl);
  OpOperand *actOperand = &op->getOpOperand(plan.activationOperand);
  OpOperand *initOperand = op.getDpsInitOperand(0);
  auto actType = cast<RankedTensorType>(actOperand->get().getType());
  auto outType = cast<RankedTensorType>(initOperand->get().getType());

  X86Layer L{plan, impl, op, op.getStaticLoopRanges(), {}, {},
             actType.getShape(), outType.getShape()};
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

  auto actMem = MemRefType::get(actType.getShape(), rewriter.getF32Type());
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
                    {rewriter.getArrayAttr({rewriter.getStringAttr(
                                                "min-legal-vector-width"),
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
      return memref::CollapseShapeOp::create(b, v,
                                             ArrayRef<ReassociationIndices>{all});
    };
    KernelBuilder kb(b, module, kernelName, inlineLimit);
    KernelContext c{kb,
                    L,
                    plan.geometry,
                    getX86Tiling(plan.geometry),
                    plan.geometry.n / plan.geometry.groups,
                    flat(entry->getArgument(0), actMem),
                    flat(entry->getArgument(1), outMem),
                    flat(entry->getArgument(2), outMem)};
    const GemmGeometry &geo = plan.geometry;
    unsigned numLoops = L.loopSizes.size();
    bool fcLayout =
        geo.groups == 1 &&
        L.actExpr == linearOverLoops(ctx, numLoops,
                                     {plan.mLoops, plan.kLoops},
                                     L.loopSizes) &&
        L.outExpr == linearOverLoops(ctx, numLoops,
                                     {plan.mLoops, plan.nLoops},
                                     L.loopSizes);
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
  Value actBuf = bufferization::ToBufferOp::create(b, actMem, actOperand->get(),
                                                   /*readOnly=*/true);
  Value initBuf = bufferization::ToBufferOp::create(
      b, outMem, initOperand->get(), /*readOnly=*/true);
  Value outBuf = memref::AllocOp::create(b, outMem, b.getI64IntegerAttr(64));
  func::CallOp::create(b, fn, ValueRange{actBuf, initBuf, outBuf});
  Value result = bufferization::ToTensorOp::create(
      b, outType, outBuf, /*restrict=*/true, /*writable=*/true);
  rewriter.replaceOp(op, result);
  return success();
}
