//===- Conv.cpp - ONNX Conv and pooling ops -------------------------------===//
//
// Part of sparsity-mlir. Conv, ConvTranspose, MaxPool and AveragePool, which
// share the window computation (pads, strides, dilations, auto_pad).
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

using namespace mlir;
using namespace mlir::sparsity;
using namespace mlir::sparsity::onnx_import;

//===----------------------------------------------------------------------===//
// Convolution and pooling
//===----------------------------------------------------------------------===//

FailureOr<Importer::Window> Importer::computeWindow(ArrayRef<int64_t> in,
                                                    ArrayRef<int64_t> kernel,
                                                    bool ceilMode) {
  size_t r = in.size();
  Window w;
  w.kernel.assign(kernel.begin(), kernel.end());
  w.strides = attrInts("strides");
  w.dilations = attrInts("dilations");
  SmallVector<int64_t> pads = attrInts("pads");
  if (w.strides.empty())
    w.strides.assign(r, 1);
  if (w.dilations.empty())
    w.dilations.assign(r, 1);
  if (pads.empty())
    pads.assign(2 * r, 0);
  if (w.strides.size() != r)
    return unsupportedAttr("strides", "expected one value per spatial dim");
  if (w.dilations.size() != r)
    return unsupportedAttr("dilations", "expected one value per spatial dim");
  if (pads.size() != 2 * r)
    return unsupportedAttr("pads", "expected two values per spatial dim");
  for (int64_t s : w.strides)
    if (s < 1)
      return unsupportedAttr("strides", "must be positive");
  for (int64_t d : w.dilations)
    if (d < 1)
      return unsupportedAttr("dilations", "must be positive");
  std::string autoPad = attrString("auto_pad", "NOTSET");
  for (size_t i = 0; i < r; ++i) {
    int64_t extent = (w.kernel[i] - 1) * w.dilations[i] + 1;
    int64_t s = w.strides[i];
    int64_t lo = pads[i], hi = pads[i + r];
    if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
      int64_t out = (in[i] + s - 1) / s;
      int64_t total = std::max<int64_t>(0, (out - 1) * s + extent - in[i]);
      lo = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
      hi = total - lo;
    } else if (autoPad == "VALID") {
      lo = hi = 0;
    } else if (autoPad != "NOTSET") {
      return unsupportedAttr("auto_pad", "value '" + autoPad + "'");
    }
    if (lo < 0 || hi < 0)
      return unsupportedAttr("pads", "negative padding");
    int64_t span = in[i] + lo + hi - extent;
    if (span < 0)
      return nodeError() << "kernel extent " << extent
                         << " exceeds the padded input size "
                         << in[i] + lo + hi;
    int64_t out = (ceilMode ? (span + s - 1) / s : span / s) + 1;
    // A window that starts in the end padding is dropped (ceil_mode).
    if (ceilMode && (out - 1) * s >= in[i] + lo)
      --out;
    // Extra end padding so that the last (ceil_mode) window fits.
    int64_t needed = (out - 1) * s + extent;
    if (needed > in[i] + lo + hi)
      hi = needed - in[i] - lo;
    w.padBegin.push_back(lo);
    w.padEnd.push_back(hi);
    w.out.push_back(out);
  }
  return w;
}

Value Importer::emitConv(Value xp, Value wt, Value bias, int64_t g,
                         ArrayRef<int64_t> stridesIn,
                         ArrayRef<int64_t> dilationsIn,
                         ArrayRef<int64_t> outIn) {
  Type elem = elemOf(xp);
  int64_t n = shapeOf(xp)[0], c = shapeOf(xp)[1], m = shapeOf(wt)[0];
  int64_t spatial = shapeOf(xp).size() - 2;
  SmallVector<int64_t> ws(shapeOf(wt));
  SmallVector<int64_t> strides(stridesIn), dilations(dilationsIn), out(outIn);
  bool lifted = spatial == 1 && g != 1;
  if (lifted) {
    // Grouped/depthwise 1-D convolutions run as 2-D ones with height 1.
    xp = reshape(xp, {n, c, 1, shapeOf(xp)[2]});
    wt = reshape(wt, {m, ws[1], 1, ws[2]});
    strides.insert(strides.begin(), 1);
    dilations.insert(dilations.begin(), 1);
    out.insert(out.begin(), 1);
  }
  SmallVector<NamedAttribute> attrs = {
      builder.getNamedAttr("strides", i64Elements(strides)),
      builder.getNamedAttr("dilations", i64Elements(dilations))};

  // Initial value: the bias broadcast along the output, or zeros.
  auto initFor = [&](ArrayRef<int64_t> shape, Value biasShaped,
                     ArrayRef<int64_t> bcastDims) -> Value {
    if (!biasShaped)
      return filled(shape, elem, 0.0);
    return linalg::BroadcastOp::create(builder, loc, biasShaped,
                                       empty(shape, elem), bcastDims)
        ->getResult(0);
  };

  Value result;
  SmallVector<int64_t> outShape = {n, m};
  outShape.append(out.begin(), out.end());
  SmallVector<int64_t> spatialDims;
  for (int64_t i = 0; i < int64_t(out.size()); ++i)
    spatialDims.push_back(2 + i);
  SmallVector<int64_t> bcastDims = {0};
  bcastDims.append(spatialDims);
  if (g == 1) {
    Value init = initFor(outShape, bias, bcastDims);
    if (spatial == 1)
      result = linalg::Conv1DNcwFcwOp::create(
                   builder, loc, TypeRange{init.getType()}, ValueRange{xp, wt},
                   ValueRange{init}, attrs)
                   .getResult(0);
    else if (spatial == 3)
      result = linalg::Conv3DNcdhwFcdhwOp::create(
                   builder, loc, TypeRange{init.getType()}, ValueRange{xp, wt},
                   ValueRange{init}, attrs)
                   .getResult(0);
    else
      result = linalg::Conv2DNchwFchwOp::create(
                   builder, loc, TypeRange{init.getType()}, ValueRange{xp, wt},
                   ValueRange{init}, attrs)
                   .getResult(0);
  } else if (g == c && m == c && spatial == 3) {
    // Depthwise 3-D, multiplier 1: weight [C,1,KD,KH,KW] -> [C,KD,KH,KW].
    ArrayRef<int64_t> k = shapeOf(wt);
    Value w4 = reshape(wt, {c, k[2], k[3], k[4]});
    Value init = initFor(outShape, bias, bcastDims);
    result = linalg::DepthwiseConv3DNcdhwCdhwOp::create(
                 builder, loc, TypeRange{init.getType()}, ValueRange{xp, w4},
                 ValueRange{init}, attrs)
                 .getResult(0);
  } else if (g == c && m == c) {
    // Depthwise, multiplier 1: weight [C,1,KH,KW] -> [C,KH,KW].
    Value w3 = reshape(wt, {c, shapeOf(wt)[2], shapeOf(wt)[3]});
    Value init = initFor(outShape, bias, bcastDims);
    result = linalg::DepthwiseConv2DNchwChwOp::create(
                 builder, loc, TypeRange{init.getType()}, ValueRange{xp, w3},
                 ValueRange{init}, attrs)
                 .getResult(0);
  } else {
    // Grouped: [N,G,C/G,H,W] x [G,M/G,C/G,KH,KW] -> [N,G,M/G,OH,OW].
    ArrayRef<int64_t> ps = shapeOf(xp), pw = shapeOf(wt);
    Value x5 = reshape(xp, {n, g, c / g, ps[2], ps[3]});
    Value w5 = reshape(wt, {g, m / g, pw[1], pw[2], pw[3]});
    SmallVector<int64_t> gShape = {n, g, m / g, out[0], out[1]};
    Value init =
        initFor(gShape, bias ? reshape(bias, {g, m / g}) : Value(), {0, 3, 4});
    Value r = linalg::Conv2DNgchwGfchwOp::create(
                  builder, loc, TypeRange{init.getType()}, ValueRange{x5, w5},
                  ValueRange{init}, attrs)
                  .getResult(0);
    result = reshape(r, outShape);
  }
  if (lifted)
    result = reshape(result, {n, m, out[1]});
  return result;
}

LogicalResult Importer::convertConv() {
  if (failed(checkAttrs({"auto_pad", "dilations", "group", "kernel_shape",
                         "pads", "strides"})) ||
      failed(checkInputs(2, 3)))
    return failure();
  Value x = input(0), wt = input(1);
  ArrayRef<int64_t> xs = shapeOf(x), ws = shapeOf(wt);
  if (!isFloat(x) || elemOf(x) != elemOf(wt))
    return nodeError() << "only floating-point convolutions of one element "
                          "type are supported";
  if (xs.size() < 3 || xs.size() > 5)
    return nodeError() << "only 1-D, 2-D and 3-D convolutions are supported "
                          "(input rank "
                       << xs.size() << ")";
  if (ws.size() != xs.size())
    return nodeError() << "weight rank " << ws.size()
                       << " does not match input rank " << xs.size();
  int64_t spatial = xs.size() - 2;
  SmallVector<int64_t> kernel(ws.drop_front(2));
  SmallVector<int64_t> kernelAttr = attrInts("kernel_shape");
  if (!kernelAttr.empty() &&
      ArrayRef<int64_t>(kernelAttr) != ArrayRef<int64_t>(kernel))
    return unsupportedAttr("kernel_shape", "does not match the weight shape");
  int64_t g = attrInt("group", 1);
  int64_t c = xs[1], m = ws[0];
  if (g < 1 || c % g != 0 || m % g != 0 || ws[1] * g != c)
    return nodeError() << "group " << g << " does not fit " << c
                       << " input channels, weight shape [" << ws[0] << "x"
                       << ws[1] << "x...]";
  if (spatial == 3 && g != 1 && !(g == c && m == c))
    return nodeError() << "grouped 3-D convolutions (other than depthwise) "
                          "are not supported";
  FailureOr<Window> w = computeWindow(xs.drop_front(2), kernel, false);
  if (failed(w))
    return failure();
  Value bias;
  if (hasInput(2)) {
    bias = input(2);
    if (shapeOf(bias) != ArrayRef<int64_t>{m} || elemOf(bias) != elemOf(x))
      return nodeError() << "bias must be a 1-D tensor of " << m << " elements";
  }
  Type elem = elemOf(x);
  SmallVector<int64_t> lo(xs.size(), 0), hi(xs.size(), 0);
  for (int64_t i = 0; i < spatial; ++i) {
    lo[2 + i] = w->padBegin[i];
    hi[2 + i] = w->padEnd[i];
  }
  Value xp = pad(x, lo, hi, scalarConst(elem, 0.0));
  setOutput(0, emitConv(xp, wt, bias, g, w->strides, w->dilations, w->out));
  return success();
}

LogicalResult Importer::convertConvTranspose() {
  if (failed(
          checkAttrs({"auto_pad", "dilations", "group", "kernel_shape",
                      "output_padding", "output_shape", "pads", "strides"})) ||
      failed(checkInputs(2, 3)))
    return failure();
  Value x = input(0), wt = input(1);
  ArrayRef<int64_t> xs = shapeOf(x);
  SmallVector<int64_t> ws(shapeOf(wt));
  if (!isFloat(x) || elemOf(x) != elemOf(wt))
    return nodeError() << "only floating-point convolutions of one element "
                          "type are supported";
  if (xs.size() < 3 || xs.size() > 5 || ws.size() != xs.size())
    return nodeError() << "only 1-D, 2-D and 3-D transposed convolutions are "
                          "supported";
  int64_t r = xs.size() - 2;
  int64_t n = xs[0], c = xs[1], g = attrInt("group", 1);
  if (r == 3 && g != 1 && !(g == c && ws[1] == 1))
    return nodeError() << "grouped 3-D transposed convolutions (other than "
                          "depthwise) are not supported";
  if (g < 1 || c % g != 0 || ws[0] != c)
    return nodeError() << "weight shape does not fit " << c
                       << " input channels and group " << g;
  int64_t mg = ws[1], m = mg * g, cg = c / g;
  SmallVector<int64_t> kernel(ArrayRef<int64_t>(ws).drop_front(2));
  SmallVector<int64_t> kernelAttr = attrInts("kernel_shape");
  if (!kernelAttr.empty() &&
      ArrayRef<int64_t>(kernelAttr) != ArrayRef<int64_t>(kernel))
    return unsupportedAttr("kernel_shape", "does not match the weight shape");
  SmallVector<int64_t> strides = attrInts("strides"),
                       dilations = attrInts("dilations"),
                       pads = attrInts("pads"),
                       outPad = attrInts("output_padding"),
                       outShape = attrInts("output_shape");
  if (strides.empty())
    strides.assign(r, 1);
  if (dilations.empty())
    dilations.assign(r, 1);
  if (outPad.empty())
    outPad.assign(r, 0);
  if (pads.empty())
    pads.assign(2 * r, 0);
  if (int64_t(strides.size()) != r || int64_t(dilations.size()) != r ||
      int64_t(outPad.size()) != r || int64_t(pads.size()) != 2 * r)
    return nodeError() << "strides, dilations, pads and output_padding need "
                          "one value per spatial dim";
  if (!outShape.empty() && int64_t(outShape.size()) != r) {
    if (int64_t(outShape.size()) != r + 2)
      return unsupportedAttr("output_shape", "expected spatial sizes");
    outShape.erase(outShape.begin(), outShape.begin() + 2);
  }
  std::string autoPad = attrString("auto_pad", "NOTSET");
  if (autoPad != "NOTSET" && autoPad != "SAME_UPPER" &&
      autoPad != "SAME_LOWER" && autoPad != "VALID")
    return unsupportedAttr("auto_pad", "value '" + autoPad + "'");
  // Input dilated by the stride and padded by extent - 1 - pad, then a plain
  // convolution with the flipped, transposed weight.
  SmallVector<int64_t> lo(r + 2, 0), hi(r + 2, 0), out, full = {n, c};
  for (int64_t i = 0; i < r; ++i) {
    int64_t extent = (kernel[i] - 1) * dilations[i] + 1;
    int64_t natural = strides[i] * (xs[2 + i] - 1) + outPad[i] + extent;
    int64_t pb = pads[i], pe = pads[i + r];
    if (!outShape.empty() || autoPad == "SAME_UPPER" ||
        autoPad == "SAME_LOWER") {
      int64_t target = outShape.empty() ? xs[2 + i] * strides[i] : outShape[i];
      // A negative total grows the output at the end (like output_padding).
      int64_t total = natural - target;
      pb = autoPad == "SAME_LOWER" ? total - total / 2 : total / 2;
      pe = total - pb;
    } else if (autoPad == "VALID") {
      pb = pe = 0;
    }
    lo[2 + i] = extent - 1 - pb;
    hi[2 + i] = extent - 1 - pe + outPad[i];
    if (lo[2 + i] < 0 || hi[2 + i] < 0)
      return unsupportedAttr("pads", "larger than the kernel extent");
    out.push_back(natural - pb - pe);
    full.push_back((xs[2 + i] - 1) * strides[i] + 1 + lo[2 + i] + hi[2 + i]);
  }
  Type elem = elemOf(x);
  Value zero = filled(full, elem, 0.0);
  SmallVector<OpFoldResult> offs, sizes, steps;
  for (int64_t d = 0; d < r + 2; ++d) {
    offs.push_back(builder.getIndexAttr(lo[d]));
    sizes.push_back(builder.getIndexAttr(xs[d]));
    steps.push_back(builder.getIndexAttr(d < 2 ? 1 : strides[d - 2]));
  }
  Value xp =
      tensor::InsertSliceOp::create(builder, loc, x, zero, offs, sizes, steps);
  // Weight [C, M/g, k...] -> [M, C/g, k...], spatially flipped:
  // [g, C/g, M/g, k...] -> [g, M/g, C/g, k...] via a generic.
  SmallVector<int64_t> w5 = {g, cg, mg};
  w5.append(kernel.begin(), kernel.end());
  Value wv = reshape(wt, w5);
  int64_t rank5 = 3 + r;
  SmallVector<AffineExpr> inExprs = {getAffineDimExpr(0, ctx),
                                     getAffineDimExpr(2, ctx),
                                     getAffineDimExpr(1, ctx)};
  for (int64_t i = 0; i < r; ++i)
    inExprs.push_back(getAffineConstantExpr(kernel[i] - 1, ctx) -
                      getAffineDimExpr(3 + i, ctx));
  SmallVector<int64_t> flippedShape = {g, mg, cg};
  flippedShape.append(kernel.begin(), kernel.end());
  Value finit = empty(flippedShape, elem);
  Value flipped =
      linalg::GenericOp::create(
          builder, loc, TypeRange{finit.getType()}, ValueRange{wv},
          ValueRange{finit},
          ArrayRef<AffineMap>{AffineMap::get(rank5, 0, inExprs, ctx),
                              builder.getMultiDimIdentityMap(rank5)},
          SmallVector<utils::IteratorType>(rank5,
                                           utils::IteratorType::parallel),
          [](OpBuilder &nb, Location nl, ValueRange a) {
            linalg::YieldOp::create(nb, nl, a[0]);
          })
          .getResult(0);
  SmallVector<int64_t> convW = {m, cg};
  convW.append(kernel.begin(), kernel.end());
  Value bias;
  if (hasInput(2)) {
    bias = input(2);
    if (shapeOf(bias) != ArrayRef<int64_t>{m} || elemOf(bias) != elem)
      return nodeError() << "bias must be a 1-D tensor of " << m << " elements";
  }
  setOutput(0, emitConv(xp, reshape(flipped, convW), bias, g,
                        SmallVector<int64_t>(r, 1), dilations, out));
  return success();
}

LogicalResult Importer::convertPool() {
  bool isMax = node->op_type() == "MaxPool";
  if (isMax) {
    if (failed(checkAttrs({"auto_pad", "ceil_mode", "dilations", "kernel_shape",
                           "pads", "storage_order", "strides"})))
      return failure();
    if (node->output_size() > 1 && !node->output(1).empty())
      return nodeError() << "the Indices output is not supported";
  } else if (failed(checkAttrs({"auto_pad", "ceil_mode", "count_include_pad",
                                "kernel_shape", "pads", "strides"}))) {
    return failure();
  }
  if (failed(checkInputs(1, 1)))
    return failure();
  Value x = input(0);
  ArrayRef<int64_t> xs = shapeOf(x);
  if (!isFloat(x))
    return nodeError() << "only floating-point pooling is supported";
  if (xs.size() < 3 || xs.size() > 5)
    return nodeError() << "only 1-D, 2-D and 3-D pooling is supported (input "
                          "rank "
                       << xs.size() << ")";
  SmallVector<int64_t> kernel = attrInts("kernel_shape");
  if (kernel.size() != xs.size() - 2)
    return unsupportedAttr("kernel_shape",
                           "expected one value per spatial dim");
  bool ceilMode = attrInt("ceil_mode", 0) != 0;
  FailureOr<Window> w = computeWindow(xs.drop_front(2), kernel, ceilMode);
  if (failed(w))
    return failure();
  int64_t spatial = kernel.size();
  Type elem = elemOf(x);
  SmallVector<int64_t> lo(xs.size(), 0), hi(xs.size(), 0);
  for (int64_t i = 0; i < spatial; ++i) {
    lo[2 + i] = w->padBegin[i];
    hi[2 + i] = w->padEnd[i];
  }
  Value padValue = isMax ? lowest(elem) : scalarConst(elem, 0.0);
  Value xp = pad(x, lo, hi, padValue);
  SmallVector<int64_t> outShape = {xs[0], xs[1]};
  outShape.append(w->out.begin(), w->out.end());
  Value init = isMax ? filled(outShape, elem, lowest(elem))
                     : filled(outShape, elem, 0.0);
  Value window = empty(kernel, elem);
  SmallVector<NamedAttribute> attrs = {
      builder.getNamedAttr("strides", i64Elements(w->strides)),
      builder.getNamedAttr("dilations", i64Elements(w->dilations))};
  SmallVector<Value> ins = {xp, window};
  SmallVector<Type> types = {init.getType()};
  Value r;
  if (spatial == 3) {
    // Upstream has 3-D pooling in NDHWC only: transpose around it.
    Value xt = transpose(xp, {0, 2, 3, 4, 1});
    SmallVector<int64_t> cl = {outShape[0], outShape[2], outShape[3],
                               outShape[4], outShape[1]};
    Value initT =
        isMax ? filled(cl, elem, lowest(elem)) : filled(cl, elem, 0.0);
    SmallVector<Value> insT = {xt, window};
    SmallVector<Type> typesT = {initT.getType()};
    Value rt = isMax ? linalg::PoolingNdhwcMaxOp::create(
                           builder, loc, typesT, insT, ValueRange{initT}, attrs)
                           .getResult(0)
                     : linalg::PoolingNdhwcSumOp::create(
                           builder, loc, typesT, insT, ValueRange{initT}, attrs)
                           .getResult(0);
    r = transpose(rt, {0, 4, 1, 2, 3});
  } else if (isMax && spatial == 2)
    r = linalg::PoolingNchwMaxOp::create(builder, loc, types, ins,
                                         ValueRange{init}, attrs)
            .getResult(0);
  else if (isMax)
    r = linalg::PoolingNcwMaxOp::create(builder, loc, types, ins,
                                        ValueRange{init}, attrs)
            .getResult(0);
  else if (spatial == 2)
    r = linalg::PoolingNchwSumOp::create(builder, loc, types, ins,
                                         ValueRange{init}, attrs)
            .getResult(0);
  else
    r = linalg::PoolingNcwSumOp::create(builder, loc, types, ins,
                                        ValueRange{init}, attrs)
            .getResult(0);
  if (isMax) {
    setOutput(0, r);
    return success();
  }
  // Divisor per output position: the window's elements inside the input
  // (count_include_pad=0) or inside the declared padding (=1); positions in
  // the extra ceil_mode padding never count.
  bool includePad = attrInt("count_include_pad", 0) != 0;
  SmallVector<int64_t> declaredHi;
  {
    SmallVector<int64_t> pads = attrInts("pads");
    std::string autoPad = attrString("auto_pad", "NOTSET");
    for (int64_t i = 0; i < spatial; ++i)
      declaredHi.push_back(autoPad == "NOTSET" && !pads.empty()
                               ? pads[i + spatial]
                               : w->padEnd[i]);
  }
  SmallVector<SmallVector<int64_t>> counts1d(spatial);
  for (int64_t i = 0; i < spatial; ++i) {
    int64_t lo0 = includePad ? 0 : w->padBegin[i];
    int64_t hi0 = includePad ? w->padBegin[i] + xs[2 + i] +
                                   std::min(declaredHi[i], w->padEnd[i])
                             : w->padBegin[i] + xs[2 + i];
    for (int64_t o = 0; o < w->out[i]; ++o) {
      int64_t cnt = 0;
      for (int64_t k = 0; k < kernel[i]; ++k) {
        int64_t p = o * w->strides[i] + k * w->dilations[i];
        cnt += p >= lo0 && p < hi0;
      }
      counts1d[i].push_back(cnt);
    }
  }
  // Row-major product of the per-dim counts.
  SmallVector<double> divisors = {1.0};
  for (int64_t i = 0; i < spatial; ++i) {
    SmallVector<double> next;
    for (double d : divisors)
      for (int64_t c0 : counts1d[i])
        next.push_back(d * double(c0));
    divisors = std::move(next);
  }
  for (double &d : divisors)
    d = std::max(d, 1.0);
  bool uniform = llvm::all_equal(divisors);
  Value div;
  if (uniform) {
    div = scalarConst(elem, divisors.front());
    setOutput(0, unary(r, [&](OpBuilder &nb, Location nl, ValueRange a) {
                return arith::DivFOp::create(nb, nl, a[0], div).getResult();
              }));
    return success();
  }
  std::optional<ConstTensor> table =
      ConstTensor::fromDoubles(onnx::TensorProto::FLOAT, w->out, divisors);
  Value tableV = castTo(materialize(*table, nodeName + "_divisor", loc), elem);
  setOutput(0,
            elementwise(
                {r, tableV}, elem, outShape,
                [](OpBuilder &nb, Location nl, ValueRange a) {
                  return arith::DivFOp::create(nb, nl, a[0], a[1]).getResult();
                }));
  return success();
}
