//===- ONNXImporter.cpp - ONNX to linalg-on-tensors importer --------------===//
//
// Part of sparsity-mlir. Reads an onnx.ModelProto with Debian's libonnx and
// emits `func.func @main` in linalg/tensor/arith/math on static tensors.
// Shapes are inferred while converting, node by node, in graph order; small
// integer computations on constants (the Shape -> Gather -> Concat -> Reshape
// chains of exported models) are folded at import time.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Import/ONNX/ONNXImporter.h"
#include "TensorData.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Process.h"

#include <onnx/onnx_pb.h>

#include <cmath>
#include <functional>
#include <numeric>

using namespace mlir;
using namespace mlir::sparsity;
using namespace mlir::sparsity::onnx_import;

namespace {

using BodyFn =
    std::function<Value(OpBuilder &, Location, ValueRange /*scalars*/)>;

/// Smallest and largest default-domain opset the importer understands.
constexpr int64_t kMinOpset = 11;
constexpr int64_t kMaxOpset = 17;

/// Tensors with at most this many elements are printed as `dense<...>`.
constexpr int64_t kMaxInlineElements = 64;

int64_t product(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

/// Unsigned ONNX integers have no faithful signless form for the ops that
/// depend on signedness (Div, Max, Min, comparisons, widening casts).
bool isUnsignedType(int32_t dtype) {
  return dtype == onnx::TensorProto::UINT8 ||
         dtype == onnx::TensorProto::UINT16 ||
         dtype == onnx::TensorProto::UINT32 ||
         dtype == onnx::TensorProto::UINT64;
}

/// Resource keys must print as bare identifiers: keep [A-Za-z0-9_.].
std::string sanitizeResourceName(StringRef name) {
  std::string out;
  for (char c : name)
    out.push_back(llvm::isAlnum(c) || c == '_' || c == '.' ? c : '_');
  if (out.empty() || llvm::isDigit(out[0]))
    out.insert(out.begin(), '_');
  return out;
}

class Importer {
public:
  Importer(MLIRContext *ctx, StringRef fileName,
           const ONNXImportOptions &options)
      : ctx(ctx), builder(ctx), fileName(fileName), options(options),
        loc(UnknownLoc::get(ctx)) {}

  OwningOpRef<ModuleOp> run(onnx::ModelProto &model);

private:
  //===--------------------------------------------------------------------===//
  // Diagnostics and node access
  //===--------------------------------------------------------------------===//

  InFlightDiagnostic nodeError() {
    InFlightDiagnostic diag = emitError(loc);
    diag << "node '" << nodeName << "' (" << node->op_type() << "): ";
    return diag;
  }
  LogicalResult unsupportedAttr(StringRef attrName, StringRef why = "") {
    InFlightDiagnostic diag = nodeError();
    diag << "attribute '" << attrName << "' is not supported";
    if (!why.empty())
      diag << " (" << why << ")";
    return failure();
  }

  const onnx::AttributeProto *attr(StringRef name) const {
    for (const onnx::AttributeProto &a : node->attribute())
      if (a.name() == name)
        return &a;
    return nullptr;
  }
  int64_t attrInt(StringRef name, int64_t dflt) const {
    const onnx::AttributeProto *a = attr(name);
    return a ? a->i() : dflt;
  }
  float attrFloat(StringRef name, float dflt) const {
    const onnx::AttributeProto *a = attr(name);
    return a ? a->f() : dflt;
  }
  std::string attrString(StringRef name, StringRef dflt) const {
    const onnx::AttributeProto *a = attr(name);
    return a ? a->s() : dflt.str();
  }
  SmallVector<int64_t> attrInts(StringRef name) const {
    SmallVector<int64_t> out;
    if (const onnx::AttributeProto *a = attr(name))
      out.append(a->ints().begin(), a->ints().end());
    return out;
  }
  /// Every attribute of the node must be in `allowed`.
  LogicalResult checkAttrs(ArrayRef<StringRef> allowed) {
    for (const onnx::AttributeProto &a : node->attribute())
      if (!llvm::is_contained(allowed, StringRef(a.name())))
        return unsupportedAttr(a.name());
    return success();
  }
  LogicalResult checkInputs(int minCount, int maxCount) {
    int n = node->input_size();
    if (n < minCount || n > maxCount)
      return nodeError() << "expected " << minCount
                         << (minCount == maxCount
                                 ? ""
                                 : " to " + std::to_string(maxCount))
                         << " inputs, got " << n;
    for (int i = 0; i < minCount; ++i)
      if (!hasInput(i))
        return nodeError() << "required input " << i << " is missing";
    return success();
  }

  bool hasInput(int i) const {
    return i < node->input_size() && !node->input(i).empty();
  }
  const ConstTensor *constInput(int i) const {
    if (!hasInput(i))
      return nullptr;
    auto it = consts.find(node->input(i));
    return it == consts.end() ? nullptr : &it->second;
  }
  Value input(int i) { return lookup(node->input(i)); }
  Value lookup(StringRef name);
  void setOutput(int i, Value v) {
    if (i < node->output_size() && !node->output(i).empty())
      values[node->output(i)] = v;
  }
  void setConstOutput(int i, ConstTensor t) {
    if (i < node->output_size() && !node->output(i).empty())
      consts[node->output(i)] = std::move(t);
  }

  //===--------------------------------------------------------------------===//
  // IR helpers
  //===--------------------------------------------------------------------===//

  static RankedTensorType typeOf(Value v) {
    return cast<RankedTensorType>(v.getType());
  }
  static ArrayRef<int64_t> shapeOf(Value v) { return typeOf(v).getShape(); }
  static Type elemOf(Value v) { return typeOf(v).getElementType(); }
  static bool isFloat(Value v) { return isa<FloatType>(elemOf(v)); }

  Value materialize(const ConstTensor &t, StringRef name, Location at);
  Value scalarConst(Type type, double value) {
    if (isa<FloatType>(type))
      return arith::ConstantOp::create(builder, loc,
                                       builder.getFloatAttr(type, value));
    return arith::ConstantOp::create(
        builder, loc,
        builder.getIntegerAttr(type, static_cast<int64_t>(value)));
  }
  Value empty(ArrayRef<int64_t> shape, Type elem) {
    return tensor::EmptyOp::create(builder, loc, shape, elem);
  }
  Value filled(ArrayRef<int64_t> shape, Type elem, Value scalar) {
    return linalg::FillOp::create(builder, loc, ValueRange{scalar},
                                  ValueRange{empty(shape, elem)})
        .getResult(0);
  }
  Value filled(ArrayRef<int64_t> shape, Type elem, double value) {
    return filled(shape, elem, scalarConst(elem, value));
  }
  Value lowest(Type elem) {
    auto ft = cast<FloatType>(elem);
    return arith::ConstantOp::create(
        builder, loc,
        builder.getFloatAttr(ft,
                             APFloat::getInf(ft.getFloatSemantics(), true)));
  }
  DenseIntElementsAttr i64Elements(ArrayRef<int64_t> values) {
    return DenseIntElementsAttr::get(
        RankedTensorType::get({static_cast<int64_t>(values.size())},
                              builder.getI64Type()),
        values);
  }

  FailureOr<SmallVector<int64_t>>
  broadcastShapes(ArrayRef<SmallVector<int64_t>> shapes);
  FailureOr<SmallVector<int64_t>> broadcastShape(ArrayRef<Value> operands) {
    SmallVector<SmallVector<int64_t>> shapes;
    for (Value v : operands)
      shapes.push_back(SmallVector<int64_t>(shapeOf(v)));
    return broadcastShapes(shapes);
  }
  /// Elementwise linalg.generic with numpy broadcasting of `ins` to
  /// `outShape` (computed from the operands when empty and `inferShape`).
  Value elementwise(ArrayRef<Value> ins, Type outElem,
                    ArrayRef<int64_t> outShape, const BodyFn &body);
  FailureOr<Value> broadcastingElementwise(ArrayRef<Value> ins, Type outElem,
                                           const BodyFn &body);
  /// Elementwise map over one operand keeping its shape.
  Value unary(Value in, const BodyFn &body) {
    return elementwise({in}, elemOf(in), shapeOf(in), body);
  }
  Value reshape(Value v, ArrayRef<int64_t> shape);
  Value transpose(Value v, ArrayRef<int64_t> perm);
  Value pad(Value v, ArrayRef<int64_t> low, ArrayRef<int64_t> high,
            Value padValue);
  /// Reduction over sorted, distinct `axes`; keeps size-1 dims if `keepDims`.
  Value reduce(Value in, ArrayRef<int64_t> axes, bool keepDims, Value init,
               const BodyFn &combine);
  Value castTo(Value v, Type elem);
  FailureOr<int64_t> normalizeAxis(int64_t axis, int64_t rank) {
    if (axis < -rank || axis >= std::max<int64_t>(rank, 1))
      return nodeError() << "axis " << axis << " is out of range for rank "
                         << rank;
    return axis < 0 ? axis + rank : axis;
  }
  FailureOr<SmallVector<int64_t>> normalizeAxes(ArrayRef<int64_t> axes,
                                                int64_t rank) {
    SmallVector<int64_t> out;
    for (int64_t a : axes) {
      FailureOr<int64_t> n = normalizeAxis(a, rank);
      if (failed(n))
        return failure();
      out.push_back(*n);
    }
    llvm::sort(out);
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }
  /// Reads the int64 values of constant input `i` (error if not constant).
  FailureOr<SmallVector<int64_t>> constInts(int i, StringRef what);

  //===--------------------------------------------------------------------===//
  // Conversion
  //===--------------------------------------------------------------------===//

  LogicalResult convertNode(const onnx::NodeProto &n);
  LogicalResult tryFold(bool &folded);
  FailureOr<SmallVector<int64_t>> graphInputShape(const onnx::ValueInfoProto &);

  // Operators, one per ONNX op type (or family); a family's converter reads
  // the op type from `node`. convertNode dispatches through a table of them.
  using ConvertFn = LogicalResult (Importer::*)();
  LogicalResult convertConv();
  LogicalResult convertGemm();
  LogicalResult convertMatMul();
  LogicalResult convertBinary();
  LogicalResult convertUnary();
  LogicalResult convertBatchNorm();
  LogicalResult convertPool();
  LogicalResult convertGlobalPool();
  LogicalResult convertFlatten();
  LogicalResult convertReshape();
  LogicalResult convertTranspose();
  LogicalResult convertConcat();
  LogicalResult convertIdentity();
  LogicalResult convertConstant();
  LogicalResult convertClip();
  LogicalResult convertSoftmax();
  LogicalResult convertSqueeze();
  LogicalResult convertSlice();
  LogicalResult convertGather();
  LogicalResult convertSplit();
  LogicalResult convertPad();
  LogicalResult convertReduce();
  LogicalResult convertPRelu();
  LogicalResult convertLayerNorm();
  LogicalResult convertShape();
  LogicalResult convertConstantOfShape();
  LogicalResult convertExpand();
  LogicalResult convertCast();

  /// Output spatial sizes and paddings of Conv/pooling ops.
  struct Window {
    SmallVector<int64_t> kernel, strides, dilations, padBegin, padEnd, out;
  };
  /// Convolution of the padded NC(H)W input `xp` with weight `wt` [M,C/g,k]
  /// and optional bias [M]: picks the named linalg op for group `g`.
  Value emitConv(Value xp, Value wt, Value bias, int64_t g,
                 ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
                 ArrayRef<int64_t> out);
  LogicalResult convertConvTranspose();
  LogicalResult convertResize();
  FailureOr<Window> computeWindow(ArrayRef<int64_t> inSpatial,
                                  ArrayRef<int64_t> kernel, bool ceilMode);

  MLIRContext *ctx;
  OpBuilder builder;
  std::string fileName;
  const ONNXImportOptions &options;
  int64_t opset = 0;
  Location loc;
  const onnx::NodeProto *node = nullptr;
  std::string nodeName;
  llvm::StringMap<Value> values;
  llvm::StringMap<ConstTensor> consts;
};

} // namespace

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

Value Importer::materialize(const ConstTensor &t, StringRef name, Location at) {
  Type elem = mlirElementType(ctx, t.dtype);
  auto type = RankedTensorType::get(t.shape, elem);
  TypedAttr value;
  if (t.dtype == onnx::TensorProto::BOOL) {
    SmallVector<bool> bits;
    for (char c : t.data)
      bits.push_back(c != 0);
    value = DenseElementsAttr::get(type, bits);
  } else if (t.numElements() <= kMaxInlineElements) {
    value = DenseElementsAttr::getFromRawBuffer(type, t.data);
  } else {
    value = DenseResourceElementsAttr::get(
        type, sanitizeResourceName(t.name.empty() ? name : StringRef(t.name)),
        HeapAsmResourceBlob::allocateAndCopyWithAlign(
            t.data, std::max<size_t>(t.elementSize(), alignof(uint64_t))));
  }
  return arith::ConstantOp::create(builder, at, value);
}

Value Importer::lookup(StringRef name) {
  auto it = values.find(name);
  if (it != values.end())
    return it->second;
  auto cit = consts.find(name);
  assert(cit != consts.end() && "inputs are checked before conversion");
  Value v =
      materialize(cit->second, name, NameLoc::get(builder.getStringAttr(name)));
  values[name] = v;
  return v;
}

FailureOr<SmallVector<int64_t>> Importer::constInts(int i, StringRef what) {
  const ConstTensor *t = constInput(i);
  if (!t)
    return nodeError() << "input '" << what
                       << "' must be a constant (initializer or folded)";
  std::optional<SmallVector<int64_t>> ints = t->asInts();
  if (!ints)
    return nodeError() << "input '" << what << "' must be an integer tensor";
  return *ints;
}

//===----------------------------------------------------------------------===//
// IR helpers
//===----------------------------------------------------------------------===//

FailureOr<SmallVector<int64_t>>
Importer::broadcastShapes(ArrayRef<SmallVector<int64_t>> shapes) {
  size_t rank = 0;
  for (const SmallVector<int64_t> &s : shapes)
    rank = std::max<size_t>(rank, s.size());
  SmallVector<int64_t> out(rank, 1);
  for (const SmallVector<int64_t> &s : shapes) {
    for (size_t j = 0; j < s.size(); ++j) {
      int64_t &o = out[rank - s.size() + j];
      if (s[j] == o || s[j] == 1)
        continue;
      if (o != 1) {
        InFlightDiagnostic diag = nodeError();
        diag << "operand shapes cannot be broadcast together:";
        for (const SmallVector<int64_t> &w : shapes) {
          diag << " [";
          llvm::interleave(w, diag, "x");
          diag << "]";
        }
        return failure();
      }
      o = s[j];
    }
  }
  return out;
}

Value Importer::elementwise(ArrayRef<Value> ins, Type outElem,
                            ArrayRef<int64_t> outShape, const BodyFn &body) {
  int64_t rank = outShape.size();
  SmallVector<AffineMap> maps;
  for (Value v : ins) {
    ArrayRef<int64_t> s = shapeOf(v);
    SmallVector<AffineExpr> exprs;
    for (size_t j = 0; j < s.size(); ++j) {
      int64_t d = rank - s.size() + j;
      exprs.push_back(s[j] == 1 && outShape[d] != 1
                          ? getAffineConstantExpr(0, ctx)
                          : getAffineDimExpr(d, ctx));
    }
    maps.push_back(AffineMap::get(rank, 0, exprs, ctx));
  }
  maps.push_back(builder.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
  Value init = empty(outShape, outElem);
  auto op = linalg::GenericOp::create(
      builder, loc, TypeRange{init.getType()}, ins, ValueRange{init}, maps,
      iters, [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value r = body(nb, nl, args.drop_back());
        linalg::YieldOp::create(nb, nl, r);
      });
  return op.getResult(0);
}

FailureOr<Value> Importer::broadcastingElementwise(ArrayRef<Value> ins,
                                                   Type outElem,
                                                   const BodyFn &body) {
  FailureOr<SmallVector<int64_t>> shape = broadcastShape(ins);
  if (failed(shape))
    return failure();
  return elementwise(ins, outElem, *shape, body);
}

Value Importer::reshape(Value v, ArrayRef<int64_t> shape) {
  RankedTensorType srcType = typeOf(v);
  if (srcType.getShape() == shape)
    return v;
  auto dstType = RankedTensorType::get(shape, srcType.getElementType());
  int64_t dstRank = shape.size();
  if (dstRank < srcType.getRank()) {
    if (auto r = getReassociationIndicesForReshape(srcType, dstType))
      return tensor::CollapseShapeOp::create(builder, loc, dstType, v, *r);
  } else if (dstRank > srcType.getRank()) {
    if (auto r = getReassociationIndicesForReshape(dstType, srcType))
      return tensor::ExpandShapeOp::create(builder, loc, dstType, v, *r);
  }
  // General case: through the flat vector.
  int64_t n = srcType.getNumElements();
  Value flat = v;
  if (srcType.getRank() != 1) {
    auto flatType = RankedTensorType::get({n}, srcType.getElementType());
    SmallVector<ReassociationIndices> r;
    if (srcType.getRank() > 0)
      r.push_back(llvm::to_vector(llvm::seq<int64_t>(0, srcType.getRank())));
    flat = srcType.getRank() > 0
               ? Value(tensor::CollapseShapeOp::create(builder, loc, flatType,
                                                       v, r))
               : Value(tensor::ExpandShapeOp::create(builder, loc, flatType, v,
                                                     r));
  }
  if (shape.size() == 1)
    return flat;
  SmallVector<ReassociationIndices> r;
  if (!shape.empty())
    r.push_back(llvm::to_vector(llvm::seq<int64_t>(0, shape.size())));
  if (shape.empty())
    return tensor::CollapseShapeOp::create(builder, loc, dstType, flat, r);
  return tensor::ExpandShapeOp::create(builder, loc, dstType, flat, r);
}

Value Importer::transpose(Value v, ArrayRef<int64_t> perm) {
  if (llvm::equal(perm, llvm::seq<int64_t>(0, perm.size())))
    return v;
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(shapeOf(v)[p]);
  Value init = empty(shape, elemOf(v));
  return linalg::TransposeOp::create(builder, loc, v, init, perm)->getResult(0);
}

Value Importer::pad(Value v, ArrayRef<int64_t> low, ArrayRef<int64_t> high,
                    Value padValue) {
  if (llvm::all_of(low, [](int64_t x) { return x == 0; }) &&
      llvm::all_of(high, [](int64_t x) { return x == 0; }))
    return v;
  SmallVector<int64_t> shape(shapeOf(v));
  SmallVector<OpFoldResult> lo, hi;
  for (size_t i = 0; i < shape.size(); ++i) {
    shape[i] += low[i] + high[i];
    lo.push_back(builder.getIndexAttr(low[i]));
    hi.push_back(builder.getIndexAttr(high[i]));
  }
  return tensor::PadOp::create(builder, loc,
                               RankedTensorType::get(shape, elemOf(v)), v, lo,
                               hi, padValue);
}

Value Importer::reduce(Value in, ArrayRef<int64_t> axes, bool keepDims,
                       Value init, const BodyFn &combine) {
  ArrayRef<int64_t> shape = shapeOf(in);
  int64_t rank = shape.size();
  SmallVector<int64_t> outShape, keptShape;
  SmallVector<AffineExpr> outExprs;
  SmallVector<utils::IteratorType> iters;
  for (int64_t d = 0; d < rank; ++d) {
    bool reduced = llvm::is_contained(axes, d);
    iters.push_back(reduced ? utils::IteratorType::reduction
                            : utils::IteratorType::parallel);
    keptShape.push_back(reduced ? 1 : shape[d]);
    if (!reduced) {
      outShape.push_back(shape[d]);
      outExprs.push_back(getAffineDimExpr(d, ctx));
    }
  }
  Value acc = filled(outShape, elemOf(in), init);
  SmallVector<AffineMap> maps = {builder.getMultiDimIdentityMap(rank),
                                 AffineMap::get(rank, 0, outExprs, ctx)};
  Value r = linalg::GenericOp::create(
                builder, loc, TypeRange{acc.getType()}, ValueRange{in},
                ValueRange{acc}, maps, iters,
                [&](OpBuilder &nb, Location nl, ValueRange args) {
                  linalg::YieldOp::create(nb, nl, combine(nb, nl, args));
                })
                .getResult(0);
  return keepDims ? reshape(r, keptShape) : r;
}

Value Importer::castTo(Value v, Type to) {
  Type from = elemOf(v);
  if (from == to)
    return v;
  return elementwise(
      {v}, to, shapeOf(v),
      [from, to](OpBuilder &nb, Location nl, ValueRange a) -> Value {
        Value x = a[0];
        bool fromF = isa<FloatType>(from), toF = isa<FloatType>(to);
        if (fromF && toF)
          return from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth()
                     ? Value(arith::ExtFOp::create(nb, nl, to, x))
                     : Value(arith::TruncFOp::create(nb, nl, to, x));
        if (fromF)
          return arith::FPToSIOp::create(nb, nl, to, x);
        if (toF) {
          if (from.getIntOrFloatBitWidth() == 1)
            return arith::UIToFPOp::create(nb, nl, to, x);
          return arith::SIToFPOp::create(nb, nl, to, x);
        }
        unsigned fw = from.getIntOrFloatBitWidth(),
                 tw = to.getIntOrFloatBitWidth();
        if (tw == 1)
          return arith::CmpIOp::create(
              nb, nl, arith::CmpIPredicate::ne, x,
              arith::ConstantOp::create(nb, nl, nb.getIntegerAttr(from, 0)));
        if (fw < tw)
          return fw == 1 ? Value(arith::ExtUIOp::create(nb, nl, to, x))
                         : Value(arith::ExtSIOp::create(nb, nl, to, x));
        return arith::TruncIOp::create(nb, nl, to, x);
      });
}

//===----------------------------------------------------------------------===//
// Graph
//===----------------------------------------------------------------------===//

FailureOr<SmallVector<int64_t>>
Importer::graphInputShape(const onnx::ValueInfoProto &info) {
  SmallVector<int64_t> shape;
  const onnx::TypeProto_Tensor &tt = info.type().tensor_type();
  if (!tt.has_shape())
    return emitError(loc) << "graph input '" << info.name() << "' has no shape";
  for (int i = 0; i < tt.shape().dim_size(); ++i) {
    const onnx::TensorShapeProto_Dimension &d = tt.shape().dim(i);
    if (d.has_dim_value() && d.dim_value() >= 0) {
      shape.push_back(d.dim_value());
      continue;
    }
    if (d.has_dim_param()) {
      auto it = options.dimValues.find(d.dim_param());
      if (it != options.dimValues.end()) {
        shape.push_back(it->second);
        continue;
      }
    }
    if (i == 0 && options.batch) {
      shape.push_back(*options.batch);
      continue;
    }
    InFlightDiagnostic diag = emitError(loc);
    diag << "graph input '" << info.name() << "' dimension " << i;
    if (d.has_dim_param())
      diag << " ('" << d.dim_param() << "') is dynamic; pass --dim "
           << d.dim_param() << "=<value>";
    else
      diag << " is dynamic";
    if (i == 0)
      diag << " or --batch=<value>";
    return failure();
  }
  return shape;
}

OwningOpRef<ModuleOp> Importer::run(onnx::ModelProto &model) {
  loc = NameLoc::get(builder.getStringAttr(fileName));
  // Opset of the default domain.
  bool found = false;
  for (const onnx::OperatorSetIdProto &o : model.opset_import()) {
    if (o.domain().empty() || o.domain() == "ai.onnx") {
      opset = o.version();
      found = true;
    }
  }
  if (!found) {
    emitError(loc) << "model imports no opset of the default ONNX domain";
    return nullptr;
  }
  if (opset < kMinOpset || opset > kMaxOpset) {
    emitError(loc) << "opset " << opset
                   << " of the default domain is not supported (supported: "
                   << kMinOpset << " to " << kMaxOpset << ")";
    return nullptr;
  }

  const onnx::GraphProto &graph = model.graph();
  OwningOpRef<ModuleOp> module = ModuleOp::create(
      FileLineColLoc::get(builder.getStringAttr(fileName), 0, 0));
  builder.setInsertionPointToEnd(module->getBody());

  for (onnx::TensorProto &init :
       *model.mutable_graph()->mutable_initializer()) {
    ConstTensor t;
    std::string error;
    if (succeeded(decodeTensor(init, t, error)) && isUnsignedType(t.dtype))
      error = "element type " + onnxTypeName(t.dtype) + " is not supported";
    if (!error.empty()) {
      emitError(loc) << "initializer '" << init.name() << "': " << error;
      return nullptr;
    }
    // The decoded copy is all that is used from here on: free the
    // serialized payload now, so a model's weights are never held three
    // times (protobuf, decoded, resource blob).
    delete init.release_raw_data();
    google::protobuf::RepeatedField<float>().Swap(init.mutable_float_data());
    google::protobuf::RepeatedField<double>().Swap(init.mutable_double_data());
    google::protobuf::RepeatedField<int32_t>().Swap(init.mutable_int32_data());
    google::protobuf::RepeatedField<int64_t>().Swap(init.mutable_int64_data());
    t.name = init.name();
    consts[init.name()] = std::move(t);
  }

  for (const auto &entry : options.constInputs) {
    StringRef name = entry.first();
    if (!llvm::any_of(graph.input(), [&](const onnx::ValueInfoProto &in) {
          return in.name() == name;
        })) {
      emitError(loc) << "--const-input: the graph has no input '" << name
                     << "'";
      return nullptr;
    }
    onnx::TensorProto proto;
    ConstTensor t;
    std::string error;
    if (!proto.ParseFromString(entry.second))
      error = "not a valid onnx.TensorProto";
    else if (succeeded(decodeTensor(proto, t, error)) &&
             isUnsignedType(t.dtype))
      error = "element type " + onnxTypeName(t.dtype) + " is not supported";
    if (!error.empty()) {
      emitError(loc) << "--const-input '" << name << "': " << error;
      return nullptr;
    }
    consts[name] = std::move(t);
  }

  // Signature: graph inputs that are not initializers, graph outputs.
  SmallVector<Type> argTypes;
  SmallVector<Location> argLocs;
  SmallVector<std::string> argNames;
  for (const onnx::ValueInfoProto &in : graph.input()) {
    if (consts.count(in.name()))
      continue;
    if (!in.type().has_tensor_type()) {
      emitError(loc) << "graph input '" << in.name()
                     << "' is not a tensor: sequence, map and optional types "
                        "are not supported";
      return nullptr;
    }
    Type elem = mlirElementType(ctx, in.type().tensor_type().elem_type());
    if (!elem || isUnsignedType(in.type().tensor_type().elem_type())) {
      emitError(loc) << "graph input '" << in.name() << "' has element type "
                     << onnxTypeName(in.type().tensor_type().elem_type())
                     << ", which is not supported";
      return nullptr;
    }
    FailureOr<SmallVector<int64_t>> shape = graphInputShape(in);
    if (failed(shape))
      return nullptr;
    argTypes.push_back(RankedTensorType::get(*shape, elem));
    argLocs.push_back(NameLoc::get(builder.getStringAttr(in.name())));
    argNames.push_back(in.name());
  }

  auto func = func::FuncOp::create(builder, loc, options.entryName,
                                   builder.getFunctionType(argTypes, {}));
  Block *entry = func.addEntryBlock();
  for (auto [i, arg] : llvm::enumerate(entry->getArguments())) {
    arg.setLoc(argLocs[i]);
    values[argNames[i]] = arg;
  }
  builder.setInsertionPointToEnd(entry);

  for (const onnx::NodeProto &n : graph.node())
    if (failed(convertNode(n)))
      return nullptr;

  SmallVector<Value> results;
  for (const onnx::ValueInfoProto &out : graph.output()) {
    loc = NameLoc::get(builder.getStringAttr(out.name()));
    if (!values.count(out.name()) && !consts.count(out.name())) {
      emitError(loc) << "graph output '" << out.name()
                     << "' is not produced by any node";
      return nullptr;
    }
    results.push_back(lookup(out.name()));
  }
  func::ReturnOp::create(builder, loc, results);
  func.setType(
      builder.getFunctionType(argTypes, ValueRange(results).getTypes()));

  if (failed(verify(*module)))
    return nullptr;
  return module;
}

LogicalResult Importer::convertNode(const onnx::NodeProto &n) {
  node = &n;
  nodeName = !n.name().empty()
                 ? n.name()
                 : (n.output_size() ? n.output(0) : std::string("<unnamed>"));
  loc = NameLoc::get(builder.getStringAttr(nodeName));
  if (!n.domain().empty() && n.domain() != "ai.onnx")
    return nodeError() << "operator domain '" << n.domain()
                       << "' is not supported";
  for (const std::string &in : n.input())
    if (!in.empty() && !values.count(in) && !consts.count(in))
      return nodeError() << "input '" << in << "' is not defined before use";

  bool folded = false;
  if (failed(tryFold(folded)))
    return failure();
  if (folded)
    return success();

  static const llvm::StringMap<ConvertFn> converters = {
      {"Conv", &Importer::convertConv},
      {"ConvTranspose", &Importer::convertConvTranspose},
      {"Resize", &Importer::convertResize},
      {"Gemm", &Importer::convertGemm},
      {"MatMul", &Importer::convertMatMul},
      {"Add", &Importer::convertBinary},
      {"Sub", &Importer::convertBinary},
      {"Mul", &Importer::convertBinary},
      {"Div", &Importer::convertBinary},
      {"Pow", &Importer::convertBinary},
      {"Max", &Importer::convertBinary},
      {"Min", &Importer::convertBinary},
      {"Relu", &Importer::convertUnary},
      {"Sigmoid", &Importer::convertUnary},
      {"Tanh", &Importer::convertUnary},
      {"LeakyRelu", &Importer::convertUnary},
      {"HardSigmoid", &Importer::convertUnary},
      {"HardSwish", &Importer::convertUnary},
      {"Sqrt", &Importer::convertUnary},
      {"Erf", &Importer::convertUnary},
      {"Exp", &Importer::convertUnary},
      {"Log", &Importer::convertUnary},
      {"Abs", &Importer::convertUnary},
      {"Neg", &Importer::convertUnary},
      {"Reciprocal", &Importer::convertUnary},
      {"Elu", &Importer::convertUnary},
      {"Softplus", &Importer::convertUnary},
      {"BatchNormalization", &Importer::convertBatchNorm},
      {"MaxPool", &Importer::convertPool},
      {"AveragePool", &Importer::convertPool},
      {"GlobalAveragePool", &Importer::convertGlobalPool},
      {"GlobalMaxPool", &Importer::convertGlobalPool},
      {"Flatten", &Importer::convertFlatten},
      {"Reshape", &Importer::convertReshape},
      {"Transpose", &Importer::convertTranspose},
      {"Concat", &Importer::convertConcat},
      {"Identity", &Importer::convertIdentity},
      {"Dropout", &Importer::convertIdentity},
      {"Constant", &Importer::convertConstant},
      {"Clip", &Importer::convertClip},
      {"Softmax", &Importer::convertSoftmax},
      {"LogSoftmax", &Importer::convertSoftmax},
      {"Squeeze", &Importer::convertSqueeze},
      {"Unsqueeze", &Importer::convertSqueeze},
      {"Slice", &Importer::convertSlice},
      {"Gather", &Importer::convertGather},
      {"Split", &Importer::convertSplit},
      {"Pad", &Importer::convertPad},
      {"ReduceMean", &Importer::convertReduce},
      {"ReduceSum", &Importer::convertReduce},
      {"ReduceMax", &Importer::convertReduce},
      {"ReduceMin", &Importer::convertReduce},
      {"ReduceProd", &Importer::convertReduce},
      {"ReduceSumSquare", &Importer::convertReduce},
      {"ReduceL1", &Importer::convertReduce},
      {"ReduceL2", &Importer::convertReduce},
      {"ReduceLogSum", &Importer::convertReduce},
      {"PRelu", &Importer::convertPRelu},
      {"LayerNormalization", &Importer::convertLayerNorm},
      {"Shape", &Importer::convertShape},
      {"ConstantOfShape", &Importer::convertConstantOfShape},
      {"Expand", &Importer::convertExpand},
      {"Cast", &Importer::convertCast},
  };
  auto it = converters.find(n.op_type());
  if (it != converters.end())
    return (this->*it->second)();
  return nodeError() << "operator is not supported";
}

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

//===----------------------------------------------------------------------===//
// Reductions and normalizations
//===----------------------------------------------------------------------===//

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

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

void mlir::sparsity::registerONNXImportDialects(DialectRegistry &registry) {
  registry.insert<arith::ArithDialect, func::FuncDialect, linalg::LinalgDialect,
                  math::MathDialect, tensor::TensorDialect>();
}

OwningOpRef<ModuleOp>
mlir::sparsity::importONNXModel(MLIRContext *context, StringRef buffer,
                                StringRef fileName,
                                const ONNXImportOptions &options) {
  context->loadDialect<arith::ArithDialect, func::FuncDialect,
                       linalg::LinalgDialect, math::MathDialect,
                       tensor::TensorDialect>();
  Location fileLoc = NameLoc::get(StringAttr::get(context, fileName));
  if (buffer.size() > static_cast<size_t>(INT_MAX)) {
    emitError(fileLoc) << "'" << fileName
                       << "': files over 2 GiB are not supported";
    return nullptr;
  }
  onnx::ModelProto model;
  if (!model.ParseFromArray(buffer.data(), static_cast<int>(buffer.size())) ||
      !model.has_graph()) {
    emitError(fileLoc) << "'" << fileName
                       << "' is not a valid ONNX model (malformed or truncated "
                          "protobuf)";
    return nullptr;
  }
  Importer importer(context, fileName, options);
  return importer.run(model);
}

OwningOpRef<ModuleOp>
mlir::sparsity::importONNXModelFile(MLIRContext *context, StringRef path,
                                    const ONNXImportOptions &options) {
  context->loadDialect<arith::ArithDialect, func::FuncDialect,
                       linalg::LinalgDialect, math::MathDialect,
                       tensor::TensorDialect>();
  Location fileLoc = NameLoc::get(StringAttr::get(context, path));
  int fd = -1;
  if (std::error_code ec = llvm::sys::fs::openFileForRead(path, fd)) {
    emitError(fileLoc) << "cannot open '" << path << "': " << ec.message();
    return nullptr;
  }
  onnx::ModelProto model;
  bool parsed = model.ParseFromFileDescriptor(fd);
  llvm::sys::Process::SafelyCloseFileDescriptor(fd);
  if (!parsed || !model.has_graph()) {
    emitError(fileLoc) << "'" << path
                       << "' is not a valid ONNX model (malformed or truncated "
                          "protobuf)";
    return nullptr;
  }
  Importer importer(context, path, options);
  return importer.run(model);
}
