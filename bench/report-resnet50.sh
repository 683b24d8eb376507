#!/usr/bin/env bash
# Cost of --sparsity-report on a full-size ResNet-50 (224x224, 25.6 M weights,
# imported by sparsity-import-onnx): median wall time of 5 runs each (the two
# alternating) of
#   (a) sparsity-opt FILE -o /dev/null                       parse + print
#   (b) sparsity-opt FILE --sparsity-report="format=json output=/dev/null" -o /dev/null
# and their ratio, with the largest peak RSS of each. Needs the build
# (build/bin) and Debian's python3-torchvision for the export.
#
#   bench/report-resnet50.sh [work-dir]     (default: build/bench)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-$root/build/bench}"
mkdir -p "$work"
onnx="$work/resnet50.onnx"
mlir="$work/resnet50.mlir"
opt="$root/build/bin/sparsity-opt"
[[ -f "$onnx" ]] || /usr/bin/python3 "$root/models/export.py" --arch resnet50 -o "$onnx"
"$root/build/bin/sparsity-import-onnx" "$onnx" --mlir-print-debuginfo -o "$mlir"

run() { # tag, command...: runs it once, appends "<seconds> <peak KiB>" to $work/<tag>.txt
  local tag="$1"; shift
  /usr/bin/time -f "%e %M" -a -o "$work/$tag.txt" "$@" > /dev/null 2>&1
}

summary() { # tag, label: median time and largest peak RSS of the runs
  local times peak
  times=$(cut -d' ' -f1 "$work/$1.txt" | tr '\n' ' ')
  peak=$(cut -d' ' -f2 "$work/$1.txt" | sort -g | tail -1)
  echo "$2: median of 5 $(median "$1") s (runs: ${times% }), peak RSS $(( peak / 1024 )) MiB"
}

median() { cut -d' ' -f1 "$work/$1.txt" | sort -g | sed -n 3p; }

size=$(stat -c %s "$mlir")
echo "resnet50.mlir: $(( size / 1048576 )) MiB ($size bytes)"
rm -f "$work/a.txt" "$work/b.txt"
# Alternating, so that a change in the machine's load hits both alike.
for _ in 1 2 3 4 5; do
  run a "$opt" "$mlir" -o /dev/null
  run b "$opt" "$mlir" --sparsity-report="format=json output=/dev/null" -o /dev/null
done
summary a "(a) sparsity-opt FILE -o /dev/null (parse + print)"
summary b "(b) sparsity-opt FILE --sparsity-report=\"format=json output=/dev/null\" -o /dev/null"
awk -v a="$(median a)" -v b="$(median b)" 'BEGIN { printf "ratio (b)/(a) of the medians: %.2f\n", b / a }'
