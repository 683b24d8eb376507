//===- Calibrate.h - the sparsity-calibrate driver as a library -*- C++ -*-===//
//
// Part of sparsity-mlir. The whole of sparsity-calibrate (the measured
// layers, their compilation and timing, the rates derived from the times and
// the description written) as one function of the library
// SparsityMLIRCalibrate, which the tool's main calls after parsing its
// command line, as sparsity-run calls RunDriver.h.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_EXECUTIONENGINE_CALIBRATE_H
#define SPARSITY_MLIR_EXECUTIONENGINE_CALIBRATE_H

#include "llvm/Support/CommandLine.h"

namespace mlir {
namespace sparsity {
namespace calibrate {

/// Exit codes of the calibration.
enum ExitCode : int { kSuccess = 0, kError = 2 };

/// The option category of the calibration's flags (-o, --name, --iters,
/// --rounds, -v).
llvm::cl::OptionCategory &getCalibrateCategory();

/// Measures this CPU with the parsed command line and writes the x86-avx512
/// description; returns the exit code (nothing is written on an error).
int calibrateMain();

} // namespace calibrate
} // namespace sparsity
} // namespace mlir

#endif // SPARSITY_MLIR_EXECUTIONENGINE_CALIBRATE_H
