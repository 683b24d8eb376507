#!/usr/bin/python3
"""Export seeded (untrained) networks to ONNX, optionally pruned.

The models feed sparsity-import-onnx and the tests of sparsity-mlir. Weights
are never downloaded: every architecture is built with weights=None and a
seeded initialisation, so the same command always writes the same file.

Architectures
  resnet18, resnet50, mobilenet_v2, vgg16   torchvision's networks (full size)
  bert_encoder                              a BERT-style post-LN encoder made
                                            of torch.nn layers, attention
                                            written out with MatMul/Softmax

--tiny builds a reduced-width, reduced-resolution member of the same family
(the same blocks: residual adds, bottlenecks, inverted residuals, VGG conv
stacks, attention + FFN) small enough to commit. See models/README.md.

Run it with Debian's interpreter, which has torch, torchvision and onnx:
  /usr/bin/python3 models/export.py --arch resnet50 -o build/models/resnet50.onnx
  /usr/bin/python3 models/export.py --arch vgg16 --tiny --prune ln-structured=0.3 \\
      -o vgg16_tiny_channel30.onnx --reference-outputs ref/
"""

import argparse
import copy
import math
import os
import sys
import time

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.nn.utils.prune as prune
import torchvision
from torchvision.models import mobilenetv2 as tv_mobilenetv2
from torchvision.models import resnet as tv_resnet
from torchvision.models import vgg as tv_vgg
from torchvision.ops.misc import Conv2dNormActivation

ARCHS = ("resnet18", "resnet50", "mobilenet_v2", "vgg16", "bert_encoder")
CNN_ARCHS = ARCHS[:4]
PRUNE_METHODS = ("l1-global", "l1-layer", "ln-structured", "random")

# Defaults: (full size, --tiny).
CNN_DEFAULTS = {
    "input_size": (224, 32),
    "num_classes": (1000, 10),
}
BERT_DEFAULTS = {
    "seq_len": (128, 16),
    "hidden": (768, 64),
    "layers": (12, 2),
    "heads": (12, 4),
    "ffn": (3072, 128),
}
# Channel divisor of the tiny CNNs (MobileNetV2 uses a width multiplier).
TINY_WIDTH_DIVISOR = {"resnet18": 16, "resnet50": 32, "vgg16": 16}
TINY_MOBILENET_WIDTH = 0.125
TINY_VGG_HIDDEN = 64


# --------------------------------------------------------------------------
# Tiny CNNs: the same topology as torchvision's, narrower.


class TinyResNet(nn.Module):
    """torchvision's ResNet with every channel count divided by `div`.

    Same stem (7x7/2 conv, BN, ReLU, 3x3/2 max pool), the same four stages of
    torchvision BasicBlock or Bottleneck (1x1 conv + BN downsample shortcuts)
    and global average pool + fully connected classifier.
    """

    def __init__(self, block, layers, div, num_classes):
        super().__init__()
        widths = [64 // div, 128 // div, 256 // div, 512 // div]
        self.inplanes = widths[0]
        self.conv1 = nn.Conv2d(3, self.inplanes, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(self.inplanes)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(block, widths[0], layers[0], 1)
        self.layer2 = self._make_layer(block, widths[1], layers[1], 2)
        self.layer3 = self._make_layer(block, widths[2], layers[2], 2)
        self.layer4 = self._make_layer(block, widths[3], layers[3], 2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(widths[3] * block.expansion, num_classes)
        for m in self.modules():  # torchvision's initialisation
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")

    def _make_layer(self, block, planes, blocks, stride):
        downsample = None
        if stride != 1 or self.inplanes != planes * block.expansion:
            downsample = nn.Sequential(
                tv_resnet.conv1x1(self.inplanes, planes * block.expansion, stride),
                nn.BatchNorm2d(planes * block.expansion),
            )
        layers = [block(self.inplanes, planes, stride, downsample)]
        self.inplanes = planes * block.expansion
        layers += [block(self.inplanes, planes) for _ in range(1, blocks)]
        return nn.Sequential(*layers)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


class TinyMobileNetV2(nn.Module):
    """torchvision's MobileNetV2 at a width multiplier, including the last
    1x1 conv (torchvision keeps that one at >= 1280 channels; here it scales
    too), channel counts rounded to multiples of `round_nearest` (torchvision:
    8, which would keep the narrow stages at 8 channels). Built from
    torchvision's InvertedResidual and Conv2dNormActivation blocks with ReLU6
    (exported as Clip). The classifier keeps PyTorch's default Linear init
    (torchvision: N(0, 0.01^2), which l1-global pruning removes first)."""

    def __init__(self, width_mult, num_classes, round_nearest=4):
        super().__init__()
        make_div = tv_mobilenetv2._make_divisible
        setting = [  # t, c, n, s as in torchvision
            [1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2],
            [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1],
        ]
        input_channel = make_div(32 * width_mult, round_nearest)
        last_channel = make_div(1280 * width_mult, round_nearest)
        features = [Conv2dNormActivation(3, input_channel, stride=2, activation_layer=nn.ReLU6)]
        for t, c, n, s in setting:
            output_channel = make_div(c * width_mult, round_nearest)
            for i in range(n):
                features.append(tv_mobilenetv2.InvertedResidual(
                    input_channel, output_channel, s if i == 0 else 1, expand_ratio=t))
                input_channel = output_channel
        features.append(Conv2dNormActivation(input_channel, last_channel, kernel_size=1,
                                             activation_layer=nn.ReLU6))
        self.features = nn.Sequential(*features)
        self.classifier = nn.Sequential(nn.Dropout(p=0.2), nn.Linear(last_channel, num_classes))
        for m in self.modules():  # torchvision's initialisation
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out")
                if m.bias is not None:
                    nn.init.zeros_(m.bias)

    def forward(self, x):
        x = F.adaptive_avg_pool2d(self.features(x), (1, 1))
        return self.classifier(torch.flatten(x, 1))


class TinyVGG(nn.Module):
    """VGG-16 (configuration D, no batch norm): torchvision's conv stack with
    every channel count divided by `div`, global average pooling instead of
    the 7x7 adaptive pool, and a three-layer classifier of width `hidden`.

    Conv and Linear weights get kaiming init in fan-in mode, biases PyTorch's
    default uniform init. (torchvision: fan-out mode for convs, zero biases and
    an N(0, 0.01^2) classifier, which make the output of a narrow untrained
    net ~1e-4 and nearly independent of the input: useless as a numerical
    reference.)"""

    def __init__(self, div, hidden, num_classes):
        super().__init__()
        cfg = [v if v == "M" else v // div for v in tv_vgg.cfgs["D"]]
        self.features = tv_vgg.make_layers(cfg, batch_norm=False)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        last = [v for v in cfg if v != "M"][-1]
        self.classifier = nn.Sequential(
            nn.Linear(last, hidden), nn.ReLU(True), nn.Dropout(),
            nn.Linear(hidden, hidden), nn.ReLU(True), nn.Dropout(),
            nn.Linear(hidden, num_classes),
        )
        for m in self.modules():  # torchvision's initialisation
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.kaiming_normal_(m.weight, mode="fan_in", nonlinearity="relu")

    def forward(self, x):
        x = self.avgpool(self.features(x))
        return self.classifier(torch.flatten(x, 1))


# --------------------------------------------------------------------------
# BERT-style encoder.


class EncoderLayer(nn.Module):
    """One post-LayerNorm transformer encoder layer, as in BERT.

    Attention is spelled out (Linear -> Reshape -> Transpose -> MatMul ->
    scale -> Softmax -> MatMul -> Transpose -> Reshape -> Linear) so the ONNX
    graph holds those ops, not a fused attention op."""

    def __init__(self, hidden, heads, ffn, activation, eps):
        super().__init__()
        if hidden % heads:
            raise ValueError(f"--hidden {hidden} is not a multiple of --heads {heads}")
        self.heads = heads
        self.head_dim = hidden // heads
        self.scale = 1.0 / math.sqrt(self.head_dim)
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)
        self.attn_out = nn.Linear(hidden, hidden)
        self.attn_norm = nn.LayerNorm(hidden, eps=eps)
        self.ffn_in = nn.Linear(hidden, ffn)
        self.act = nn.GELU() if activation == "gelu" else nn.ReLU()
        self.ffn_out = nn.Linear(ffn, hidden)
        self.ffn_norm = nn.LayerNorm(hidden, eps=eps)

    def _split(self, x, b, s):  # [b, s, h] -> [b, heads, s, d]
        return x.reshape(b, s, self.heads, self.head_dim).transpose(1, 2)

    def forward(self, x):
        b, s, h = x.shape
        q = self._split(self.query(x), b, s)
        k = self._split(self.key(x), b, s)
        v = self._split(self.value(x), b, s)
        scores = torch.matmul(q, k.transpose(-2, -1)) * self.scale
        probs = torch.softmax(scores, dim=-1)
        ctx = torch.matmul(probs, v).transpose(1, 2).reshape(b, s, h)
        x = self.attn_norm(x + self.attn_out(ctx))
        return self.ffn_norm(x + self.ffn_out(self.act(self.ffn_in(x))))


class BertEncoder(nn.Module):
    """A stack of EncoderLayer. No embeddings: the input is float hidden
    states [batch, seq, hidden] and the output has the same shape.


    Initialisation: every Linear weight ~ N(0, 1/hidden) and bias
    ~ N(0, 0.1^2). BERT draws weights from N(0, 0.02^2) with zero biases;
    scaling with the width keeps the attention logits of small models O(1),
    and one scale for all layers keeps global magnitude pruning from emptying
    whole layers (PyTorch's default init is wider for fan-in 64 than for
    fan-in 128, so l1-global would first wipe out the FFN output layers)."""

    def __init__(self, hidden, layers, heads, ffn, activation="gelu", eps=1e-12):
        super().__init__()
        self.layers = nn.ModuleList(
            EncoderLayer(hidden, heads, ffn, activation, eps) for _ in range(layers))
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, 0.0, 1.0 / math.sqrt(hidden))
                nn.init.normal_(m.bias, 0.0, 0.1)

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


# --------------------------------------------------------------------------


def build_model(args):
    """Returns (model, input shape)."""
    if args.arch == "bert_encoder":
        model = BertEncoder(args.hidden, args.layers, args.heads, args.ffn, args.activation)
        return model, (args.batch, args.seq_len, args.hidden)
    shape = (args.batch, 3, args.input_size, args.input_size)
    nc = args.num_classes
    if not args.tiny:
        ctor = getattr(torchvision.models, args.arch)
        return ctor(weights=None, num_classes=nc), shape
    div = args.width_divisor or TINY_WIDTH_DIVISOR.get(args.arch)
    if args.arch == "resnet18":
        return TinyResNet(tv_resnet.BasicBlock, [2, 2, 2, 2], div, nc), shape
    if args.arch == "resnet50":
        return TinyResNet(tv_resnet.Bottleneck, [3, 4, 6, 3], div, nc), shape
    if args.arch == "vgg16":
        return TinyVGG(div, TINY_VGG_HIDDEN, nc), shape
    width = 1.0 / args.width_divisor if args.width_divisor else TINY_MOBILENET_WIDTH
    return TinyMobileNetV2(width, nc), shape


def randomize_norms(model, gen):
    """Gives every BatchNorm and LayerNorm a non-trivial scale and shift
    (freshly initialised ones are the identity, which would hide a wrong
    lowering): weight ~ U(0.5, 1.5), bias ~ N(0, 0.1^2)."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (nn.LayerNorm, nn.modules.batchnorm._BatchNorm)) and m.weight is not None:
                m.weight.copy_(torch.rand(m.weight.shape, generator=gen) + 0.5)
                m.bias.copy_(torch.randn(m.bias.shape, generator=gen) * 0.1)


def calibrate_batchnorm(model, shape, gen, batches=2, batch_size=8):
    """Estimates the BatchNorm running statistics from seeded random inputs
    (as one recalibrates BN after pruning). Untrained nets with a fresh BN
    (mean 0, var 1) lose the input signal: a tiny MobileNetV2's output then
    hardly depends on its input, a useless numerical reference. torch's
    exporter folds eval-mode BN into the preceding conv (scaling each output
    channel), so pruned zeros stay zero."""
    bns = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    if not bns:
        return
    momenta = [m.momentum for m in bns]
    for m in bns:
        m.reset_running_stats()
        m.momentum = None  # cumulative average over the calibration batches
    model.train()
    with torch.no_grad():
        for _ in range(batches):
            model(torch.randn((batch_size,) + tuple(shape[1:]), generator=gen))
    for m, momentum in zip(bns, momenta):
        m.momentum = momentum
    model.eval()


def prunable(model):
    return [(m, "weight") for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]


def apply_pruning(model, method, amount):
    targets = prunable(model)
    if method == "l1-global":
        prune.global_unstructured(targets, pruning_method=prune.L1Unstructured, amount=amount)
    else:
        for m, name in targets:
            if method == "l1-layer":
                prune.l1_unstructured(m, name, amount=amount)
            elif method == "ln-structured":
                prune.ln_structured(m, name, amount=amount, n=1, dim=0)
            elif method == "random":
                prune.random_unstructured(m, name, amount=amount)
    for m, name in targets:  # bake the masks into the weights
        prune.remove(m, name)


def sparsity_summary(model):
    targets = prunable(model)
    w_zero = sum(int((m.weight == 0).sum()) for m, _ in targets)
    w_total = sum(m.weight.numel() for m, _ in targets)
    p_zero = sum(int((p == 0).sum()) for p in model.parameters())
    p_total = sum(p.numel() for p in model.parameters())
    ch_zero = ch_total = 0
    for m, _ in targets:
        rows = m.weight.reshape(m.weight.shape[0], -1)
        ch_zero += int((rows.abs().sum(1) == 0).sum())
        ch_total += rows.shape[0]
    empty = [name for name, m in model.named_modules()
             if isinstance(m, (nn.Conv2d, nn.Linear)) and not m.weight.any()]
    if empty:
        print(f"warning: {len(empty)} layer(s) pruned entirely (untrained init scales differ "
              f"between layers; try l1-layer): {', '.join(empty)}", file=sys.stderr)
    return (f"sparsity: conv/linear weights {w_zero}/{w_total} = {w_zero / w_total:.4f}, "
            f"all parameters {p_zero}/{p_total} = {p_zero / p_total:.4f}, "
            f"all-zero output channels/rows {ch_zero}/{ch_total}")


def parse_prune(text):
    method, sep, amount = text.partition("=")
    if not sep or method not in PRUNE_METHODS:
        raise argparse.ArgumentTypeError(
            f"expected METHOD=AMOUNT with METHOD one of {', '.join(PRUNE_METHODS)}, got '{text}'")
    try:
        value = float(amount)
    except ValueError:
        raise argparse.ArgumentTypeError(f"amount '{amount}' is not a number") from None
    if not 0.0 <= value < 1.0:
        raise argparse.ArgumentTypeError(f"amount {value} must be in [0, 1)")
    return method, value


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Export a seeded (untrained) network to ONNX, optionally pruned with "
                    "torch.nn.utils.prune. No weights are downloaded.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="""defaults (full size / --tiny):
  CNNs:          --input-size 224 / 32, --num-classes 1000 / 10
                 tiny widths: resnet18 and vgg16 channels / 16, resnet50 / 32,
                 mobilenet_v2 width multiplier 0.125 with channels rounded to
                 multiples of 4 (its last 1x1 conv scales too),
                 vgg16 classifier 64 wide
  bert_encoder:  --seq-len 128 / 16, --hidden 768 / 64, --layers 12 / 2,
                 --heads 12 / 4, --ffn 3072 / 128

pruning (all Conv2d and Linear weights, masks baked in with prune.remove):
  l1-global=A      prune.global_unstructured, L1Unstructured, over all of them
  l1-layer=A       prune.l1_unstructured, fraction A of each layer
  ln-structured=A  prune.ln_structured n=1 dim=0: whole output channels/rows
  random=A         prune.random_unstructured, fraction A of each layer

examples:
  /usr/bin/python3 models/export.py --arch resnet50 -o build/models/resnet50.onnx
  /usr/bin/python3 models/export.py --arch bert_encoder --seq-len 64 --layers 4 -o bert4.onnx
  /usr/bin/python3 models/export.py --arch resnet18 --tiny --prune l1-global=0.5 \\
      -o r18.onnx --reference-outputs ref/
""")
    p.add_argument("--arch", required=True, choices=ARCHS, help="architecture to export")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="ONNX file to write")
    p.add_argument("--tiny", action="store_true",
                   help="reduced-width, reduced-resolution variant of the same family")
    p.add_argument("--batch", type=int, default=1, help="batch size (static; default 1)")
    p.add_argument("--seed", type=int, default=0,
                   help="torch.manual_seed before building the model (default 0); also seeds "
                        "the BN statistics, random pruning and the reference input")
    p.add_argument("--opset", type=int, default=13, choices=range(11, 18), metavar="{11..17}",
                   help="ONNX opset version (default 13)")
    p.add_argument("--prune", type=parse_prune, metavar="METHOD=AMOUNT",
                   help=f"prune before export; METHOD is one of {', '.join(PRUNE_METHODS)}")
    p.add_argument("--reference-outputs", metavar="DIR",
                   help="also write DIR/<name>.input.npy (seeded random input) and "
                        "DIR/<name>.output.npy (torch's output), <name> being the output "
                        "file name without .onnx")
    p.add_argument("--reference-dtype", choices=("float64", "float32"), default="float64",
                   help="precision in which torch computes the reference output (default "
                        "float64, then rounded to float32: the exact answer, so a float32 "
                        "runtime's own rounding is the only difference; torch's float32 output "
                        "already differs from the exact one by ~1e-5 on deep nets)")
    p.add_argument("--default-norms", action="store_true",
                   help="keep freshly initialised BatchNorm/LayerNorm (the identity in eval "
                        "mode) instead of seeded random scales/shifts and BN statistics "
                        "estimated on seeded random inputs (after pruning)")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    cnn = p.add_argument_group("CNN options (resnet18, resnet50, mobilenet_v2, vgg16)")
    cnn.add_argument("--input-size", type=int, metavar="N",
                     help="input is [batch, 3, N, N] (default 224, --tiny 32)")
    cnn.add_argument("--num-classes", type=int, metavar="K",
                     help="classifier outputs (default 1000, --tiny 10)")
    cnn.add_argument("--width-divisor", type=int, metavar="D",
                     help="with --tiny: divide channel counts by D (default 16, resnet50 32; "
                          "mobilenet_v2 uses width multiplier 1/D, default 0.125)")
    bert = p.add_argument_group("bert_encoder options (input is float hidden states "
                                "[batch, seq, hidden]; no embeddings)")
    bert.add_argument("--seq-len", type=int, help="sequence length (default 128, --tiny 16)")
    bert.add_argument("--hidden", type=int, help="hidden size (default 768, --tiny 64)")
    bert.add_argument("--layers", type=int, help="encoder layers (default 12, --tiny 2)")
    bert.add_argument("--heads", type=int, help="attention heads (default 12, --tiny 4)")
    bert.add_argument("--ffn", type=int, help="feed-forward width (default 3072, --tiny 128)")
    bert.add_argument("--activation", choices=("gelu", "relu"), default="gelu",
                      help="feed-forward activation (default gelu, exported with Erf)")
    args = p.parse_args(argv)

    cnn_only = ("input_size", "num_classes", "width_divisor")
    bert_only = tuple(BERT_DEFAULTS)
    wrong = bert_only if args.arch != "bert_encoder" else cnn_only
    for key in wrong:
        if getattr(args, key) is not None:
            p.error(f"--{key.replace('_', '-')} does not apply to {args.arch}")
    pick = 1 if args.tiny else 0
    for table in (CNN_DEFAULTS, BERT_DEFAULTS):
        for key, values in table.items():
            if getattr(args, key) is None:
                setattr(args, key, values[pick])
    for key in ("batch", "input_size", "num_classes", "seq_len", "hidden", "layers", "heads", "ffn"):
        if getattr(args, key) < 1:
            p.error(f"--{key.replace('_', '-')} must be positive")
    if args.width_divisor is not None:
        if not args.tiny:
            p.error("--width-divisor needs --tiny")
        if args.width_divisor < 1 or (args.arch != "mobilenet_v2" and 64 % args.width_divisor):
            p.error("--width-divisor must divide 64")
    if args.arch in CNN_ARCHS and args.input_size < 32:
        p.error("--input-size must be at least 32 (five stride-2 stages)")
    if args.arch == "vgg16" and not args.tiny and (args.input_size // 32) % 7:
        p.error(f"full-size vgg16 needs --input-size N with (N // 32) a multiple of 7 "
                f"(224..255, 448..479, ...): torch can export its AdaptiveAvgPool2d(7) only "
                f"when the {args.input_size // 32}x{args.input_size // 32} feature map divides evenly")
    if args.arch == "bert_encoder" and args.hidden % args.heads:
        p.error(f"--hidden {args.hidden} must be a multiple of --heads {args.heads}")
    return args


def main(argv=None):
    args = parse_args(argv)
    say = (lambda *a: None) if args.quiet else print
    t0 = time.monotonic()

    torch.manual_seed(args.seed)
    model, shape = build_model(args)
    if not args.default_norms:
        randomize_norms(model, torch.Generator().manual_seed(args.seed + 1))
    if args.prune:
        torch.manual_seed(args.seed + 2)  # random_unstructured draws from the global RNG
        apply_pruning(model, *args.prune)
    if not args.default_norms:
        small = shape[-1] <= 64  # tiny inputs: 2 x 8 images; full size: 1 x 4 images
        calibrate_batchnorm(model, shape, torch.Generator().manual_seed(args.seed + 4),
                            batches=2 if small else 1, batch_size=8 if small else 4)
    model.eval()

    n_params = sum(p.numel() for p in model.parameters())
    say(f"{args.arch}{' (tiny)' if args.tiny else ''}: input {list(shape)}, "
        f"{n_params} parameters, seed {args.seed}, opset {args.opset}")
    if args.prune:
        say(f"pruned {args.prune[0]}={args.prune[1]}: {sparsity_summary(model)}")

    out_dir = os.path.dirname(os.path.abspath(args.output))
    os.makedirs(out_dir, exist_ok=True)
    x = torch.randn(shape, generator=torch.Generator().manual_seed(args.seed + 3))
    start = time.monotonic()
    with torch.no_grad():
        torch.onnx.export(
            model, (x,), args.output,
            input_names=["input"], output_names=["output"],
            opset_version=args.opset, do_constant_folding=True,
            training=torch.onnx.TrainingMode.EVAL, export_params=True)
    elapsed = time.monotonic() - start
    onnx.checker.check_model(args.output)
    graph = onnx.load(args.output, load_external_data=False).graph
    ops = sorted({n.op_type for n in graph.node})
    say(f"wrote {args.output}: {os.path.getsize(args.output)} bytes, "
        f"{len(graph.node)} nodes, torch.onnx.export {elapsed:.1f} s, "
        f"total {time.monotonic() - t0:.1f} s, checker ok")
    say(f"ops: {' '.join(ops)}")

    if args.reference_outputs:
        name = os.path.basename(args.output)
        name = name[:-5] if name.endswith(".onnx") else name
        os.makedirs(args.reference_outputs, exist_ok=True)
        with torch.no_grad():
            if args.reference_dtype == "float64":
                y = copy.deepcopy(model).double()(x.double()).float()
            else:
                y = model(x)
        base = os.path.join(args.reference_outputs, name)
        np.save(base + ".input.npy", x.numpy().astype(np.float32))
        np.save(base + ".output.npy", y.numpy().astype(np.float32))
        say(f"wrote {base}.input.npy {list(x.shape)} and {base}.output.npy {list(y.shape)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
