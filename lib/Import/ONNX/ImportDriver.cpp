//===- ImportDriver.cpp - the sparsity-import-onnx driver -----------------===//
//
// Part of sparsity-mlir. The driver of sparsity-import-onnx, a library
// (ImportDriver.h) that the tool's main calls:
//
//   sparsity-import-onnx model.onnx -o model.mlir [--dim N=1] [--batch=1]
//   sparsity-import-onnx --tensor-to-npy tensor.pb -o tensor.npy
//
// Writes `-o` only on success: every error exits non-zero and leaves no
// output file behind.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Import/ONNX/ImportDriver.h"

#include "sparsity-mlir/Import/ONNX/ONNXImporter.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"

using namespace mlir;
using namespace mlir::sparsity::importer;
using namespace llvm;

static cl::OptionCategory importCategory("sparsity-import-onnx options");

cl::OptionCategory &sparsity::importer::getImportCategory() {
  return importCategory;
}

static cl::opt<std::string> inputFilename(cl::Positional,
                                          cl::desc("<model.onnx>"),
                                          cl::Required,
                                          cl::cat(importCategory));

static cl::opt<std::string> outputFilename("o", cl::desc("Output file"),
                                           cl::value_desc("filename"),
                                           cl::init("-"),
                                           cl::cat(importCategory));

static cl::list<std::string>
    dimValues("dim",
              cl::desc("Value of a symbolic input dimension (repeatable)"),
              cl::value_desc("NAME=VALUE"), cl::cat(importCategory));

static cl::opt<int64_t>
    batch("batch", cl::desc("Value of a dynamic first input dimension"),
          cl::value_desc("N"), cl::init(-1), cl::cat(importCategory));

static cl::list<std::string> constInputs(
    "const-input",
    cl::desc("Bake a graph input in as a constant from a serialized "
             "onnx.TensorProto (name taken from the tensor unless given)"),
    cl::value_desc("[NAME=]tensor.pb"), cl::cat(importCategory));

static cl::opt<std::string>
    entryName("entry", cl::desc("Name of the entry function (default: main)"),
              cl::value_desc("name"), cl::init("main"),
              cl::cat(importCategory));

static cl::opt<bool>
    tensorToNpy("tensor-to-npy",
                cl::desc("Convert a serialized onnx.TensorProto (.pb) to a "
                         "NumPy .npy file instead of importing a model"),
                cl::init(false), cl::cat(importCategory));

static cl::opt<bool> printLocations(
    "locations",
    cl::desc("Print op locations, which carry the ONNX node names that "
             "--sparsity-report and diagnostics name layers by (default on; "
             "--locations=false prints without them)"),
    cl::init(true), cl::cat(importCategory));

/// The printing flags: the command line's, plus locations unless disabled.
static OpPrintingFlags getPrintingFlags() {
  OpPrintingFlags flags;
  if (printLocations)
    flags.enableDebugInfo(/*enable=*/true, /*prettyForm=*/false);
  return flags;
}

/// Prints `message` as an error of the tool; returns kError.
static int fail(const Twine &message) {
  WithColor::error(errs(), "sparsity-import-onnx") << message << "\n";
  return kError;
}

/// Prints `module` to `-o`: to a temporary file next to it that is renamed
/// into place only once complete, so a failed write leaves no partial file
/// and an existing file untouched. Streaming keeps the (large) printed
/// weights out of memory.
static int writeModule(ModuleOp module) {
  if (outputFilename == "-") {
    module.print(llvm::outs(), getPrintingFlags());
    llvm::outs().flush();
    return llvm::outs().has_error() ? fail("cannot write standard output")
                                    : kSuccess;
  }
  Expected<llvm::sys::fs::TempFile> temp =
      llvm::sys::fs::TempFile::create(outputFilename + "-%%%%%%.tmp");
  if (!temp)
    return fail("cannot write '" + outputFilename +
                "': " + llvm::toString(temp.takeError()));
  {
    raw_fd_ostream os(temp->FD, /*shouldClose=*/false);
    module.print(os, getPrintingFlags());
    os.flush();
    if (os.has_error()) {
      std::string message = os.error().message();
      os.clear_error();
      llvm::consumeError(temp->discard());
      return fail("cannot write '" + outputFilename + "': " + message);
    }
  }
  if (Error error = temp->keep(outputFilename))
    return fail("cannot write '" + outputFilename +
                "': " + llvm::toString(std::move(error)));
  return kSuccess;
}

int sparsity::importer::importMain() {
  std::string errorMessage;
  std::unique_ptr<MemoryBuffer> input;
  if (tensorToNpy || inputFilename == "-") {
    input = openInputFile(inputFilename, &errorMessage);
    if (!input)
      return fail(errorMessage);
  } else if (std::error_code ec = llvm::sys::fs::access(
                 inputFilename, llvm::sys::fs::AccessMode::Exist)) {
    return fail("cannot open input file '" + inputFilename +
                "': " + ec.message());
  }

  // Everything is produced in memory first; the output file is created
  // only once the result is complete.
  std::string result;
  raw_string_ostream os(result);

  if (tensorToNpy) {
    std::string error;
    if (failed(
            sparsity::convertTensorProtoToNpy(input->getBuffer(), os, error)))
      return fail("'" + inputFilename + "': " + error);
  } else {
    sparsity::ONNXImportOptions options;
    options.entryName = entryName;
    if (batch >= 0)
      options.batch = batch;
    for (const std::string &d : dimValues) {
      auto [name, value] = StringRef(d).split('=');
      int64_t v;
      if (name.empty() || value.getAsInteger(10, v) || v < 0)
        return fail("--dim expects NAME=VALUE with VALUE >= 0, got '" + d +
                    "'");
      options.dimValues[name] = v;
    }

    for (const std::string &c : constInputs) {
      auto [name, path] = StringRef(c).split('=');
      if (path.empty()) {
        path = name;
        name = "";
      }
      std::unique_ptr<MemoryBuffer> tensor = openInputFile(path, &errorMessage);
      if (!tensor)
        return fail("--const-input: " + errorMessage);
      std::string tensorName = name.str();
      if (tensorName.empty()) {
        std::string error;
        if (failed(sparsity::getTensorProtoName(tensor->getBuffer(), tensorName,
                                                error)))
          return fail("--const-input '" + path + "': " + error);
        if (tensorName.empty())
          return fail("--const-input '" + path +
                      "': the tensor has no name; use NAME=" + path.str());
      }
      options.constInputs[tensorName] = tensor->getBuffer().str();
    }

    DialectRegistry registry;
    sparsity::registerONNXImportDialects(registry);
    MLIRContext context(registry);
    bool hadError = false;
    ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
      raw_ostream &es = errs();
      if (diag.getSeverity() == DiagnosticSeverity::Error) {
        hadError = true;
        WithColor::error(es, inputFilename);
      } else if (diag.getSeverity() == DiagnosticSeverity::Warning) {
        WithColor::warning(es, inputFilename);
      } else {
        WithColor::note(es, inputFilename);
      }
      es << diag << "\n";
      for (Diagnostic &note : diag.getNotes())
        WithColor::note(es, inputFilename) << note << "\n";
      return success();
    });
    // A file is streamed (its weights are not held a third time); standard
    // input is read into memory.
    OwningOpRef<ModuleOp> module =
        inputFilename == "-"
            ? sparsity::importONNXModel(&context, input->getBuffer(),
                                        inputFilename, options)
            : sparsity::importONNXModelFile(&context, inputFilename, options);
    input.reset();
    if (!module || hadError)
      return kError;
    return writeModule(*module);
  }

  std::unique_ptr<ToolOutputFile> output =
      openOutputFile(outputFilename, &errorMessage);
  if (!output)
    return fail(errorMessage);
  output->os() << result;
  output->os().flush();
  if (output->os().has_error())
    return fail("cannot write '" + outputFilename + "'");
  output->keep();
  return kSuccess;
}
