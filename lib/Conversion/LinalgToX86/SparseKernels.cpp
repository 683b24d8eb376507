//===- SparseKernels.cpp - csr and pattern x86 kernels
//----------------------===//
//
// Part of sparsity-mlir. Row-CSR SpMM (csr) and the same loop unrolled at
// compile time with every non-zero an immediate (pattern).
//
//===----------------------------------------------------------------------===//

#include "KernelBuilder.h"

using namespace mlir;
using namespace mlir::sparsity;
using namespace mlir::sparsity::x86;

namespace mlir {
namespace sparsity {
namespace x86 {

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
  int64_t perChunk = llvm::divideCeilSigned(nl, chunks);
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

} // namespace x86
} // namespace sparsity
} // namespace mlir
