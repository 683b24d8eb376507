//===- DenseKernels.cpp - dense x86 kernels
//---------------------------------===//
//
// Part of sparsity-mlir. The dense kernels for m >= 16: register-blocked
// FMA tiles with the weight broadcast (out[n][m]) or the activation
// broadcast (fully connected layers, out[m][n]).
//
//===----------------------------------------------------------------------===//

#include "KernelBuilder.h"

using namespace mlir;
using namespace mlir::sparsity;
using namespace mlir::sparsity::x86;

namespace mlir {
namespace sparsity {
namespace x86 {

/// dense, weight broadcast: out[n][m] = sum_k W[n][k] * X[k][m].
void emitDenseWeightA(KernelContext &c) {
  KernelBuilder &kb = c.kb;
  const GemmGeometry &geo = c.geo;
  int64_t R = c.tiling.denseRows, V = c.tiling.denseVecs;
  int64_t nl = c.nPerGroup, nb = llvm::divideCeilSigned(nl, R);
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
  int64_t panels = llvm::divideCeilSigned(geo.n, P);
  int64_t lastVecs = llvm::divideCeilSigned(geo.n - (panels - 1) * P, kLanes);
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

} // namespace x86
} // namespace sparsity
} // namespace mlir
