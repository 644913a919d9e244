"""dpt model cards (src/model/card.ts, schema "dpt-model-card/1") and Hugging Face preprocessor configs."""

import json
from pathlib import Path

from .ade20k import ADE20K_CLASSES

DPT_MEAN = [0.5, 0.5, 0.5]
DPT_STD = [0.5, 0.5, 0.5]
IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]

PIL_BILINEAR = 2
PIL_BICUBIC = 3


def write_json(path: Path, value) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def card(*, name: str, task: str, size: int, rule: str, multiple: int, mean, std, upsample: str,
         output: str, keep_aspect: bool = True, resize: str = "cv2-cubic") -> dict:
    """A card with JSON keys exactly as the `ModelCard` interface declares them."""
    value = {
        "schema": "dpt-model-card/1",
        "name": name,
        "task": task,
        "input": {"name": "pixel_values"},
        "output": {"name": output},
        "preprocess": {
            "height": size, "width": size, "keepAspect": keep_aspect, "rule": rule, "multiple": multiple,
            "resize": resize, "mean": list(mean), "std": list(std),
        },
        "upsample": upsample,
    }
    if task == "depth":
        value["semantics"] = "relative-inverse-depth"
    else:
        value["labels"] = list(ADE20K_CLASSES)
    return value


def dpt_reference_card(name: str, *, segmentation: bool = False) -> dict:
    """isl-org DPT: 384 (ADE20K 480), keep aspect, `minimal`, x32, cv2 cubic, 0.5/0.5, bicubic upsampling."""
    return card(
        name=name, task="segmentation" if segmentation else "depth", size=480 if segmentation else 384,
        rule="minimal", multiple=32, mean=DPT_MEAN, std=DPT_STD, upsample="bicubic",
        output="logits" if segmentation else "predicted_depth",
    )


def dpt_metric_card(name: str, *, height: int, width: int, png_scale: float) -> dict:
    """isl-org KITTI / NYU fine-tunes: net size height x width, keep aspect, `minimal`, x32, cv2 cubic, 0.5/0.5,
    bicubic upsampling; the output is depth in metres (the model inverts inside), PNGs store metres x png_scale."""
    value = card(
        name=name, task="depth", size=height, rule="minimal", multiple=32, mean=DPT_MEAN, std=DPT_STD,
        upsample="bicubic", output="predicted_depth",
    )
    value["preprocess"]["width"] = width
    value["semantics"] = "metric-depth"
    value["metricPngScale"] = png_scale
    return value


def depth_anything_v2_card(name: str) -> dict:
    """Original Depth Anything V2: 518, keep aspect, `lower_bound`, x14, cv2 cubic, ImageNet, bilinear align-corners."""
    return card(
        name=name, task="depth", size=518, rule="lower_bound", multiple=14, mean=IMAGENET_MEAN,
        std=IMAGENET_STD, upsample="bilinear-align-corners", output="predicted_depth",
    )


def hf_dpt_preprocessor(size: int) -> dict:
    """As the Intel/* DPT ports ship it: square resize with PIL bilinear, 0.5/0.5."""
    return {
        "do_normalize": True,
        "do_pad": False,
        "do_rescale": True,
        "do_resize": True,
        "ensure_multiple_of": 1,
        "image_mean": DPT_MEAN,
        "image_processor_type": "DPTImageProcessor",
        "image_std": DPT_STD,
        "keep_aspect_ratio": False,
        "resample": PIL_BILINEAR,
        "rescale_factor": 1 / 255,
        "size": {"height": size, "width": size},
    }


def keep_aspect_preprocessor(height: int, width: int, multiple: int, mean, std) -> dict:
    """A Hugging Face processor config as close to a reference card as DPTImageProcessor gets (keep aspect, the
    `minimal` rule, PIL bicubic instead of cv2 cubic). dpt itself runs such folders by their dpt-card.json."""
    return {
        "do_normalize": True,
        "do_pad": False,
        "do_rescale": True,
        "do_resize": True,
        "ensure_multiple_of": multiple,
        "image_mean": list(mean),
        "image_processor_type": "DPTImageProcessor",
        "image_std": list(std),
        "keep_aspect_ratio": True,
        "resample": PIL_BICUBIC,
        "rescale_factor": 1 / 255,
        "size": {"height": height, "width": width},
    }


def hf_depth_anything_preprocessor() -> dict:
    """As the depth-anything/*-hf ports ship it: 518, keep aspect (`minimal`), x14, PIL bicubic, ImageNet."""
    return {
        "do_normalize": True,
        "do_pad": False,
        "do_rescale": True,
        "do_resize": True,
        "ensure_multiple_of": 14,
        "image_mean": IMAGENET_MEAN,
        "image_processor_type": "DPTImageProcessor",
        "image_std": IMAGENET_STD,
        "keep_aspect_ratio": True,
        "resample": PIL_BICUBIC,
        "rescale_factor": 1 / 255,
        "size": {"height": 518, "width": 518},
    }
