//===- Reduction.cpp - ONNX reduction ops ---------------------------------===//
//
// Part of sparsity-mlir. Reduce*, GlobalAveragePool/GlobalMaxPool and
// (Log)Softmax, all built on Importer::reduce.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace mlir::sparsity;
using namespace mlir::sparsity::onnx_import;

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

LogicalResult Importer::convertGlobalPool() {
  bool isMax = node->op_type() == "GlobalMaxPool";
  if (failed(checkAttrs({})) || failed(checkInputs(1, 1)))
    return failure();
  Value x = input(0);
  ArrayRef<int64_t> xs = shapeOf(x);
  if (!isFloat(x) || xs.size() < 3)
    return nodeError() << "expected a floating-point input of rank >= 3";
  Type elem = elemOf(x);
  SmallVector<int64_t> axes;
  int64_t count = 1;
  for (int64_t i = 2; i < int64_t(xs.size()); ++i) {
    axes.push_back(i);
    count *= xs[i];
  }
  Value init = isMax ? lowest(elem) : scalarConst(elem, 0.0);
  Value r = reduce(x, axes, true, init,
                   [isMax](OpBuilder &nb, Location nl, ValueRange a) -> Value {
                     if (isMax)
                       return arith::MaximumFOp::create(nb, nl, a[0], a[1]);
                     return arith::AddFOp::create(nb, nl, a[0], a[1]);
                   });
  if (!isMax) {
    Value d = scalarConst(elem, double(count));
    r = unary(r, [d](OpBuilder &nb, Location nl, ValueRange a) {
      return arith::DivFOp::create(nb, nl, a[0], d).getResult();
    });
  }
  setOutput(0, r);
  return success();
}

LogicalResult Importer::convertReduce() {
  StringRef opType = node->op_type();
  if (failed(checkAttrs({"axes", "keepdims", "noop_with_empty_axes"})) ||
      failed(checkInputs(1, 2)))
    return failure();
  Value x = input(0);
  if (!isFloat(x))
    return nodeError() << "only floating-point reductions are supported";
  int64_t r = shapeOf(x).size();
  SmallVector<int64_t> axes;
  // ReduceSum takes axes as an input since opset 13, the others since 18.
  if (hasInput(1)) {
    FailureOr<SmallVector<int64_t>> a = constInts(1, "axes");
    if (failed(a))
      return failure();
    axes = *a;
  } else {
    axes = attrInts("axes");
  }
  if (axes.empty()) {
    if (attrInt("noop_with_empty_axes", 0)) {
      setOutput(0, x);
      return success();
    }
    axes = llvm::to_vector(llvm::seq<int64_t>(0, r));
  }
  FailureOr<SmallVector<int64_t>> n = normalizeAxes(axes, r);
  if (failed(n))
    return failure();
  bool keep = attrInt("keepdims", 1);
  Type elem = elemOf(x);
  bool isMax = opType == "ReduceMax", isMin = opType == "ReduceMin";
  Value init;
  if (isMax)
    init = lowest(elem);
  else if (isMin)
    init = arith::ConstantOp::create(
        builder, loc,
        builder.getFloatAttr(
            elem, APFloat::getInf(cast<FloatType>(elem).getFloatSemantics())));
  else
    init = scalarConst(elem, opType == "ReduceProd" ? 1.0 : 0.0);
  Value red = reduce(x, *n, keep, init,
                     [=](OpBuilder &nb, Location nl, ValueRange a) -> Value {
                       if (isMax)
                         return arith::MaximumFOp::create(nb, nl, a[0], a[1]);
                       if (isMin)
                         return arith::MinimumFOp::create(nb, nl, a[0], a[1]);
                       if (opType == "ReduceProd")
                         return arith::MulFOp::create(nb, nl, a[0], a[1]);
                       Value v = a[0];
                       if (opType == "ReduceSumSquare" || opType == "ReduceL2")
                         v = arith::MulFOp::create(nb, nl, v, v);
                       else if (opType == "ReduceL1")
                         v = math::AbsFOp::create(nb, nl, v);
                       return arith::AddFOp::create(nb, nl, v, a[1]);
                     });
  if (opType == "ReduceL2" || opType == "ReduceLogSum") {
    bool l2 = opType == "ReduceL2";
    red = unary(red, [l2](OpBuilder &nb, Location nl, ValueRange a) -> Value {
      if (l2)
        return math::SqrtOp::create(nb, nl, a[0]);
      return math::LogOp::create(nb, nl, a[0]);
    });
  }
  if (opType == "ReduceMean") {
    int64_t count = 1;
    for (int64_t a : *n)
      count *= shapeOf(x)[a];
    Value d = scalarConst(elem, double(count));
    red = unary(red, [d](OpBuilder &nb, Location nl, ValueRange a) {
      return arith::DivFOp::create(nb, nl, a[0], d).getResult();
    });
  }
  setOutput(0, red);
  return success();
}

LogicalResult Importer::convertSoftmax() {
  bool log = node->op_type() == "LogSoftmax";
  if (failed(checkAttrs({"axis"})) || failed(checkInputs(1, 1)))
    return failure();
  Value x = input(0);
  if (!isFloat(x))
    return nodeError() << "only floating-point inputs are supported";
  SmallVector<int64_t> s(shapeOf(x));
  int64_t r = s.size();
  FailureOr<int64_t> axis =
      normalizeAxis(attrInt("axis", opset >= 13 ? -1 : 1), r);
  if (failed(axis))
    return failure();
  // Before opset 13 the input is coerced to 2-D at `axis`.
  Value in = x;
  SmallVector<int64_t> axes = {*axis};
  if (opset < 13) {
    in = reshape(x, {product(ArrayRef<int64_t>(s).take_front(*axis)),
                     product(ArrayRef<int64_t>(s).drop_front(*axis))});
    axes = {1};
  }
  Type elem = elemOf(x);
  Value mx =
      reduce(in, axes, true, lowest(elem),
             [](OpBuilder &nb, Location nl, ValueRange a) {
               return arith::MaximumFOp::create(nb, nl, a[0], a[1]).getResult();
             });
  Value e = elementwise({in, mx}, elem, shapeOf(in),
                        [](OpBuilder &nb, Location nl, ValueRange a) {
                          return math::ExpOp::create(
                                     nb, nl,
                                     arith::SubFOp::create(nb, nl, a[0], a[1]))
                              .getResult();
                        });
  Value sum =
      reduce(e, axes, true, scalarConst(elem, 0.0),
             [](OpBuilder &nb, Location nl, ValueRange a) {
               return arith::AddFOp::create(nb, nl, a[0], a[1]).getResult();
             });
  // Softmax: e / sum; LogSoftmax: (x - max) - log(sum).
  Value y =
      log ? elementwise({in, mx, sum}, elem, shapeOf(in),
                        [](OpBuilder &nb, Location nl, ValueRange a) {
                          Value d = arith::SubFOp::create(nb, nl, a[0], a[1]);
                          return arith::SubFOp::create(
                                     nb, nl, d,
                                     math::LogOp::create(nb, nl, a[2]))
                              .getResult();
                        })
          : elementwise(
                {e, sum}, elem, shapeOf(in),
                [](OpBuilder &nb, Location nl, ValueRange a) {
                  return arith::DivFOp::create(nb, nl, a[0], a[1]).getResult();
                });
  setOutput(0, reshape(y, s));
  return success();
}
