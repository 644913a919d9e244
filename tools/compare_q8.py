#!/usr/bin/env python
"""Paired speed and agreement of int8 graphs against their fp32 graph, on photographs (the figures in variants.py).

  compare_q8.py --fp32 DIR/onnx/model.onnx LABEL=FILE.onnx [LABEL=FILE.onnx ...] [--rounds 3] [--threads 2]

One process, dpt's session options (sequential, all graph optimisations, no spinning); every round runs each
session on the same inputs in alternating order, so a busy machine slows all of them alike and the per-run ratio
fp32 time / candidate time stays meaningful: the median of those ratios is reported. Inputs: the fixture
photographs the static calibration does not use (rocket, camera) at 384x672, 384x512 and 672x384 (DPT at 384/x32,
mean/std 0.5). Agreement with fp32 per input: Pearson correlation of the raw outputs, and AbsRel after a
least-squares scale and shift in disparity (the fp32 output as ground truth, depth capped at 80: bench:dtypes'
protocol). Also the op types of each candidate after onnxruntime's optimisations (what fused into QLinearConv).
CPU-heavy: minutes for a full-size model.
"""

import argparse
import collections
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dpt_tools.calibration import photo_input  # noqa: E402

PREPROCESSOR = {"image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5]}
INPUTS = [("rocket-exif6-96x144.jpg", (384, 672)), ("camera-grey-96x96.png", (384, 512)),
          ("rocket-exif6-96x144.jpg", (672, 384))]
SHOWN_OPS = ("Conv", "QLinearConv", "ConvInteger", "MatMul", "FusedMatMul", "MatMulInteger", "MatMulIntegerToFloat",
             "DynamicQuantizeMatMul", "QLinearMatMul", "QuantizeLinear", "DequantizeLinear")


def session(path: str, threads: int, optimised_to: str | None = None) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.log_severity_level = 3
    if optimised_to:
        options.optimized_model_filepath = optimised_to
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def agreement(reference: np.ndarray, variant: np.ndarray, cap: float = 80.0) -> tuple[float, float]:
    r, v = reference.astype(np.float64).ravel(), variant.astype(np.float64).ravel()
    correlation = float(np.corrcoef(r, v)[0, 1])
    valid = r / r.max() > 1 / cap
    target = r[valid] / r.max()  # ground-truth disparity; depth 1 / target is under the cap
    scale, shift = np.linalg.lstsq(np.stack([v[valid], np.ones(valid.sum())], 1), target, rcond=None)[0]
    depth = 1 / np.maximum(scale * v[valid] + shift, 1 / cap)
    return correlation, float(np.mean(np.abs(depth - 1 / target) * target))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fp32", required=True)
    parser.add_argument("candidates", nargs="+", help="LABEL=FILE.onnx")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    files = {"fp32": args.fp32, **dict(c.split("=", 1) for c in args.candidates)}
    sessions = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, path in files.items():
            optimised = None if label == "fp32" else str(Path(tmp) / f"{label}.onnx")
            sessions[label] = session(path, args.threads, optimised)
            if optimised:
                ops = collections.Counter(n.op_type for n in onnx.load(optimised, load_external_data=False).graph.node)
                print(f"{label}: after optimisation " + ", ".join(f"{o} {ops[o]}" for o in SHOWN_OPS if ops[o]))
    inputs = [(f"{name.split('-')[0]} {h}x{w}", photo_input(PREPROCESSOR, (h, w), name)) for name, (h, w) in INPUTS]
    times = collections.defaultdict(list)
    outputs = {}
    for round_ in range(args.rounds):
        order = list(files) if round_ % 2 == 0 else list(files)[::-1]
        for key, x in inputs:
            for label in order:
                started = time.perf_counter()
                outputs[label, key] = sessions[label].run(None, {"pixel_values": x})[0]
                times[label].append(time.perf_counter() - started)
        medians = ", ".join(f"{k} {statistics.median(times[k][-len(inputs):]):.2f} s" for k in files)
        print(f"round {round_ + 1}: {medians}", flush=True)
    for label in files:
        if label == "fp32":
            continue
        ratios = [a / b for a, b in zip(times["fp32"], times[label])]
        scores = [agreement(outputs["fp32", key], outputs[label, key]) for key, _ in inputs]
        print(f"{label}: {statistics.median(ratios):.2f}x fp32 (runs {min(ratios):.2f}-{max(ratios):.2f}); "
              + "; ".join(f"{key} correlation {c:.5f} AbsRel {a:.4f}" for (key, _), (c, a) in zip(inputs, scores)))


if __name__ == "__main__":
    main()
