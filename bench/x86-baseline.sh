#!/usr/bin/env bash
# The baselines of the x86 issue on this machine: OpenBLAS sgemm and plain
# row-CSR SpMM on the BERT-base FC, ResNet-50 conv and batch-1 FC shapes, at 1
# and 2 threads (bench/x86-baseline.cpp says what is measured). CSR columns are
# speedups over OpenBLAS dense on the same shape and thread count (> 1: faster).
# Needs Debian's libopenblas-dev and clang-22.
#
#   bench/x86-baseline.sh [work-dir]       (default: build/bench-x86)
#   bench/x86-baseline.sh [work-dir] --gemm M N K [--threads T] [--iters N]
#                                                  (one sgemm, one JSON line)
#   bench/x86-baseline.sh [work-dir] --build-only  (just build work-dir/x86-baseline)
#
# The binary is rebuilt when the source is newer than it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$root/build/bench-x86"
if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then
  work="$1"
  shift
fi
mkdir -p "$work"
if [ ! -e /usr/include/x86_64-linux-gnu/cblas.h ] && [ ! -e /usr/include/cblas.h ]; then
  echo "x86-baseline: needs libopenblas-dev (apt-get install libopenblas-dev)" >&2
  exit 2
fi
if [ ! -x "$work/x86-baseline" ] || [ "$root/bench/x86-baseline.cpp" -nt "$work/x86-baseline" ]; then
  /usr/lib/llvm-22/bin/clang++ -std=c++17 -O3 -march=native -pthread \
    -I/usr/include/x86_64-linux-gnu "$root/bench/x86-baseline.cpp" \
    -o "$work/x86-baseline" -lopenblas
fi
if [ "${1:-}" = "--build-only" ]; then
  echo "$work/x86-baseline"
  exit 0
fi
# OpenBLAS detects this virtualised Xeon as "Prescott" (no AVX at all) and is
# then 3-4x slower than it can be; with AVX-512 present, use its SkylakeX
# kernels unless the caller chose a core.
if [ -z "${OPENBLAS_CORETYPE:-}" ] && grep -qw avx512f /proc/cpuinfo; then
  export OPENBLAS_CORETYPE=SkylakeX
elif grep -qw avx512f /proc/cpuinfo; then
  case "${OPENBLAS_CORETYPE,,}" in
    skylakex|cooperlake|sapphirerapids) ;;
    *) echo "x86-baseline: warning: OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE is set: OpenBLAS runs without its AVX-512 kernels on this AVX-512 CPU" >&2 ;;
  esac
fi
if [ $# -gt 0 ]; then
  exec "$work/x86-baseline" "$@"
fi
echo "OpenBLAS core: ${OPENBLAS_CORETYPE:-detected}; $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
echo
"$work/x86-baseline"
