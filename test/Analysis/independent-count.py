#!/usr/bin/python3
"""Operation-saving sparsity of an ONNX CNN, counted from the ONNX file alone.

An independent re-implementation of docs/op-sparsity.md (parameter sparsity,
operation sparsity, the structured/unstructured/propagated split) that shares
no code with sparsity-opt's --sparsity-report: it reads the ONNX graph with
python3-onnx, shapes come from onnx.shape_inference, and the counting is
numpy on the initialisers. The test suite runs both on the same models and
requires them to agree to the MAC.

  independent-count.py MODEL.onnx                     JSON summary on stdout
  independent-count.py MODEL.onnx --compare REPORT.json
        compares with `sparsity-opt --sparsity-report="format=json ..."` of the
        model as imported by sparsity-import-onnx; exit status 1 on any
        difference or any layer missing on either side, else 0
  independent-count.py --self-test                    checks this script on
        hand-built graphs with hand-computed answers

Layers: Conv (group, pads, strides, dilations, bias), Gemm (transA, transB,
bias) and MatMul whose right operand is a constant (an initialiser or a
Constant, possibly through Identity). Channels are dim 1 of NCHW tensors and
of [N, F] matrices (the last dim for MatMul results). What the importer makes
of each op decides what carries a zero channel:

  zero channels (forward): a layer's output channel c is zero when its bias
    is 0 at c (or it has none) and each weight element of filter c is 0 or
    reads a zero input channel. Relu, Clip with min <= 0 <= max,
    GlobalAveragePool, AveragePool (only with one divisor for all positions:
    the importer divides by a table otherwise, which the analysis cannot
    fold), Identity and Dropout carry them; MaxPool only when it pads nothing
    (the importer pads with -inf); Add when both inputs are zero there;
    Flatten maps channel c of [N,C,H,W] to features c*H*W .. (c+1)*H*W-1.
  dead channels (backward): graph outputs read everything, a tensor nobody
    reads is dead. A layer ignores input channel k when every weight element
    reading k is 0 or feeds a dead output channel; the element-wise ops and
    pools ignore channel c when their output channel c is dead (Add: both
    inputs); Flatten ignores channel c when its H*W features are dead.
  anything else: its outputs have no zero channel and it reads everything.

A grouped convolution's weight is counted as the importer passes it to
linalg.conv_2d_ngchw_gfchw, [G, M/G, C/G, KH, KW]: its structured slices are
whole groups (G), M/G-slices and C/G-slices; depthwise and ungrouped
convolutions and matrices are the G = 1 or C/G = M/G = 1 cases of the same.
"""

import argparse
import json
import math
import sys

import numpy as np
import onnx
from onnx import numpy_helper

FIELDS = ("params", "zero_params", "uses", "macs", "saved_macs",
          "saved_macs_structured", "saved_macs_unstructured", "saved_macs_propagated")
MODEL_FIELDS = ("layers",) + tuple(f for f in FIELDS if f != "uses")
# Element-wise ops and pools: output channel c is a function of input channel c.
CHANNELWISE = {"Relu", "Clip", "Identity", "Dropout", "MaxPool", "AveragePool",
               "GlobalAveragePool"}
# Initialisers with at least this many elements are left out of shape inference
# (only their shapes matter there; VGG-16 has 550 MB of them).
BIG_INITIALIZER = 4096


def attributes(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def text(v):
    return v.decode() if isinstance(v, bytes) else v


class Layer:
    """One weight-bearing node. w5 is the weight as [G, F/G, C/G, rest...]:
    dim 1 indexes output channels within a group, dim 2 input channels."""

    def __init__(self, node, w5, weight_shape, uses, x, y, bias_zero, mapped, ycaxis=1):
        self.node, self.w5, self.weight_shape, self.uses = node, w5, weight_shape, uses
        self.x, self.y, self.bias_zero = x, y, bias_zero  # activation in/out names
        # Whether the input's tracked channels are the ones the weight's
        # input-channel dim reads (else nothing is known about them, and the
        # layer reads all of them); the channel dim of the result.
        self.mapped, self.ycaxis = mapped, ycaxis
        self.zin = None  # zero channels of the input, [G*C/G]
        self.dout = None  # dead channels of the output, [G*F/G]

    def zero_out(self):
        g, fg, cg = self.w5.shape[:3]
        ok = (self.w5 == 0) | self.zin.reshape((g, 1, cg) + (1,) * (self.w5.ndim - 3))
        return ok.reshape(g, fg, -1).all(axis=2).reshape(-1) & self.bias_zero

    def ignored_in(self):
        g, fg, cg = self.w5.shape[:3]
        ok = (self.w5 == 0) | self.dout.reshape((g, fg, 1) + (1,) * (self.w5.ndim - 3))
        return np.moveaxis(ok, 2, 1).reshape(g, cg, -1).all(axis=2).reshape(-1)

    def figures(self):
        w5 = self.w5
        g, fg, cg = w5.shape[:3]
        rest = (1,) * (w5.ndim - 3)
        z = w5 == 0
        removable = (z | self.zin.reshape((g, 1, cg) + rest)
                     | self.dout.reshape((g, fg, 1) + rest))
        others = tuple(range(3, w5.ndim))
        zg = z.all(axis=(1, 2) + others)
        zf = z.all(axis=(0, 2) + others)
        zc = z.all(axis=(0, 1) + others)
        structured = (zg.reshape((g, 1, 1) + rest) | zf.reshape((1, fg, 1) + rest)
                      | zc.reshape((1, 1, cg) + rest))
        params = int(w5.size)
        zeros = int(z.sum())
        n_struct = int(np.broadcast_to(structured, w5.shape).sum())
        n_removable = int(removable.sum())
        u = self.uses
        f = {
            "name": self.node.name, "op": self.node.op_type,
            "weight_shape": list(self.weight_shape),
            "params": params, "zero_params": zeros, "uses": u, "macs": params * u,
            "saved_macs": n_removable * u,
            "saved_macs_structured": n_struct * u,
            "saved_macs_unstructured": (zeros - n_struct) * u,
            "saved_macs_propagated": (n_removable - zeros) * u,
        }
        f["param_sparsity"] = zeros / params if params else 0.0
        f["op_sparsity"] = f["saved_macs"] / f["macs"] if f["macs"] else 0.0
        return f


def window(in_sizes, kernel, a, ceil_mode=False):
    """Output sizes and paddings as the importer's computeWindow makes them
    (auto_pad, ceil_mode and its extra end padding included)."""
    r = len(in_sizes)
    strides = list(a.get("strides", [1] * r))
    dil = list(a.get("dilations", [1] * r))
    pads = list(a.get("pads", [0] * (2 * r)))
    auto = text(a.get("auto_pad", "NOTSET"))
    out, lo_all, hi_all = [], [], []
    for i in range(r):
        extent = (kernel[i] - 1) * dil[i] + 1
        s = strides[i]
        lo, hi = pads[i], pads[i + r]
        if auto in ("SAME_UPPER", "SAME_LOWER"):
            o = (in_sizes[i] + s - 1) // s
            total = max(0, (o - 1) * s + extent - in_sizes[i])
            lo = total // 2 if auto == "SAME_UPPER" else total - total // 2
            hi = total - lo
        elif auto == "VALID":
            lo = hi = 0
        span = in_sizes[i] + lo + hi - extent
        o = ((span + s - 1) // s if ceil_mode else span // s) + 1
        if ceil_mode and (o - 1) * s >= in_sizes[i] + lo:
            o -= 1
        hi = max(hi, (o - 1) * s + extent - in_sizes[i] - lo)
        out.append(o)
        lo_all.append(lo)
        hi_all.append(hi)
    return out, lo_all, hi_all, strides, dil


def avgpool_uniform_divisor(in_sizes, kernel, a):
    """True when the importer divides every output of this AveragePool by the
    same number (else it divides by a constant table)."""
    ceil_mode = bool(a.get("ceil_mode", 0))
    out, lo, hi, strides, dil = window(in_sizes, kernel, a, ceil_mode)
    include = bool(a.get("count_include_pad", 0))
    r = len(in_sizes)
    pads = list(a.get("pads", []))
    auto = text(a.get("auto_pad", "NOTSET"))
    divisors = [1]
    for i in range(r):
        declared_hi = pads[i + r] if auto == "NOTSET" and pads else hi[i]
        lo0 = 0 if include else lo[i]
        hi0 = lo[i] + in_sizes[i] + (min(declared_hi, hi[i]) if include else 0)
        counts = [sum(lo0 <= o * strides[i] + k * dil[i] < hi0 for k in range(kernel[i]))
                  for o in range(out[i])]
        divisors = [d * c for d in divisors for c in counts]
    return len({max(d, 1) for d in divisors}) == 1


class Model:
    def __init__(self, model):
        self.graph = model.graph
        self.consts = {t.name: numpy_helper.to_array(t) for t in self.graph.initializer}
        self.shapes = self._infer_shapes(model)
        self.caxis = {}  # activation name -> channel dim or None
        self.zero = {}  # activation name -> bool[channels] (all False: nothing known)
        self.layers = []
        self.notes = []
        self._forward()
        self._backward()

    # --- shapes ---------------------------------------------------------------
    def _infer_shapes(self, model):
        """onnx.shape_inference on a copy whose big initialisers are graph
        inputs of the same type and shape."""
        slim = onnx.ModelProto()
        slim.ir_version = model.ir_version
        slim.opset_import.extend(model.opset_import)
        g = slim.graph
        g.node.extend(self.graph.node)
        g.input.extend(self.graph.input)
        g.output.extend(self.graph.output)
        names = {i.name for i in self.graph.input}
        for t in self.graph.initializer:
            if math.prod(t.dims) < BIG_INITIALIZER:
                g.initializer.append(t)
            elif t.name not in names:
                g.input.append(onnx.helper.make_tensor_value_info(
                    t.name, t.data_type, list(t.dims)))
        inferred = onnx.shape_inference.infer_shapes(slim)
        shapes = {}
        for vi in list(inferred.graph.value_info) + list(inferred.graph.input) + \
                list(inferred.graph.output):
            tt = vi.type.tensor_type
            if tt.HasField("shape") and all(d.HasField("dim_value") for d in tt.shape.dim):
                shapes[vi.name] = tuple(d.dim_value for d in tt.shape.dim)
        for name, v in self.consts.items():
            shapes[name] = v.shape
        return shapes

    def shape(self, name):
        if name not in self.shapes:
            raise SystemExit(f"independent-count: no static shape for '{name}'")
        return self.shapes[name]

    # --- helpers --------------------------------------------------------------
    def nch(self, name):
        ax = self.caxis.get(name)
        return 1 if ax is None else self.shape(name)[ax]

    def zeros_of(self, name):
        """Zero channels of an activation, or None for a constant."""
        if name in self.consts:
            return None
        return self.zero.get(name, np.zeros(self.nch(name), bool))

    def set_out(self, name, caxis, zero=None):
        self.caxis[name] = caxis
        n = 1 if caxis is None else self.shape(name)[caxis]
        self.zero[name] = np.zeros(n, bool) if zero is None else zero

    def activation_inputs(self, node):
        return [i for i in node.input if i and i not in self.consts]

    # --- forward: layers and zero channels -----------------------------------
    def _forward(self):
        for x in self.graph.input:
            if x.name not in self.consts:
                r = len(self.shape(x.name))
                self.set_out(x.name, 1 if r >= 2 else None)
        for node in self.graph.node:
            op, a = node.op_type, attributes(node)
            ins = list(node.input)
            if op == "Constant":
                self.consts[node.output[0]] = numpy_helper.to_array(a["value"]) \
                    if "value" in a else np.array(a[next(iter(a))])
                continue
            if op in ("Identity", "Dropout") and ins[0] in self.consts:
                self.consts[node.output[0]] = self.consts[ins[0]]
                continue
            handler = getattr(self, "_fwd_" + op, None)
            if handler is None or not handler(node, a, ins):
                self._fwd_unknown(node)

    def _fwd_unknown(self, node):
        for o in node.output:
            if o:
                self.set_out(o, None)

    def _fwd_Conv(self, node, a, ins):
        x, wname, y = ins[0], ins[1], node.output[0]
        if wname not in self.consts or x in self.consts:
            return False
        w = self.consts[wname]
        xs = self.shape(x)
        g = a.get("group", 1)
        m, cg = w.shape[0], w.shape[1]
        out, _, _, _, _ = window(xs[2:], w.shape[2:], a)
        ys = self.shape(y)
        assert tuple(ys) == (xs[0], m) + tuple(out), (node.name, ys, out)
        bias_zero = np.ones(m, bool)
        if len(ins) > 2 and ins[2]:
            bias = self.consts.get(ins[2])
            bias_zero = np.zeros(m, bool) if bias is None else bias.reshape(m) == 0
        w5 = w.reshape((g, m // g, cg) + w.shape[2:])
        self._add_layer(Layer(node, w5, w.shape, xs[0] * math.prod(out), x, y, bias_zero,
                              self.caxis.get(x) == 1))
        return True

    def _fwd_Gemm(self, node, a, ins):
        A, B, y = ins[0], ins[1], node.output[0]
        if B not in self.consts or A in self.consts:
            return False
        b = self.consts[B]
        wnk = b if a.get("transB", 0) else b.T  # [N, K]
        m, n = self.shape(y)
        bias_zero = np.ones(n, bool)
        if len(ins) > 2 and ins[2] and a.get("beta", 1.0) != 0.0:
            c = self.consts.get(ins[2])
            bias_zero = np.zeros(n, bool) if c is None else \
                (np.broadcast_to(c, (m, n)) == 0).all(axis=0)
        # With transA the tracked dim 1 of A is M, not the contracted K.
        mapped = not a.get("transA", 0) and self.caxis.get(A) == 1
        self._add_layer(Layer(node, wnk[None], b.shape, m, A, y, bias_zero, mapped))
        return True

    def _fwd_MatMul(self, node, a, ins):
        A, B, y = ins[0], ins[1], node.output[0]
        if B not in self.consts or A in self.consts or self.consts[B].ndim != 2:
            return False
        xs = self.shape(A)
        b = self.consts[B]
        uses = math.prod(xs[:-1])
        self._add_layer(Layer(node, b.T[None], b.shape, uses, A, y, np.ones(b.shape[1], bool),
                              self.caxis.get(A) == len(xs) - 1, len(self.shape(y)) - 1))
        return True

    def _add_layer(self, layer):
        g, _, cg = layer.w5.shape[:3]
        layer.zin = self.zeros_of(layer.x) if layer.mapped else np.zeros(g * cg, bool)
        self.layers.append(layer)
        self.set_out(layer.y, layer.ycaxis, layer.zero_out())

    def _channelwise(self, node, carries):
        """Output channel c is a function of input channel c alone; `carries`:
        a zero input channel gives a zero output channel."""
        x, y = node.input[0], node.output[0]
        ax = self.caxis.get(x)
        if x in self.consts or ax is None or len(self.shape(x)) != len(self.shape(y)) \
                or self.shape(x)[ax] != self.shape(y)[ax]:
            return False
        self.set_out(y, ax, self.zeros_of(x).copy() if carries else None)
        return True

    def _fwd_Relu(self, node, a, ins):
        return self._channelwise(node, True)

    def _fwd_Identity(self, node, a, ins):
        return self._channelwise(node, True)

    def _fwd_Dropout(self, node, a, ins):
        if len(node.output) > 1 and node.output[1]:
            return False
        return self._channelwise(node, True)

    def _fwd_Clip(self, node, a, ins):
        lo, hi = a.get("min", -math.inf), a.get("max", math.inf)
        for i, name in ((1, "min"), (2, "max")):
            if len(ins) > i and ins[i]:
                if ins[i] not in self.consts:
                    return False
                v = float(self.consts[ins[i]])
                lo, hi = (v, hi) if name == "min" else (lo, v)
        # The importer computes min(max(x, lo), hi).
        return self._channelwise(node, min(max(0.0, lo), hi) == 0.0)

    def _fwd_MaxPool(self, node, a, ins):
        if len(node.output) > 1 and node.output[1]:
            return False
        xs = self.shape(ins[0])
        _, lo, hi, _, _ = window(xs[2:], a["kernel_shape"], a, bool(a.get("ceil_mode", 0)))
        return self._channelwise(node, not any(lo) and not any(hi))

    def _fwd_AveragePool(self, node, a, ins):
        xs = self.shape(ins[0])
        return self._channelwise(node, avgpool_uniform_divisor(xs[2:], a["kernel_shape"], a))

    def _fwd_GlobalAveragePool(self, node, a, ins):
        return self._channelwise(node, True)

    def _fwd_Flatten(self, node, a, ins):
        x, y = ins[0], node.output[0]
        xs = self.shape(x)
        axis = a.get("axis", 1)
        if x in self.consts or axis != 1 or self.caxis.get(x) != 1:
            return False
        inner = math.prod(xs[2:])
        self.set_out(y, 1, np.repeat(self.zeros_of(x), inner))
        return True

    def _add_input_zeros(self, name, out, ax):
        """Per channel of the Add's output `out`: whether input `name` is zero
        there; None when its channels do not map one to one."""
        ys = self.shape(out)
        if name in self.consts:
            c = np.broadcast_to(self.consts[name], ys)
            return (np.moveaxis(c, ax, 0).reshape(ys[ax], -1) == 0).all(axis=1)
        if self.shape(name) != ys or self.caxis.get(name) != ax:
            return None
        return self.zeros_of(name)

    def _fwd_Add(self, node, a, ins):
        y = node.output[0]
        acts = self.activation_inputs(node)
        axes = {self.caxis.get(i) for i in acts}
        if len(acts) == 0 or len(axes) != 1 or None in axes:
            return False
        ax = axes.pop()
        zs = [self._add_input_zeros(i, y, ax) for i in ins]
        if any(z is None for z in zs):
            return False
        self.set_out(y, ax, zs[0] & zs[1])
        return True

    # --- backward: dead channels ---------------------------------------------
    def _backward(self):
        ignored = {}  # activation name -> bool[channels]: every reader so far ignores it
        outputs = {o.name for o in self.graph.output}
        by_output = {l.y: l for l in self.layers}
        self.dead = {}

        def read(name, mask):
            if name in self.consts or not name:
                return
            prev = ignored.get(name, np.ones(self.nch(name), bool))
            ignored[name] = prev & mask

        def read_all(name):
            if name and name not in self.consts:
                read(name, np.zeros(self.nch(name), bool))

        for node in reversed(self.graph.node):
            outs = [o for o in node.output if o and o not in self.consts]
            if not outs:
                continue  # a constant
            for o in outs:
                d = ignored.get(o, np.ones(self.nch(o), bool))
                if o in outputs:
                    d = np.zeros_like(d)
                self.dead[o] = d
            y = outs[0]
            op = node.op_type
            if y in by_output and by_output[y].node is node:
                layer = by_output[y]
                layer.dout = self.dead[y]
                if layer.mapped:
                    read(layer.x, layer.ignored_in())
                else:
                    read_all(layer.x)
                for i in node.input[2:]:
                    read_all(i)  # a non-constant bias: read in full
            elif op in CHANNELWISE and self.caxis.get(y) is not None and \
                    self.caxis.get(node.input[0]) == self.caxis.get(y) and \
                    self.nch(node.input[0]) == self.nch(y):
                read(node.input[0], self.dead[y])
                for i in node.input[1:]:
                    read_all(i)
            elif op == "Flatten" and self.caxis.get(y) == 1 and \
                    self.caxis.get(node.input[0]) == 1:
                inner = math.prod(self.shape(node.input[0])[2:])
                read(node.input[0], self.dead[y].reshape(-1, inner).all(axis=1))
            elif op == "Add" and self.caxis.get(y) is not None:
                for i in node.input:
                    if i in self.consts:
                        continue
                    if self.shape(i) == self.shape(y) and self.caxis.get(i) == self.caxis[y]:
                        read(i, self.dead[y])
                    else:
                        read_all(i)
            else:
                for i in node.input:
                    read_all(i)

    # --- results --------------------------------------------------------------
    def summary(self):
        layers = [l.figures() for l in self.layers]
        total = {"layers": len(layers)}
        for f in FIELDS:
            if f != "uses":
                total[f] = sum(l[f] for l in layers)
        total["param_sparsity"] = total["zero_params"] / total["params"] if total["params"] else 0.0
        total["op_sparsity"] = total["saved_macs"] / total["macs"] if total["macs"] else 0.0
        total["layers_with_propagated_savings"] = sum(
            1 for l in layers if l["saved_macs_propagated"])
        return {"schema": "independent-count/1", "model": total, "layers": layers}


def load(path):
    return Model(onnx.load(path))


def compare(ours, report_path):
    with open(report_path) as f:
        report = json.load(f)
    rows = []
    theirs = {}
    for l in report.get("layers", []):
        if l["name"] in theirs:
            rows.append((l["name"], "name", "duplicate in report", ""))
        theirs[l["name"]] = l
    mine = {l["name"]: l for l in ours["layers"]}
    for name, l in mine.items():
        if name not in theirs:
            rows.append((name, "(layer)", "missing", "present"))
            continue
        for f in FIELDS:
            if theirs[name].get(f) != l[f]:
                rows.append((name, f, theirs[name].get(f), l[f]))
    for name in theirs:
        if name not in mine:
            rows.append((name, "(layer)", "present", "missing"))
    for f in MODEL_FIELDS:
        if report["model"].get(f) != ours["model"][f]:
            rows.append(("(model)", f, report["model"].get(f), ours["model"][f]))
    if report["model"].get("uncounted_layers"):
        rows.append(("(model)", "uncounted_layers", report["model"]["uncounted_layers"], 0))
    return rows


# --- self-test ----------------------------------------------------------------

def _tensor(name, array):
    return numpy_helper.from_array(np.asarray(array, np.float32), name)


def _graph_model(nodes, inputs, outputs, inits):
    g = onnx.helper.make_graph(
        nodes, "t",
        [onnx.helper.make_tensor_value_info(n, onnx.TensorProto.FLOAT, s) for n, s in inputs],
        [onnx.helper.make_tensor_value_info(n, onnx.TensorProto.FLOAT, None) for n in outputs],
        inits)
    return onnx.helper.make_model(g, opset_imports=[onnx.helper.make_opsetid("", 13)])


def self_test():
    failures = []

    def check(what, got, want):
        if got != want:
            failures.append(f"{what}: got {got}, want {want}")

    # Two 3x3 convs, pads 1, on 1x2x4x4. conv1 (3 filters, no bias) has an
    # all-zero filter 1 and one more zero; conv2 (2 filters) reads channel 1
    # (zero: propagated nothing, it is removable by reason 2) and its input
    # channel 2 is all zero in conv2's weight, so conv1's filter 2 is dead.
    w1 = np.arange(1, 3 * 2 * 9 + 1, dtype=np.float32).reshape(3, 2, 3, 3)
    w1[1] = 0
    w1[0, 0, 0, 0] = -0.0
    w2 = np.arange(1, 2 * 3 * 9 + 1, dtype=np.float32).reshape(2, 3, 3, 3)
    w2[:, 2] = 0
    w2[0, 0, 1, 1] = 0
    b2 = np.array([0.5, 0.0], np.float32)
    nodes = [
        onnx.helper.make_node("Conv", ["x", "w1"], ["c1"], "conv1", pads=[1, 1, 1, 1]),
        onnx.helper.make_node("Relu", ["c1"], ["r1"], "relu1"),
        onnx.helper.make_node("Conv", ["r1", "w2", "b2"], ["y"], "conv2", pads=[1, 1, 1, 1]),
    ]
    m = Model(_graph_model(nodes, [("x", [1, 2, 4, 4])], ["y"],
                           [_tensor("w1", w1), _tensor("w2", w2), _tensor("b2", b2)]))
    s = m.summary()
    l1, l2 = s["layers"]
    # conv1: 54 params, 18 + 1 zeros (filter 1 structured), uses 16; filter 2
    # (18 non-zeros) is dead -> propagated 18 * 16.
    check("conv1", [l1[k] for k in FIELDS],
          [54, 19, 16, 864, (19 + 18) * 16, 18 * 16, 1 * 16, 18 * 16])
    # conv2: 54 params; zeros: input channel 2 (18, structured) + 1; input
    # channel 1 is zero (conv1 filter 1, no bias, relu): its 18 elements are
    # non-zero and removable -> propagated 18 * 16.
    check("conv2", [l2[k] for k in FIELDS],
          [54, 19, 16, 864, (19 + 18) * 16, 18 * 16, 1 * 16, 18 * 16])
    check("conv2 out zero", list(m.zero["y"]), [False, False])
    check("relu1 dead", list(m.dead["r1"]), [False, False, True])
    check("layers with propagation", s["model"]["layers_with_propagated_savings"], 2)

    # Depthwise conv (group 3) with filter 0 zero and bias 0 at 0, then a
    # max pool with pads (blocks the zero channel) or without (carries it),
    # then Flatten, then Gemm (transB) whose columns 4..7 (= channel 1 of the
    # flattened [1, 3, 2, 2]) are zero: channel 1 is dead back to the
    # depthwise filter 1.
    wd = np.ones((3, 1, 3, 3), np.float32)
    wd[0] = 0
    bd = np.array([0.0, 1.0, 2.0], np.float32)
    wf = np.ones((5, 12), np.float32)
    wf[:, 4:8] = 0
    for pads, zero_carried in (([0, 0, 0, 0], True), ([1, 1, 1, 1], False)):
        k = 2 if pads[0] == 0 else 3
        nodes = [
            onnx.helper.make_node("Conv", ["x", "wd", "bd"], ["d"], "dw", group=3,
                                  pads=[1, 1, 1, 1]),
            onnx.helper.make_node("MaxPool", ["d"], ["p"], "pool", kernel_shape=[k, k],
                                  strides=[2, 2], pads=pads),
            onnx.helper.make_node("Flatten", ["p"], ["f"], "flat", axis=1),
            onnx.helper.make_node("Gemm", ["f", "wf"], ["y"], "fc", transB=1),
        ]
        m = Model(_graph_model(nodes, [("x", [1, 3, 4, 4])], ["y"],
                               [_tensor("wd", wd), _tensor("bd", bd), _tensor("wf", wf)]))
        s = m.summary()
        dw, fc = s["layers"]
        # dw: 27 params, filter 0 zero (structured 9); filter 1 dead
        # (propagated 9); uses 16.
        check(f"dw pads {pads}", [dw[k] for k in FIELDS],
              [27, 9, 16, 432, 18 * 16, 9 * 16, 0, 9 * 16])
        # fc: 60 params, 20 zero in 4 zero input columns (structured); uses 1;
        # with the zero channel carried, columns 0..3 are removable too.
        extra = 20 if zero_carried else 0
        check(f"fc pads {pads}", [fc[k] for k in FIELDS],
              [60, 20, 1, 60, 20 + extra, 20, 0, extra])

    # Residual Add: a zero channel survives only if zero in both inputs; dead
    # flows into both. Clip(0, 6) carries zeros, Clip(1, 6) does not.
    wa = np.ones((2, 2, 1, 1), np.float32)
    wa[0] = 0
    wb = np.ones((2, 2, 1, 1), np.float32)
    wb[0] = 0
    wb[1] = 0
    wc = np.ones((3, 2, 1, 1), np.float32)
    wc[:, 1] = 0  # channel 1 of the sum is dead
    for lo, carried in ((0.0, True), (1.0, False)):
        nodes = [
            onnx.helper.make_node("Constant", [], ["lo"], "k0",
                                  value=_tensor("lo", np.array(lo))),
            onnx.helper.make_node("Constant", [], ["hi"], "k1",
                                  value=_tensor("hi", np.array(6.0))),
            onnx.helper.make_node("Conv", ["x", "wa"], ["a"], "ca"),
            onnx.helper.make_node("Clip", ["a", "lo", "hi"], ["ac"], "clip"),
            onnx.helper.make_node("Conv", ["x", "wb"], ["b"], "cb"),
            onnx.helper.make_node("Add", ["ac", "b"], ["s"], "add"),
            onnx.helper.make_node("Conv", ["s", "wc"], ["y"], "cc"),
        ]
        m = Model(_graph_model(nodes, [("x", [1, 2, 3, 3])], ["y"],
                               [_tensor("wa", wa), _tensor("wb", wb), _tensor("wc", wc)]))
        s = {l["name"]: l for l in m.summary()["layers"]}
        check(f"clip lo={lo} zero", list(m.zero["s"]), [carried, False])
        # ca: filter 0 zero, filter 1 dead; cb: all zero.
        check(f"ca lo={lo}", [s["ca"][k] for k in FIELDS], [4, 2, 9, 36, 36, 18, 0, 18])
        check(f"cb lo={lo}", [s["cb"][k] for k in FIELDS], [4, 4, 9, 36, 36, 36, 0, 0])
        # cc: 6 params, 3 zero (input channel 1, structured); channel 0 of
        # the sum is zero only when the Clip carries it.
        check(f"cc lo={lo}", [s["cc"][k] for k in FIELDS],
              [6, 3, 9, 54, 54 if carried else 27, 27, 0, 27 if carried else 0])

    # Grouped conv (2 groups, 2 filters per group): M/G-slice 1 all zero in
    # both groups; uses = 2*2 output positions (stride 2 on 4x4, no pads).
    wg = np.ones((4, 2, 1, 1), np.float32)
    wg[1] = 0
    wg[3] = 0
    nodes = [onnx.helper.make_node("Conv", ["x", "wg"], ["y"], "g", group=2, strides=[2, 2])]
    m = Model(_graph_model(nodes, [("x", [1, 4, 4, 4])], ["y"], [_tensor("wg", wg)]))
    g = m.summary()["layers"][0]
    check("grouped", [g[k] for k in FIELDS], [8, 4, 4, 32, 16, 16, 0, 0])
    check("grouped zero out", list(m.zero["y"]), [False, True, False, True])

    # MatMul with a constant right operand on [2, 3, 4] x [4, 5]: 6 rows.
    wm = np.ones((4, 5), np.float32)
    wm[2] = 0
    nodes = [onnx.helper.make_node("MatMul", ["x", "wm"], ["y"], "mm")]
    m = Model(_graph_model(nodes, [("x", [2, 3, 4])], ["y"], [_tensor("wm", wm)]))
    mm = m.summary()["layers"][0]
    check("matmul", [mm[k] for k in FIELDS], [20, 5, 6, 120, 30, 30, 0, 0])

    # An output nobody reads is dead, and an unknown op reads everything.
    w = np.ones((2, 1, 1, 1), np.float32)
    nodes = [onnx.helper.make_node("Conv", ["x", "w"], ["c"], "c"),
             onnx.helper.make_node("Conv", ["x", "w"], ["unused"], "u"),
             onnx.helper.make_node("Sigmoid", ["c"], ["y"], "sig")]
    m = Model(_graph_model(nodes, [("x", [1, 1, 2, 2])], ["y"], [_tensor("w", w)]))
    s = {l["name"]: l for l in m.summary()["layers"]}
    check("read by unknown op", s["c"]["saved_macs"], 0)
    check("unread output", [s["u"][k] for k in FIELDS], [2, 0, 4, 8, 8, 0, 0, 8])

    if failures:
        print("self-test FAILED:\n  " + "\n  ".join(failures))
        return 1
    print("self-test passed")
    return 0


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("model", nargs="?", help="ONNX file")
    p.add_argument("--compare", metavar="REPORT.json",
                   help="sparsity-opt --sparsity-report JSON of the same model")
    p.add_argument("--self-test", action="store_true", help="check this script and exit")
    args = p.parse_args(argv)
    if args.self_test:
        return self_test()
    if not args.model:
        p.error("a model is required")
    ours = load(args.model).summary()
    if not args.compare:
        json.dump(ours, sys.stdout, indent=1)
        print()
        return 0
    rows = compare(ours, args.compare)
    t = ours["model"]
    print(f"{args.model}: {t['layers']} layers, s_param {t['param_sparsity']:.4f}, "
          f"s_op {t['op_sparsity']:.4f}, macs {t['macs']}, saved {t['saved_macs']} "
          f"(structured {t['saved_macs_structured']}, unstructured "
          f"{t['saved_macs_unstructured']}, propagated {t['saved_macs_propagated']}), "
          f"{t['layers_with_propagated_savings']} layers with propagated savings")
    if not rows:
        print("match: every layer and the totals agree")
        return 0
    print(f"MISMATCH: {len(rows)} difference(s)")
    print(f"{'layer':<50} {'field':<24} {'report':>16} {'independent':>16}")
    for name, field, theirs, mine in rows:
        print(f"{name:<50} {field:<24} {str(theirs):>16} {str(mine):>16}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
