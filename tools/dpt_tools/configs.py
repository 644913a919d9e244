"""transformers config objects for the DPT family: full-size (paper / Hugging Face hub values) and tiny fixtures.

Full-size values reproduce the hub configs of Intel/dpt-hybrid-midas, Intel/dpt-large, Intel/dpt-large-ade and
depth-anything/Depth-Anything-V2-Small-hf. Tiny configs keep every structural switch of their full-size
counterpart (hybrid BiT stem, readout "project", reassemble factors, batch norm in the segmentation fusion, ...)
and shrink only widths and depths.
"""

from transformers import DepthAnythingConfig, Dinov2Config, DPTConfig

from .ade20k import ADE20K_CLASSES


def _ade_labels() -> dict:
    return {
        "num_labels": len(ADE20K_CLASSES),
        "id2label": {i: name for i, name in enumerate(ADE20K_CLASSES)},
        "label2id": {name: i for i, name in enumerate(ADE20K_CLASSES)},
    }


def _bit(hidden_sizes, depths, embedding_size, num_groups) -> dict:
    # BiT-R50 stem + first three stages (output stride 16), TF "SAME" padding, as DPT-Hybrid uses it.
    return {
        "layer_type": "bottleneck",
        "global_padding": "same",
        "embedding_dynamic_padding": True,
        "depths": depths,
        "hidden_sizes": hidden_sizes,
        "embedding_size": embedding_size,
        "num_groups": num_groups,
        "out_features": ["stage1", "stage2", "stage3"],
    }


def dpt_hybrid(*, tiny: bool, segmentation: bool = False) -> DPTConfig:
    if tiny:
        size = dict(
            hidden_size=16, num_hidden_layers=4, num_attention_heads=2, intermediate_size=32,
            backbone_out_indices=[0, 1, 2, 3], neck_hidden_sizes=[16, 32, 16, 16], fusion_hidden_size=8,
            backbone_featmap_shape=[1, 64, 24, 24],
            backbone_config=_bit([16, 32, 64, 128], [1, 1, 1], embedding_size=8, num_groups=4),
        )
    else:
        size = dict(
            hidden_size=768, num_hidden_layers=12, num_attention_heads=12, intermediate_size=3072,
            backbone_out_indices=[2, 5, 8, 11], neck_hidden_sizes=[256, 512, 768, 768], fusion_hidden_size=256,
            backbone_featmap_shape=[1, 1024, 24, 24],
            backbone_config=_bit([256, 512, 1024, 2048], [3, 4, 9], embedding_size=64, num_groups=32),
        )
    extra = _ade_labels() | {"use_batch_norm_in_fusion_residual": True} if segmentation else {}
    return DPTConfig(
        is_hybrid=True, image_size=384, patch_size=16, readout_type="project",
        reassemble_factors=[1, 1, 1, 0.5], **size, **extra,
    )


def dpt_large(*, tiny: bool, segmentation: bool = False) -> DPTConfig:
    if tiny:
        size = dict(
            hidden_size=16, num_hidden_layers=4, num_attention_heads=2, intermediate_size=32,
            backbone_out_indices=[0, 1, 2, 3], neck_hidden_sizes=[8, 16, 16, 16], fusion_hidden_size=8,
        )
    else:
        size = dict(
            hidden_size=1024, num_hidden_layers=24, num_attention_heads=16, intermediate_size=4096,
            backbone_out_indices=[5, 11, 17, 23], neck_hidden_sizes=[256, 512, 1024, 1024], fusion_hidden_size=256,
        )
    extra = _ade_labels() | {"use_batch_norm_in_fusion_residual": True} if segmentation else {}
    return DPTConfig(
        is_hybrid=False, image_size=384, patch_size=16, readout_type="project",
        reassemble_factors=[4, 2, 1, 0.5], **size, **extra,
    )


def depth_anything(*, tiny: bool) -> DepthAnythingConfig:
    if tiny:
        backbone = Dinov2Config(
            image_size=518, patch_size=14, hidden_size=16, num_hidden_layers=4, num_attention_heads=2, mlp_ratio=2,
            out_indices=[1, 2, 3, 4], reshape_hidden_states=False, apply_layernorm=True,
        )
        head = dict(reassemble_hidden_size=16, neck_hidden_sizes=[8, 16, 16, 16], fusion_hidden_size=8)
    else:
        # Depth Anything V2 Small: ViT-S/14 DINOv2, intermediate layers 2, 5, 8, 11 (0-based).
        backbone = Dinov2Config(
            image_size=518, patch_size=14, hidden_size=384, num_hidden_layers=12, num_attention_heads=6, mlp_ratio=4,
            out_indices=[3, 6, 9, 12], reshape_hidden_states=False, apply_layernorm=True,
        )
        head = dict(reassemble_hidden_size=384, neck_hidden_sizes=[48, 96, 192, 384], fusion_hidden_size=64)
    return DepthAnythingConfig(
        backbone_config=backbone, patch_size=14, reassemble_factors=[4, 2, 1, 0.5], head_hidden_size=32,
        depth_estimation_type="relative", **head,
    )
