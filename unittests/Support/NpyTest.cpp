//===- NpyTest.cpp - tests of the .npy reader and writer ------------------===//
//
// Part of sparsity-mlir. The reference bytes below are what NumPy writes
// (numpy.save) for the same arrays, so reader and writer are checked against
// the format, not only against each other.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Support/Npy.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include <cstring>

using namespace mlir::sparsity::runtime;
using ::testing::HasSubstr;

namespace {

/// A version 1.0 file image with `header` padded NumPy-style and `payload`.
std::string makeNpy(llvm::StringRef header, llvm::StringRef payload,
                    char major = 1) {
  std::string h = header.str();
  size_t prefix = major == 1 ? 10 : 12;
  size_t total = prefix + h.size() + 1;
  h.append((64 - total % 64) % 64, ' ');
  h.push_back('\n');
  std::string out("\x93NUMPY", 6);
  out.push_back(major);
  out.push_back(0);
  out.push_back(static_cast<char>(h.size() & 0xff));
  out.push_back(static_cast<char>((h.size() >> 8) & 0xff));
  if (major != 1) {
    out.push_back(0);
    out.push_back(0);
  }
  return out + h + payload.str();
}

std::string errorOf(llvm::Expected<NpyArray> result) {
  EXPECT_FALSE(static_cast<bool>(result));
  return result ? std::string() : llvm::toString(result.takeError());
}

TEST(NpyTest, ParsesNumpyF32Matrix) {
  float values[] = {1.0f, 2.0f, 3.0f, 4.0f, 5.0f, 6.0f};
  std::string bytes =
      makeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
              llvm::StringRef(reinterpret_cast<char *>(values), 24));
  llvm::Expected<NpyArray> array = parseNpy(bytes, "m.npy");
  ASSERT_TRUE(static_cast<bool>(array)) << llvm::toString(array.takeError());
  EXPECT_EQ(array->dtype, NpyDType::F32);
  EXPECT_THAT(array->shape, ::testing::ElementsAre(2, 3));
  ASSERT_EQ(array->data.size(), 24u);
  float back[6];
  std::memcpy(back, array->data.data(), 24);
  EXPECT_EQ(back[5], 6.0f);
}

TEST(NpyTest, WriterMatchesNumpyBytes) {
  // numpy.save of numpy.arange(3, dtype=numpy.int32): NumPy pads the header
  // with spaces and a newline so the payload starts at a multiple of 64.
  int32_t values[] = {0, 1, 2};
  std::string out;
  llvm::raw_string_ostream os(out);
  writeNpy(os, NpyDType::I32, {3},
           llvm::ArrayRef(reinterpret_cast<uint8_t *>(values), 12));
  std::string expected =
      makeNpy("{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }",
              llvm::StringRef(reinterpret_cast<char *>(values), 12));
  EXPECT_EQ(out, expected);
  EXPECT_EQ((out.size() - 12) % 64, 0u);
}

TEST(NpyTest, RoundTripsEveryDType) {
  for (NpyDType dtype : {NpyDType::F16, NpyDType::F32, NpyDType::F64,
                         NpyDType::I8, NpyDType::I16, NpyDType::I32,
                         NpyDType::I64, NpyDType::U8, NpyDType::Bool}) {
    std::vector<uint8_t> data(2 * 2 * getNpyElementSize(dtype));
    for (size_t i = 0; i < data.size(); ++i)
      data[i] = static_cast<uint8_t>(i * 7 + 1);
    std::string out;
    llvm::raw_string_ostream os(out);
    writeNpy(os, dtype, {2, 2}, data);
    llvm::Expected<NpyArray> array = parseNpy(out, "rt.npy");
    ASSERT_TRUE(static_cast<bool>(array)) << llvm::toString(array.takeError());
    EXPECT_EQ(array->dtype, dtype) << getNpyDescr(dtype).str();
    EXPECT_EQ(array->data, data) << getNpyDescr(dtype).str();
    EXPECT_EQ(parseNpyDescr(getNpyDescr(dtype)), dtype);
  }
}

TEST(NpyTest, ZeroDimensionalAndVersion2) {
  double v = 2.5;
  std::string bytes =
      makeNpy("{'descr': '<f8', 'fortran_order': False, 'shape': (), }",
              llvm::StringRef(reinterpret_cast<char *>(&v), 8), /*major=*/2);
  llvm::Expected<NpyArray> array = parseNpy(bytes, "s.npy");
  ASSERT_TRUE(static_cast<bool>(array)) << llvm::toString(array.takeError());
  EXPECT_TRUE(array->shape.empty());
  EXPECT_EQ(array->numElements(), 1);
}

TEST(NpyTest, KeyOrderAndQuotesAreFree) {
  int8_t v[] = {1, -2};
  std::string bytes =
      makeNpy("{\"shape\": (2,), \"fortran_order\": False, \"descr\": \"|i1\"}",
              llvm::StringRef(reinterpret_cast<char *>(v), 2));
  llvm::Expected<NpyArray> array = parseNpy(bytes, "k.npy");
  ASSERT_TRUE(static_cast<bool>(array)) << llvm::toString(array.takeError());
  EXPECT_EQ(array->dtype, NpyDType::I8);
}

TEST(NpyTest, RejectsBadFiles) {
  std::string f32 = std::string(8, '\0');
  EXPECT_THAT(errorOf(parseNpy("hello world, no npy", "a.npy")),
              HasSubstr("a.npy: not an .npy file"));
  EXPECT_THAT(
      errorOf(parseNpy(std::string("\x93NUMPY\x01\x00\xff\x00", 10), "b.npy")),
      HasSubstr("b.npy: truncated .npy header"));
  EXPECT_THAT(
      errorOf(parseNpy(
          makeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }",
                  f32),
          "c.npy")),
      HasSubstr("c.npy: payload has 8 bytes, but the shape and dtype need 12"));
  EXPECT_THAT(
      errorOf(parseNpy(
          makeNpy("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }",
                  f32),
          "d.npy")),
      HasSubstr("d.npy: unsupported dtype '>f4'"));
  EXPECT_THAT(
      errorOf(parseNpy(
          makeNpy("{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }",
                  f32),
          "e.npy")),
      HasSubstr("e.npy: Fortran-order arrays are not supported"));
  EXPECT_THAT(
      errorOf(parseNpy(
          makeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, }",
                  f32),
          "f.npy")),
      HasSubstr("f.npy: malformed .npy header"));
  EXPECT_THAT(errorOf(parseNpy(makeNpy("{'descr': '<f4', 'shape': (2,)}", f32),
                               "g.npy")),
              HasSubstr("'descr', 'fortran_order' and 'shape' are all "
                        "required"));
  std::string v9 =
      makeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", f32);
  v9[6] = 9;
  EXPECT_THAT(errorOf(parseNpy(v9, "h.npy")),
              HasSubstr("h.npy: unsupported .npy format version 9.0"));
}

TEST(NpyTest, FileRoundTripAndMissingFile) {
  llvm::SmallString<128> dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("npytest", dir));
  llvm::SmallString<128> path(dir);
  llvm::sys::path::append(path, "x.npy");
  NpyArray array;
  array.dtype = NpyDType::I64;
  array.shape = {1, 2};
  array.data.assign(16, 3);
  ASSERT_FALSE(static_cast<bool>(writeNpyFile(path, array)));
  llvm::Expected<NpyArray> back = readNpyFile(path);
  ASSERT_TRUE(static_cast<bool>(back)) << llvm::toString(back.takeError());
  EXPECT_EQ(back->data, array.data);
  EXPECT_THAT(back->shape, ::testing::ElementsAre(1, 2));

  llvm::SmallString<128> missing(dir);
  llvm::sys::path::append(missing, "missing.npy");
  EXPECT_THAT(errorOf(readNpyFile(missing)), HasSubstr("cannot read '"));

  // A file in a directory that does not exist: an error and nothing written.
  llvm::SmallString<128> bad(dir);
  llvm::sys::path::append(bad, "no-such-dir", "y.npy");
  llvm::Error err = writeNpyFile(bad, array);
  ASSERT_TRUE(static_cast<bool>(err));
  EXPECT_THAT(llvm::toString(std::move(err)), HasSubstr("cannot write '"));
  EXPECT_FALSE(llvm::sys::fs::exists(bad));

  llvm::sys::fs::remove(path);
  llvm::sys::fs::remove(dir);
}

} // namespace
