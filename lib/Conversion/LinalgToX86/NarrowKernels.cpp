//===- NarrowKernels.cpp - x86 kernels for m < 16
//---------------------------===//
//
// Part of sparsity-mlir. Layers with fewer than 16 activation rows (batch-1
// fully connected): dense and bitmap, vectorised along the reduction; the
// bitmap decompresses with vexpandps or an index vector and vpermps.
//
//===----------------------------------------------------------------------===//

#include "KernelBuilder.h"

using namespace mlir;
using namespace mlir::sparsity;
using namespace mlir::sparsity::x86;

namespace mlir {
namespace sparsity {
namespace x86 {

/// The module's function `vpermps`: lane l of the result is lane idx[l] of
/// the values. An llvm.func around the intrinsic, because the buffer
/// deallocation pass rejects an intrinsic (unknown memory effects) in a
/// func.func but takes calls; LLVM inlines it.
static LLVM::LLVMFuncOp getPermuteFn(KernelBuilder &kb) {
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
  int64_t kPad = llvm::divideCeilSigned(geo.k, kLanes) * kLanes,
          chunks = kPad / kLanes;
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

} // namespace x86
} // namespace sparsity
} // namespace mlir
