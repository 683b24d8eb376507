#!/usr/bin/env bash
# Imports an ONNX model with sparsity-import-onnx, runs it with sparsity-run
# and with ONNX Runtime on the same input, and compares the outputs.
#
#   scripts/compare-ort.sh model.onnx [input.npy] [--rtol R] [--atol A]
#
# Without input.npy a seeded random input is drawn by sparsity-run
# (--save-inputs) and fed to ONNX Runtime. Needs build/bin (scripts/test.sh
# or ninja -C build) and the npm package in scripts/ort (installed on first
# use with npm install --ignore-scripts). Exit 0 when the outputs match.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${SPARSITY_BUILD:-$root/build}"

model="" input="" rtol=1e-4 atol=1e-5
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rtol) rtol="$2"; shift 2 ;;
    --atol) atol="$2"; shift 2 ;;
    -*) echo "compare-ort: unknown option '$1'" >&2; exit 2 ;;
    *) if [[ -z "$model" ]]; then model="$1"; else input="$1"; fi; shift ;;
  esac
done
[[ -n "$model" ]] || { sed -n '2,10p' "$0"; exit 2; }

if [[ ! -d "$root/scripts/ort/node_modules/onnxruntime-node" ]]; then
  (cd "$root/scripts/ort" && npm install --ignore-scripts --no-package-lock \
     --no-audit --no-fund --silent)
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$build/bin/sparsity-import-onnx" "$model" -o "$work/model.mlir"
if [[ -z "$input" ]]; then
  "$build/bin/sparsity-run" "$work/model.mlir" --seed=1 \
    --save-inputs="$work/inputs" > /dev/null
  input="$work/inputs/in0.npy"
fi
node "$root/scripts/ort/run-ort.mjs" "$model" --input "$input" \
  --output-dir "$work/ort" > /dev/null
"$build/bin/sparsity-run" "$work/model.mlir" --input="$input" \
  --compare="$work/ort/out0.npy" --rtol="$rtol" --atol="$atol"
