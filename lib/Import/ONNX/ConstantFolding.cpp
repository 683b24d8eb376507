//===- ConstantFolding.cpp - ONNX import-time folding ---------------------===//
//
// Part of sparsity-mlir. Folds small integer computations on constants (the
// Shape -> Gather -> Concat -> Reshape chains of exported models) at import
// time instead of emitting IR for them.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

using namespace mlir;
using namespace mlir::sparsity;
using namespace mlir::sparsity::onnx_import;

//===----------------------------------------------------------------------===//
// Import-time folding of small constant computations
//===----------------------------------------------------------------------===//

LogicalResult Importer::tryFold(bool &folded) {
  folded = false;
  StringRef t = node->op_type();
  static const char *const foldable[] = {
      "Identity", "Unsqueeze", "Squeeze", "Concat", "Gather", "Cast",
      "Add",      "Sub",       "Mul",     "Div",    "Slice",  "Reshape"};
  if (!llvm::is_contained(foldable, t) || node->input_size() == 0)
    return success();
  SmallVector<const ConstTensor *> ins;
  for (int i = 0; i < node->input_size(); ++i) {
    if (!hasInput(i)) {
      ins.push_back(nullptr);
      continue;
    }
    const ConstTensor *c = constInput(i);
    if (!c || c->numElements() > 1024 ||
        c->dtype == onnx::TensorProto::FLOAT16 ||
        c->dtype == onnx::TensorProto::BFLOAT16)
      return success();
    ins.push_back(c);
  }
  // Index operands (shapes, axes, indices, slice bounds) must be integers.
  if (t == "Unsqueeze" || t == "Squeeze" || t == "Reshape" || t == "Gather" ||
      t == "Slice")
    for (size_t i = 1; i < ins.size(); ++i)
      if (ins[i] && !ins[i]->asInts())
        return success();
  if (!ins[0])
    return success();
  const ConstTensor &x = *ins[0];
  SmallVector<double> xv = *x.asDoubles();
  auto done = [&](std::optional<ConstTensor> r) {
    if (!r)
      return;
    if (t != "Identity")
      r->name.clear();
    setConstOutput(0, std::move(*r));
    folded = true;
  };

  if (t == "Identity") {
    done(x); // Keeps the weight's name.
  } else if (t == "Unsqueeze" || t == "Squeeze" || t == "Reshape") {
    // Delegate the shape computation; only the data is copied.
    SmallVector<int64_t> axes = opset >= 13 && ins.size() > 1 && ins[1]
                                    ? *ins[1]->asInts()
                                    : attrInts("axes");
    SmallVector<int64_t> shape(x.shape);
    if (t == "Reshape") {
      if (!ins[1])
        return success();
      SmallVector<int64_t> req = *ins[1]->asInts();
      shape.clear();
      int64_t known = 1, minus = -1;
      for (auto [i, d] : llvm::enumerate(req)) {
        if (d == 0 && !attrInt("allowzero", 0) && i < x.shape.size())
          d = x.shape[i];
        if (d == -1)
          minus = i;
        else
          known *= d;
        shape.push_back(d);
      }
      if (minus >= 0)
        shape[minus] = known ? x.numElements() / known : 0;
    } else if (t == "Unsqueeze") {
      int64_t rank = x.shape.size() + axes.size();
      for (int64_t &a : axes)
        a = a < 0 ? a + rank : a;
      llvm::sort(axes);
      for (int64_t a : axes) {
        if (a < 0 || a > int64_t(shape.size()))
          return success(); // Let the regular conversion report it.
        shape.insert(shape.begin() + a, 1);
      }
    } else {
      SmallVector<int64_t> kept;
      for (auto [i, d] : llvm::enumerate(x.shape)) {
        bool drop = axes.empty()
                        ? d == 1
                        : llvm::is_contained(axes, int64_t(i)) ||
                              llvm::is_contained(
                                  axes, int64_t(i) - int64_t(x.shape.size()));
        if (!drop)
          kept.push_back(d);
      }
      shape = kept;
    }
    if (product(shape) != x.numElements())
      return success(); // Let the regular conversion report it.
    ConstTensor r = x;
    r.shape = shape;
    done(r);
  } else if (t == "Concat") {
    int64_t rank = x.shape.size();
    int64_t axis = attrInt("axis", 0);
    axis = axis < 0 ? axis + rank : axis;
    if (rank != 1 || axis != 0)
      return success();
    SmallVector<double> all;
    for (const ConstTensor *c : ins) {
      if (!c || c->dtype != x.dtype || c->shape.size() != 1)
        return success();
      SmallVector<double> v = *c->asDoubles();
      all.append(v.begin(), v.end());
    }
    done(ConstTensor::fromDoubles(x.dtype, {int64_t(all.size())}, all));
  } else if (t == "Gather") {
    if (x.shape.size() != 1 || attrInt("axis", 0) != 0 || !ins[1])
      return success();
    SmallVector<int64_t> idx = *ins[1]->asInts();
    SmallVector<double> out;
    for (int64_t i : idx) {
      if (i < 0)
        i += x.shape[0];
      if (i < 0 || i >= x.shape[0])
        return success();
      out.push_back(xv[i]);
    }
    done(ConstTensor::fromDoubles(x.dtype, ins[1]->shape, out));
  } else if (t == "Cast") {
    done(ConstTensor::fromDoubles(attrInt("to", 0), x.shape, xv));
  } else if (t == "Slice") {
    if (x.shape.size() != 1 || !ins[1] || !ins[2])
      return success();
    int64_t n = x.shape[0];
    if (ins[1]->numElements() != 1 || ins[2]->numElements() != 1 ||
        (ins.size() > 3 && ins[3] && ins[3]->numElements() != 1) ||
        (ins.size() > 4 && ins[4] && ins[4]->numElements() != 1))
      return success();
    int64_t start = (*ins[1]->asInts())[0], end = (*ins[2]->asInts())[0];
    int64_t step = ins.size() > 4 && ins[4] ? (*ins[4]->asInts())[0] : 1;
    if (step != 1)
      return success();
    if (start < 0)
      start += n;
    if (end < 0)
      end += n;
    start = std::clamp<int64_t>(start, 0, n);
    end = std::clamp<int64_t>(end, 0, n);
    SmallVector<double> out(xv.begin() + start,
                            xv.begin() + std::max(start, end));
    done(ConstTensor::fromDoubles(x.dtype, {int64_t(out.size())}, out));
  } else { // Add, Sub, Mul, Div on same-shaped or scalar operands.
    if (!ins[1] || ins[1]->dtype != x.dtype)
      return success();
    const ConstTensor &y = *ins[1];
    SmallVector<double> yv = *y.asDoubles();
    bool xs = x.numElements() == 1, ys = y.numElements() == 1;
    if (!(x.shape == y.shape || (ys && y.shape.size() <= x.shape.size()) ||
          (xs && x.shape.size() <= y.shape.size())))
      return success();
    ArrayRef<int64_t> shape =
        xs && !ys ? ArrayRef<int64_t>(y.shape) : ArrayRef<int64_t>(x.shape);
    bool isInt = x.asInts().has_value();
    SmallVector<double> out;
    for (int64_t i = 0, e = product(shape); i < e; ++i) {
      double a = xv[xs ? 0 : i], c = yv[ys ? 0 : i];
      double r = t == "Add"   ? a + c
                 : t == "Sub" ? a - c
                 : t == "Mul" ? a * c
                              : 0.0;
      if (t == "Div") {
        if (c == 0.0)
          return success();
        r = isInt ? std::trunc(a / c) : a / c;
      }
      out.push_back(r);
    }
    done(ConstTensor::fromDoubles(x.dtype, shape, out));
  }
  return success();
}
