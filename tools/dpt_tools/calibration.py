"""Calibration inputs for the static int8 variant: the committed fixture photographs as the network sees them.

Static quantisation fixes each activation's int8 range from a few forward passes; the ranges only have to cover
what photographs produce, so the three CC0 / public-domain photographs in test/fixtures/images (16:9 landscape,
4:3 landscape, 3:4 portrait) and their mirror images are enough, and keep `export_model.py` one offline command.
Each is resized (cv2 cubic, as the reference cards do) to the size a large photo of that aspect ratio reaches the
network: shorter side at the preprocessor's size, longer side rounded to the graph's multiple (384x672, 384x512 and
512x384 for DPT at 384 / x32), then normalised with the preprocessor's mean and std.
"""

from pathlib import Path

import cv2
import numpy as np

FIXTURES = Path(__file__).resolve().parents[2] / "test" / "fixtures" / "images"
PHOTOS = ("astronaut-200x113.png", "coffee-160x120.png", "chelsea-120x160.png")


def network_size(height: int, width: int, base: int, multiple: int) -> tuple[int, int]:
    """(height, width) of a photo whose shorter side is scaled to `base`, the longer one rounded to `multiple`."""
    scale = base / min(height, width)
    return tuple(max(multiple, int(round(side * scale / multiple)) * multiple) for side in (height, width))


def calibration_inputs(preprocessor: dict, multiple: int) -> list[np.ndarray]:
    """NCHW float32 tensors, two (photo and mirror image) per fixture photograph."""
    size = preprocessor["size"]
    base = min(size["height"], size["width"]) if "height" in size else size["shortest_edge"]
    mean = np.asarray(preprocessor["image_mean"], dtype=np.float32)
    std = np.asarray(preprocessor["image_std"], dtype=np.float32)
    tensors = []
    for name in PHOTOS:
        bgr = cv2.imread(str(FIXTURES / name), cv2.IMREAD_COLOR)
        if bgr is None:
            raise FileNotFoundError(f"calibration photograph {FIXTURES / name} is missing")
        rgb = bgr[:, :, ::-1].astype(np.float32) / 255.0
        height, width = network_size(*rgb.shape[:2], base, multiple)
        for image in (rgb, rgb[:, ::-1]):
            resized = cv2.resize(np.ascontiguousarray(image), (width, height), interpolation=cv2.INTER_CUBIC)
            normalised = (resized - mean) / std
            tensors.append(np.ascontiguousarray(normalised.transpose(2, 0, 1)[None], dtype=np.float32))
    return tensors


CHECK_PHOTO = "rocket-exif6-96x144.jpg"  # a photograph the calibration did not see


def photo_input(preprocessor: dict, hw: tuple[int, int], name: str = CHECK_PHOTO) -> np.ndarray:
    """One fixture photograph resized to exactly `hw` (aspect not kept) and normalised: the variant checks' realistic
    input, next to their random normal one (which static int8 clips: it leaves the calibrated ranges)."""
    bgr = cv2.imread(str(FIXTURES / name), cv2.IMREAD_COLOR)  # applies the EXIF orientation
    if bgr is None:
        raise FileNotFoundError(f"check photograph {FIXTURES / name} is missing")
    rgb = bgr[:, :, ::-1].astype(np.float32) / 255.0
    resized = cv2.resize(np.ascontiguousarray(rgb), (hw[1], hw[0]), interpolation=cv2.INTER_CUBIC)
    mean = np.asarray(preprocessor["image_mean"], dtype=np.float32)
    normalised = (resized - mean) / np.asarray(preprocessor["image_std"], dtype=np.float32)
    return np.ascontiguousarray(normalised.transpose(2, 0, 1)[None], dtype=np.float32)
