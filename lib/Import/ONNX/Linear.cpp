//===- Linear.cpp - ONNX Gemm and MatMul ----------------------------------===//
//
// Part of sparsity-mlir. Gemm and (batched, broadcasting) MatMul as linalg
// contractions.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

using namespace mlir;
using namespace mlir::sparsity;
using namespace mlir::sparsity::onnx_import;

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

LogicalResult Importer::convertGemm() {
  if (failed(checkAttrs({"alpha", "beta", "transA", "transB"})) ||
      failed(checkInputs(2, 3)))
    return failure();
  Value a = input(0), bm = input(1);
  if (shapeOf(a).size() != 2 || shapeOf(bm).size() != 2)
    return nodeError() << "A and B must be 2-D";
  if (!isFloat(a) || elemOf(a) != elemOf(bm))
    return nodeError() << "only floating-point Gemm of one element type is "
                          "supported";
  bool transA = attrInt("transA", 0), transB = attrInt("transB", 0);
  float alpha = attrFloat("alpha", 1.0f), beta = attrFloat("beta", 1.0f);
  Type elem = elemOf(a);
  int64_t m = shapeOf(a)[transA ? 1 : 0], k = shapeOf(a)[transA ? 0 : 1];
  int64_t kb = shapeOf(bm)[transB ? 1 : 0], n = shapeOf(bm)[transB ? 0 : 1];
  if (k != kb)
    return nodeError() << "inner dimensions differ (" << k << " vs " << kb
                       << ")";
  SmallVector<int64_t> outShape = {m, n};
  Value init;
  bool useC = hasInput(2) && beta != 0.0f;
  if (useC) {
    Value c = input(2);
    // C broadcast to [M, N], scaled by beta.
    FailureOr<SmallVector<int64_t>> bs =
        broadcastShapes({SmallVector<int64_t>(shapeOf(c)), outShape});
    if (failed(bs) || ArrayRef<int64_t>(*bs) != ArrayRef<int64_t>(outShape))
      return nodeError() << "C cannot be broadcast to [" << m << "x" << n
                         << "]";
    Value betaV = beta == 1.0f ? Value() : scalarConst(elem, beta);
    init = elementwise(
        {c}, elem, outShape, [betaV](OpBuilder &nb, Location nl, ValueRange v) {
          return betaV ? arith::MulFOp::create(nb, nl, v[0], betaV).getResult()
                       : v[0];
        });
  }
  bool fuseInit = useC && alpha == 1.0f;
  Value acc = fuseInit ? init : filled(outShape, elem, 0.0);
  AffineExpr dm = getAffineDimExpr(0, ctx), dn = getAffineDimExpr(1, ctx),
             dk = getAffineDimExpr(2, ctx);
  auto map = [&](ArrayRef<AffineExpr> e) {
    return AffineMap::get(3, 0, e, ctx);
  };
  SmallVector<Attribute> maps = {
      AffineMapAttr::get(transA ? map({dk, dm}) : map({dm, dk})),
      AffineMapAttr::get(transB ? map({dn, dk}) : map({dk, dn})),
      AffineMapAttr::get(map({dm, dn}))};
  SmallVector<NamedAttribute> attrs;
  if (transA || transB)
    attrs.push_back(
        builder.getNamedAttr("indexing_maps", builder.getArrayAttr(maps)));
  Value r = linalg::MatmulOp::create(builder, loc, TypeRange{acc.getType()},
                                     ValueRange{a, bm}, ValueRange{acc}, attrs)
                .getResult(0);
  if (!fuseInit && (alpha != 1.0f || useC)) {
    Value alphaV = scalarConst(elem, alpha);
    SmallVector<Value> ins = {r};
    if (useC)
      ins.push_back(init);
    r = elementwise(ins, elem, outShape,
                    [alphaV](OpBuilder &nb, Location nl, ValueRange v) {
                      Value s = arith::MulFOp::create(nb, nl, v[0], alphaV);
                      if (v.size() > 1)
                        s = arith::AddFOp::create(nb, nl, s, v[1]);
                      return s;
                    });
  }
  setOutput(0, r);
  return success();
}

LogicalResult Importer::convertMatMul() {
  if (failed(checkAttrs({})) || failed(checkInputs(2, 2)))
    return failure();
  Value a = input(0), bm = input(1);
  if (elemOf(a) != elemOf(bm) || !isFloat(a))
    return nodeError() << "only floating-point MatMul of one element type is "
                          "supported";
  Type elem = elemOf(a);
  SmallVector<int64_t> as(shapeOf(a)), bs(shapeOf(bm));
  if (as.empty() || bs.empty())
    return nodeError() << "operands must have rank >= 1";
  bool dropM = as.size() == 1, dropN = bs.size() == 1;
  if (dropM) {
    as.insert(as.begin(), 1);
    a = reshape(a, as);
  }
  if (dropN) {
    bs.push_back(1);
    bm = reshape(bm, bs);
  }
  int64_t m = as[as.size() - 2], k = as.back(), n = bs.back();
  if (bs[bs.size() - 2] != k)
    return nodeError() << "inner dimensions differ (" << k << " vs "
                       << bs[bs.size() - 2] << ")";
  ArrayRef<int64_t> aBatch = ArrayRef<int64_t>(as).drop_back(2),
                    bBatch = ArrayRef<int64_t>(bs).drop_back(2);
  // Broadcast batch shape.
  size_t br = std::max(aBatch.size(), bBatch.size());
  SmallVector<int64_t> batch(br, 1);
  for (size_t i = 0; i < br; ++i) {
    int64_t x = i + aBatch.size() >= br ? aBatch[i + aBatch.size() - br] : 1;
    int64_t y = i + bBatch.size() >= br ? bBatch[i + bBatch.size() - br] : 1;
    if (x != y && x != 1 && y != 1)
      return nodeError() << "batch dimensions cannot be broadcast";
    batch[i] = std::max(x, y);
  }
  int64_t nb = product(batch);
  SmallVector<int64_t> outShape(batch);
  outShape.push_back(m);
  outShape.push_back(n);
  Value r;
  auto identity = [](OpBuilder &, Location, ValueRange v) { return v[0]; };
  if (bBatch.empty() || product(bBatch) == 1) {
    // [batch..., M, K] x [K, N]: one matmul over the flattened rows.
    Value b2 = reshape(bm, {k, n});
    Value a2 = reshape(a, {product(aBatch) * m, k});
    Value acc = filled({product(aBatch) * m, n}, elem, 0.0);
    r = linalg::MatmulOp::create(builder, loc, TypeRange{acc.getType()},
                                 ValueRange{a2, b2}, ValueRange{acc})
            .getResult(0);
  } else {
    auto toBatch = [&](Value v, ArrayRef<int64_t> vb, int64_t r0,
                       int64_t r1) -> Value {
      SmallVector<int64_t> full(batch);
      full.push_back(r0);
      full.push_back(r1);
      if (ArrayRef<int64_t>(vb) != ArrayRef<int64_t>(batch))
        v = elementwise({v}, elem, full, identity);
      return reshape(v, {nb, r0, r1});
    };
    Value a3 = toBatch(a, aBatch, m, k), b3 = toBatch(bm, bBatch, k, n);
    Value acc = filled({nb, m, n}, elem, 0.0);
    r = linalg::BatchMatmulOp::create(builder, loc, TypeRange{acc.getType()},
                                      ValueRange{a3, b3}, ValueRange{acc})
            .getResult(0);
  }
  if (bBatch.empty() || product(bBatch) == 1) {
    SmallVector<int64_t> s(aBatch);
    // B's size-1 batch dims still count in the result rank.
    while (s.size() < br)
      s.insert(s.begin(), 1);
    s.push_back(m);
    s.push_back(n);
    outShape = s;
  }
  SmallVector<int64_t> finalShape(ArrayRef<int64_t>(outShape).drop_back(2));
  if (!dropM)
    finalShape.push_back(m);
  if (!dropN)
    finalShape.push_back(n);
  setOutput(0, reshape(r, finalShape));
  return success();
}
