//===- RunDriver.h - the sparsity-run driver as a library -------*- C++ -*-===//
//
// Part of sparsity-mlir. The whole of sparsity-run (options, inputs, JIT,
// comparison, benchmark) as one function of the library
// SparsityMLIRExecutionEngine, which sparsity-run and sparsity-sim link (as
// upstream's mlir-runner links JitRunner). A tool adapts it with hooks: a
// rewrite of the parsed program before it is lowered, and extra symbols for the
// JIT.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_EXECUTIONENGINE_RUNDRIVER_H
#define SPARSITY_MLIR_EXECUTIONENGINE_RUNDRIVER_H

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/CommandLine.h"

#include <functional>

namespace mlir {
namespace sparsity {
namespace run {

/// Exit codes of the driver.
enum ExitCode : int { kSuccess = 0, kMismatch = 1, kError = 2 };

/// How a tool adapts the driver.
struct RunHooks {
  /// Prefix of every error message.
  llvm::StringRef toolName = "sparsity-run";
  /// Called on the program under test once it is parsed and its entry
  /// function checked, before inputs are read or anything is compiled. May
  /// rewrite the module. Returns failure after reporting an error; setting
  /// `stop` ends the run successfully there.
  std::function<LogicalResult(ModuleOp module, bool &stop)> prepare;
  /// Called on the JIT of the program under test before its first call.
  std::function<void(ExecutionEngine &engine)> registerSymbols;
};

/// The option category of the driver's flags.
llvm::cl::OptionCategory &getRunCategory();

/// Prints `msg` as an error of the tool; returns kError.
int fail(const llvm::Twine &msg);

/// Runs the driver with the parsed command line; returns the exit code.
int runMain(const RunHooks &hooks);

} // namespace run
} // namespace sparsity
} // namespace mlir

#endif // SPARSITY_MLIR_EXECUTIONENGINE_RUNDRIVER_H
