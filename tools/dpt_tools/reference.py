"""The Python reference: isl-org DPT / MiDaS (and original Depth Anything V2) semantics, re-derived.

Reading, size rule, resize, normalisation, upsampling and the output files follow the original run scripts.
One deliberate difference: 16-bit images keep their precision (value / 65535) where `cv2.imread(path)` in the
original keeps their high byte: these goldens are dpt's `--keep-16bit` (its default, the high byte, has its own
goldens: tools/input16_goldens.py). For 8-bit images the two are the same.
"""

import sys
from dataclasses import dataclass

import cv2
import numpy as np
import torch
from PIL import Image

EXIF_ORIENTATION = 0x0112


def exif_orientation(path: str) -> int:
    with Image.open(path) as image:
        return int(image.getexif().get(EXIF_ORIENTATION, 1))


def apply_orientation(pixels: np.ndarray, orientation: int) -> np.ndarray:
    """EXIF orientation 1..8 -> upright pixels (what `cv2.imread(path)` and PIL `exif_transpose` do)."""
    transforms = {
        1: lambda a: a,
        2: lambda a: a[:, ::-1],
        3: lambda a: a[::-1, ::-1],
        4: lambda a: a[::-1],
        5: lambda a: a.swapaxes(0, 1),
        6: lambda a: np.rot90(a, -1),
        7: lambda a: a[::-1, ::-1].swapaxes(0, 1),
        8: lambda a: np.rot90(a, 1),
    }
    return np.ascontiguousarray(transforms.get(orientation, transforms[1])(pixels))


def read_image(path: str) -> np.ndarray:
    """RGB float64 H x W x 3 in [0, 1]: EXIF applied, grey -> 3 channels, alpha dropped (not composited)."""
    raw = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    if raw is None:
        raise ValueError(f"cannot decode {path}")
    raw = apply_orientation(raw, exif_orientation(path))
    if raw.ndim == 2:
        rgb = np.repeat(raw[:, :, None], 3, axis=2)
    elif raw.shape[2] == 1:
        rgb = np.repeat(raw, 3, axis=2)
    else:
        rgb = raw[:, :, 2::-1]  # BGR(A) -> RGB, alpha dropped
    full_scale = 65535.0 if raw.dtype == np.uint16 else 255.0
    return np.ascontiguousarray(rgb).astype(np.float64) / full_scale


def _constrain(x: float, multiple: int, min_val: int = 0, max_val: int | None = None) -> int:
    # np.round: round half to even, as MiDaS' Resize.constrain_to_multiple_of.
    y = int(np.round(x / multiple) * multiple)
    if max_val is not None and y > max_val:
        y = int(np.floor(x / multiple) * multiple)
    if y < min_val:
        y = int(np.ceil(x / multiple) * multiple)
    return y


def network_size(height: int, width: int, net_h: int, net_w: int, *, keep_aspect: bool, rule: str,
                 multiple: int) -> tuple[int, int]:
    """MiDaS `Resize.get_size`: (height, width) of the network input for an image of (height, width)."""
    scale_h = net_h / height
    scale_w = net_w / width
    if keep_aspect:
        if rule == "lower_bound":
            scale_h = scale_w = max(scale_h, scale_w)
        elif rule == "upper_bound":
            scale_h = scale_w = min(scale_h, scale_w)
        elif rule == "minimal":
            if abs(1 - scale_w) < abs(1 - scale_h):
                scale_h = scale_w
            else:
                scale_w = scale_h
        else:
            raise ValueError(f"unknown size rule {rule}")
    if rule == "lower_bound":
        return (_constrain(scale_h * height, multiple, min_val=net_h), _constrain(scale_w * width, multiple, min_val=net_w))
    if rule == "upper_bound":
        return (_constrain(scale_h * height, multiple, max_val=net_h), _constrain(scale_w * width, multiple, max_val=net_w))
    return _constrain(scale_h * height, multiple), _constrain(scale_w * width, multiple)


@dataclass(frozen=True)
class Preprocess:
    height: int
    width: int
    keep_aspect: bool
    rule: str
    multiple: int
    mean: tuple[float, float, float]
    std: tuple[float, float, float]

    @staticmethod
    def from_card(card: dict) -> "Preprocess":
        p = card["preprocess"]
        if p["resize"] != "cv2-cubic":
            raise ValueError("the Python reference implements the cv2-cubic kernel only")
        return Preprocess(p["height"], p["width"], p["keepAspect"], p["rule"], p["multiple"],
                          tuple(p["mean"]), tuple(p["std"]))


def prepare_input(image: np.ndarray, pre: Preprocess) -> np.ndarray:
    """Float image -> normalised float32 [1, 3, h, w] (MiDaS Resize + NormalizeImage + PrepareForNet)."""
    h, w = network_size(image.shape[0], image.shape[1], pre.height, pre.width,
                        keep_aspect=pre.keep_aspect, rule=pre.rule, multiple=pre.multiple)
    resized = cv2.resize(image, (w, h), interpolation=cv2.INTER_CUBIC)
    normalised = (resized - np.asarray(pre.mean)) / np.asarray(pre.std)
    return np.ascontiguousarray(normalised.transpose(2, 0, 1)).astype(np.float32)[None]


def upsample(prediction: torch.Tensor, height: int, width: int, mode: str) -> torch.Tensor:
    """[1, C, h, w] -> [1, C, height, width]; `bicubic` (DPT) or `bilinear-align-corners` (Depth Anything V2)."""
    if mode == "bicubic":
        return torch.nn.functional.interpolate(prediction, size=(height, width), mode="bicubic", align_corners=False)
    if mode == "bilinear-align-corners":
        return torch.nn.functional.interpolate(prediction, size=(height, width), mode="bilinear", align_corners=True)
    raise ValueError(f"unknown upsampling {mode}")


def depth_png16(depth: np.ndarray) -> np.ndarray:
    """DPT `write_depth(bits=2)`: 65535 * (d - min) / (max - min) in float32, truncated to uint16."""
    depth = depth.astype(np.float32)
    depth_min = depth.min()
    depth_max = depth.max()
    if depth_max - depth_min > np.finfo("float").eps:
        out = 65535 * (depth - depth_min) / (depth_max - depth_min)
    else:
        out = np.zeros(depth.shape, dtype=depth.dtype)
    return out.astype("uint16")


def pfm_bytes(depth: np.ndarray) -> bytes:
    """DPT `write_pfm`: "Pf", "W H", scale -1 (little-endian) as "%f", float32 rows bottom to top."""
    image = np.flipud(depth.astype(np.float32))
    scale = -1.0 if sys.byteorder == "little" else 1.0
    header = b"Pf\n" + b"%d %d\n" % (image.shape[1], image.shape[0]) + b"%f\n" % scale
    return header + image.astype("<f4").tobytes()
