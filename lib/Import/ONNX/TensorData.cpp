//===- TensorData.cpp - ONNX tensor payloads ------------------------------===//
//
// Part of sparsity-mlir. Decoding of onnx.TensorProto payloads and the
// `.npy` writer of `sparsity-import-onnx --tensor-to-npy`.
//
//===----------------------------------------------------------------------===//

#include "TensorData.h"
#include "sparsity-mlir/Support/Npy.h"

#include "sparsity-mlir/Import/ONNX/ONNXImporter.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/SwapByteOrder.h"

#include <cstring>

using namespace mlir;
using namespace mlir::sparsity;
using namespace mlir::sparsity::onnx_import;
using mlir::sparsity::runtime::NpyDType;
using mlir::sparsity::runtime::writeNpy;

using TP = onnx::TensorProto;

size_t onnx_import::onnxElementSize(int32_t dtype) {
  switch (dtype) {
  case TP::FLOAT:
  case TP::INT32:
  case TP::UINT32:
    return 4;
  case TP::DOUBLE:
  case TP::INT64:
  case TP::UINT64:
    return 8;
  case TP::FLOAT16:
  case TP::BFLOAT16:
  case TP::INT16:
  case TP::UINT16:
    return 2;
  case TP::INT8:
  case TP::UINT8:
  case TP::BOOL:
    return 1;
  default:
    return 0;
  }
}

std::string onnx_import::onnxTypeName(int32_t dtype) {
  if (TP::DataType_IsValid(dtype))
    return TP::DataType_Name(static_cast<TP::DataType>(dtype));
  return "type " + std::to_string(dtype);
}

Type onnx_import::mlirElementType(MLIRContext *ctx, int32_t dtype) {
  switch (dtype) {
  case TP::FLOAT:
    return Float32Type::get(ctx);
  case TP::DOUBLE:
    return Float64Type::get(ctx);
  case TP::FLOAT16:
    return Float16Type::get(ctx);
  case TP::BFLOAT16:
    return BFloat16Type::get(ctx);
  case TP::BOOL:
    return IntegerType::get(ctx, 1);
  case TP::INT8:
  case TP::UINT8:
    return IntegerType::get(ctx, 8);
  case TP::INT16:
  case TP::UINT16:
    return IntegerType::get(ctx, 16);
  case TP::INT32:
  case TP::UINT32:
    return IntegerType::get(ctx, 32);
  case TP::INT64:
  case TP::UINT64:
    return IntegerType::get(ctx, 64);
  default:
    return Type();
  }
}

int64_t ConstTensor::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

size_t ConstTensor::elementSize() const { return onnxElementSize(dtype); }

template <typename T>
static T readAt(const std::vector<char> &data, int64_t i) {
  T v;
  std::memcpy(&v, data.data() + i * sizeof(T), sizeof(T));
  return v;
}

std::optional<SmallVector<int64_t>> ConstTensor::asInts() const {
  SmallVector<int64_t> out;
  int64_t n = numElements();
  for (int64_t i = 0; i < n; ++i) {
    switch (dtype) {
    case TP::INT64:
    case TP::UINT64:
      out.push_back(readAt<int64_t>(data, i));
      break;
    case TP::INT32:
      out.push_back(readAt<int32_t>(data, i));
      break;
    case TP::UINT32:
      out.push_back(readAt<uint32_t>(data, i));
      break;
    case TP::INT16:
      out.push_back(readAt<int16_t>(data, i));
      break;
    case TP::UINT16:
      out.push_back(readAt<uint16_t>(data, i));
      break;
    case TP::INT8:
      out.push_back(readAt<int8_t>(data, i));
      break;
    case TP::UINT8:
    case TP::BOOL:
      out.push_back(readAt<uint8_t>(data, i));
      break;
    default:
      return std::nullopt;
    }
  }
  return out;
}

std::optional<SmallVector<double>> ConstTensor::asDoubles() const {
  SmallVector<double> out;
  int64_t n = numElements();
  if (dtype == TP::FLOAT) {
    for (int64_t i = 0; i < n; ++i)
      out.push_back(readAt<float>(data, i));
    return out;
  }
  if (dtype == TP::DOUBLE) {
    for (int64_t i = 0; i < n; ++i)
      out.push_back(readAt<double>(data, i));
    return out;
  }
  std::optional<SmallVector<int64_t>> ints = asInts();
  if (!ints)
    return std::nullopt;
  for (int64_t v : *ints)
    out.push_back(static_cast<double>(v));
  return out;
}

ConstTensor ConstTensor::fromInts(ArrayRef<int64_t> shape,
                                  ArrayRef<int64_t> values) {
  ConstTensor t;
  t.dtype = TP::INT64;
  t.shape.assign(shape.begin(), shape.end());
  t.data.resize(values.size() * sizeof(int64_t));
  if (!values.empty())
    std::memcpy(t.data.data(), values.data(), t.data.size());
  return t;
}

std::optional<ConstTensor> ConstTensor::fromDoubles(int32_t dtype,
                                                    ArrayRef<int64_t> shape,
                                                    ArrayRef<double> values) {
  ConstTensor t;
  t.dtype = dtype;
  t.shape.assign(shape.begin(), shape.end());
  size_t es = onnxElementSize(dtype);
  t.data.resize(values.size() * es);
  for (size_t i = 0; i < values.size(); ++i) {
    char *p = t.data.data() + i * es;
    double v = values[i];
    switch (dtype) {
    case TP::FLOAT: {
      float f = static_cast<float>(v);
      std::memcpy(p, &f, 4);
      break;
    }
    case TP::DOUBLE:
      std::memcpy(p, &v, 8);
      break;
    case TP::INT64:
    case TP::UINT64: {
      // Large sentinels (INT64_MAX ends of Slice) survive the round trip.
      int64_t x = v >= 9.2e18    ? INT64_MAX
                  : v <= -9.2e18 ? INT64_MIN
                                 : static_cast<int64_t>(v);
      std::memcpy(p, &x, 8);
      break;
    }
    case TP::INT32:
    case TP::UINT32: {
      int32_t x = static_cast<int32_t>(v);
      std::memcpy(p, &x, 4);
      break;
    }
    case TP::INT16:
    case TP::UINT16: {
      int16_t x = static_cast<int16_t>(v);
      std::memcpy(p, &x, 2);
      break;
    }
    case TP::INT8:
    case TP::UINT8:
      *p = static_cast<char>(static_cast<int64_t>(v));
      break;
    case TP::BOOL:
      *p = v != 0.0;
      break;
    default:
      return std::nullopt;
    }
  }
  return t;
}

/// Copies `values` (protobuf repeated field) into `out` as elements of
/// `elemSize` bytes, truncating each value to that width.
template <typename Field>
static void copyTyped(const Field &values, size_t elemSize,
                      std::vector<char> &out) {
  out.resize(values.size() * elemSize);
  for (int i = 0; i < values.size(); ++i) {
    auto v = values.Get(i);
    char *p = out.data() + i * elemSize;
    switch (elemSize) {
    case 1: {
      uint8_t x = static_cast<uint8_t>(v);
      std::memcpy(p, &x, 1);
      break;
    }
    case 2: {
      uint16_t x = static_cast<uint16_t>(v);
      std::memcpy(p, &x, 2);
      break;
    }
    default:
      std::memcpy(p, &v, elemSize);
      break;
    }
  }
}

LogicalResult onnx_import::decodeTensor(const onnx::TensorProto &proto,
                                        ConstTensor &out, std::string &error) {
  out.dtype = proto.data_type();
  out.shape.assign(proto.dims().begin(), proto.dims().end());
  for (int64_t d : out.shape)
    if (d < 0) {
      error = "negative dimension";
      return failure();
    }
  size_t es = onnxElementSize(out.dtype);
  if (es == 0) {
    error = "element type " + onnxTypeName(out.dtype) + " is not supported";
    return failure();
  }
  if (proto.data_location() == TP::EXTERNAL) {
    error = "external data is not supported";
    return failure();
  }
  if (proto.has_segment()) {
    error = "segmented tensors are not supported";
    return failure();
  }
  int64_t n = out.numElements();
  if (proto.has_raw_data()) {
    const std::string &raw = proto.raw_data();
    if (raw.size() != static_cast<size_t>(n) * es) {
      error = "raw_data has " + std::to_string(raw.size()) +
              " bytes, expected " + std::to_string(n * es);
      return failure();
    }
    out.data.assign(raw.begin(), raw.end());
    // raw_data is little-endian; bring it to host order.
    if constexpr (llvm::endianness::native != llvm::endianness::little) {
      for (int64_t i = 0; i < n; ++i)
        std::reverse(out.data.begin() + i * es,
                     out.data.begin() + (i + 1) * es);
    }
    return success();
  }
  int64_t count = 0;
  switch (out.dtype) {
  case TP::FLOAT:
    copyTyped(proto.float_data(), es, out.data);
    count = proto.float_data_size();
    break;
  case TP::DOUBLE:
    copyTyped(proto.double_data(), es, out.data);
    count = proto.double_data_size();
    break;
  case TP::INT64:
    copyTyped(proto.int64_data(), es, out.data);
    count = proto.int64_data_size();
    break;
  case TP::UINT32:
  case TP::UINT64:
    copyTyped(proto.uint64_data(), es, out.data);
    count = proto.uint64_data_size();
    break;
  default: // INT32, INT16, INT8, UINT16, UINT8, BOOL, FLOAT16, BFLOAT16
    copyTyped(proto.int32_data(), es, out.data);
    count = proto.int32_data_size();
    break;
  }
  if (count != n) {
    error = "has " + std::to_string(count) + " values, expected " +
            std::to_string(n);
    return failure();
  }
  return success();
}

//===----------------------------------------------------------------------===//
// NumPy writer
//===----------------------------------------------------------------------===//

/// The .npy dtype of ONNX type `dtype`, if the .npy library has one.
static std::optional<NpyDType> npyDType(int32_t dtype) {
  switch (dtype) {
  case TP::FLOAT:
    return NpyDType::F32;
  case TP::DOUBLE:
    return NpyDType::F64;
  case TP::FLOAT16:
    return NpyDType::F16;
  case TP::INT64:
    return NpyDType::I64;
  case TP::INT32:
    return NpyDType::I32;
  case TP::INT16:
    return NpyDType::I16;
  case TP::INT8:
    return NpyDType::I8;
  case TP::UINT8:
    return NpyDType::U8;
  case TP::BOOL:
    return NpyDType::Bool;
  default:
    return std::nullopt;
  }
}

LogicalResult mlir::sparsity::convertTensorProtoToNpy(StringRef buffer,
                                                      raw_ostream &os,
                                                      std::string &error) {
  onnx::TensorProto proto;
  if (!proto.ParseFromArray(buffer.data(), static_cast<int>(buffer.size()))) {
    error = "not a valid onnx.TensorProto";
    return failure();
  }
  ConstTensor t;
  if (failed(decodeTensor(proto, t, error)))
    return failure();
  std::optional<NpyDType> dtype = npyDType(t.dtype);
  if (!dtype) {
    error = "element type " + onnxTypeName(t.dtype) + " has no .npy form";
    return failure();
  }
  // .npy data is little-endian.
  if constexpr (llvm::endianness::native != llvm::endianness::little) {
    size_t es = t.elementSize();
    for (size_t i = 0; i < t.data.size(); i += es)
      std::reverse(t.data.begin() + i, t.data.begin() + i + es);
  }
  writeNpy(os, *dtype, t.shape,
           ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(t.data.data()),
                             t.data.size()));
  return success();
}

LogicalResult mlir::sparsity::getTensorProtoName(StringRef buffer,
                                                 std::string &name,
                                                 std::string &error) {
  onnx::TensorProto proto;
  if (!proto.ParseFromArray(buffer.data(), static_cast<int>(buffer.size()))) {
    error = "not a valid onnx.TensorProto";
    return failure();
  }
  name = proto.name();
  return success();
}
