//===- Normalization.cpp - ONNX normalization ops -------------------------===//
//
// Part of sparsity-mlir. BatchNormalization (inference form) and
// LayerNormalization.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace mlir::sparsity;
using namespace mlir::sparsity::onnx_import;

//===----------------------------------------------------------------------===//
// Normalizations
//===----------------------------------------------------------------------===//

LogicalResult Importer::convertBatchNorm() {
  if (failed(checkAttrs({"epsilon", "momentum", "training_mode"})) ||
      failed(checkInputs(5, 5)))
    return failure();
  if (attrInt("training_mode", 0) != 0)
    return unsupportedAttr("training_mode", "only inference is supported");
  if (node->output_size() > 1)
    for (int i = 1; i < node->output_size(); ++i)
      if (!node->output(i).empty())
        return nodeError() << "training outputs are not supported";
  Value x = input(0);
  ArrayRef<int64_t> xs = shapeOf(x);
  if (!isFloat(x) || xs.size() < 2)
    return nodeError() << "expected a floating-point input of rank >= 2";
  Type elem = elemOf(x);
  int64_t c = xs[1];
  // Per-channel operands viewed as [C, 1, ...] to broadcast along dim 1.
  SmallVector<int64_t> chShape(xs.size() - 1, 1);
  chShape[0] = c;
  SmallVector<Value> ins = {x};
  for (int i = 1; i < 5; ++i) {
    Value v = input(i);
    if (shapeOf(v) != ArrayRef<int64_t>{c})
      return nodeError() << "input " << i << " must have shape [" << c << "]";
    ins.push_back(reshape(castTo(v, elem), chShape));
  }
  double eps = attrFloat("epsilon", 1e-5f);
  setOutput(0, elementwise(
                   ins, elem, xs,
                   [eps, elem](OpBuilder &nb, Location nl, ValueRange a) {
                     Value e = arith::ConstantOp::create(
                         nb, nl, nb.getFloatAttr(elem, eps));
                     Value var = arith::AddFOp::create(nb, nl, a[4], e);
                     Value sd = math::SqrtOp::create(nb, nl, var);
                     Value xc = arith::SubFOp::create(nb, nl, a[0], a[3]);
                     Value y = arith::DivFOp::create(nb, nl, xc, sd);
                     y = arith::MulFOp::create(nb, nl, y, a[1]);
                     return arith::AddFOp::create(nb, nl, y, a[2]).getResult();
                   }));
  return success();
}

LogicalResult Importer::convertLayerNorm() {
  if (failed(checkAttrs({"axis", "epsilon", "stash_type"})) ||
      failed(checkInputs(2, 3)))
    return failure();
  Value x = input(0);
  if (!isFloat(x))
    return nodeError() << "only floating-point inputs are supported";
  int64_t r = shapeOf(x).size();
  FailureOr<int64_t> axis = normalizeAxis(attrInt("axis", -1), r);
  if (failed(axis))
    return failure();
  SmallVector<int64_t> axes = llvm::to_vector(llvm::seq<int64_t>(*axis, r));
  Type elem = elemOf(x);
  int64_t count = product(shapeOf(x).drop_front(*axis));
  Value cnt = scalarConst(elem, double(count));
  auto add = [](OpBuilder &nb, Location nl, ValueRange a) {
    return arith::AddFOp::create(nb, nl, a[0], a[1]).getResult();
  };
  Value sum = reduce(x, axes, true, scalarConst(elem, 0.0), add);
  Value xc = elementwise(
      {x, sum}, elem, shapeOf(x),
      [cnt](OpBuilder &nb, Location nl, ValueRange a) {
        Value mean = arith::DivFOp::create(nb, nl, a[1], cnt);
        return arith::SubFOp::create(nb, nl, a[0], mean).getResult();
      });
  Value sq = unary(xc, [](OpBuilder &nb, Location nl, ValueRange a) {
    return arith::MulFOp::create(nb, nl, a[0], a[0]).getResult();
  });
  Value var = reduce(sq, axes, true, scalarConst(elem, 0.0), add);
  double eps = attrFloat("epsilon", 1e-5f);
  SmallVector<Value> ins = {xc, var, input(1)};
  if (hasInput(2))
    ins.push_back(input(2));
  FailureOr<Value> y = broadcastingElementwise(
      ins, elem, [cnt, eps, elem](OpBuilder &nb, Location nl, ValueRange a) {
        Value e = arith::ConstantOp::create(nb, nl, nb.getFloatAttr(elem, eps));
        Value v = arith::DivFOp::create(nb, nl, a[1], cnt);
        Value sd =
            math::SqrtOp::create(nb, nl, arith::AddFOp::create(nb, nl, v, e));
        Value n = arith::DivFOp::create(nb, nl, a[0], sd);
        n = arith::MulFOp::create(nb, nl, n, a[2]);
        if (a.size() > 3)
          n = arith::AddFOp::create(nb, nl, n, a[3]);
        return n;
      });
  if (failed(y))
    return failure();
  setOutput(0, *y);
  // Optional Mean and InvStdDev outputs, with the reduced dims kept.
  if (node->output_size() > 1 && !node->output(1).empty())
    setOutput(1, unary(sum, [cnt](OpBuilder &nb, Location nl, ValueRange a) {
                return arith::DivFOp::create(nb, nl, a[0], cnt).getResult();
              }));
  if (node->output_size() > 2 && !node->output(2).empty())
    setOutput(
        2,
        unary(var, [cnt, eps, elem](OpBuilder &nb, Location nl, ValueRange a) {
          Value e =
              arith::ConstantOp::create(nb, nl, nb.getFloatAttr(elem, eps));
          Value one =
              arith::ConstantOp::create(nb, nl, nb.getFloatAttr(elem, 1.0));
          Value v = arith::AddFOp::create(
              nb, nl, arith::DivFOp::create(nb, nl, a[0], cnt), e);
          return arith::DivFOp::create(nb, nl, one,
                                       math::SqrtOp::create(nb, nl, v))
              .getResult();
        }));
  return success();
}
