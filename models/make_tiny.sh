#!/bin/sh
# Regenerates models/tiny/: the committed tiny ONNX models and their reference
# inputs/outputs (models/tiny/ref/<name>.{input,output}.npy), including the
# pruned models of the operation-sparsity tests (test/Analysis). Deterministic:
# fixed seeds, so rerunning it rewrites byte-identical files.
#
#   models/make_tiny.sh [OUTDIR]      (default: models/tiny next to this script)
#
# Needs Debian's python3-torch, python3-torchvision, python3-onnx (/usr/bin/python3).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/tiny}
py=${PYTHON:-/usr/bin/python3}
mkdir -p "$out/ref"

export_one() {
    name=$1; shift
    echo "== $name"
    "$py" "$here/export.py" --tiny --seed 0 --opset 13 "$@" \
        -o "$out/$name.onnx" --reference-outputs "$out/ref" 2>&1 \
        | grep -v -e 'Warning' -e '^  *warnings.warn' -e '^$' || true
    test -s "$out/$name.onnx"
}

export_one resnet18_tiny               --arch resnet18
export_one resnet50_tiny               --arch resnet50
export_one mobilenet_v2_tiny           --arch mobilenet_v2
export_one vgg16_tiny                  --arch vgg16
export_one bert_encoder_tiny           --arch bert_encoder
export_one resnet18_tiny_l1global50    --arch resnet18     --prune l1-global=0.5
export_one vgg16_tiny_channel30        --arch vgg16        --prune ln-structured=0.3
export_one bert_encoder_tiny_l1global80 --arch bert_encoder --prune l1-global=0.8
# Global L1 pruning at 50/80/90 % (test/Analysis/op-sparsity-onnx.test).
for arch in resnet18 mobilenet_v2 vgg16; do
    for pct in 50 80 90; do
        [ "$arch$pct" = resnet1850 ] && continue  # made above
        export_one "${arch}_tiny_l1global$pct" --arch "$arch" --prune "l1-global=0.$pct"
    done
done
# Whole filters pruned, BatchNorm left fresh (folded into zero biases), so the
# pruned filters give all-zero channels that propagate forward.
export_one resnet18_tiny_channel50_defaultnorms     --arch resnet18     --prune ln-structured=0.5 --default-norms
export_one mobilenet_v2_tiny_channel50_defaultnorms --arch mobilenet_v2 --prune ln-structured=0.5 --default-norms

du -cb "$out"/*.onnx "$out"/ref | tail -1 | sed 's/total/bytes in all/'
