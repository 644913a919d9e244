"""isl-org/DPT checkpoints (.pt state dicts of `DPTDepthModel` / `DPTSegmentationModel`) -> transformers DPT models.

The key mapping is derived from the two codebases (isl-org `dpt/models.py`, `dpt/vit.py`, `dpt/blocks.py` on timm
0.4.5, which isl-org/DPT pins; transformers `modeling_dpt.py`, `modeling_bit.py`):

- `pretrained.model.*` is the timm ViT (hybrid: its `patch_embed.backbone` is the BiT ResNet-50 stem + 3 stages).
  timm fuses q, k and v in one `attn.qkv` linear (rows q | k | v); transformers keeps three linears.
- `pretrained.act_postprocess{k}` (readout projection `.0.project.0`, 1x1 conv `.3`, resampling conv `.4`) is
  transformers' reassemble stage k-1; the hybrid's first two are identities (BiT stages feed the fusion directly).
- `scratch.layer{k}_rn` are the neck convs k-1; `scratch.refinenet{k}` is fusion layer 4-k (the fusion runs from
  the deepest map up); `scratch.output_conv` is the head; `auxlayer` (ADE20K) is transformers' auxiliary head.
- Dropped on purpose: `pretrained.model.head.*`, the ImageNet classifier of the timm ViT that DPT never calls.
  Every other key must map, and every transformers key must be filled: anything else is an error listing the keys.

Numerics that differ between the two implementations and are made to follow isl-org:
- Weight standardisation of the BiT convolutions: timm 0.4.5 uses (w - mean) / (std + 1e-5); transformers uses
  (w - mean) / sqrt(var + 1e-8). The weights are re-expressed so transformers' formula yields timm 0.4.5's
  standardised weights (to float32 rounding): with v the timm-standardised weight, store c * v where
  c = sqrt(eps / (1 - var(v))), since then (c v) / sqrt(c^2 var(v) + eps) = v.
- ViT LayerNorm eps: timm 1e-6 (transformers' DPT default is 1e-12).
- KITTI / NYU models invert inside the isl-org model: depth = 1 / max(scale * x + shift, 1e-8) (`MetricDepth`).
"""

import re
from dataclasses import dataclass

import torch
from torch import nn
from transformers import DPTConfig, DPTForDepthEstimation, DPTForSemanticSegmentation
from transformers.models.bit.modeling_bit import WeightStandardizedConv2d

from . import configs

VARIANTS = ("hybrid", "large")
TASKS = ("depth", "ade20k", "kitti", "nyu")
TIMM_045_STD_EPS = 1e-5


@dataclass(frozen=True)
class Metric:
    """isl-org run_monodepth.py: the inversion constants, network size and 16-bit PNG scale of a metric fine-tune."""
    scale: float
    shift: float
    height: int
    width: int
    png_scale: float


METRIC = {
    "kitti": Metric(scale=0.00006016, shift=0.00579, height=352, width=1216, png_scale=256.0),
    "nyu": Metric(scale=0.000305, shift=0.1378, height=480, width=640, png_scale=1000.0),
}


class MetricDepth(nn.Module):
    """isl-org `DPTDepthModel(invert=True)`: relative inverse depth -> metres."""

    def __init__(self, inner: nn.Module, metric: Metric):
        super().__init__()
        self.inner = inner
        self.scale = metric.scale
        self.shift = metric.shift

    def forward(self, pixel_values: torch.Tensor) -> torch.Tensor:
        return 1.0 / torch.clamp(self.inner(pixel_values) * self.scale + self.shift, min=1e-8)


def hf_config(variant: str, task: str) -> DPTConfig:
    segmentation = task == "ade20k"
    build = configs.dpt_hybrid if variant == "hybrid" else configs.dpt_large
    config = build(tiny=False, segmentation=segmentation)
    config.layer_norm_eps = 1e-6  # timm ViT LayerNorm
    return config


def hf_model(variant: str, task: str) -> nn.Module:
    config = hf_config(variant, task)
    return (DPTForSemanticSegmentation if task == "ade20k" else DPTForDepthEstimation)(config).eval()


def load_checkpoint(path: str) -> dict[str, torch.Tensor]:
    state = torch.load(path, map_location="cpu", weights_only=True)
    if isinstance(state, dict) and "optimizer" in state:  # as isl-org BaseModel.load: training checkpoints nest it
        state = state["model"]
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise ValueError(f"{path} is not a state dict of tensors (an isl-org DPT .pt file)")
    return state


_VIT_BLOCK = {
    "norm1": "layernorm_before", "norm2": "layernorm_after", "attn.proj": "attention.output.dense",
    "mlp.fc1": "intermediate.dense", "mlp.fc2": "output.dense",
}


def _map_key(key: str, hybrid: bool) -> str | list[str] | None:
    """isl-org key -> transformers key (a list of three for the fused qkv), or None for a key dropped on purpose."""
    if m := re.fullmatch(r"pretrained\.model\.(.+)", key):
        rest = m[1]
        if rest.startswith("head."):
            return None
        if rest == "cls_token":
            return "dpt.embeddings.cls_token"
        if rest == "pos_embed":
            return "dpt.embeddings.position_embeddings"
        if m2 := re.fullmatch(r"patch_embed\.proj\.(weight|bias)", rest):
            return f"dpt.embeddings.projection.{m2[1]}" if hybrid else f"dpt.embeddings.patch_embeddings.projection.{m2[1]}"
        if m2 := re.fullmatch(r"patch_embed\.backbone\.stem\.(conv|norm)\.(.+)", rest):
            return f"dpt.embeddings.backbone.bit.embedder.{'convolution' if m2[1] == 'conv' else 'norm'}.{m2[2]}"
        if m2 := re.fullmatch(r"patch_embed\.backbone\.stages\.(\d+)\.blocks\.(\d+)\.(.+)", rest):
            return f"dpt.embeddings.backbone.bit.encoder.stages.{m2[1]}.layers.{m2[2]}.{m2[3]}"
        if m2 := re.fullmatch(r"blocks\.(\d+)\.attn\.qkv\.(weight|bias)", rest):
            base = f"dpt.encoder.layer.{m2[1]}.attention.attention"
            return [f"{base}.{part}.{m2[2]}" for part in ("query", "key", "value")]
        if m2 := re.fullmatch(r"blocks\.(\d+)\.(norm1|norm2|attn\.proj|mlp\.fc1|mlp\.fc2)\.(weight|bias)", rest):
            return f"dpt.encoder.layer.{m2[1]}.{_VIT_BLOCK[m2[2]]}.{m2[3]}"
        if m2 := re.fullmatch(r"norm\.(weight|bias)", rest):
            return f"dpt.layernorm.{m2[1]}"
        raise KeyError(key)
    if m := re.fullmatch(r"pretrained\.act_postprocess(\d)\.0\.project\.0\.(weight|bias)", key):
        return f"neck.reassemble_stage.readout_projects.{int(m[1]) - 1}.0.{m[2]}"
    if m := re.fullmatch(r"pretrained\.act_postprocess(\d)\.(3|4)\.(weight|bias)", key):
        part = "projection" if m[2] == "3" else "resize"
        return f"neck.reassemble_stage.layers.{int(m[1]) - 1}.{part}.{m[3]}"
    if m := re.fullmatch(r"scratch\.layer(\d)_rn\.weight", key):
        return f"neck.convs.{int(m[1]) - 1}.weight"
    if m := re.fullmatch(r"scratch\.refinenet(\d)\.(.+)", key):
        layer = f"neck.fusion_stage.layers.{4 - int(m[1])}"
        rest = m[2]
        if m2 := re.fullmatch(r"out_conv\.(weight|bias)", rest):
            return f"{layer}.projection.{m2[1]}"
        if m2 := re.fullmatch(r"resConfUnit(\d)\.conv(\d)\.(weight|bias)", rest):
            return f"{layer}.residual_layer{m2[1]}.convolution{m2[2]}.{m2[3]}"
        if m2 := re.fullmatch(r"resConfUnit(\d)\.bn(\d)\.(.+)", rest):
            return f"{layer}.residual_layer{m2[1]}.batch_norm{m2[2]}.{m2[3]}"
        raise KeyError(key)
    if m := re.fullmatch(r"scratch\.output_conv\.(\d+)\.(.+)", key):
        return f"head.head.{m[1]}.{m[2]}"
    if m := re.fullmatch(r"auxlayer\.(\d+)\.(.+)", key):
        return f"auxiliary_head.head.{m[1]}.{m[2]}"
    raise KeyError(key)


class MappingError(ValueError):
    pass


def convert_state_dict(state: dict[str, torch.Tensor], model: nn.Module) -> tuple[dict[str, torch.Tensor], list[str]]:
    """(transformers state dict, keys dropped on purpose). Raises MappingError listing every unmapped, unfilled or
    mis-shaped key (e.g. a Large checkpoint given as --variant hybrid)."""
    hybrid = model.config.is_hybrid
    target = model.state_dict()
    out: dict[str, torch.Tensor] = {}
    dropped, unknown, mismatched = [], [], []
    for key, value in state.items():
        try:
            mapped = _map_key(key, hybrid)
        except KeyError:
            unknown.append(key)
            continue
        if mapped is None:
            dropped.append(key)
            continue
        pieces = dict(zip(mapped, value.chunk(3, dim=0))) if isinstance(mapped, list) else {mapped: value}
        for name, tensor in pieces.items():
            if name not in target:
                unknown.append(f"{key} -> {name}")
            elif tuple(target[name].shape) != tuple(tensor.shape):
                mismatched.append(f"{key} {tuple(tensor.shape)} -> {name} {tuple(target[name].shape)}")
            else:
                out[name] = tensor.to(target[name].dtype)
    missing = [k for k in target if k not in out]
    problems = []
    if unknown:
        problems.append(f"{len(unknown)} checkpoint keys with no place in the model: " + ", ".join(unknown[:20]))
    if mismatched:
        problems.append(f"{len(mismatched)} shape mismatches: " + ", ".join(mismatched[:20]))
    if missing:
        problems.append(f"{len(missing)} model keys the checkpoint does not fill: " + ", ".join(missing[:20]))
    if problems:
        raise MappingError("; ".join(problems))
    return out, dropped


def _hf_standardised(conv: WeightStandardizedConv2d, weight: torch.Tensor) -> torch.Tensor:
    flat = weight.reshape(1, conv.out_channels, -1)
    return nn.functional.batch_norm(flat, None, None, training=True, momentum=0.0, eps=conv.eps).reshape_as(weight)


def follow_timm045_standardisation(model: nn.Module) -> float:
    """Re-express every BiT weight so transformers' standardisation gives timm 0.4.5's; returns the largest
    remaining difference between the two standardised weights (float32 rounding)."""
    worst = 0.0
    with torch.no_grad():
        for module in model.modules():
            if not isinstance(module, WeightStandardizedConv2d):
                continue
            w = module.weight.double()
            std, mean = torch.std_mean(w, dim=[1, 2, 3], keepdim=True, unbiased=False)
            v = (w - mean) / (std + TIMM_045_STD_EPS)
            var_v = v.var(dim=[1, 2, 3], keepdim=True, unbiased=False)
            c = torch.sqrt(module.eps / (1.0 - var_v))
            module.weight.copy_((c * v).to(module.weight.dtype))
            worst = max(worst, float((_hf_standardised(module, module.weight).double() - v).abs().max()))
    return worst


def convert(checkpoint: str, variant: str, task: str) -> tuple[nn.Module, list[str], float]:
    """(transformers model with the checkpoint's weights, dropped keys, standardisation residual)."""
    model = hf_model(variant, task)
    state, dropped = convert_state_dict(load_checkpoint(checkpoint), model)
    model.load_state_dict(state, strict=True)
    residual = follow_timm045_standardisation(model) if variant == "hybrid" else 0.0
    return model.eval(), dropped, residual
