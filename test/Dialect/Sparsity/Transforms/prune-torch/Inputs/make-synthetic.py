#!/usr/bin/python3
"""Writes two two-convolution ONNX models into DIR (argv[1]) for
check-prune-torch.test:

  ties.onnx  weights in {±0.1, ±0.2, ±0.3} (many exact ties in |w|) and three
             output channels of conv2 with the same L1 norm: torch and the pass
             may pick different weights among equal ones;
  odd.onnx   165 weights (0.5 * 165 = 82.5) and a 5-channel conv1
             (0.5 * 5 = 2.5): torch prunes round() = half to even (82, 2).
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def save(path, name, w1, w2):
    nodes = [
        helper.make_node("Conv", ["x", "w1"], ["a"], name="conv1",
                         pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["a"], ["b"], name="relu"),
        helper.make_node("Conv", ["b", "w2"], ["y"], name="conv2")]
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT,
                                       [1, w2.shape[0], 8, 8])],
        [numpy_helper.from_array(w1, "w1"), numpy_helper.from_array(w2, "w2")])
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 13)])
    onnx.checker.check_model(model)
    onnx.save(model, path)


out = sys.argv[1]
rng = np.random.default_rng(1)
w1 = (rng.integers(1, 4, (4, 3, 3, 3)) * rng.choice([-1, 1], (4, 3, 3, 3))
      * 0.1).astype(np.float32)
w2 = (rng.integers(1, 4, (6, 4, 1, 1)) * 0.1).astype(np.float32)
w2[1] = w2[0]
w2[3] = -w2[0]
save(f"{out}/ties.onnx", "ties", w1, w2)

rng = np.random.default_rng(0)
save(f"{out}/odd.onnx", "odd",
     rng.standard_normal((5, 3, 3, 3)).astype(np.float32),
     rng.standard_normal((6, 5, 1, 1)).astype(np.float32))
