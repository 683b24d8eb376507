#!/usr/bin/env bash
# Cost of --sparsity-report on a full-size ResNet-50 (224x224, 25.6 M weights,
# imported by sparsity-import-onnx): median wall time of 5 runs each (the two
# alternating) of
#   (a) sparsity-opt FILE > /dev/null                        parse + print
#   (b) sparsity-opt FILE --sparsity-report="format=json output=/dev/null" > /dev/null
# and their ratio, with the median CPU time (user + system: less sensitive
# to other load than wall time on a shared machine) and the largest peak RSS
# of each. (The module goes to
# stdout rather than -o /dev/null: a failing run removes its -o file, and as
# root that would be /dev/null itself.) Needs the build
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

run() { # tag, command...: runs it once (stdout to /dev/null), appends
         # "<wall s> <peak KiB> <cpu s>" to $work/<tag>.txt
  local tag="$1"; shift
  /usr/bin/time -f "%e %M %U %S" -o "$work/time.txt" "$@" > /dev/null 2>&1
  awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' "$work/time.txt" >> "$work/$tag.txt"
}

summary() { # tag, label: median time and largest peak RSS of the runs
  local times peak
  times=$(cut -d' ' -f1 "$work/$1.txt" | tr '\n' ' ')
  peak=$(cut -d' ' -f2 "$work/$1.txt" | sort -g | tail -1)
  echo "$2: median of 5 $(median "$1") s (runs: ${times% }), CPU $(median "$1" 3) s," \
    "peak RSS $(( peak / 1024 )) MiB"
}

median() { cut -d' ' -f"${2:-1}" "$work/$1.txt" | sort -g | sed -n 3p; }

size=$(stat -c %s "$mlir")
echo "resnet50.mlir: $(( size / 1048576 )) MiB ($size bytes)"
rm -f "$work/a.txt" "$work/b.txt"
# Alternating, so that a change in the machine's load hits both alike.
for _ in 1 2 3 4 5; do
  run a "$opt" "$mlir"
  run b "$opt" "$mlir" --sparsity-report="format=json output=/dev/null"
done
summary a "(a) sparsity-opt FILE > /dev/null (parse + print)"
summary b "(b) sparsity-opt FILE --sparsity-report=\"format=json output=/dev/null\" > /dev/null"
awk -v a="$(median a)" -v b="$(median b)" -v ca="$(median a 3)" -v cb="$(median b 3)" \
  'BEGIN { printf "ratio (b)/(a) of the medians: wall %.2f, CPU %.2f\n", b / a, cb / ca }'
