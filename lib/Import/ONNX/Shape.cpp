//===- Shape.cpp - ONNX shape manipulation ops ----------------------------===//
//
// Part of sparsity-mlir. Identity, Constant, Shape, ConstantOfShape, Expand,
// Flatten, Reshape, Transpose, Concat, (Un)Squeeze, Slice, Split, Pad, Gather
// and Resize.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include <cmath>
#include <numeric>

using namespace mlir;
using namespace mlir::sparsity;
using namespace mlir::sparsity::onnx_import;

//===----------------------------------------------------------------------===//
// Shape manipulation
//===----------------------------------------------------------------------===//

LogicalResult Importer::convertIdentity() {
  if (node->op_type() == "Dropout") {
    if (failed(checkAttrs({"seed", "ratio"})))
      return failure();
    if (node->output_size() > 1 && !node->output(1).empty())
      return nodeError() << "the mask output is not supported";
    if (hasInput(2)) {
      const ConstTensor *t = constInput(2);
      std::optional<SmallVector<int64_t>> v = t ? t->asInts() : std::nullopt;
      if (!v || llvm::any_of(*v, [](int64_t x) { return x != 0; }))
        return nodeError() << "training mode is not supported "
                              "(training_mode must be constant false)";
    }
  } else if (failed(checkAttrs({}))) {
    return failure();
  }
  if (failed(checkInputs(1, node->op_type() == "Dropout" ? 3 : 1)))
    return failure();
  setOutput(0, input(0));
  return success();
}

LogicalResult Importer::convertConstant() {
  if (node->attribute_size() != 1)
    return nodeError() << "expected exactly one attribute";
  const onnx::AttributeProto &a = node->attribute(0);
  StringRef name = a.name();
  ConstTensor t;
  if (name == "value") {
    std::string error;
    if (failed(decodeTensor(a.t(), t, error)))
      return nodeError() << "attribute 'value': " << error;
    if (isUnsignedType(t.dtype))
      return unsupportedAttr("value", "element type " + onnxTypeName(t.dtype));
  } else if (name == "value_float") {
    t = *ConstTensor::fromDoubles(onnx::TensorProto::FLOAT, {}, {a.f()});
  } else if (name == "value_floats") {
    SmallVector<double> v(a.floats().begin(), a.floats().end());
    t = *ConstTensor::fromDoubles(onnx::TensorProto::FLOAT, {int64_t(v.size())},
                                  v);
  } else if (name == "value_int") {
    t = ConstTensor::fromInts({}, {a.i()});
  } else if (name == "value_ints") {
    SmallVector<int64_t> v(a.ints().begin(), a.ints().end());
    t = ConstTensor::fromInts({int64_t(v.size())}, v);
  } else {
    return unsupportedAttr(name);
  }
  setConstOutput(0, std::move(t));
  return success();
}

LogicalResult Importer::convertShape() {
  if (failed(checkAttrs({"start", "end"})) || failed(checkInputs(1, 1)))
    return failure();
  ArrayRef<int64_t> s = hasInput(0) && consts.count(node->input(0))
                            ? ArrayRef<int64_t>(consts[node->input(0)].shape)
                            : shapeOf(input(0));
  int64_t r = s.size();
  int64_t start = attrInt("start", 0), end = attrInt("end", r);
  if (start < 0)
    start += r;
  if (end < 0)
    end += r;
  start = std::clamp<int64_t>(start, 0, r);
  end = std::clamp<int64_t>(end, start, r);
  SmallVector<int64_t> dims(s.begin() + start, s.begin() + end);
  setConstOutput(0, ConstTensor::fromInts({int64_t(dims.size())}, dims));
  return success();
}

LogicalResult Importer::convertConstantOfShape() {
  if (failed(checkAttrs({"value"})) || failed(checkInputs(1, 1)))
    return failure();
  FailureOr<SmallVector<int64_t>> shape = constInts(0, "input");
  if (failed(shape))
    return failure();
  ConstTensor value =
      *ConstTensor::fromDoubles(onnx::TensorProto::FLOAT, {1}, {0.0});
  if (const onnx::AttributeProto *a = attr("value")) {
    std::string error;
    if (failed(decodeTensor(a->t(), value, error)) ||
        value.numElements() != 1 || isUnsignedType(value.dtype))
      return unsupportedAttr("value",
                             error.empty() ? "expected one element" : error);
  }
  Type elem = mlirElementType(ctx, value.dtype);
  ConstTensor splat = value;
  splat.shape = *shape;
  int64_t n = product(*shape);
  if (n <= kMaxInlineElements) {
    splat.data.clear();
    for (int64_t i = 0; i < n; ++i)
      splat.data.insert(splat.data.end(), value.data.begin(), value.data.end());
    setConstOutput(0, std::move(splat));
    return success();
  }
  // Large: a splat constant.
  auto type = RankedTensorType::get(*shape, elem);
  auto attrV = DenseElementsAttr::getFromRawBuffer(
      RankedTensorType::get({1}, elem), value.data);
  setOutput(
      0, arith::ConstantOp::create(
             builder, loc,
             DenseElementsAttr::get(type, attrV.getSplatValue<Attribute>())));
  return success();
}

LogicalResult Importer::convertExpand() {
  if (failed(checkAttrs({})) || failed(checkInputs(2, 2)))
    return failure();
  FailureOr<SmallVector<int64_t>> shape = constInts(1, "shape");
  if (failed(shape))
    return failure();
  Value x = input(0);
  // Expand broadcasts both ways: the result shape is the broadcast of the
  // input shape and the requested one.
  FailureOr<SmallVector<int64_t>> out =
      broadcastShapes({SmallVector<int64_t>(shapeOf(x)), *shape});
  if (failed(out))
    return failure();
  setOutput(
      0, elementwise({x}, elemOf(x), *out,
                     [](OpBuilder &, Location, ValueRange a) { return a[0]; }));
  return success();
}

LogicalResult Importer::convertFlatten() {
  if (failed(checkAttrs({"axis"})) || failed(checkInputs(1, 1)))
    return failure();
  Value x = input(0);
  ArrayRef<int64_t> s = shapeOf(x);
  int64_t r = s.size();
  int64_t axis = attrInt("axis", 1);
  if (axis < -r || axis > r)
    return unsupportedAttr("axis", "out of range");
  if (axis < 0)
    axis += r;
  setOutput(0, reshape(x, {product(s.take_front(axis)),
                           product(s.drop_front(axis))}));
  return success();
}

LogicalResult Importer::convertReshape() {
  if (failed(checkAttrs({"allowzero"})) || failed(checkInputs(2, 2)))
    return failure();
  FailureOr<SmallVector<int64_t>> req = constInts(1, "shape");
  if (failed(req))
    return failure();
  Value x = input(0);
  ArrayRef<int64_t> s = shapeOf(x);
  bool allowZero = attrInt("allowzero", 0);
  SmallVector<int64_t> shape;
  int64_t known = 1, minus = -1;
  for (auto [i, d] : llvm::enumerate(*req)) {
    if (d == 0 && !allowZero) {
      if (i >= s.size())
        return nodeError() << "shape entry " << i
                           << " is 0 but the input has rank " << s.size();
      d = s[i];
    }
    if (d == -1) {
      if (minus >= 0)
        return nodeError() << "shape has more than one -1";
      minus = i;
    } else if (d < 0) {
      return nodeError() << "invalid shape entry " << d;
    } else {
      known *= d;
    }
    shape.push_back(d);
  }
  int64_t n = product(s);
  if (minus >= 0) {
    if (known == 0 || n % known != 0)
      return nodeError() << "cannot infer -1 for " << n << " elements";
    shape[minus] = n / known;
  }
  if (product(shape) != n)
    return nodeError() << "cannot reshape " << n << " elements to "
                       << product(shape);
  setOutput(0, reshape(x, shape));
  return success();
}

LogicalResult Importer::convertTranspose() {
  if (failed(checkAttrs({"perm"})) || failed(checkInputs(1, 1)))
    return failure();
  Value x = input(0);
  int64_t r = shapeOf(x).size();
  SmallVector<int64_t> perm = attrInts("perm");
  if (perm.empty())
    for (int64_t i = r - 1; i >= 0; --i)
      perm.push_back(i);
  SmallVector<int64_t> sorted(perm);
  llvm::sort(sorted);
  if (int64_t(perm.size()) != r ||
      !llvm::equal(sorted, llvm::seq<int64_t>(0, r)))
    return unsupportedAttr("perm", "not a permutation of the input dims");
  setOutput(0, transpose(x, perm));
  return success();
}

LogicalResult Importer::convertConcat() {
  if (failed(checkAttrs({"axis"})) || failed(checkInputs(1, 1 << 16)))
    return failure();
  SmallVector<Value> ins;
  for (int i = 0; i < node->input_size(); ++i)
    if (hasInput(i))
      ins.push_back(input(i));
  int64_t r = shapeOf(ins[0]).size();
  FailureOr<int64_t> axis = normalizeAxis(attrInt("axis", 0), r);
  if (failed(axis))
    return failure();
  for (Value v : ins) {
    if (int64_t(shapeOf(v).size()) != r || elemOf(v) != elemOf(ins[0]))
      return nodeError() << "operands differ in rank or element type";
    for (int64_t d = 0; d < r; ++d)
      if (d != *axis && shapeOf(v)[d] != shapeOf(ins[0])[d])
        return nodeError() << "operand shapes differ in dimension " << d;
  }
  // Zero-sized operands contribute nothing.
  SmallVector<Value> nonEmpty;
  for (Value v : ins)
    if (shapeOf(v)[*axis] != 0)
      nonEmpty.push_back(v);
  if (nonEmpty.size() == 1) {
    setOutput(0, nonEmpty[0]);
    return success();
  }
  if (nonEmpty.empty())
    nonEmpty.push_back(ins[0]);
  setOutput(0, nonEmpty.size() == 1
                   ? nonEmpty[0]
                   : tensor::ConcatOp::create(builder, loc, *axis, nonEmpty)
                         .getResult());
  return success();
}

LogicalResult Importer::convertSqueeze() {
  bool unsqueeze = node->op_type() == "Unsqueeze";
  if (failed(checkAttrs({"axes"})) || failed(checkInputs(1, 2)))
    return failure();
  Value x = input(0);
  SmallVector<int64_t> shape(shapeOf(x));
  SmallVector<int64_t> axes;
  if (opset >= 13) {
    if (attr("axes"))
      return unsupportedAttr("axes", "an input since opset 13");
    if (hasInput(1)) {
      FailureOr<SmallVector<int64_t>> a = constInts(1, "axes");
      if (failed(a))
        return failure();
      axes = *a;
    }
  } else {
    if (hasInput(1))
      return nodeError() << "axes is an attribute before opset 13";
    axes = attrInts("axes");
  }
  if (unsqueeze) {
    FailureOr<SmallVector<int64_t>> n =
        normalizeAxes(axes, shape.size() + axes.size());
    if (failed(n))
      return failure();
    for (int64_t a : *n)
      shape.insert(shape.begin() + a, 1);
  } else {
    FailureOr<SmallVector<int64_t>> n = normalizeAxes(axes, shape.size());
    if (failed(n))
      return failure();
    SmallVector<int64_t> kept;
    for (auto [i, d] : llvm::enumerate(shape)) {
      bool listed = llvm::is_contained(*n, int64_t(i));
      if (listed && d != 1)
        return nodeError() << "cannot squeeze dimension " << i << " of size "
                           << d;
      if (!(listed || (axes.empty() && d == 1)))
        kept.push_back(d);
    }
    shape = kept;
  }
  setOutput(0, reshape(x, shape));
  return success();
}

LogicalResult Importer::convertSlice() {
  if (failed(checkAttrs({})) || failed(checkInputs(3, 5)))
    return failure();
  Value x = input(0);
  ArrayRef<int64_t> s = shapeOf(x);
  int64_t r = s.size();
  FailureOr<SmallVector<int64_t>> starts = constInts(1, "starts");
  FailureOr<SmallVector<int64_t>> ends = constInts(2, "ends");
  if (failed(starts) || failed(ends))
    return failure();
  SmallVector<int64_t> axes, steps;
  if (hasInput(3)) {
    FailureOr<SmallVector<int64_t>> a = constInts(3, "axes");
    if (failed(a))
      return failure();
    axes = *a;
  } else {
    axes = llvm::to_vector(llvm::seq<int64_t>(0, starts->size()));
  }
  if (hasInput(4)) {
    FailureOr<SmallVector<int64_t>> st = constInts(4, "steps");
    if (failed(st))
      return failure();
    steps = *st;
  } else {
    steps.assign(starts->size(), 1);
  }
  if (ends->size() != starts->size() || axes.size() != starts->size() ||
      steps.size() != starts->size())
    return nodeError() << "starts, ends, axes and steps differ in length";
  SmallVector<int64_t> offsets(r, 0), sizes(s), strides(r, 1), reversed;
  for (size_t i = 0; i < axes.size(); ++i) {
    FailureOr<int64_t> ax = normalizeAxis(axes[i], r);
    if (failed(ax))
      return failure();
    int64_t dim = s[*ax], step = steps[i];
    if (step == 0)
      return nodeError() << "steps must not be 0";
    int64_t st = (*starts)[i], en = (*ends)[i];
    if (st < 0)
      st += dim;
    if (en < 0)
      en += dim;
    int64_t size;
    if (step > 0) {
      st = std::clamp<int64_t>(st, 0, dim);
      en = std::clamp<int64_t>(en, 0, dim);
      size = en > st ? (en - st + step - 1) / step : 0;
    } else {
      // Walk backwards from `st`: slice the same elements forwards with
      // stride |step|, then reverse the axis.
      st = std::clamp<int64_t>(st, -1, dim - 1);
      en = std::clamp<int64_t>(en, -1, dim - 1);
      size = st > en ? (st - en + (-step) - 1) / (-step) : 0;
      if (size > 0) {
        st -= (size - 1) * (-step);
        reversed.push_back(*ax);
      }
      step = -step;
    }
    offsets[*ax] = size > 0 ? st : 0;
    strides[*ax] = step;
    sizes[*ax] = size;
  }
  SmallVector<OpFoldResult> o, z, t;
  for (int64_t i = 0; i < r; ++i) {
    o.push_back(builder.getIndexAttr(offsets[i]));
    z.push_back(builder.getIndexAttr(sizes[i]));
    t.push_back(builder.getIndexAttr(strides[i]));
  }
  Value slice = tensor::ExtractSliceOp::create(builder, loc, x, o, z, t);
  if (!reversed.empty()) {
    SmallVector<AffineExpr> exprs;
    for (int64_t d = 0; d < r; ++d)
      exprs.push_back(llvm::is_contained(reversed, d)
                          ? getAffineConstantExpr(sizes[d] - 1, ctx) -
                                getAffineDimExpr(d, ctx)
                          : getAffineDimExpr(d, ctx));
    Value init = empty(sizes, elemOf(x));
    slice =
        linalg::GenericOp::create(
            builder, loc, TypeRange{init.getType()}, ValueRange{slice},
            ValueRange{init},
            ArrayRef<AffineMap>{AffineMap::get(r, 0, exprs, ctx),
                                builder.getMultiDimIdentityMap(r)},
            SmallVector<utils::IteratorType>(r, utils::IteratorType::parallel),
            [](OpBuilder &nb, Location nl, ValueRange a) {
              linalg::YieldOp::create(nb, nl, a[0]);
            })
            .getResult(0);
  }
  setOutput(0, slice);
  return success();
}

LogicalResult Importer::convertSplit() {
  if (failed(checkAttrs({"axis", "split"})) || failed(checkInputs(1, 2)))
    return failure();
  Value x = input(0);
  ArrayRef<int64_t> s = shapeOf(x);
  FailureOr<int64_t> axis = normalizeAxis(attrInt("axis", 0), s.size());
  if (failed(axis))
    return failure();
  SmallVector<int64_t> split;
  if (hasInput(1)) {
    FailureOr<SmallVector<int64_t>> v = constInts(1, "split");
    if (failed(v))
      return failure();
    split = *v;
  } else if (attr("split")) {
    split = attrInts("split");
  } else {
    int64_t k = node->output_size();
    int64_t chunk = (s[*axis] + k - 1) / k;
    for (int64_t i = 0, left = s[*axis]; i < k; ++i, left -= chunk)
      split.push_back(std::min(chunk, std::max<int64_t>(left, 0)));
  }
  if (int64_t(split.size()) != node->output_size() ||
      std::accumulate(split.begin(), split.end(), int64_t(0)) != s[*axis])
    return nodeError() << "split sizes do not add up to dimension " << *axis;
  int64_t off = 0;
  for (auto [i, len] : llvm::enumerate(split)) {
    SmallVector<OpFoldResult> o, z, t;
    for (int64_t d = 0; d < int64_t(s.size()); ++d) {
      o.push_back(builder.getIndexAttr(d == *axis ? off : 0));
      z.push_back(builder.getIndexAttr(d == *axis ? len : s[d]));
      t.push_back(builder.getIndexAttr(1));
    }
    setOutput(
        i,
        tensor::ExtractSliceOp::create(builder, loc, x, o, z, t).getResult());
    off += len;
  }
  return success();
}

LogicalResult Importer::convertPad() {
  if (failed(checkAttrs({"mode"})) || failed(checkInputs(2, 4)))
    return failure();
  std::string mode = attrString("mode", "constant");
  if (mode != "constant")
    return unsupportedAttr("mode", "value '" + mode + "'");
  Value x = input(0);
  int64_t r = shapeOf(x).size();
  FailureOr<SmallVector<int64_t>> pads = constInts(1, "pads");
  if (failed(pads))
    return failure();
  SmallVector<int64_t> axes = llvm::to_vector(llvm::seq<int64_t>(0, r));
  if (hasInput(3)) {
    FailureOr<SmallVector<int64_t>> a = constInts(3, "axes");
    if (failed(a))
      return failure();
    axes.clear();
    for (int64_t v : *a) {
      FailureOr<int64_t> n = normalizeAxis(v, r);
      if (failed(n))
        return failure();
      axes.push_back(*n);
    }
  }
  int64_t k = axes.size();
  if (int64_t(pads->size()) != 2 * k)
    return nodeError() << "expected " << 2 * k << " pad values";
  SmallVector<int64_t> lo(r, 0), hi(r, 0);
  for (int64_t i = 0; i < k; ++i) {
    lo[axes[i]] = (*pads)[i];
    hi[axes[i]] = (*pads)[i + k];
    if (lo[axes[i]] < 0 || hi[axes[i]] < 0)
      return nodeError() << "negative pads are not supported";
  }
  Value padValue;
  if (hasInput(2)) {
    Value v = input(2);
    if (product(shapeOf(v)) != 1)
      return nodeError() << "constant_value must be a scalar";
    padValue = tensor::ExtractOp::create(
        builder, loc, v,
        SmallVector<Value>(shapeOf(v).size(),
                           arith::ConstantIndexOp::create(builder, loc, 0)));
  } else {
    padValue = scalarConst(elemOf(x), 0.0);
  }
  setOutput(0, pad(x, lo, hi, padValue));
  return success();
}

LogicalResult Importer::convertGather() {
  if (failed(checkAttrs({"axis"})) || failed(checkInputs(2, 2)))
    return failure();
  Value data = input(0);
  const ConstTensor *constIdx = constInput(1);
  ArrayRef<int64_t> ds = shapeOf(data);
  FailureOr<int64_t> axisOr = normalizeAxis(attrInt("axis", 0), ds.size());
  if (failed(axisOr))
    return failure();
  int64_t axis = *axisOr;
  // Scalar constant index: a slice.
  if (constIdx && constIdx->shape.empty() && constIdx->asInts()) {
    int64_t idx = (*constIdx->asInts())[0];
    if (idx < 0)
      idx += ds[axis];
    if (idx < 0 || idx >= ds[axis])
      return nodeError() << "index " << idx << " is out of range";
    SmallVector<OpFoldResult> o, z, t;
    SmallVector<int64_t> outShape;
    for (int64_t d = 0; d < int64_t(ds.size()); ++d) {
      o.push_back(builder.getIndexAttr(d == axis ? idx : 0));
      z.push_back(builder.getIndexAttr(d == axis ? 1 : ds[d]));
      t.push_back(builder.getIndexAttr(1));
      if (d != axis)
        outShape.push_back(ds[d]);
    }
    Value slice = tensor::ExtractSliceOp::create(builder, loc, data, o, z, t);
    setOutput(0, reshape(slice, outShape));
    return success();
  }
  Value indices = input(1);
  ArrayRef<int64_t> is = shapeOf(indices);
  if (!isa<IntegerType>(elemOf(indices)))
    return nodeError() << "indices must be integers";
  // General: out[pre..., idx..., post...] = data[pre..., indices[idx...],
  // post...] as a linalg.generic reading `data` with tensor.extract.
  SmallVector<int64_t> outShape(ds.take_front(axis));
  outShape.append(is.begin(), is.end());
  outShape.append(ds.begin() + axis + 1, ds.end());
  int64_t rank = outShape.size(), ir = is.size();
  SmallVector<AffineExpr> idxExprs;
  for (int64_t i = 0; i < ir; ++i)
    idxExprs.push_back(getAffineDimExpr(axis + i, ctx));
  SmallVector<AffineMap> maps = {AffineMap::get(rank, 0, idxExprs, ctx),
                                 builder.getMultiDimIdentityMap(rank)};
  SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
  Value init = empty(outShape, elemOf(data));
  int64_t axisSize = ds[axis], dr = ds.size();
  Value r =
      linalg::GenericOp::create(
          builder, loc, TypeRange{init.getType()}, ValueRange{indices},
          ValueRange{init}, maps, iters,
          [&](OpBuilder &nb, Location nl, ValueRange args) {
            Value idx =
                arith::IndexCastOp::create(nb, nl, nb.getIndexType(), args[0]);
            Value zero = arith::ConstantIndexOp::create(nb, nl, 0);
            Value size = arith::ConstantIndexOp::create(nb, nl, axisSize);
            Value neg = arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::slt,
                                              idx, zero);
            idx = arith::SelectOp::create(
                nb, nl, neg, arith::AddIOp::create(nb, nl, idx, size), idx);
            SmallVector<Value> coords;
            for (int64_t d = 0; d < dr; ++d) {
              if (d < axis)
                coords.push_back(linalg::IndexOp::create(nb, nl, d));
              else if (d == axis)
                coords.push_back(idx);
              else
                coords.push_back(linalg::IndexOp::create(nb, nl, d - 1 + ir));
            }
            Value v = tensor::ExtractOp::create(nb, nl, data, coords);
            linalg::YieldOp::create(nb, nl, v);
          })
          .getResult(0);
  setOutput(0, r);
  return success();
}

LogicalResult Importer::convertResize() {
  if (failed(checkAttrs({"coordinate_transformation_mode", "cubic_coeff_a",
                         "exclude_outside", "extrapolation_value", "mode",
                         "nearest_mode"})) ||
      failed(checkInputs(1, 4)))
    return failure();
  std::string mode = attrString("mode", "nearest");
  std::string ctm = attrString("coordinate_transformation_mode", "half_pixel");
  std::string nearestMode = attrString("nearest_mode", "round_prefer_floor");
  if (mode != "nearest" && mode != "linear")
    return unsupportedAttr("mode", "value '" + mode + "'");
  if (ctm != "half_pixel" && ctm != "pytorch_half_pixel" &&
      ctm != "align_corners" && ctm != "asymmetric" &&
      ctm != "tf_half_pixel_for_nn")
    return unsupportedAttr("coordinate_transformation_mode",
                           "value '" + ctm + "'");
  if (nearestMode != "round_prefer_floor" &&
      nearestMode != "round_prefer_ceil" && nearestMode != "floor" &&
      nearestMode != "ceil")
    return unsupportedAttr("nearest_mode", "value '" + nearestMode + "'");
  Value x = input(0);
  if (!isFloat(x))
    return nodeError() << "only floating-point inputs are supported";
  ArrayRef<int64_t> xs = shapeOf(x);
  int64_t r = xs.size();
  SmallVector<double> scales;
  SmallVector<int64_t> outShape;
  const ConstTensor *scalesT = constInput(2);
  const ConstTensor *sizesT = constInput(3);
  if ((hasInput(2) && !scalesT) || (hasInput(3) && !sizesT))
    return nodeError() << "scales and sizes computed at run time are not "
                          "supported (they must be constants)";
  if (sizesT && sizesT->numElements() > 0) {
    SmallVector<int64_t> sizes = *sizesT->asInts();
    if (int64_t(sizes.size()) != r)
      return nodeError() << "sizes must have one value per dim";
    outShape = sizes;
    for (int64_t d = 0; d < r; ++d)
      scales.push_back(double(float(sizes[d]) / float(xs[d])));
  } else if (scalesT && scalesT->numElements() > 0) {
    std::optional<SmallVector<double>> sc = scalesT->asDoubles();
    if (!sc || int64_t(sc->size()) != r)
      return nodeError() << "scales must have one value per dim";
    scales = *sc;
    for (int64_t d = 0; d < r; ++d)
      outShape.push_back(int64_t(std::floor(float(xs[d]) * float(scales[d]))));
  } else {
    return nodeError() << "needs scales or sizes";
  }
  // Source coordinate of each output position, per resized dim, in float as
  // the ONNX reference does.
  auto source = [&](int64_t d, int64_t o) -> float {
    float scale = float(scales[d]);
    float in = float(xs[d]), out = float(outShape[d]), xo = float(o);
    if (ctm == "half_pixel")
      return (xo + 0.5f) / scale - 0.5f;
    if (ctm == "pytorch_half_pixel")
      return out > 1 ? (xo + 0.5f) / scale - 0.5f : 0.0f;
    // The reference uses the unrounded resized length in * scale here.
    float resizedLen = in * scale;
    if (ctm == "align_corners")
      return out == 1 ? 0.0f : xo * (in - 1) / (resizedLen - 1);
    if (ctm == "asymmetric")
      return xo / scale;
    return (xo + 0.5f) / scale; // tf_half_pixel_for_nn
  };
  SmallVector<int64_t> resized;
  SmallVector<Value> tables;
  for (int64_t d = 0; d < r; ++d) {
    if (outShape[d] == xs[d] && scales[d] == 1.0)
      continue;
    resized.push_back(d);
    SmallVector<int64_t> i0, i1;
    SmallVector<double> w1;
    for (int64_t o = 0; o < outShape[d]; ++o) {
      float c = source(d, o);
      if (mode == "nearest") {
        float f = std::floor(c);
        int64_t n;
        if (nearestMode == "floor")
          n = int64_t(f);
        else if (nearestMode == "ceil")
          n = int64_t(std::ceil(c));
        else if (c - f == 0.5f)
          n = int64_t(nearestMode == "round_prefer_floor" ? f : f + 1);
        else
          n = int64_t(std::round(c));
        i0.push_back(std::clamp<int64_t>(n, 0, xs[d] - 1));
      } else {
        c = std::clamp(c, 0.0f, float(xs[d] - 1));
        int64_t lo = int64_t(std::floor(c));
        i0.push_back(lo);
        i1.push_back(std::min<int64_t>(lo + 1, xs[d] - 1));
        w1.push_back(c - float(lo));
      }
    }
    std::string base = nodeName + "_" + std::to_string(d);
    tables.push_back(materialize(ConstTensor::fromInts({outShape[d]}, i0),
                                 base + "_index", loc));
    if (mode == "linear") {
      tables.push_back(materialize(ConstTensor::fromInts({outShape[d]}, i1),
                                   base + "_index1", loc));
      tables.push_back(
          castTo(materialize(*ConstTensor::fromDoubles(onnx::TensorProto::FLOAT,
                                                       {outShape[d]}, w1),
                             base + "_weight", loc),
                 elemOf(x)));
    }
  }
  if (resized.empty()) {
    setOutput(0, x);
    return success();
  }
  int64_t perDim = mode == "linear" ? 3 : 1;
  SmallVector<AffineMap> maps;
  for (int64_t d : resized)
    for (int64_t k = 0; k < perDim; ++k)
      maps.push_back(AffineMap::get(r, 0, {getAffineDimExpr(d, ctx)}, ctx));
  maps.push_back(builder.getMultiDimIdentityMap(r));
  Value init = empty(outShape, elemOf(x));
  bool linear = mode == "linear";
  Value result =
      linalg::GenericOp::create(
          builder, loc, TypeRange{init.getType()}, tables, ValueRange{init},
          maps,
          SmallVector<utils::IteratorType>(r, utils::IteratorType::parallel),
          [&](OpBuilder &nb, Location nl, ValueRange a) {
            auto idx = [&](Value v) -> Value {
              return arith::IndexCastOp::create(nb, nl, nb.getIndexType(), v);
            };
            SmallVector<Value> base;
            for (int64_t d = 0; d < r; ++d)
              base.push_back(linalg::IndexOp::create(nb, nl, d));
            int64_t k = resized.size();
            Value acc;
            for (int64_t corner = 0; corner < (linear ? (1 << k) : 1);
                 ++corner) {
              SmallVector<Value> coords(base);
              Value weight;
              for (int64_t j = 0; j < k; ++j) {
                bool hi = linear && ((corner >> j) & 1);
                coords[resized[j]] = idx(a[j * perDim + (hi ? 1 : 0)]);
                if (!linear)
                  continue;
                Value w = a[j * perDim + 2];
                if (!hi)
                  w = arith::SubFOp::create(
                      nb, nl,
                      arith::ConstantOp::create(
                          nb, nl, nb.getFloatAttr(w.getType(), 1.0)),
                      w);
                weight = weight
                             ? Value(arith::MulFOp::create(nb, nl, weight, w))
                             : w;
              }
              Value v = tensor::ExtractOp::create(nb, nl, x, coords);
              if (linear)
                v = arith::MulFOp::create(nb, nl, v, weight);
              acc = acc ? Value(arith::AddFOp::create(nb, nl, acc, v)) : v;
            }
            linalg::YieldOp::create(nb, nl, acc);
          })
          .getResult(0);
  setOutput(0, result);
  return success();
}
