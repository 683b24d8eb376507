#!/usr/bin/env bash
# Sets up, builds the tools, and runs the main job on the bundled examples:
#  1. attach the exact sparsity pattern of every constant weight of
#     models/examples/tiny_cnn.mlir (a small pruned CNN) and print it;
#  2. report its parameter and operation-saving sparsity per layer;
#  3. import a pruned ONNX network (models/tiny/resnet18_tiny_l1global50.onnx,
#     50 % of its weights zeroed by torch's global L1 pruning), annotate it,
#     and JIT-run it against the output torch computed for the same input;
#  4. prune the dense tiny MobileNetV2's channels (50 % of every layer's
#     filters), fold the pruned channels out of the tensor shapes, show how
#     the shapes and the MACs change, and check that the folded network
#     computes what the pruned one does;
#  5. plan the pruned ResNet-18 for the npu-ref-g1 accelerator model (dense
#     or zero-skip per layer, by the cost model), lower it to npu_ref
#     instructions with packed weights, and run sparsity-sim: cycles per
#     layer, and the lowered program checked against the original.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

"$SPARSITY_ROOT/scripts/setup.sh"
dir="$SPARSITY_ROOT/build"
sparsity_configure "$dir" -DCMAKE_BUILD_TYPE=Release
ninja -C "$dir" -j "$SPARSITY_JOBS" sparsity-opt sparsity-import-onnx sparsity-run \
  sparsity-sim
bin="$dir/bin"

model="$SPARSITY_ROOT/models/examples/tiny_cnn.mlir"
echo "== sparsity-opt --sparsity-annotate $model"
echo "   (weights elided in the print-out; patterns are exact)"
"$bin/sparsity-opt" "$model" --sparsity-annotate \
  --mlir-elide-elementsattrs-if-larger=16

echo
echo "== sparsity-opt --sparsity-report=format=md $model"
"$bin/sparsity-opt" "$model" --sparsity-report=format=md -o /dev/null

tiny="$SPARSITY_ROOT/models/tiny"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo
echo "== sparsity-import-onnx $tiny/resnet18_tiny_l1global50.onnx"
"$bin/sparsity-import-onnx" "$tiny/resnet18_tiny_l1global50.onnx" \
  -o "$work/resnet18.mlir"
echo "== its weights, annotated (first five):"
"$bin/sparsity-opt" "$work/resnet18.mlir" --sparsity-annotate |
  grep -o 'sparsity.annotate .*' | head -5
echo "== its sparsity report (Markdown; summary remark on stderr):"
"$bin/sparsity-opt" "$work/resnet18.mlir" --sparsity-report=format=md \
  -o /dev/null
echo "== sparsity-run, compared with torch's output on the same input"
"$bin/sparsity-opt" "$work/resnet18.mlir" --sparsity-annotate \
  -o "$work/resnet18.annotated.mlir"
"$bin/sparsity-run" "$work/resnet18.annotated.mlir" \
  --input="$tiny/ref/resnet18_tiny_l1global50.input.npy" \
  --compare="$tiny/ref/resnet18_tiny_l1global50.output.npy"

mbv2="$tiny/mobilenet_v2_tiny.onnx"
echo
echo "== --sparsity-prune=granularity=channel scope=layer target=0.5 on $mbv2"
"$bin/sparsity-import-onnx" "$mbv2" -o "$work/mbv2.mlir"
"$bin/sparsity-opt" "$work/mbv2.mlir" \
  --sparsity-prune="granularity=channel scope=layer target=0.5" \
  --mlir-print-debuginfo -o "$work/mbv2.pruned.mlir"
echo "== --sparsity-fold-structured (one remark per channel group, then the MACs):"
"$bin/sparsity-opt" "$work/mbv2.pruned.mlir" --sparsity-fold-structured \
  -o "$work/mbv2.folded.mlir" 2> "$work/fold.log"
grep -m 3 'group of' "$work/fold.log" | sed 's/^.*remark: /   /'
grep 'removed .* channels in' "$work/fold.log" | sed 's/^.*remark: /   /'
echo "== the first convolutions' weights, pruned -> folded:"
paste -d' ' \
  <(grep -o 'linalg.conv_2d_nchw_fchw.*' "$work/mbv2.pruned.mlir" |
      grep -o 'tensor<[0-9x]*xf32>) outs' | head -4 | sed 's/) outs//') \
  <(grep -o 'linalg.conv_2d_nchw_fchw.*' "$work/mbv2.folded.mlir" |
      grep -o 'tensor<[0-9x]*xf32>) outs' | head -4 | sed 's/) outs/ (folded)/')
echo "== sparsity-run: the folded network against the pruned one, same inputs"
"$bin/sparsity-run" "$work/mbv2.folded.mlir" --compare "$work/mbv2.pruned.mlir" \
  --rtol 1e-5

echo
echo "== --sparsity-plan=target=npu-ref-g1 on the pruned ResNet-18 (dense or zero-skip per layer):"
"$bin/sparsity-opt" "$work/resnet18.mlir" --sparsity-plan=target=npu-ref-g1 \
  --mlir-print-debuginfo -o "$work/resnet18.planned.mlir" 2> "$work/plan.log"
grep 'layers planned' "$work/plan.log" | sed 's/^.*remark: /   /'
echo "== --sparsity-lower, then sparsity-sim: cycles per layer from the packed weights, and the"
echo "   lowered program executed against the original (same random inputs)"
"$bin/sparsity-opt" "$work/resnet18.planned.mlir" --sparsity-lower \
  -o "$work/resnet18.npu.mlir"
"$bin/sparsity-sim" "$work/resnet18.npu.mlir" --compare "$work/resnet18.mlir"

echo
echo "== the same ResNet-18 on this CPU: --sparsity-plan=target=x86-avx512 (dense, csr, pattern or"
echo "   bitmap per layer), --sparsity-lower to generated AVX-512 kernels, run against the original"
if grep -qw avx512f /proc/cpuinfo; then
  "$bin/sparsity-opt" "$work/resnet18.mlir" --sparsity-plan=target=x86-avx512 \
    --sparsity-lower=target=x86-avx512 -o "$work/resnet18.x86.mlir" 2> "$work/plan-x86.log"
  grep 'layers planned' "$work/plan-x86.log" | sed 's/^.*remark: /   /'
  "$bin/sparsity-run" "$work/resnet18.x86.mlir" --compare "$work/resnet18.mlir"
else
  echo "   skipped: this CPU has no AVX-512 (avx512f)"
fi
