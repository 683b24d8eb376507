#!/usr/bin/env bash
# Installs, from Debian's packages, what building and testing sparsity-mlir
# needs. Idempotent: only missing packages are installed, and nothing is
# fetched when everything is present.
set -euo pipefail

PACKAGES=(
  # LLVM/MLIR 22: headers, libMLIR.so, mlir-tblgen, mlir-opt, lit, FileCheck.
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools
  # Compilers (clang-22; gcc-12 for --gcc), linker, sanitizer runtimes.
  clang-22 lld-22 libclang-rt-22-dev g++
  # The format check of scripts/test.sh (.clang-format, BasedOnStyle: LLVM).
  clang-format-22
  # Build tools and unit-test framework.
  cmake ninja-build libgtest-dev libgmock-dev python3
  # ONNX importer: libonnx, protobuf and protoc; ONNX backend test data.
  libonnx-dev libprotobuf-dev protobuf-compiler libonnx-testdata
  # test/Analysis/independent-count.py: the ONNX graph and weights in Python.
  python3-onnx python3-numpy
  # test/Dialect/Sparsity/Transforms/prune-torch: --sparsity-prune against torch.nn.utils.prune.
  python3-torch
  # The OpenMP runtime of sparsity-run --num-threads N > 1 (x86 kernels).
  libomp5-14
)

# Node.js runs the ONNX Runtime oracle (npm onnxruntime-node). Debian's
# packages only when no node/npm is installed already (a Node.js package
# from elsewhere may bundle npm and conflict with Debian's npm).
command -v node > /dev/null || PACKAGES+=(nodejs)
command -v npm > /dev/null || PACKAGES+=(npm)

missing=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  if [[ "$status" != "install ok installed" ]]; then
    missing+=("$pkg")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "setup: all ${#PACKAGES[@]} Debian packages present"
  exit 0
fi

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  SUDO=(sudo)
fi
echo "setup: installing ${missing[*]}"
"${SUDO[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq \
  --no-install-recommends "${missing[@]}"
