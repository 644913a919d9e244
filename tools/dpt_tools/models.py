"""The fixture and benchmark models: architecture, weights, export settings, card and preprocessor config."""

from dataclasses import dataclass, field
from typing import Callable

import torch
from torch import nn
from transformers import DepthAnythingForDepthEstimation, DPTForDepthEstimation, DPTForSemanticSegmentation

from . import cards, configs
from .export import DepthAnythingExport, DptExport, ExportSpec
from .init import center_final_relu, randomize


@dataclass(frozen=True)
class ModelSpec:
    name: str
    task: str  # "depth" | "segmentation"
    build: Callable[[], nn.Module]
    export: ExportSpec
    preprocessor: dict
    cards: dict = field(default_factory=dict)  # file name -> card
    seed: int = 0

    @property
    def family(self) -> str:
        return "depth-anything" if self.export.multiple == 14 else "dpt"

    def wrap(self, model: nn.Module) -> nn.Module:
        return (DepthAnythingExport if self.family == "depth-anything" else DptExport)(model).eval()


def _final_conv(model: nn.Module) -> nn.Conv2d:
    head = model.head
    return head.conv3 if hasattr(head, "conv3") else head.head[-2]


def instantiate(spec: ModelSpec) -> tuple[nn.Module, nn.Module]:
    """(Hugging Face model, export wrapper) with deterministic random weights."""
    torch.manual_seed(spec.seed)
    model = spec.build().eval()
    randomize(model, spec.seed)
    wrapper = spec.wrap(model)
    if spec.task == "depth":
        captured = {}
        conv = _final_conv(model)
        hook = conv.register_forward_hook(lambda _m, _i, out: captured.setdefault("out", out))
        sample = torch.randn(1, 3, *spec.export.example_hw, generator=torch.Generator().manual_seed(spec.seed + 1))
        with torch.no_grad():
            wrapper(sample)
        hook.remove()
        center_final_relu(conv, captured["out"], keep_positive=0.95)
    return model, wrapper


def tiny_specs() -> list[ModelSpec]:
    dpt_example = (384, 512)
    ade_example = (480, 640)
    return [
        ModelSpec(
            "dpt-hybrid-tiny", "depth", lambda: DPTForDepthEstimation(configs.dpt_hybrid(tiny=True)),
            ExportSpec("predicted_depth", 32, dpt_example), cards.hf_dpt_preprocessor(384),
            {"dpt-card.json": cards.dpt_reference_card("dpt-hybrid-tiny")}, seed=11,
        ),
        ModelSpec(
            "dpt-large-tiny", "depth", lambda: DPTForDepthEstimation(configs.dpt_large(tiny=True)),
            ExportSpec("predicted_depth", 32, dpt_example), cards.hf_dpt_preprocessor(384), seed=12,
        ),
        ModelSpec(
            "depth-anything-tiny", "depth",
            lambda: DepthAnythingForDepthEstimation(configs.depth_anything(tiny=True)),
            ExportSpec("predicted_depth", 14, (518, 700)), cards.hf_depth_anything_preprocessor(),
            {"dpt-card.original.json": cards.depth_anything_v2_card("depth-anything-tiny")}, seed=13,
        ),
        ModelSpec(
            "dpt-hybrid-ade-tiny", "segmentation",
            lambda: DPTForSemanticSegmentation(configs.dpt_hybrid(tiny=True, segmentation=True)),
            ExportSpec("logits", 32, ade_example), cards.hf_dpt_preprocessor(480),
            {"dpt-card.json": cards.dpt_reference_card("dpt-hybrid-ade-tiny", segmentation=True)}, seed=14,
        ),
        ModelSpec(
            "dpt-large-ade-tiny", "segmentation",
            lambda: DPTForSemanticSegmentation(configs.dpt_large(tiny=True, segmentation=True)),
            ExportSpec("logits", 32, ade_example), cards.hf_dpt_preprocessor(480), seed=15,
        ),
    ]


def full_size_specs() -> dict[str, ModelSpec]:
    """Benchmark architectures (random weights), each with a reference-semantics card."""
    dpt_example = (384, 512)
    return {
        "dpt-hybrid": ModelSpec(
            "dpt-hybrid", "depth", lambda: DPTForDepthEstimation(configs.dpt_hybrid(tiny=False)),
            ExportSpec("predicted_depth", 32, dpt_example), cards.hf_dpt_preprocessor(384),
            {"dpt-card.json": cards.dpt_reference_card("dpt-hybrid")}, seed=1,
        ),
        "dpt-large": ModelSpec(
            "dpt-large", "depth", lambda: DPTForDepthEstimation(configs.dpt_large(tiny=False)),
            ExportSpec("predicted_depth", 32, dpt_example), cards.hf_dpt_preprocessor(384),
            {"dpt-card.json": cards.dpt_reference_card("dpt-large")}, seed=2,
        ),
        "dpt-hybrid-ade": ModelSpec(
            "dpt-hybrid-ade", "segmentation",
            lambda: DPTForSemanticSegmentation(configs.dpt_hybrid(tiny=False, segmentation=True)),
            ExportSpec("logits", 32, (480, 640)), cards.hf_dpt_preprocessor(480),
            {"dpt-card.json": cards.dpt_reference_card("dpt-hybrid-ade", segmentation=True)}, seed=3,
        ),
        "dpt-large-ade": ModelSpec(
            "dpt-large-ade", "segmentation",
            lambda: DPTForSemanticSegmentation(configs.dpt_large(tiny=False, segmentation=True)),
            ExportSpec("logits", 32, (480, 640)), cards.hf_dpt_preprocessor(480),
            {"dpt-card.json": cards.dpt_reference_card("dpt-large-ade", segmentation=True)}, seed=4,
        ),
        "depth-anything-small": ModelSpec(
            "depth-anything-small", "depth",
            lambda: DepthAnythingForDepthEstimation(configs.depth_anything(tiny=False)),
            ExportSpec("predicted_depth", 14, (518, 700)), cards.hf_depth_anything_preprocessor(),
            {"dpt-card.json": cards.depth_anything_v2_card("depth-anything-small")}, seed=5,
        ),
    }
