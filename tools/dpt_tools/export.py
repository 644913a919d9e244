"""ONNX export of Hugging Face DPT / Depth Anything models with dynamic height and width.

Why a wrapper instead of the Hugging Face `forward`:
- `DPTForDepthEstimation` / `DPTForSemanticSegmentation` with a ViT or hybrid encoder call the neck without the
  token grid size, so the reassemble stage reshapes tokens into a sqrt(N) x sqrt(N) square: any non-square input
  fails. The wrapper runs the same sub-modules in the same order and passes the grid (H/16, W/16), which is what
  the isl-org reference does. For square inputs it is identical to the Hugging Face forward (checked on export).
- `DPTViTHybridEmbeddings.forward` raises unless the input is exactly `image_size` (384x384): `DPTModel` never
  passes `interpolate_pos_encoding=True`, although the embedding already resizes its position embeddings to any
  grid. The wrapper turns that flag on, so the hybrid graph runs at any multiple of 32.
- BiT's `DynamicPad2d` ("SAME" padding computed from the input size) makes torch.export's symbolic shapes blow up
  (nested ceil/max over every strided layer; the export ran for minutes, then crashed). For inputs divisible by the layer
  stride the SAME padding is a constant, so it is frozen to that constant during export. Every DPT size rule
  produces multiples of 32 and the exported height/width are declared as multiples of 32, so nothing changes.
- Depth Anything's head computes its output size with `int(patch_height * patch_size)`; `int()` on a symbolic size
  specialises it to the example input (the graph would always output the example size). During export the
  module's `int` passes symbolic sizes through unchanged.
"""

import contextlib
import functools
from dataclasses import dataclass

import numpy as np
import onnx
import torch
from torch import nn
from transformers.models.bit import modeling_bit
from transformers.models.depth_anything import modeling_depth_anything


class DptExport(nn.Module):
    """DPT (ViT or hybrid encoder) with depth or segmentation head: pixel_values [1,3,H,W] -> head output."""

    def __init__(self, model: nn.Module):
        super().__init__()
        self.model = model
        embeddings = model.dpt.embeddings
        if model.config.is_hybrid:
            embeddings.forward = functools.partial(type(embeddings).forward, embeddings, interpolate_pos_encoding=True)

    def forward(self, pixel_values: torch.Tensor) -> torch.Tensor:
        config = self.model.config
        grid_h = pixel_values.shape[2] // config.patch_size
        grid_w = pixel_values.shape[3] // config.patch_size
        outputs = self.model.dpt(pixel_values, output_hidden_states=True)
        layers = outputs.hidden_states[1:]  # hidden_states[0] is the embedding output
        if config.is_hybrid:
            # Hybrid: BiT stages 1 and 2 feed the first two fusion inputs; ViT layers the last two.
            wanted = config.backbone_out_indices[2:]
            features = list(outputs.intermediate_activations) + [f for i, f in enumerate(layers) if i in wanted]
        else:
            features = [f for i, f in enumerate(layers) if i in config.backbone_out_indices]
        fused = self.model.neck(features, grid_h, grid_w)
        return self.model.head(fused)


class DepthAnythingExport(nn.Module):
    def __init__(self, model: nn.Module):
        super().__init__()
        self.model = model

    def forward(self, pixel_values: torch.Tensor) -> torch.Tensor:
        return self.model(pixel_values).predicted_depth


def _frozen_same_pad(self, x: torch.Tensor) -> torch.Tensor:
    # TF SAME padding for an input divisible by the stride: total = (k - 1) * d + 1 - s, split low/high.
    pads = [max((k - 1) * d + 1 - s, 0) for k, s, d in zip(self.kernel_size, self.stride, self.dilation)]
    pad_h, pad_w = pads
    if pad_h > 0 or pad_w > 0:
        x = nn.functional.pad(x, [pad_w // 2, pad_w - pad_w // 2, pad_h // 2, pad_h - pad_h // 2], value=self.value)
    return x


def _int_keeping_symbols(value):
    return value if isinstance(value, torch.SymInt) else int(value)


@contextlib.contextmanager
def export_patches():
    """Patches active only while torch.export traces the model (see the module docstring)."""
    pad_forward = modeling_bit.DynamicPad2d.forward
    modeling_bit.DynamicPad2d.forward = _frozen_same_pad
    modeling_depth_anything.int = _int_keeping_symbols
    try:
        yield
    finally:
        modeling_bit.DynamicPad2d.forward = pad_forward
        del modeling_depth_anything.int


@dataclass(frozen=True)
class ExportSpec:
    output_name: str
    multiple: int  # height and width are exported as multiples of this (32 for DPT, 14 for Depth Anything)
    example_hw: tuple[int, int]  # non-square, so no dimension can be specialised by accident


def export_onnx(wrapper: nn.Module, spec: ExportSpec, path: str, opset: int = 18) -> None:
    wrapper.eval()
    example = torch.zeros(1, 3, *spec.example_hw)
    # The range only guides torch.export; ONNX carries no bounds. lower_bound on elongated images gets large.
    height = torch.export.Dim("height_blocks", min=1, max=16384 // spec.multiple)
    width = torch.export.Dim("width_blocks", min=1, max=16384 // spec.multiple)
    with export_patches(), torch.no_grad():
        program = torch.onnx.export(
            wrapper, (example,), None, input_names=["pixel_values"], output_names=[spec.output_name],
            opset_version=opset, dynamo=True, verbose=False,
            dynamic_shapes={"pixel_values": {2: spec.multiple * height, 3: spec.multiple * width}},
        )
    model = program.model_proto
    _clean(model, spec.output_name)
    size = model.ByteSize()
    if size < 1_900_000_000:
        onnx.save_model(model, path)
    else:
        onnx.save_model(model, path, save_as_external_data=True, all_tensors_to_one_file=True,
                        location=path.rsplit("/", 1)[-1] + "_data", size_threshold=1024)


def _clean(model: onnx.ModelProto, output_name: str) -> None:
    """Drop exporter debug metadata (the bulk of a tiny model's bytes) and name the dynamic axes plainly."""
    # Exporter metadata is also not byte-stable (graph range_constraints print a set in hash order).
    for item in [model, model.graph, *model.graph.node, *model.graph.input, *model.graph.output,
                 *model.graph.initializer]:
        del item.metadata_props[:]
    for node in model.graph.node:
        node.doc_string = ""
    del model.graph.value_info[:]
    model.doc_string = ""
    model.producer_name = "dpt-tools"
    model.producer_version = ""
    names = {}
    for value in list(model.graph.input) + list(model.graph.output):
        dims = value.type.tensor_type.shape.dim
        rank = len(dims)
        for axis, dim in enumerate(dims):
            if dim.HasField("dim_param"):
                label = "height" if axis == rank - 2 else "width" if axis == rank - 1 else f"dim{axis}"
                names.setdefault(dim.dim_param, label)
                dim.dim_param = names[dim.dim_param]


# The onnxruntime the Node binding of the CLI uses (onnxruntime-node in package.json); goldens whose forward runs
# on onnxruntime must come from the same version, so the pin in requirements.txt has to follow package-lock.json.
ORT_VERSION = "1.30.0"


def check_ort_version() -> str:
    import onnxruntime as ort

    if ort.__version__ != ORT_VERSION:
        raise SystemExit(f"onnxruntime {ort.__version__} installed, the goldens need {ORT_VERSION} (the version of "
                         f"onnxruntime-node): pip install -r tools/requirements.txt")
    return f"onnxruntime {ort.__version__}"


def ort_session(path: str, threads: int = 1):
    """CPU session as the CLI creates it: sequential, all graph optimisations, `threads` intra-op threads."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3  # errors only: fp16 graphs log a warning per node constant folding skips
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def max_abs_diff(path: str, wrapper: nn.Module, hw: tuple[int, int], seed: int = 1234, threads: int = 1) -> float:
    x = torch.randn(1, 3, *hw, generator=torch.Generator().manual_seed(seed))
    with torch.no_grad():
        expected = wrapper(x).numpy()
    got = ort_session(path, threads).run(None, {"pixel_values": x.numpy()})[0]
    if got.shape != expected.shape:
        raise AssertionError(f"ONNX output {got.shape} != torch {expected.shape} at {hw}")
    return float(np.max(np.abs(got - expected)))
