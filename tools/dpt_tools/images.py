"""Deterministic test images: small public-domain / CC0 photographs from scikit-image plus synthetic edge cases."""

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import skimage.data
from PIL import Image


@dataclass(frozen=True)
class TestImage:
    file: str
    source: str
    licence: str
    why: str


def _photo(name: str) -> Image.Image:
    return Image.fromarray(getattr(skimage.data, name)())


def _crop_resize(image: Image.Image, box: tuple[int, int, int, int], size: tuple[int, int]) -> Image.Image:
    return image.crop(box).resize(size, Image.Resampling.LANCZOS)


def _grid(h: int, w: int) -> tuple[np.ndarray, np.ndarray]:
    return np.mgrid[0:h, 0:w].astype(np.float64)


def _scene(h: int, w: int) -> np.ndarray:
    """A smooth RGB scene in [0, 1]: sky-to-ground gradient, a disc and a bar, so depth has structure."""
    y, x = _grid(h, w)
    v = y / max(h - 1, 1)
    u = x / max(w - 1, 1)
    rgb = np.stack([0.2 + 0.6 * v, 0.4 + 0.3 * u, 0.9 - 0.7 * v], axis=2)
    disc = (u - 0.35) ** 2 + (v - 0.45) ** 2 < 0.05
    rgb[disc] = [0.9, 0.3, 0.1]
    bar = (np.abs(u - 0.75) < 0.08) & (v > 0.3)
    rgb[bar] = [0.1, 0.6, 0.2]
    return np.clip(rgb, 0, 1)


def _u8(rgb: np.ndarray) -> np.ndarray:
    return np.round(rgb * 255).astype(np.uint8)


def _u16(rgb: np.ndarray) -> np.ndarray:
    return np.round(rgb * 65535).astype(np.uint16)


def _save_png(path: Path, pixels: np.ndarray) -> None:
    # cv2 writes BGR order; 16-bit arrays stay 16-bit. PNG output of cv2 is byte-deterministic.
    if pixels.ndim == 3 and pixels.shape[2] == 3:
        pixels = pixels[:, :, ::-1]
    elif pixels.ndim == 3 and pixels.shape[2] == 4:
        pixels = pixels[:, :, [2, 1, 0, 3]]
    if not cv2.imwrite(str(path), np.ascontiguousarray(pixels), [cv2.IMWRITE_PNG_COMPRESSION, 9]):
        raise OSError(f"cannot write {path}")


SKIMAGE = "scikit-image sample data (skimage.data)"

FILES = (
    "coffee-160x120.png", "chelsea-120x160.png", "astronaut-200x113.png", "camera-grey-96x96.png",
    "rocket-exif6-96x144.jpg", "rgba-64x48.png", "rgb16-80x60.png", "grey16-64x64.png", "half-even-96x36.png",
    "wide-400x24.png", "tall-16x200.png", "tiny-1x1.png",
)


def write_images(folder: Path) -> list[TestImage]:
    folder.mkdir(parents=True, exist_ok=True)
    images: list[TestImage] = []

    def add(file, source, licence, why):
        images.append(TestImage(file, source, licence, why))

    # Real photographs, downscaled with PIL Lanczos after a centre crop to the target aspect ratio.
    coffee = _crop_resize(_photo("coffee"), (33, 0, 567, 400), (160, 120))
    coffee.save(folder / "coffee-160x120.png", optimize=False)
    add("coffee-160x120.png", f"{SKIMAGE}: coffee.png, Rachel Michetti / Pikolo Espresso Bar", "CC0",
        "landscape 4:3 photo")

    chelsea = _crop_resize(_photo("chelsea"), (113, 0, 338, 300), (120, 160))
    chelsea.save(folder / "chelsea-120x160.png", optimize=False)
    add("chelsea-120x160.png", f"{SKIMAGE}: chelsea.png, Stefan van der Walt", "CC0", "portrait 3:4 photo")

    astronaut = _crop_resize(_photo("astronaut"), (0, 56, 512, 344), (200, 113))
    astronaut.save(folder / "astronaut-200x113.png", optimize=False)
    add("astronaut-200x113.png", f"{SKIMAGE}: astronaut.png, NASA (Eileen Collins)", "public domain",
        "16:9 photo")

    camera = _photo("camera").resize((96, 96), Image.Resampling.LANCZOS)
    camera.save(folder / "camera-grey-96x96.png", optimize=False)
    add("camera-grey-96x96.png", f"{SKIMAGE}: camera.png, Lav Varshney", "CC0",
        "8-bit greyscale PNG: decoded to 3 equal channels")

    # Stored landscape 144x96 with EXIF orientation 6 (rotate 90 degrees clockwise): displayed portrait 96x144.
    rocket = _photo("rocket").resize((144, 96), Image.Resampling.LANCZOS)
    exif = Image.Exif()
    exif[0x0112] = 6
    rocket.save(folder / "rocket-exif6-96x144.jpg", quality=95, subsampling=0, exif=exif.tobytes())
    add("rocket-exif6-96x144.jpg", f"{SKIMAGE}: rocket.jpg, SpaceX", "public domain",
        "JPEG (4:4:4, q95) stored 144x96 with EXIF orientation 6: upright size 96x144 (WxH)")

    # Synthetic edge cases.
    rgb = _u8(_scene(48, 64))
    y, x = _grid(48, 64)
    alpha = np.where(x < 16, 0, np.round(255 * (y / 47))).astype(np.uint8)
    _save_png(folder / "rgba-64x48.png", np.dstack([rgb, alpha]))
    add("rgba-64x48.png", "synthetic", "CC0", "RGBA with alpha 0 on the left quarter and a vertical alpha ramp: "
        "alpha must be dropped, colours kept (not composited)")

    scene16 = _scene(60, 80)
    y, x = _grid(60, 80)
    scene16 = np.clip(scene16 + 0.002 * np.sin(x * 1.7 + y * 0.9)[:, :, None], 0, 1)
    _save_png(folder / "rgb16-80x60.png", _u16(scene16))
    add("rgb16-80x60.png", "synthetic", "CC0",
        "16-bit RGB PNG with detail below 1/255: read as value/65535 (8-bit truncation would differ)")

    y, x = _grid(64, 64)
    grey16 = 0.5 + 0.45 * np.cos(np.hypot(x - 40, y - 24) / 6.0) * np.exp(-np.hypot(x - 32, y - 32) / 60)
    _save_png(folder / "grey16-64x64.png", _u16(grey16))
    add("grey16-64x64.png", "synthetic", "CC0", "16-bit greyscale PNG")

    _save_png(folder / "half-even-96x36.png", _u8(_scene(36, 96)))
    add("half-even-96x36.png", "synthetic", "CC0",
        "DPT 384/x32: width scale 4, height 36*4 = 144 = 4.5*32 -> round half to even -> 128 (Math.round: 160)")

    _save_png(folder / "wide-400x24.png", _u8(_scene(24, 400)))
    add("wide-400x24.png", "synthetic", "CC0",
        "very wide; DPT 384/x32 -> 384x32: shrinks the width (cv2 cubic has no anti-aliasing)")

    _save_png(folder / "tall-16x200.png", _u8(_scene(200, 16)))
    add("tall-16x200.png", "synthetic", "CC0", "very tall; DPT 384/x32 -> 32x384")

    _save_png(folder / "tiny-1x1.png", np.array([[[200, 120, 40]]], dtype=np.uint8))
    add("tiny-1x1.png", "synthetic", "CC0", "single pixel: constant depth, so the 16-bit PNG is all zeros")
    assert tuple(i.file for i in images) == FILES
    return images
