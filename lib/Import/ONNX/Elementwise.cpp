//===- Elementwise.cpp - ONNX elementwise ops -----------------------------===//
//
// Part of sparsity-mlir. Binary arithmetic, unary math and activations,
// PRelu, Clip and Cast.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace mlir::sparsity;
using namespace mlir::sparsity::onnx_import;

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

LogicalResult Importer::convertBinary() {
  StringRef opType = node->op_type();
  if (failed(checkAttrs({})))
    return failure();
  bool variadic = opType == "Max" || opType == "Min";
  if (failed(checkInputs(variadic ? 1 : 2, variadic ? 64 : 2)))
    return failure();
  SmallVector<Value> ins;
  for (int i = 0; i < node->input_size(); ++i)
    ins.push_back(input(i));
  Type elem = elemOf(ins[0]);
  if (opType == "Pow" && elemOf(ins[1]) != elem && isa<FloatType>(elem))
    ins[1] = castTo(ins[1], elem);
  for (Value v : ins)
    if (elemOf(v) != elem)
      return nodeError()
             << "operands of different element types are not supported";
  bool f = isa<FloatType>(elem);
  if (!f && opType == "Pow")
    return nodeError() << "integer Pow is not supported";
  std::string op = opType.str();
  FailureOr<Value> r = broadcastingElementwise(
      ins, elem, [op, f](OpBuilder &nb, Location nl, ValueRange a) {
        Value acc = a[0];
        for (Value y : a.drop_front()) {
          if (op == "Add")
            acc = f ? Value(arith::AddFOp::create(nb, nl, acc, y))
                    : Value(arith::AddIOp::create(nb, nl, acc, y));
          else if (op == "Sub")
            acc = f ? Value(arith::SubFOp::create(nb, nl, acc, y))
                    : Value(arith::SubIOp::create(nb, nl, acc, y));
          else if (op == "Mul")
            acc = f ? Value(arith::MulFOp::create(nb, nl, acc, y))
                    : Value(arith::MulIOp::create(nb, nl, acc, y));
          else if (op == "Div")
            acc = f ? Value(arith::DivFOp::create(nb, nl, acc, y))
                    : Value(arith::DivSIOp::create(nb, nl, acc, y));
          else if (op == "Pow")
            acc = math::PowFOp::create(nb, nl, acc, y);
          else if (op == "Max")
            acc = f ? Value(arith::MaximumFOp::create(nb, nl, acc, y))
                    : Value(arith::MaxSIOp::create(nb, nl, acc, y));
          else
            acc = f ? Value(arith::MinimumFOp::create(nb, nl, acc, y))
                    : Value(arith::MinSIOp::create(nb, nl, acc, y));
        }
        return acc;
      });
  if (failed(r))
    return failure();
  setOutput(0, *r);
  return success();
}

LogicalResult Importer::convertUnary() {
  StringRef opType = node->op_type();
  SmallVector<StringRef> allowed;
  if (opType == "LeakyRelu" || opType == "Elu")
    allowed = {"alpha"};
  else if (opType == "HardSigmoid")
    allowed = {"alpha", "beta"};
  if (failed(checkAttrs(allowed)) || failed(checkInputs(1, 1)))
    return failure();
  Value x = input(0);
  if (!isFloat(x))
    return nodeError() << "only floating-point inputs are supported";
  Type elem = elemOf(x);
  double alpha = attrFloat("alpha", opType == "LeakyRelu"     ? 0.01f
                                    : opType == "HardSigmoid" ? 0.2f
                                                              : 1.0f);
  double beta = attrFloat("beta", 0.5f);
  std::string op = opType.str();
  setOutput(
      0, unary(x, [=](OpBuilder &nb, Location nl, ValueRange a) -> Value {
        Value v = a[0];
        auto cst = [&](double c) -> Value {
          return arith::ConstantOp::create(nb, nl, nb.getFloatAttr(elem, c));
        };
        auto hardSigmoid = [&](double al, double be) -> Value {
          Value t = arith::AddFOp::create(
              nb, nl, arith::MulFOp::create(nb, nl, v, cst(al)), cst(be));
          t = arith::MaximumFOp::create(nb, nl, t, cst(0.0));
          return arith::MinimumFOp::create(nb, nl, t, cst(1.0));
        };
        if (op == "Relu")
          return arith::MaximumFOp::create(nb, nl, v, cst(0.0));
        if (op == "Sigmoid") {
          Value e =
              math::ExpOp::create(nb, nl, arith::NegFOp::create(nb, nl, v));
          return arith::DivFOp::create(
              nb, nl, cst(1.0), arith::AddFOp::create(nb, nl, cst(1.0), e));
        }
        if (op == "Tanh")
          return math::TanhOp::create(nb, nl, v);
        if (op == "LeakyRelu" || op == "Elu") {
          Value neg = arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OLT,
                                            v, cst(0.0));
          Value scaled =
              op == "LeakyRelu"
                  ? Value(arith::MulFOp::create(nb, nl, v, cst(alpha)))
                  : Value(arith::MulFOp::create(
                        nb, nl, cst(alpha), math::ExpM1Op::create(nb, nl, v)));
          return arith::SelectOp::create(nb, nl, neg, scaled, v);
        }
        if (op == "HardSigmoid")
          return hardSigmoid(alpha, beta);
        if (op == "HardSwish")
          return arith::MulFOp::create(nb, nl, v, hardSigmoid(1.0 / 6.0, 0.5));
        if (op == "Sqrt")
          return math::SqrtOp::create(nb, nl, v);
        if (op == "Erf")
          return math::ErfOp::create(nb, nl, v);
        if (op == "Exp")
          return math::ExpOp::create(nb, nl, v);
        if (op == "Log")
          return math::LogOp::create(nb, nl, v);
        if (op == "Abs")
          return math::AbsFOp::create(nb, nl, v);
        if (op == "Neg")
          return arith::NegFOp::create(nb, nl, v);
        if (op == "Softplus")
          return math::Log1pOp::create(nb, nl, math::ExpOp::create(nb, nl, v));
        // Reciprocal
        return arith::DivFOp::create(nb, nl, cst(1.0), v);
      }));
  return success();
}

LogicalResult Importer::convertPRelu() {
  if (failed(checkAttrs({})) || failed(checkInputs(2, 2)))
    return failure();
  Value x = input(0), slope = input(1);
  if (!isFloat(x) || elemOf(slope) != elemOf(x))
    return nodeError() << "only floating-point inputs are supported";
  FailureOr<Value> r = broadcastingElementwise(
      {x, slope}, elemOf(x), [](OpBuilder &nb, Location nl, ValueRange a) {
        Value zero = arith::ConstantOp::create(
            nb, nl, nb.getFloatAttr(a[0].getType(), 0.0));
        Value neg = arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OLT,
                                          a[0], zero);
        return arith::SelectOp::create(
                   nb, nl, neg, arith::MulFOp::create(nb, nl, a[0], a[1]), a[0])
            .getResult();
      });
  if (failed(r))
    return failure();
  if (shapeOf(*r) != shapeOf(x))
    return nodeError() << "slope must broadcast to the input shape";
  setOutput(0, *r);
  return success();
}

LogicalResult Importer::convertClip() {
  if (failed(checkAttrs({"min", "max"})) || failed(checkInputs(1, 3)))
    return failure();
  Value x = input(0);
  Type elem = elemOf(x);
  bool f = isa<FloatType>(elem);
  SmallVector<Value> ins = {x};
  int minIdx = -1, maxIdx = -1;
  auto bound = [&](int idx, StringRef attrName, int &slot) -> LogicalResult {
    if (hasInput(idx)) {
      Value v = input(idx);
      if (!shapeOf(v).empty() || elemOf(v) != elem)
        return nodeError() << "'" << attrName
                           << "' must be a scalar of the input's type";
      slot = ins.size();
      ins.push_back(v);
    } else if (attr(attrName)) {
      slot = ins.size();
      ins.push_back(reshape(filled({1}, elem, attrFloat(attrName, 0.0f)), {}));
    }
    return success();
  };
  if (failed(bound(1, "min", minIdx)) || failed(bound(2, "max", maxIdx)))
    return failure();
  setOutput(
      0,
      elementwise(
          ins, elem, shapeOf(x), [=](OpBuilder &nb, Location nl, ValueRange a) {
            Value v = a[0];
            if (minIdx >= 0)
              v = f ? Value(arith::MaximumFOp::create(nb, nl, v, a[minIdx]))
                    : Value(arith::MaxSIOp::create(nb, nl, v, a[minIdx]));
            if (maxIdx >= 0)
              v = f ? Value(arith::MinimumFOp::create(nb, nl, v, a[maxIdx]))
                    : Value(arith::MinSIOp::create(nb, nl, v, a[maxIdx]));
            return v;
          }));
  return success();
}

LogicalResult Importer::convertCast() {
  if (failed(checkAttrs({"to", "saturate"})) || failed(checkInputs(1, 1)))
    return failure();
  Type to = mlirElementType(ctx, attrInt("to", 0));
  if (!to || isUnsignedType(attrInt("to", 0)))
    return unsupportedAttr("to",
                           "target type " + onnxTypeName(attrInt("to", 0)));
  setOutput(0, castTo(input(0), to));
  return success();
}
