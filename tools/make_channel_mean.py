"""Writes test/fixtures/models/channel-mean: a one-node ONNX depth "model" (mean over the 3 input channels).

Its output is computable by hand, so the pipeline tests (faults, resume, formats, worker counts) can check
values without a golden, and it runs in microseconds. The real-architecture fixtures come from make_fixtures.py.
"""
import json
from pathlib import Path

import onnx
from onnx import TensorProto, helper

OUT = Path(__file__).resolve().parent.parent / "test" / "fixtures" / "models" / "channel-mean"


def main() -> None:
    x = helper.make_tensor_value_info("pixel_values", TensorProto.FLOAT, [1, 3, "height", "width"])
    y = helper.make_tensor_value_info("predicted_depth", TensorProto.FLOAT, [1, "height", "width"])
    axes = helper.make_tensor("axes", TensorProto.INT64, [1], [1])
    node = helper.make_node("ReduceMean", ["pixel_values", "axes"], ["predicted_depth"], keepdims=0)
    model = helper.make_model(helper.make_graph([node], "channel_mean", [x], [y], initializer=[axes]),
                              opset_imports=[helper.make_opsetid("", 18)], producer_name="dpt-tools")
    model.ir_version = 9
    onnx.checker.check_model(model)
    (OUT / "onnx").mkdir(parents=True, exist_ok=True)
    onnx.save(model, OUT / "onnx" / "model.onnx")
    card = {
        "schema": "dpt-model-card/1", "name": "channel-mean", "task": "depth",
        "input": {"name": "pixel_values"}, "output": {"name": "predicted_depth"},
        "preprocess": {"height": 64, "width": 64, "keepAspect": True, "rule": "minimal", "multiple": 8,
                       "resize": "cv2-cubic", "mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5]},
        "upsample": "bicubic", "semantics": "relative-inverse-depth",
    }
    (OUT / "dpt-card.json").write_text(json.dumps(card, indent=2) + "\n")


if __name__ == "__main__":
    main()
