//===- TargetDescriptionTest.cpp - parsing and validating targets ---------===//
//
// Part of sparsity-mlir. The presets parse; every rule of docs/targets.md
// rejects a description with a message naming the field; the attribute form
// round-trips.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Target/TargetDescription.h"

#include "mlir/IR/MLIRContext.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

using namespace mlir;
using namespace mlir::sparsity;

using ::testing::HasSubstr;

namespace {

/// A valid description as a JSON object, to be broken by each test.
llvm::json::Object validDescription() {
  return llvm::json::Object{
      {"name", "t"},
      {"kind", "npu-ref"},
      {"clock_ghz", 1.5},
      {"element_bytes", 4},
      {"dram_bytes_per_cycle", 16},
      {"activation_buffer_bytes", 4096},
      {"array",
       llvm::json::Object{
           {"rows", 16}, {"cols", 8}, {"tile_k", 64}, {"fill_cycles", 10}}},
      {"zero_skip", llvm::json::Object{{"group", 4}, {"decode_cycles", 7}}},
  };
}

/// The x86-avx512 preset as a JSON value.
llvm::json::Value x86Preset() {
  llvm::Expected<llvm::json::Value> preset =
      llvm::json::parse(getTargetPresetJSON("x86-avx512"));
  EXPECT_TRUE(static_cast<bool>(preset));
  if (!preset) {
    llvm::consumeError(preset.takeError());
    return llvm::json::Object{};
  }
  return std::move(*preset);
}

std::string errorOf(llvm::json::Object object) {
  std::string error;
  EXPECT_TRUE(failed(
      parseTargetDescription(llvm::json::Value(std::move(object)), error)));
  return error;
}

TEST(TargetDescription, PresetsParse) {
  std::vector<std::string> names = getTargetPresetNames();
  EXPECT_THAT(names, ::testing::Contains("npu-ref-g1"));
  EXPECT_THAT(names, ::testing::Contains("npu-ref-g8"));
  for (const std::string &name : names) {
    std::string error;
    FailureOr<TargetDescription> t =
        parseTargetDescription(getTargetPresetJSON(name), error);
    ASSERT_TRUE(succeeded(t)) << name << ": " << error;
    EXPECT_EQ(t->name, name);
  }
  std::string error;
  FailureOr<TargetDescription> g8 =
      resolveTarget("npu-ref-g8", ModuleOp(), error);
  ASSERT_TRUE(succeeded(g8)) << error;
  EXPECT_EQ(g8->npuRef.group, 8);
  EXPECT_EQ(g8->source, "preset");
  EXPECT_EQ(g8->implementations, (std::vector<std::string>{"dense", "zskip"}));
}

TEST(TargetDescription, ReadsEveryField) {
  std::string error;
  FailureOr<TargetDescription> t =
      parseTargetDescription(llvm::json::Value(validDescription()), error);
  ASSERT_TRUE(succeeded(t)) << error;
  EXPECT_EQ(t->npuRef.rows, 16);
  EXPECT_EQ(t->npuRef.cols, 8);
  EXPECT_EQ(t->npuRef.tileK, 64);
  EXPECT_EQ(t->npuRef.fillCycles, 10);
  EXPECT_EQ(t->npuRef.group, 4);
  EXPECT_EQ(t->npuRef.decodeCycles, 7);
  EXPECT_EQ(t->npuRef.activationBufferBytes, 4096);
  EXPECT_DOUBLE_EQ(t->npuRef.clockGHz, 1.5);
  EXPECT_DOUBLE_EQ(t->npuRef.dramBytesPerCycle, 16.0);
}

TEST(TargetDescription, WithoutZeroSkipOnlyDense) {
  llvm::json::Object o = validDescription();
  o.erase("zero_skip");
  std::string error;
  FailureOr<TargetDescription> t =
      parseTargetDescription(llvm::json::Value(std::move(o)), error);
  ASSERT_TRUE(succeeded(t)) << error;
  EXPECT_EQ(t->implementations, (std::vector<std::string>{"dense"}));
}

TEST(TargetDescription, RejectsEachInvalidField) {
  llvm::json::Object o = validDescription();
  o.erase("clock_ghz");
  EXPECT_EQ(errorOf(std::move(o)), "field 'clock_ghz': missing");

  o = validDescription();
  o["kind"] = "gpu";
  EXPECT_THAT(errorOf(std::move(o)),
              HasSubstr("field 'kind': 'gpu' is not a known kind"));

  o = validDescription();
  o["name"] = 3;
  EXPECT_EQ(errorOf(std::move(o)), "field 'name': expected a string");

  o = validDescription();
  o["name"] = "";
  EXPECT_EQ(errorOf(std::move(o)), "field 'name': must not be empty");

  o = validDescription();
  o["dram_bytes_per_cycle"] = 0;
  EXPECT_EQ(errorOf(std::move(o)),
            "field 'dram_bytes_per_cycle': 0 is not a positive number");

  o = validDescription();
  o["element_bytes"] = 2.5;
  EXPECT_EQ(errorOf(std::move(o)),
            "field 'element_bytes': expected an integer");

  o = validDescription();
  (*o.getObject("array"))["rows"] = 0;
  EXPECT_EQ(errorOf(std::move(o)),
            "field 'array.rows': 0 is outside [1, 4096]");

  o = validDescription();
  (*o.getObject("array"))["colz"] = 4;
  EXPECT_EQ(errorOf(std::move(o)), "field 'array.colz': unknown field");

  o = validDescription();
  o["array"] = 5;
  EXPECT_EQ(errorOf(std::move(o)), "field 'array': expected an object");

  o = validDescription();
  (*o.getObject("zero_skip"))["group"] = 3;
  EXPECT_EQ(errorOf(std::move(o)),
            "field 'zero_skip.group': 3 does not divide 'array.rows' (16)");

  o = validDescription();
  (*o.getObject("array"))["tile_k"] = 66;
  (*o.getObject("zero_skip"))["group"] = 8;
  EXPECT_EQ(errorOf(std::move(o)),
            "field 'zero_skip.group': 8 does not divide 'array.tile_k' (66)");

  o = validDescription();
  (*o.getObject("zero_skip"))["decode_cycles"] = -1;
  EXPECT_THAT(errorOf(std::move(o)),
              HasSubstr("field 'zero_skip.decode_cycles': -1 is outside"));

  o = validDescription();
  o["speed"] = 1;
  EXPECT_EQ(errorOf(std::move(o)), "field 'speed': unknown field");

  std::string error;
  EXPECT_TRUE(failed(parseTargetDescription(llvm::StringRef("{"), error)));
  EXPECT_THAT(error, HasSubstr("invalid JSON"));
  EXPECT_TRUE(failed(parseTargetDescription(llvm::StringRef("[1]"), error)));
  EXPECT_EQ(error, "a target description is a JSON object");
}

TEST(TargetDescription, X86DirectCsrRateIsOptional) {
  std::string error;
  llvm::json::Value preset = x86Preset();
  llvm::json::Object *csr = preset.getAsObject()->getObject("csr");
  ASSERT_TRUE(csr);
  (*csr)["ns_per_fma"] = 0.5;
  (*csr)["direct_ns_per_fma"] = 0.75;
  FailureOr<TargetDescription> t = parseTargetDescription(preset, error);
  ASSERT_TRUE(succeeded(t)) << error;
  EXPECT_DOUBLE_EQ(t->x86.csrDirectNsPerFma, 0.75);
  // Without it, the direct rate is csr's.
  csr->erase("direct_ns_per_fma");
  t = parseTargetDescription(preset, error);
  ASSERT_TRUE(succeeded(t)) << error;
  EXPECT_DOUBLE_EQ(t->x86.csrDirectNsPerFma, 0.5);
  (*csr)["direct_ns_per_fma"] = 0.0;
  EXPECT_THAT(errorOf(std::move(*preset.getAsObject())),
              HasSubstr("field 'csr.direct_ns_per_fma': 0 is not a positive "
                        "number"));
}

TEST(TargetDescription, X86UncachedCsrRateIsOptionalAndPaired) {
  MLIRContext ctx;
  std::string error;
  llvm::json::Value preset = x86Preset();
  llvm::json::Object *csr = preset.getAsObject()->getObject("csr");
  ASSERT_TRUE(csr);
  FailureOr<TargetDescription> t = parseTargetDescription(preset, error);
  ASSERT_TRUE(succeeded(t)) << error;
  EXPECT_EQ(t->x86.csrCacheBytes, 0);
  EXPECT_DOUBLE_EQ(t->x86.csrUncachedNsPerFma, t->x86.csrNsPerFma);
  (*csr)["cache_bytes"] = 1048576;
  (*csr)["uncached_ns_per_fma"] = 0.9;
  t = parseTargetDescription(preset, error);
  ASSERT_TRUE(succeeded(t)) << error;
  EXPECT_EQ(t->x86.csrCacheBytes, 1048576);
  EXPECT_DOUBLE_EQ(t->x86.csrUncachedNsPerFma, 0.9);
  FailureOr<TargetDescription> back =
      parseTargetDescription(toDictionaryAttr(*t, &ctx), error);
  ASSERT_TRUE(succeeded(back)) << error;
  EXPECT_EQ(back->x86.csrCacheBytes, 1048576);
  EXPECT_DOUBLE_EQ(back->x86.csrUncachedNsPerFma, 0.9);
  llvm::json::Value onlyRate = preset;
  onlyRate.getAsObject()->getObject("csr")->erase("cache_bytes");
  EXPECT_THAT(errorOf(std::move(*onlyRate.getAsObject())),
              HasSubstr("field 'csr.cache_bytes': missing (cache_bytes and "
                        "uncached_ns_per_fma go together)"));
  csr->erase("uncached_ns_per_fma");
  EXPECT_THAT(errorOf(std::move(*preset.getAsObject())),
              HasSubstr("field 'csr.uncached_ns_per_fma': missing"));
}

TEST(TargetDescription, X86BitmapDecodeIsOptional) {
  MLIRContext ctx;
  std::string error;
  llvm::json::Value preset = x86Preset();
  llvm::json::Object *narrow = preset.getAsObject()->getObject("narrow");
  ASSERT_TRUE(narrow);
  // Without it, vexpandps.
  narrow->erase("bitmap_decode");
  FailureOr<TargetDescription> t = parseTargetDescription(preset, error);
  ASSERT_TRUE(succeeded(t)) << error;
  EXPECT_FALSE(t->x86.bitmapPermute);
  (*narrow)["bitmap_decode"] = "permute";
  t = parseTargetDescription(preset, error);
  ASSERT_TRUE(succeeded(t)) << error;
  EXPECT_TRUE(t->x86.bitmapPermute);
  // The attribute form keeps it.
  FailureOr<TargetDescription> back =
      parseTargetDescription(toDictionaryAttr(*t, &ctx), error);
  ASSERT_TRUE(succeeded(back)) << error;
  EXPECT_TRUE(back->x86.bitmapPermute);
  (*narrow)["bitmap_decode"] = "vpermps";
  EXPECT_THAT(errorOf(std::move(*preset.getAsObject())),
              HasSubstr("field 'narrow.bitmap_decode': 'vpermps' is not one "
                        "of expandload, permute"));
}

TEST(TargetDescription, AttributeFormRoundTrips) {
  MLIRContext ctx;
  std::string error;
  FailureOr<TargetDescription> t =
      parseTargetDescription(llvm::json::Value(validDescription()), error);
  ASSERT_TRUE(succeeded(t)) << error;
  DictionaryAttr attr = toDictionaryAttr(*t, &ctx);
  FailureOr<TargetDescription> back = parseTargetDescription(attr, error);
  ASSERT_TRUE(succeeded(back)) << error;
  EXPECT_EQ(toJSON(*back, &ctx), toJSON(*t, &ctx));
  EXPECT_EQ(toJSON(*t, &ctx), llvm::json::Value(validDescription()));
}

TEST(TargetDescription, UnknownPresetAndMissingFileSayWhat) {
  std::string error;
  EXPECT_TRUE(failed(resolveTarget("/no/such/target.json", ModuleOp(), error)));
  EXPECT_THAT(
      error,
      HasSubstr("is neither a preset (npu-ref-g1, npu-ref-g8, x86-avx512"));
  EXPECT_TRUE(failed(resolveTarget("", ModuleOp(), error)));
  EXPECT_THAT(error, HasSubstr("no target"));
}

} // namespace
