#!/usr/bin/python3
"""Check that an exported ONNX file computes what its reference .npy says.

A small interpreter, op by op on torch tensors, for the ONNX operators that
models/export.py's graphs contain. It runs REF_DIR/<name>.input.npy through
<name>.onnx and compares with REF_DIR/<name>.output.npy, so a mismatch found
later by sparsity-import-onnx + sparsity-run is known not to be the exporter's
fault. (Debian ships no onnxruntime for Python, and onnx 1.12 has no
reference evaluator.)

  /usr/bin/python3 models/check_refs.py models/tiny/*.onnx
  /usr/bin/python3 models/check_refs.py --ref-dir DIR --rtol 1e-4 model.onnx

Exit status: 0 when every file matches, 1 otherwise.
"""

import argparse
import os
import sys

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper


def _attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _pads(a, rank):
    pads = list(a.get("pads", [0] * (2 * rank)))
    begin, end = pads[:rank], pads[rank:]
    if begin != end:
        raise NotImplementedError(f"asymmetric pads {pads}")
    if a.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
        raise NotImplementedError("auto_pad")
    return begin


def run_node(node, x):
    op, a = node.op_type, _attrs(node)
    if op == "Constant":
        return [torch.from_numpy(numpy_helper.to_array(a["value"]).copy())]
    if op == "Identity":
        return [x[0]]
    if op == "Conv":
        w = x[1]
        rank = w.dim() - 2
        if rank != 2:
            raise NotImplementedError("Conv rank != 2")
        return [F.conv2d(x[0], w, x[2] if len(x) > 2 else None, a.get("strides", [1, 1]),
                         _pads(a, 2), a.get("dilations", [1, 1]), a.get("group", 1))]
    if op == "MaxPool":
        if a.get("ceil_mode", 0) or a.get("dilations", [1, 1]) != [1, 1]:
            raise NotImplementedError("MaxPool ceil_mode/dilations")
        return [F.max_pool2d(x[0], a["kernel_shape"], a.get("strides", [1, 1]), _pads(a, 2))]
    if op == "AveragePool":
        return [F.avg_pool2d(x[0], a["kernel_shape"], a.get("strides", [1, 1]), _pads(a, 2),
                             bool(a.get("ceil_mode", 0)), count_include_pad=bool(a.get("count_include_pad", 0)))]
    if op == "GlobalAveragePool":
        return [x[0].mean(dim=tuple(range(2, x[0].dim())), keepdim=True)]
    if op == "Flatten":
        axis = a.get("axis", 1)
        return [x[0].reshape(int(np.prod(x[0].shape[:axis])), -1)]
    if op == "Gemm":
        A = x[0].t() if a.get("transA", 0) else x[0]
        B = x[1].t() if a.get("transB", 0) else x[1]
        y = a.get("alpha", 1.0) * (A @ B)
        if len(x) > 2:
            y = y + a.get("beta", 1.0) * x[2]
        return [y]
    if op == "MatMul":
        return [torch.matmul(x[0], x[1])]
    if op == "Relu":
        return [torch.relu(x[0])]
    if op == "Clip":
        lo = x[1] if len(x) > 1 and x[1] is not None else None
        hi = x[2] if len(x) > 2 and x[2] is not None else None
        return [torch.clamp(x[0], lo.item() if lo is not None else None,
                            hi.item() if hi is not None else None)]
    if op in ("Add", "Sub", "Mul", "Div", "Pow"):
        f = {"Add": torch.add, "Sub": torch.sub, "Mul": torch.mul, "Div": torch.div,
             "Pow": torch.pow}[op]
        return [f(x[0], x[1])]
    if op in ("Sqrt", "Erf", "Tanh", "Sigmoid"):
        return [getattr(torch, op.lower())(x[0])]
    if op == "ReduceMean":
        axes = a.get("axes") if "axes" in a else (x[1].tolist() if len(x) > 1 else None)
        keep = bool(a.get("keepdims", 1))
        if axes is None:
            return [x[0].mean()] if not keep else [x[0].mean(dim=tuple(range(x[0].dim())), keepdim=True)]
        return [x[0].mean(dim=tuple(axes), keepdim=keep)]
    if op == "Softmax":
        return [torch.softmax(x[0], dim=a.get("axis", -1))]
    if op == "Transpose":
        return [x[0].permute(*a["perm"])]
    if op == "Reshape":
        shape = [int(s) for s in x[1].tolist()]
        shape = [x[0].shape[i] if s == 0 else s for i, s in enumerate(shape)]
        return [x[0].reshape(shape)]
    if op == "LayerNormalization":
        axis = a.get("axis", -1) % x[0].dim()
        return [F.layer_norm(x[0], x[0].shape[axis:], x[1], x[2] if len(x) > 2 else None,
                             a.get("epsilon", 1e-5))]
    raise NotImplementedError(f"op {op}")


def evaluate(model, feed):
    env = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in model.graph.initializer}
    env.update(feed)
    for node in model.graph.node:
        ins = [env[n] if n else None for n in node.input]
        for name, value in zip(node.output, run_node(node, ins)):
            env[name] = value
    return [env[o.name] for o in model.graph.output]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("models", nargs="+", metavar="MODEL.onnx")
    p.add_argument("--ref-dir", help="directory of <name>.{input,output}.npy "
                                     "(default: ref/ next to each model)")
    p.add_argument("--rtol", type=float, default=1e-4)
    p.add_argument("--atol", type=float, default=1e-5)
    args = p.parse_args()
    failed = 0
    for path in args.models:
        name = os.path.basename(path)[:-5] if path.endswith(".onnx") else os.path.basename(path)
        ref = args.ref_dir or os.path.join(os.path.dirname(path), "ref")
        model = onnx.load(path)
        x = np.load(os.path.join(ref, name + ".input.npy"))
        want = np.load(os.path.join(ref, name + ".output.npy"))
        with torch.no_grad():
            got = evaluate(model, {model.graph.input[0].name: torch.from_numpy(x)})[0].numpy()
        ok = got.shape == want.shape and np.allclose(got, want, rtol=args.rtol, atol=args.atol)
        err = float(np.max(np.abs(got - want))) if got.shape == want.shape else float("inf")
        print(f"{'PASS' if ok else 'FAIL'} {name}: max abs diff {err:.3g}, "
              f"max |ref| {float(np.max(np.abs(want))):.3g}")
        failed += not ok
    print(f"{len(args.models) - failed}/{len(args.models)} match")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
