//===- KernelBuilder.cpp - copies and tile walks
//----------------------------===//
//
// Part of sparsity-mlir. The helpers every x86 kernel builds with: copy
// loops and nests (staging, transposes, write-back) and the walk over
// activation tiles (MWalk), weight-row chunks and their stores.
//
//===----------------------------------------------------------------------===//

#include "KernelBuilder.h"

using namespace mlir;
using namespace mlir::sparsity;
using namespace mlir::sparsity::x86;

namespace mlir {
namespace sparsity {
namespace x86 {

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
              AffineExpr srcExpr, Value dst, AffineExpr dstExpr, Value init,
              AffineExpr initExpr) {
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
    int64_t width = layout.rowWidth,
            vpr = llvm::divideCeilSigned(width, kLanes);
    int64_t tail = width % kLanes ? width % kLanes : kLanes;
    if (vpr <= V) {
      w.rowsPerTile = std::min(layout.rows, V / vpr);
      w.count = llvm::divideCeilSigned(layout.rows, w.rowsPerTile);
      w.lastEvery = w.count;
      w.full = directShape(layout, w.rowsPerTile, 0, vpr, tail);
      int64_t lastRows = layout.rows - (w.count - 1) * w.rowsPerTile;
      w.last = directShape(layout, lastRows, 0, vpr, tail);
    } else {
      w.tilesPerRow = llvm::divideCeilSigned(vpr, V);
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
  w.mPad = llvm::divideCeilSigned(geo.m, kLanes) * kLanes;
  w.x = stageKM(c, w.mPad);
  int64_t vectors = llvm::divideCeilSigned(geo.m, kLanes);
  w.count = llvm::divideCeilSigned(vectors, V);
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
  int64_t per = llvm::divideCeilSigned(units, chunks);
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

} // namespace x86
} // namespace sparsity
} // namespace mlir
