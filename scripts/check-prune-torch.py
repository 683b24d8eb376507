#!/usr/bin/python3
"""Checks sparsity-opt --sparsity-prune against torch.nn.utils.prune.

On the weights of an ONNX model (its Conv and Gemm initialisers, and the
constant right-hand sides of MatMul), element by element:

  --global A          sparsity-prune="granularity=unstructured criterion=l1
                      scope=global metric=params target=A min-kept=0"
                      against prune.global_unstructured(all of them, in graph
                      order, pruning_method=prune.L1Unstructured, amount=A)
  --ln-structured A   sparsity-prune="granularity=channel criterion=l1
                      scope=layer target=A min-kept=0" against
                      prune.ln_structured(each, n=1, dim=0, amount=A), dim 0
                      being the output channel (Conv filter, Linear row). Only
                      meaningful on a network whose output channels are not
                      coupled (residual additions or depthwise convolutions
                      make the pass prune coupled channels together), e.g.
                      VGG-16.

How: the model is imported with sparsity-import-onnx, pruned with sparsity-opt
(-mlir-print-debuginfo, so that locations survive), and the pruned weights are
read back from the MLIR text: each layer op (linalg.conv_*, depthwise_conv_*,
matmul, batch_matmul) is found by its location, the ONNX node name; its weight
operand is followed back through sparsity.annotate, tensor.collapse_shape /
expand_shape / cast and linalg.transpose to an arith.constant, whose own
location must be the ONNX initialiser's name; its payload is decoded from
`dense<...>` or from the `dense_resource<KEY>` blob in the file's
dialect_resources section (the pass may give a rewritten constant a new key,
e.g. `features.0.weight_1`, which is why keys are taken from the constant,
never derived from the initialiser name). torch prunes torch tensors built from
the same ONNX initialisers (onnx.numpy_helper). The zero masks of the two
pruned weights are compared. Differences are "explained by exact ties" only
when both pruned as many elements (channels) and every differing one has
torch's threshold magnitude (the same L1 norm), since torch.topk orders ties
arbitrarily and the pass by position.

min-kept=0 is passed because torch protects nothing: the pass's default
(min-kept=1) keeps each layer's largest weight even where torch prunes the whole
layer (the untrained classifiers of the tiny MobileNetV2 at 50 % and of the
full-size ResNet-50 and MobileNetV2 at 80 %), which would differ on purpose. Rounding: torch prunes round(A * n) (Python's round, half to even);
the pass prunes llround(A * n) (half away from zero); the check reports the
counts so a difference of one at an exact half shows as such.

ln_structured only: torch sums each channel's L1 norm in float32, the pass in
float64, so two channels whose norms differ by less than float32's rounding can
be ordered differently. The check then says so ("float32 rounding": the pass
pruned the channels of lowest exact norm, torch those of lowest float32 norm)
and still fails unless --accept-float32-rounding is given.

Exit status: 0 when every mask matches up to exact ties, 1 on any other
mismatch, 2 on a usage or tool error. Needs Debian's python3-torch,
python3-onnx and python3-numpy: run it with /usr/bin/python3.

  scripts/check-prune-torch.py MODEL.onnx [--global A ...] [--ln-structured A ...]
      [--bin DIR] [--work DIR] [--keep] [--set KEY=VALUE ...]
      [--accept-float32-rounding] [-q]
  (no check given: --global 0.5 0.8; --set overrides a pass option, for
  negative tests)
"""

import argparse
import binascii
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
import torch
from onnx import numpy_helper
from torch.nn.utils import prune

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

MLIR_DTYPES = {"f32": np.float32, "f64": np.float64, "f16": np.float16,
               "i8": np.int8, "i16": np.int16, "i32": np.int32,
               "i64": np.int64}
LAYER_OPS = re.compile(r"= (linalg\.(?:conv_\w+|depthwise_conv_\w+|matmul|"
                       r"batch_matmul))\b")
VIEW_OPS = ("sparsity.annotate", "tensor.collapse_shape",
            "tensor.expand_shape", "tensor.cast", "linalg.transpose")


def fail(message):
    print("error: " + message, file=sys.stderr)
    sys.exit(2)


def tool(bin_dir, name):
    if bin_dir:
        path = os.path.join(bin_dir, name)
        if not os.access(path, os.X_OK):
            fail(f"{path} not found")
        return path
    path = os.path.join(ROOT, "build", "bin", name)
    if os.access(path, os.X_OK):
        return path
    found = shutil.which(name)
    if not found:
        fail(f"{name} not found (build/bin or PATH; or pass --bin)")
    return found


# --------------------------------------------------------------------------
# The ONNX side: layers and their weights in graph order.
# --------------------------------------------------------------------------

class Layer:
    def __init__(self, node, init, weight, out_dim):
        self.node = node.name          # the MLIR location of the layer op
        self.op = node.op_type
        self.init = init               # initialiser name
        self.weight = weight           # numpy, ONNX layout
        self.out_dim = out_dim         # output-channel dim in ONNX layout


def onnx_layers(path):
    model = onnx.load(path)
    inits = {t.name: t for t in model.graph.initializer}
    used = {}
    for node in model.graph.node:
        for name in node.input:
            used[name] = used.get(name, 0) + 1
    layers = []
    for node in model.graph.node:
        if node.op_type not in ("Conv", "Gemm", "MatMul"):
            continue
        if len(node.input) < 2 or node.input[1] not in inits:
            continue
        if node.op_type == "MatMul" and node.input[0] in inits:
            continue
        if used[node.input[1]] > 1:
            fail(f"initialiser {node.input[1]} feeds several nodes; the pass "
                 "does not prune shared weights")
        weight = numpy_helper.to_array(inits[node.input[1]])
        if node.op_type == "Conv":
            out_dim = 0
        elif node.op_type == "Gemm":
            trans_b = next((a.i for a in node.attribute if a.name == "transB"),
                           0)
            out_dim = 0 if trans_b else 1
        else:
            out_dim = weight.ndim - 1
        layers.append(Layer(node, node.input[1], weight, out_dim))
    if not layers:
        fail(f"{path} has no Conv/Gemm/MatMul with an initialiser weight")
    return layers


# --------------------------------------------------------------------------
# The MLIR side: the pruned weights, read back from the text.
# --------------------------------------------------------------------------

def parse_dense(body, dtype, shape):
    """The payload of `dense<body>` as a numpy array of `shape`."""
    n = int(np.prod(shape))
    body = body.strip()
    if body.startswith('"0x'):
        data = binascii.a2b_hex(body[3:-1])
        array = np.frombuffer(data, dtype=dtype)
        if array.size == 1:
            array = np.full(n, array[0], dtype=dtype)
        return array.reshape(shape)
    tokens = re.findall(r"0x[0-9A-Fa-f]+|[-+]?(?:\d+\.?\d*|\.\d+)"
                        r"(?:[eE][-+]?\d+)?|true|false", body)
    values = []
    for token in tokens:
        if token.startswith("0x"):  # a non-finite float's bit pattern
            bits = np.array([int(token, 16)],
                            dtype=np.dtype(f"u{np.dtype(dtype).itemsize}"))
            values.append(bits.view(dtype)[0])
        else:
            values.append(dtype(float(token)) if np.issubdtype(
                dtype, np.floating) else dtype(int(token)))
    array = np.array(values, dtype=dtype)
    if array.size == 1:
        array = np.full(n, array[0], dtype=dtype)
    if array.size != n:
        fail(f"dense<{body[:60]}...> has {array.size} elements, expected {n}")
    return array.reshape(shape)


def loc_name(text, loc_alias):
    """The name of the location at the end of an op's text."""
    m = re.search(r"loc\((#loc\d*|\"(?:[^\"\\]|\\.)*\")\)\s*$", text)
    if not m:
        return None
    ref = m.group(1)
    return ref[1:-1] if ref.startswith('"') else loc_alias.get(ref)


def weight_constants(layers, defs, layer_ops, loc_alias):
    """{layer node name: SSA name of its weight constant}."""
    by_loc = {}
    for name, op, rest in layer_ops:
        by_loc.setdefault(loc_name(rest, loc_alias), []).append(rest)
    out = {}
    for layer in layers:
        ops = by_loc.get(layer.node, [])
        if len(ops) != 1:
            fail(f"layer {layer.node}: {len(ops)} layer ops carry its "
                 "location (expected 1; was the IR printed with "
                 "-mlir-print-debuginfo?)")
        m = re.search(r"ins\(([^:]*):", ops[0])
        if not m:
            fail(f"layer {layer.node}: no ins(...) in '{ops[0][:80]}'")
        found = []
        for operand in [o.strip() for o in m.group(1).split(",")]:
            for _ in range(16):
                if operand not in defs:
                    break
                op, rest = defs[operand]
                if op == "arith.constant":
                    found.append(operand)
                    break
                src = re.search(r"(%[\w.$-]+)", rest)
                if op not in VIEW_OPS or not src:
                    break
                operand = src.group(1)
        if len(found) != 1:
            fail(f"layer {layer.node}: {len(found)} constant operands")
        cloc = loc_name(defs[found[0]][1], loc_alias)
        if cloc != layer.init:
            fail(f"layer {layer.node}: its weight constant {found[0]} is "
                 f"located at '{cloc}', expected the initialiser "
                 f"'{layer.init}'")
        out[layer.node] = found[0]
    return out


def read_pruned_mlir(path, layers):
    """{layer node name: pruned weight (numpy, the constant's layout)}.

    One pass over the file: location aliases, the function body's top-level
    ops, then the resource section, of which only the blobs of the layers'
    constants are decoded."""
    loc_alias = {}      # "#loc5" -> "name"
    defs = {}           # "%cst" -> (op, rest of its line)
    layer_ops = []      # (result, op, rest of line) of the layer ops
    resources = {}      # key -> bytes (the 4-byte alignment prefix dropped)
    consts = keys = None
    loc_re = re.compile(rb'^(#loc\d*) = loc\("((?:[^"\\]|\\.)*)"\)')
    def_re = re.compile(rb"^    (%[\w.$-]+) = ([\w.]+)(.*)$")
    res_re = re.compile(rb'^      ([\w.$-]+): "0x([0-9A-Fa-f]*)"')
    with open(path, "rb") as f:
        for line in f:
            if keys is not None:
                m = res_re.match(line)
                if m and m.group(1).decode() in keys:
                    resources[m.group(1).decode()] = \
                        binascii.a2b_hex(m.group(2))[4:]
                continue
            if line.startswith(b"{-#"):
                consts = weight_constants(layers, defs, layer_ops, loc_alias)
                keys = set()
                for const in consts.values():
                    m = re.match(r" dense_resource<([\w.$-]+)>",
                                 defs[const][1])
                    if m:
                        keys.add(m.group(1))
                continue
            m = loc_re.match(line)
            if m:
                loc_alias[m.group(1).decode()] = m.group(2).decode()
                continue
            m = def_re.match(line)
            if m:
                op = m.group(2).decode()
                rest = m.group(3).decode()
                defs[m.group(1).decode()] = (op, rest)
                if LAYER_OPS.match("= " + op):
                    layer_ops.append((m.group(1).decode(), op, rest))
    if consts is None:
        consts = weight_constants(layers, defs, layer_ops, loc_alias)
    out = {}
    for layer in layers:
        rest = defs[consts[layer.node]][1]
        m = re.match(r" (?:dense_resource<([\w.$-]+)>|dense<(.*)>) : "
                     r"tensor<((?:\d+x)*)(\w+)>", rest)
        if not m:
            fail(f"weight of layer {layer.node}: cannot parse "
                 f"'{rest[:80]}'")
        shape = [int(d) for d in m.group(3).split("x") if d]
        dtype = MLIR_DTYPES.get(m.group(4))
        if dtype is None:
            fail(f"layer {layer.node}: element type {m.group(4)}")
        if m.group(1):
            data = resources.get(m.group(1))
            if data is None:
                fail(f"layer {layer.node}: resource {m.group(1)} not found")
            weight = np.frombuffer(data, dtype=dtype).reshape(shape)
        else:
            weight = parse_dense(m.group(2), dtype, shape)
        out[layer.node] = weight
    return out


# --------------------------------------------------------------------------
# torch.
# --------------------------------------------------------------------------

class Holder(torch.nn.Module):
    def __init__(self, weight):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.from_numpy(weight.copy()),
                                         requires_grad=False)


def torch_layout(layer):
    """The weight as torch holds it: output channels first."""
    return np.moveaxis(layer.weight, layer.out_dim, 0)


def torch_global(layers, amount):
    holders = [Holder(layer.weight) for layer in layers]
    prune.global_unstructured([(h, "weight") for h in holders],
                              pruning_method=prune.L1Unstructured,
                              amount=amount)
    return [h.weight.detach().numpy() for h in holders]


def torch_ln_structured(layer, amount):
    holder = Holder(np.ascontiguousarray(torch_layout(layer)))
    prune.ln_structured(holder, "weight", amount=amount, n=1, dim=0)
    return np.moveaxis(holder.weight.detach().numpy(), 0, layer.out_dim)


# --------------------------------------------------------------------------
# Checks.
# --------------------------------------------------------------------------

def run_prune(opt, mlir, options, out, quiet):
    cmd = [opt, mlir, "-mlir-print-debuginfo",
           f"--sparsity-prune={options}", "-o", out]
    start = time.time()
    proc = subprocess.run(cmd, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        print(proc.stderr, file=sys.stderr)
        fail("sparsity-opt failed: " + " ".join(cmd))
    remark = [l for l in proc.stderr.splitlines() if "sparsity-prune:" in l]
    if not quiet:
        print(f"  $ {' '.join(cmd)}   ({time.time() - start:.1f} s)")
        for line in remark:
            print("  " + line.split("remark: ", 1)[-1])


def check_global(layers, pruned, amount, quiet):
    torch_w = torch_global(layers, amount)
    total = sum(layer.weight.size for layer in layers)
    k = round(amount * total)
    torch_zero = [w == 0 for w in torch_w]
    # torch's threshold: the largest magnitude it pruned (or that was zero).
    thr = max(float(np.abs(l.weight[z]).max()) if z.any() else 0.0
              for l, z in zip(layers, torch_zero))
    ties = mism = 0
    rows = []
    n_torch = n_mlir = 0
    for layer, tz in zip(layers, torch_zero):
        mz = pruned[layer.node] == 0
        if mz.shape != tz.shape:
            fail(f"layer {layer.node}: pruned weight shape {mz.shape} != "
                 f"ONNX {tz.shape}")
        diff = mz != tz
        tie = int((np.abs(layer.weight[diff]) == thr).sum())
        ties += tie
        mism += int(diff.sum())
        n_torch += int(tz.sum())
        n_mlir += int(mz.sum())
        rows.append((layer.node, layer.weight.size, int(tz.sum()),
                     int(mz.sum()), int(diff.sum()), tie))
    report(rows, quiet, "unstructured")
    print(f"  global L1 {amount}: {len(layers)} layers, {total} weights; torch "
          f"prunes round({amount} * {total}) = {k}; zeros after: torch "
          f"{n_torch}, sparsity-prune {n_mlir}; torch's threshold |w| = "
          f"{thr!r}")
    # Exact ties explain a mismatch only when both pruned as many: then the
    # two selections differ only among weights of the threshold magnitude.
    bad = mism - ties if n_torch == n_mlir else mism
    return mism, bad, ties, n_torch != n_mlir, 0


def check_ln_structured(layers, pruned, amount, quiet):
    mism = bad = ties = rounded = 0
    rows = []
    count_diff = False
    for layer in layers:
        tw = torch_ln_structured(layer, amount)
        tz = tw == 0
        mz = pruned[layer.node] == 0
        if mz.shape != tz.shape:
            fail(f"layer {layer.node}: pruned weight shape {mz.shape} != "
                 f"ONNX {tz.shape}")
        # Per output channel (torch layout): all zero after pruning?
        w = torch_layout(layer)
        axes = tuple(range(1, w.ndim))
        t_ch = np.moveaxis(tz, layer.out_dim, 0).reshape(w.shape[0], -1)
        m_ch = np.moveaxis(mz, layer.out_dim, 0).reshape(w.shape[0], -1)
        t_pruned = t_ch.all(axis=1)
        m_pruned = m_ch.all(axis=1)
        d_ch = np.nonzero((t_ch != m_ch).any(axis=1))[0]
        # torch ranks channels by its float32 L1 norm, the pass by a float64
        # sum. The differing channels are explained by an exact tie when both
        # pruned as many and their norms are all equal (float32 or float64);
        # by torch's float32 rounding when the pass's choice is the exact
        # (float64) order's and torch's is its float32 order's.
        norm32 = torch.norm(torch.from_numpy(w.copy()), p=1,
                            dim=axes).numpy()
        norm64 = np.abs(w.astype(np.float64)).sum(axis=axes)
        same_count = int(t_pruned.sum()) == int(m_pruned.sum())

        def lowest(norms, chosen):
            return not chosen.any() or chosen.all() or \
                norms[chosen].max() <= norms[~chosen].min()
        tie = rounding = 0
        if len(d_ch):
            if same_count and (len(set(norm32[d_ch].tolist())) == 1 or
                               len(set(norm64[d_ch].tolist())) == 1):
                tie = len(d_ch)
            elif same_count and lowest(norm64, m_pruned) and \
                    lowest(norm32, t_pruned):
                rounding = len(d_ch)
            if not quiet:
                for c in d_ch:
                    print(f"    {layer.node}: channel {c}: L1 norm "
                          f"{norm64[c]!r} (torch's float32 {norm32[c]!r});"
                          f" torch {'prunes' if t_pruned[c] else 'keeps'} it,"
                          f" sparsity-prune "
                          f"{'prunes' if m_pruned[c] else 'keeps'} it")
                if rounding:
                    print(f"    {layer.node}: the pass pruned the channels of "
                          "lowest exact (float64) L1 norm, torch those of "
                          "lowest float32 norm: a float32 rounding "
                          "difference of torch, no tie")
        mism += len(d_ch)
        bad += len(d_ch) - tie
        ties += tie
        rounded += rounding
        count_diff |= not same_count
        rows.append((layer.node, w.shape[0], int(t_pruned.sum()),
                     int(m_pruned.sum()), len(d_ch), tie, rounding,
                     int((mz != tz).sum())))
    report(rows, quiet, "channel")
    return mism, bad, ties, count_diff, rounded


def report(rows, quiet, kind):
    if quiet:
        return
    if kind == "unstructured":
        print("    layer | weights | torch zeros | pass zeros | mismatches "
              "| of which |w| = threshold")
    else:
        print("    layer | channels | torch zero channels | pass zero channels"
              " | mismatching channels | of which ties | of which float32 "
              "rounding | mismatching elements")
    for row in rows:
        print("    " + " | ".join(str(x) for x in row))


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model", help="the ONNX model")
    parser.add_argument("--global", dest="glob", type=float, nargs="+",
                        default=[], metavar="A",
                        help="global L1 unstructured at each amount A")
    parser.add_argument("--ln-structured", type=float, nargs="+", default=[],
                        metavar="A", help="ln_structured n=1 dim=0 per layer "
                        "at each amount A (networks without coupled channels)")
    parser.add_argument("--bin", help="directory of sparsity-opt and "
                        "sparsity-import-onnx (default build/bin, else PATH)")
    parser.add_argument("--work", help="directory for the MLIR files "
                        "(default: a temporary one, removed)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the MLIR files")
    parser.add_argument("--set", action="append", default=[],
                        metavar="KEY=VALUE",
                        help="override one --sparsity-prune option (for "
                        "negative tests: e.g. --set target=0.49 must make "
                        "the check fail)")
    parser.add_argument("--accept-float32-rounding", action="store_true",
                        help="ln_structured: do not fail on channels that "
                        "torch orders differently only because it sums the "
                        "L1 norm in float32 (the pass's choice is the exact "
                        "order's); they are still reported")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="no per-layer tables")
    args = parser.parse_args()
    if not args.glob and not args.ln_structured:
        args.glob = [0.5, 0.8]
    importer = tool(args.bin, "sparsity-import-onnx")
    opt = tool(args.bin, "sparsity-opt")
    work = args.work or tempfile.mkdtemp(prefix="check-prune-torch.")
    os.makedirs(work, exist_ok=True)
    base = os.path.splitext(os.path.basename(args.model))[0]
    mlir = os.path.join(work, base + ".mlir")
    layers = onnx_layers(args.model)
    print(f"{args.model}: {len(layers)} layers, "
          f"{sum(l.weight.size for l in layers)} weights")
    proc = subprocess.run([importer, args.model, "--mlir-print-debuginfo",
                           "-o", mlir])
    if proc.returncode != 0:
        fail("sparsity-import-onnx failed")

    checks = [("global", a) for a in args.glob] + \
             [("ln-structured", a) for a in args.ln_structured]
    failed = False
    for kind, amount in checks:
        if kind == "global":
            options = {"granularity": "unstructured", "criterion": "l1",
                       "scope": "global", "metric": "params"}
        else:
            options = {"granularity": "channel", "criterion": "l1",
                       "scope": "layer"}
        options.update(target=str(amount), **{"min-kept": "0"})
        for item in args.set:
            key, _, value = item.partition("=")
            options[key] = value
        options = " ".join(f"{k}={v}" for k, v in options.items())
        out = os.path.join(work, f"{base}.{kind}{amount}.mlir")
        print(f"{kind} {amount}:")
        run_prune(opt, mlir, options, out, args.quiet)
        pruned = read_pruned_mlir(out, layers)
        if kind == "global":
            mism, bad, ties, count_diff, rounded = check_global(layers, pruned, amount,
                                                 args.quiet)
            unit = "elements"
        else:
            mism, bad, ties, count_diff, rounded = check_ln_structured(layers, pruned,
                                                        amount, args.quiet)
            unit = "channels"
        del pruned
        if not args.keep:
            os.remove(out)
        if args.accept_float32_rounding:
            bad -= rounded
        verdict = "MATCH" if bad == 0 and not count_diff else "MISMATCH"
        print(f"{verdict}: {base} {kind} {amount}: {mism} mismatching {unit}"
              f", {ties} of them at an exact tie, {bad} unexplained by ties"
              + (f" (of which {rounded} torch's float32 rounding)"
                 if rounded else "")
              + ("; the numbers pruned differ" if count_diff else ""))
        failed |= verdict != "MATCH"
    if not args.keep:
        os.remove(mlir)
        if not args.work:
            os.rmdir(work)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
