//===- ONNXImporter.cpp - ONNX to linalg-on-tensors importer --------------===//
//
// Part of sparsity-mlir. Reads an onnx.ModelProto with Debian's libonnx and
// emits `func.func @main` in linalg/tensor/arith/math on static tensors.
// Shapes are inferred while converting, node by node, in graph order; small
// integer computations on constants (the Shape -> Gather -> Concat -> Reshape
// chains of exported models) are folded at import time.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Process.h"

using namespace mlir;
using namespace mlir::sparsity;
using namespace mlir::sparsity::onnx_import;

namespace {

/// Smallest and largest default-domain opset the importer understands.
constexpr int64_t kMinOpset = 11;
constexpr int64_t kMaxOpset = 17;

/// Resource keys must print as bare identifiers: keep [A-Za-z0-9_.].
std::string sanitizeResourceName(StringRef name) {
  std::string out;
  for (char c : name)
    out.push_back(llvm::isAlnum(c) || c == '_' || c == '.' ? c : '_');
  if (out.empty() || llvm::isDigit(out[0]))
    out.insert(out.begin(), '_');
  return out;
}

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
