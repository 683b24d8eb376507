//===- ImporterImpl.h - ONNX importer internals -----------------*- C++ -*-===//
//
// Part of sparsity-mlir. The Importer class shared by ONNXImporter.cpp (the
// graph walk and dispatch) and the per-op-family converter files.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_LIB_IMPORT_ONNX_IMPORTERIMPL_H
#define SPARSITY_MLIR_LIB_IMPORT_ONNX_IMPORTERIMPL_H

#include "TensorData.h"
#include "sparsity-mlir/Import/ONNX/ONNXImporter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"

#include <onnx/onnx_pb.h>

#include <functional>

namespace mlir {
namespace sparsity {
namespace onnx_import {

using BodyFn =
    std::function<Value(OpBuilder &, Location, ValueRange /*scalars*/)>;

/// Tensors with at most this many elements are printed as `dense<...>`.
inline constexpr int64_t kMaxInlineElements = 64;

inline int64_t product(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

/// Unsigned ONNX integers have no faithful signless form for the ops that
/// depend on signedness (Div, Max, Min, comparisons, widening casts).
inline bool isUnsignedType(int32_t dtype) {
  return dtype == onnx::TensorProto::UINT8 ||
         dtype == onnx::TensorProto::UINT16 ||
         dtype == onnx::TensorProto::UINT32 ||
         dtype == onnx::TensorProto::UINT64;
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

} // namespace onnx_import
} // namespace sparsity
} // namespace mlir

#endif // SPARSITY_MLIR_LIB_IMPORT_ONNX_IMPORTERIMPL_H
