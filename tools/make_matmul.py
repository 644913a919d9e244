#!/usr/bin/env python
"""One-MatMul ONNX graphs for measuring the machine's practical GEMM peak through onnxruntime.

fp32: Y[M,N] = MatMul(A[M,K] input, B[K,N] constant) — the form a transformer's projections take (constant
weights, which onnxruntime pre-packs). int8: Y = MatMulInteger(A uint8 input, B int8 constant), the kernel a
dynamically quantised model runs (u8 × s8, VNNI where the CPU has it).
Usage: tools/.venv/bin/python tools/make_matmul.py --dtype fp32 --m 2048 --k 2048 --n 2048 --out FILE.onnx
"""

import argparse

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def build(dtype: str, m: int, k: int, n: int) -> onnx.ModelProto:
    rng = np.random.default_rng(0)
    if dtype == "fp32":
        b = numpy_helper.from_array(rng.standard_normal((k, n), dtype=np.float32), "B")
        node = helper.make_node("MatMul", ["A", "B"], ["Y"])
        a = helper.make_tensor_value_info("A", TensorProto.FLOAT, [m, k])
        y = helper.make_tensor_value_info("Y", TensorProto.FLOAT, [m, n])
    else:
        b = numpy_helper.from_array(rng.integers(-127, 128, (k, n), dtype=np.int8), "B")
        node = helper.make_node("MatMulInteger", ["A", "B"], ["Y"])
        a = helper.make_tensor_value_info("A", TensorProto.UINT8, [m, k])
        y = helper.make_tensor_value_info("Y", TensorProto.INT32, [m, n])
    graph = helper.make_graph([node], f"matmul_{dtype}_{m}x{k}x{n}", [a], [y], [b])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)], producer_name="dpt-tools")
    model.ir_version = 9
    onnx.checker.check_model(model)
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dtype", choices=["fp32", "int8"], required=True)
    parser.add_argument("--m", type=int, default=2048)
    parser.add_argument("--k", type=int, default=2048)
    parser.add_argument("--n", type=int, default=2048)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    onnx.save(build(args.dtype, args.m, args.k, args.n), args.out)
    print(f"wrote {args.out}: {args.dtype} {args.m}x{args.k} @ {args.k}x{args.n}")


if __name__ == "__main__":
    main()
