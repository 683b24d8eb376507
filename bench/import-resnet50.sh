#!/usr/bin/env bash
# Import cost of a full-size ResNet-50 (224x224, ~100 MB of weights):
# sparsity-import-onnx wall time and peak memory, against Debian's mlir-opt
# parsing and printing the file the importer writes. Needs the build
# (build/bin) and Debian's python3-torchvision for the export.
#
#   bench/import-resnet50.sh [work-dir]     (default: build/bench)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-$root/build/bench}"
mkdir -p "$work"
onnx="$work/resnet50.onnx"
[[ -f "$onnx" ]] || /usr/bin/python3 "$root/models/export.py" --arch resnet50 -o "$onnx"

measure() { # label, command...
  local label="$1"; shift
  local best_t="" best_m=""
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" > /dev/null
    read -r t m < "$work/time.txt"
    if [[ -z "$best_t" ]] || awk "BEGIN{exit !($t < $best_t)}"; then best_t=$t; fi
    if [[ -z "$best_m" ]] || (( m > best_m )); then best_m=$m; fi
  done
  echo "$label: best of 3 ${best_t} s, peak RSS $(( best_m / 1024 )) MiB"
}

size=$(stat -c %s "$onnx")
echo "resnet50.onnx: $(( size / 1048576 )) MiB ($size bytes)"
measure "sparsity-import-onnx" "$root/build/bin/sparsity-import-onnx" "$onnx" -o "$work/resnet50.mlir"
measure "mlir-opt parse+print" /usr/lib/llvm-22/bin/mlir-opt "$work/resnet50.mlir" -o "$work/resnet50.roundtrip.mlir"
