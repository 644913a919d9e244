"""Deterministic random weights that make a tiny model's output depend on its input in every part of the graph.

Hugging Face's `_init_weights` zeroes the position embeddings and CLS token and leaves norms at identity; with
those, the position-embedding resize would be untested and deep stacks shrink activations towards a constant.
Here every weight gets a fan-in scaled normal, every norm a perturbed affine, batch norms non-trivial running
statistics, and embeddings unit-scale noise. The last ReLU of a depth head gets a bias that keeps most of the
output positive (a mostly-zero depth map would make a weak golden).
"""

import math

import torch
from torch import nn


def randomize(model: nn.Module, seed: int) -> None:
    gen = torch.Generator().manual_seed(seed)

    def normal(t: torch.Tensor, std: float, mean: float = 0.0) -> None:
        t.copy_(torch.randn(t.shape, generator=gen, dtype=torch.float64).to(t.dtype) * std + mean)

    with torch.no_grad():
        for name, module in model.named_modules():
            if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
                w = module.weight
                fan_in = w.shape[1] * math.prod(w.shape[2:]) if w.dim() > 2 else w.shape[1]
                if isinstance(module, nn.ConvTranspose2d):
                    fan_in = w.shape[0] * math.prod(w.shape[2:]) // max(1, math.prod(module.stride))
                normal(w, math.sqrt(1.0 / fan_in))
                if module.bias is not None:
                    normal(module.bias, 0.1)
            elif isinstance(module, (nn.LayerNorm, nn.GroupNorm, nn.BatchNorm2d)):
                if module.weight is not None:
                    normal(module.weight, 0.1, 1.0)
                    normal(module.bias, 0.1)
                if isinstance(module, nn.BatchNorm2d):
                    normal(module.running_mean, 0.1)
                    module.running_var.copy_(0.5 + torch.rand(module.running_var.shape, generator=gen))
        for name, param in model.named_parameters():
            leaf = name.rsplit(".", 1)[-1]
            if leaf in ("position_embeddings", "cls_token", "mask_token"):
                normal(param, 1.0)
            elif leaf == "lambda1":  # DINOv2 layer scale
                normal(param, 0.1, 1.0)


def center_final_relu(final_conv: nn.Conv2d, pre_activation: torch.Tensor, keep_positive: float = 0.9) -> None:
    """Shift the bias of the conv before a head's last ReLU so that `keep_positive` of the outputs are > 0."""
    with torch.no_grad():
        values = pre_activation.flatten().double()
        k = max(1, int(round((1.0 - keep_positive) * values.numel())))
        threshold = values.kthvalue(k).values.item()
        final_conv.bias.sub_(threshold)
