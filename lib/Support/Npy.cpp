//===- Npy.cpp - NumPy .npy reader and writer -----------------------------===//
//
// Part of sparsity-mlir. The format: magic "\x93NUMPY", a major and a minor
// version byte, the header length (2 bytes in 1.0, 4 bytes in 2.0/3.0,
// little-endian), then an ASCII (3.0: UTF-8) Python dict literal
// `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }` padded with
// spaces and a newline, then the raw elements.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Support/Npy.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SwapByteOrder.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir::sparsity::runtime;
using llvm::StringRef;

static constexpr StringRef kMagic("\x93NUMPY", 6);

unsigned mlir::sparsity::runtime::getNpyElementSize(NpyDType dtype) {
  switch (dtype) {
  case NpyDType::I8:
  case NpyDType::U8:
  case NpyDType::Bool:
    return 1;
  case NpyDType::F16:
  case NpyDType::I16:
    return 2;
  case NpyDType::F32:
  case NpyDType::I32:
    return 4;
  case NpyDType::F64:
  case NpyDType::I64:
    return 8;
  }
  llvm_unreachable("unknown NpyDType");
}

StringRef mlir::sparsity::runtime::getNpyDescr(NpyDType dtype) {
  switch (dtype) {
  case NpyDType::F16:
    return "<f2";
  case NpyDType::F32:
    return "<f4";
  case NpyDType::F64:
    return "<f8";
  case NpyDType::I8:
    return "|i1";
  case NpyDType::I16:
    return "<i2";
  case NpyDType::I32:
    return "<i4";
  case NpyDType::I64:
    return "<i8";
  case NpyDType::U8:
    return "|u1";
  case NpyDType::Bool:
    return "|b1";
  }
  llvm_unreachable("unknown NpyDType");
}

StringRef mlir::sparsity::runtime::getNpyDTypeName(NpyDType dtype) {
  switch (dtype) {
  case NpyDType::F16:
    return "f16";
  case NpyDType::F32:
    return "f32";
  case NpyDType::F64:
    return "f64";
  case NpyDType::I8:
    return "i8";
  case NpyDType::I16:
    return "i16";
  case NpyDType::I32:
    return "i32";
  case NpyDType::I64:
    return "i64";
  case NpyDType::U8:
    return "u8";
  case NpyDType::Bool:
    return "bool";
  }
  llvm_unreachable("unknown NpyDType");
}

std::optional<NpyDType>
mlir::sparsity::runtime::parseNpyDescr(StringRef descr) {
  if (descr.size() < 2)
    return std::nullopt;
  char order = descr.front();
  StringRef kind = descr.drop_front();
  // One-byte types have no byte order ('|'), but '<' and '=' are harmless.
  bool oneByte = kind == "i1" || kind == "u1" || kind == "b1";
  if (order == '>' && !oneByte)
    return std::nullopt;
  if (order != '<' && order != '|' && order != '=' && order != '>')
    return std::nullopt;
  return llvm::StringSwitch<std::optional<NpyDType>>(kind)
      .Case("f2", NpyDType::F16)
      .Case("f4", NpyDType::F32)
      .Case("f8", NpyDType::F64)
      .Case("i1", NpyDType::I8)
      .Case("i2", NpyDType::I16)
      .Case("i4", NpyDType::I32)
      .Case("i8", NpyDType::I64)
      .Case("u1", NpyDType::U8)
      .Case("b1", NpyDType::Bool)
      .Default(std::nullopt);
}

int64_t NpyArray::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

namespace {
/// A cursor over the header's Python dict literal.
class HeaderParser {
public:
  HeaderParser(StringRef text, StringRef name) : rest(text), name(name) {}

  llvm::Error error(const llvm::Twine &msg) const {
    return llvm::createStringError(
        std::make_error_code(std::errc::invalid_argument),
        name + ": malformed .npy header: " + msg);
  }

  void skipSpace() { rest = rest.ltrim(" \t\r\n"); }

  bool consume(char c) {
    skipSpace();
    if (!rest.starts_with(StringRef(&c, 1)))
      return false;
    rest = rest.drop_front();
    return true;
  }

  llvm::Expected<std::string> parseString() {
    skipSpace();
    if (rest.empty() || (rest.front() != '\'' && rest.front() != '"'))
      return error("expected a quoted string");
    char quote = rest.front();
    size_t end = rest.find(quote, 1);
    if (end == StringRef::npos)
      return error("unterminated string");
    std::string s = rest.slice(1, end).str();
    rest = rest.drop_front(end + 1);
    return s;
  }

  llvm::Expected<bool> parseBool() {
    skipSpace();
    if (rest.consume_front("True"))
      return true;
    if (rest.consume_front("False"))
      return false;
    return error("expected True or False");
  }

  llvm::Expected<llvm::SmallVector<int64_t>> parseShape() {
    llvm::SmallVector<int64_t> shape;
    if (!consume('('))
      return error("expected '(' to start the shape");
    while (!consume(')')) {
      skipSpace();
      size_t len = rest.find_first_not_of("0123456789");
      if (len == 0 || len == StringRef::npos)
        return error("expected a non-negative dimension in the shape");
      int64_t dim;
      if (rest.take_front(len).getAsInteger(10, dim) || dim < 0)
        return error("dimension '" + rest.take_front(len) + "' out of range");
      shape.push_back(dim);
      rest = rest.drop_front(len);
      if (!consume(',')) {
        if (!consume(')'))
          return error("expected ',' or ')' in the shape");
        break;
      }
    }
    return shape;
  }

  StringRef rest;
  StringRef name;
};
} // namespace

static llvm::Error npyError(StringRef name, const llvm::Twine &msg) {
  return llvm::createStringError(
      std::make_error_code(std::errc::invalid_argument), name + ": " + msg);
}

llvm::Expected<NpyArray> mlir::sparsity::runtime::parseNpy(StringRef bytes,
                                                           StringRef name) {
  if (!llvm::sys::IsLittleEndianHost)
    return npyError(name, ".npy support needs a little-endian host");
  if (!bytes.starts_with(kMagic))
    return npyError(name, "not an .npy file (missing the \\x93NUMPY magic)");
  if (bytes.size() < 10)
    return npyError(name, "truncated .npy header");
  unsigned major = static_cast<uint8_t>(bytes[6]);
  size_t headerLen, headerStart;
  if (major == 1) {
    headerLen = llvm::support::endian::read16le(bytes.data() + 8);
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return npyError(name, "truncated .npy header");
    headerLen = llvm::support::endian::read32le(bytes.data() + 8);
    headerStart = 12;
  } else {
    return npyError(
        name,
        "unsupported .npy format version " + llvm::Twine(major) + "." +
            llvm::Twine(static_cast<unsigned>(static_cast<uint8_t>(bytes[7]))));
  }
  if (bytes.size() < headerStart + headerLen)
    return npyError(name, "truncated .npy header (" +
                              llvm::Twine(headerStart + headerLen) +
                              " bytes declared, " + llvm::Twine(bytes.size()) +
                              " in the file)");

  HeaderParser p(bytes.substr(headerStart, headerLen), name);
  std::optional<std::string> descr;
  std::optional<bool> fortran;
  std::optional<llvm::SmallVector<int64_t>> shape;
  if (!p.consume('{'))
    return p.error("expected '{'");
  while (!p.consume('}')) {
    llvm::Expected<std::string> key = p.parseString();
    if (!key)
      return key.takeError();
    if (!p.consume(':'))
      return p.error("expected ':' after '" + *key + "'");
    if (*key == "descr") {
      llvm::Expected<std::string> v = p.parseString();
      if (!v)
        return v.takeError();
      descr = *v;
    } else if (*key == "fortran_order") {
      llvm::Expected<bool> v = p.parseBool();
      if (!v)
        return v.takeError();
      fortran = *v;
    } else if (*key == "shape") {
      auto v = p.parseShape();
      if (!v)
        return v.takeError();
      shape = std::move(*v);
    } else {
      return p.error("unexpected key '" + *key + "'");
    }
    if (!p.consume(',')) {
      if (!p.consume('}'))
        return p.error("expected ',' or '}'");
      break;
    }
  }
  if (!descr || !fortran || !shape)
    return p.error("'descr', 'fortran_order' and 'shape' are all required");
  if (*fortran)
    return npyError(name, "Fortran-order arrays are not supported (save "
                          "with C order)");
  std::optional<NpyDType> dtype = parseNpyDescr(*descr);
  if (!dtype)
    return npyError(name, "unsupported dtype '" + *descr +
                              "' (expected little-endian f2/f4/f8/i1/i2/i4/"
                              "i8/u1/b1)");

  NpyArray array;
  array.dtype = *dtype;
  array.shape = std::move(*shape);
  // Guard the element count against overflow before trusting it.
  uint64_t count = 1;
  for (int64_t d : array.shape) {
    if (d != 0 && count > (uint64_t(1) << 48) / uint64_t(d))
      return npyError(name, "shape too large");
    count *= uint64_t(d);
  }
  uint64_t expected = count * getNpyElementSize(*dtype);
  StringRef payload = bytes.drop_front(headerStart + headerLen);
  if (payload.size() != expected)
    return npyError(name, "payload has " + llvm::Twine(payload.size()) +
                              " bytes, but the shape and dtype need " +
                              llvm::Twine(expected));
  array.data.assign(payload.bytes_begin(), payload.bytes_end());
  return array;
}

llvm::Expected<NpyArray> mlir::sparsity::runtime::readNpyFile(StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buf =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!buf)
    return llvm::createStringError(buf.getError(),
                                   "cannot read '" + path +
                                       "': " + buf.getError().message());
  return parseNpy((*buf)->getBuffer(), path);
}

void mlir::sparsity::runtime::writeNpy(llvm::raw_ostream &os, NpyDType dtype,
                                       llvm::ArrayRef<int64_t> shape,
                                       llvm::ArrayRef<uint8_t> data) {
  std::string header;
  llvm::raw_string_ostream hs(header);
  hs << "{'descr': '" << getNpyDescr(dtype)
     << "', 'fortran_order': False, 'shape': (";
  for (int64_t d : shape)
    hs << d << (shape.size() == 1 ? "," : ", ");
  if (shape.size() > 1)
    header.resize(header.size() - 2);
  hs << "), }";
  // Magic (6) + version (2) + length (2) + header + '\n', to a multiple of 64.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header.push_back('\n');
  os << kMagic;
  os << char(1) << char(0);
  uint16_t len = static_cast<uint16_t>(header.size());
  os << char(len & 0xff) << char(len >> 8);
  os << header;
  os.write(reinterpret_cast<const char *>(data.data()), data.size());
}

llvm::Error mlir::sparsity::runtime::writeNpyFile(StringRef path,
                                                  const NpyArray &array) {
  assert(array.data.size() == static_cast<size_t>(array.numElements()) *
                                  getNpyElementSize(array.dtype) &&
         "payload size does not match the shape");
  llvm::Error err = llvm::writeToOutput(path, [&](llvm::raw_ostream &os) {
    writeNpy(os, array.dtype, array.shape, array.data);
    return llvm::Error::success();
  });
  if (err)
    return llvm::createStringError(std::make_error_code(std::errc::io_error),
                                   "cannot write '" + path +
                                       "': " + llvm::toString(std::move(err)));
  return llvm::Error::success();
}
