#!/usr/bin/env bash
# Sets up (Debian packages), configures, builds and runs every test suite of
# sparsity-mlir: the format check, the lit suite and the GoogleTest unit tests.
#
#   scripts/test.sh             plain build in build/ (clang-22, Release, -Werror)
#   scripts/test.sh --sanitize  ASan+UBSan build in build-san/, same suites
#   scripts/test.sh --gcc       gcc-12 build in build-gcc/ (-Werror), same suites
#
# Exits non-zero on any failure. SPARSITY_JOBS sets the build parallelism.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

mode=plain
case "${1:-}" in
  "") ;;
  --sanitize) mode=sanitize ;;
  --gcc) mode=gcc ;;
  -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
  *) echo "test.sh: unknown option '$1' (expected --sanitize or --gcc)" >&2; exit 2 ;;
esac

"$SPARSITY_ROOT/scripts/setup.sh"
# The ONNX Runtime oracle of test/Models (npm, install scripts disabled).
# Without it those tests are reported unsupported, not passed.
if [[ ! -d "$SPARSITY_ROOT/scripts/ort/node_modules/onnxruntime-node" ]]; then
  (cd "$SPARSITY_ROOT/scripts/ort" && npm install --ignore-scripts \
     --no-package-lock --no-audit --no-fund --silent) ||
    echo "test.sh: warning: onnxruntime-node could not be installed;" \
         "the ONNX Runtime tests will be unsupported" >&2
fi

if [[ $mode == plain ]]; then
  dir="$SPARSITY_ROOT/build"
  sparsity_configure "$dir" -DCMAKE_BUILD_TYPE=Release -DSPARSITY_WERROR=ON
elif [[ $mode == gcc ]]; then
  dir="$SPARSITY_ROOT/build-gcc"
  SPARSITY_COMPILER=gcc sparsity_configure "$dir" -DCMAKE_BUILD_TYPE=Release \
    -DSPARSITY_WERROR=ON
else
  dir="$SPARSITY_ROOT/build-san"
  sparsity_configure "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSPARSITY_ENABLE_SANITIZERS=ON -DSPARSITY_WERROR=ON
fi

echo "test.sh: building ($mode) in $dir"
start=$(date +%s)
ninja -C "$dir" -j "$SPARSITY_JOBS" all SparsityUnitTests
echo "test.sh: build took $(( $(date +%s) - start )) s"

status=0
log="$dir/check.log"
# The format check (clang-format-22, .clang-format) counts as one test.
if "$SPARSITY_ROOT/scripts/check-format.sh" 2>&1 | tee "$log"; then
  echo "[  PASSED  ] 1 test (format)" >> "$log"
else
  echo "[  FAILED  ] 1 test (format)" >> "$log"
  status=1
fi
ninja -C "$dir" -j "$SPARSITY_JOBS" check-sparsity-lit 2>&1 | tee -a "$log" || status=1
if [[ $mode == sanitize ]]; then
  export ASAN_OPTIONS="detect_leaks=1:detect_container_overflow=0"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
fi
"$dir/bin/SparsityUnitTests" --gtest_brief=1 2>&1 | tee -a "$log" || status=1

# One summary line over both suites (lit's "Passed: N" block and gtest's
# "[  PASSED  ] N tests" / "[  FAILED  ] N tests").
awk -v mode="$mode" '
  function count(line) { sub(/^[^:]*: */, "", line); return line + 0 }
  /^ *Passed *: *[0-9]+/                          { pass += count($0) }
  /^ *(Failed|Unexpectedly Passed|Timed Out) *:/ { fail += count($0) }
  /^ *Unsupported *: *[0-9]+/                     { skip += count($0) }
  /^\[  PASSED  \] [0-9]+ test/                   { pass += $4 }
  /^\[  FAILED  \] [0-9]+ test/                   { fail += $4 }
  END { printf "check (%s): %d passed, %d failed, %d skipped\n", mode, pass, fail, skip }
' "$log"
exit $status
