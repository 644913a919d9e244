#!/usr/bin/env python
"""FLOPs of an ONNX model per image: 2 x multiply-accumulates of Conv, ConvTranspose, MatMul and Gemm.

Shapes come from ONNX shape inference (with data propagation) on the graph with the input fixed to
[1, 3, H, W]; any shape it cannot resolve is measured by running onnxruntime once with those tensors as extra
outputs. Element-wise ops, norms, softmax and resizes are not counted (a few % of a DPT's total).
Usage: tools/.venv/bin/python tools/flops.py MODEL.onnx [--height 384 --width 384]
"""

import argparse
import json
import math
from collections import defaultdict

import numpy as np
import onnx
from onnx import shape_inference

COUNTED = ("Conv", "ConvTranspose", "MatMul", "Gemm")


def _fix_input(model: onnx.ModelProto, height: int, width: int) -> None:
    dims = model.graph.input[0].type.tensor_type.shape.dim
    for dim, value in zip(dims, (1, 3, height, width)):
        dim.ClearField("dim_param")
        dim.dim_value = value


def _known_shapes(model: onnx.ModelProto) -> dict[str, list[int]]:
    shapes = {}
    for value in list(model.graph.value_info) + list(model.graph.input) + list(model.graph.output):
        dims = value.type.tensor_type.shape.dim
        if dims and all(d.HasField("dim_value") for d in dims):
            shapes[value.name] = [d.dim_value for d in dims]
    for init in model.graph.initializer:
        shapes[init.name] = list(init.dims)
    return shapes


def _measure(model: onnx.ModelProto, names: list[str], height: int, width: int) -> dict[str, list[int]]:
    import onnxruntime as ort

    probe = onnx.ModelProto()
    probe.CopyFrom(model)
    del probe.graph.output[:]
    for name in names:
        probe.graph.output.append(onnx.helper.make_empty_tensor_value_info(name))
    session = ort.InferenceSession(probe.SerializeToString(), providers=["CPUExecutionProvider"])
    x = np.zeros((1, 3, height, width), dtype=np.float32)
    outputs = session.run(names, {model.graph.input[0].name: x})
    return {name: list(out.shape) for name, out in zip(names, outputs)}


def _macs(node: onnx.NodeProto, shape, attrs) -> int:
    if node.op_type == "Conv":
        w, y = shape(node.input[1]), shape(node.output[0])
        return math.prod(y) * math.prod(w[1:])  # each output: Cin/groups * kh * kw MACs
    if node.op_type == "ConvTranspose":
        x, w = shape(node.input[0]), shape(node.input[1])
        return math.prod(x) * math.prod(w[1:])  # each input element scatters into Cout/groups * kh * kw
    if node.op_type == "MatMul":
        a, y = shape(node.input[0]), shape(node.output[0])
        return math.prod(y) * a[-1]
    if node.op_type == "Gemm":
        a, y = shape(node.input[0]), shape(node.output[0])
        k = a[0] if attrs.get("transA", 0) else a[1]
        return math.prod(y) * k
    return 0


def count_flops(path: str, height: int, width: int) -> dict:
    model = onnx.load(path)
    _fix_input(model, height, width)
    inferred = shape_inference.infer_shapes(model, data_prop=True)
    shapes = _known_shapes(inferred)
    nodes = [n for n in model.graph.node if n.op_type in COUNTED]
    wanted = {name for n in nodes for name in (n.input[0], n.output[0], *(n.input[1:2] if n.op_type != "MatMul" else []))}
    missing = sorted(name for name in wanted if name not in shapes)
    if missing:
        shapes |= _measure(model, missing, height, width)
    by_op: dict[str, int] = defaultdict(int)
    for node in nodes:
        attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        by_op[node.op_type] += 2 * _macs(node, shapes.__getitem__, attrs)
    return {"total": sum(by_op.values()), "byOp": dict(by_op), "measuredShapes": len(missing)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("--height", type=int, default=384)
    parser.add_argument("--width", type=int, default=384)
    parser.add_argument("--json", action="store_true", help="print the counts as JSON (for test goldens)")
    args = parser.parse_args()
    result = count_flops(args.model, args.height, args.width)
    if args.json:
        print(json.dumps({"model": args.model, "width": args.width, "height": args.height, **result}, indent=2, sort_keys=True))
        return
    parts = ", ".join(f"{op} {v / 1e9:.2f}" for op, v in sorted(result["byOp"].items()))
    print(f"{result['total'] / 1e9:.2f} GFLOPs per {args.width}x{args.height} image ({parts})")


if __name__ == "__main__":
    main()
