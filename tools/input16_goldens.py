#!/usr/bin/env python
"""16-bit input images and how the references read them (test/pipeline/sixteen-bit.test.ts).

Run with the tools venv (numpy, opencv-python-headless, pillow, transformers):
    tools/.venv/bin/python tools/input16_goldens.py

Writes test/fixtures/input16/, deterministically (fixed seed; the PNGs are written by the small encoder below, the
TIFFs by cv2.imwrite, both byte-stable):
- <name>.png / .tif   16-bit images: RGB, grey, RGBA and grey + alpha PNGs; RGB and grey TIFFs. Values cover the
  whole range, with runs below 256 (where Pillow's greyscale clip shows) and values whose low byte is >= 128
  (where the high byte and round(v / 257) differ).
- <name>.cv2.npy      cv2.imread(path) (IMREAD_COLOR, what isl-org's run scripts call), BGR -> RGB: uint8 H x W x 3.
- <name>.pil.npy      transformers' load_image: PIL exif_transpose, then convert("RGB"): uint8 H x W x 3.
- <name>.high-byte.npy  the raw 16-bit samples (alpha dropped, grey replicated) >> 8: what dpt reads by default.
- <name>.input.cv2-cubic.npy  the isl-org network input of the high-byte image: / 255.0, MiDaS size rule and
  cv2.resize(INTER_CUBIC) in float64, (x - 0.5) / 0.5, float32 NCHW (dpt_tools/reference.py) for CARD below.
- <name>.input.cv2-cubic.full.npy  the same from all 16 bits (/ 65535.0): dpt's --keep-16bit.
- <name>.input.pil-bilinear.npy  DPTImageProcessorPil (PREPROCESSOR below) on the high-byte image.
- <name>.<model>.depth.npy  end to end on the committed fixture graphs (test/fixtures/models), onnxruntime 1.30.0
  (1 thread, as tools/make_fixtures.py runs its PNG goldens): dpt-hybrid-tiny with its dpt-card.json (the reference
  path above at the card's 384 / x32, bicubic upsampling) and dpt-large-tiny without a card (DPTImageProcessorPil
  from its preprocessor_config.json, post_process_depth_estimation), both on the high-byte image; float32 H x W.
- manifest.json       per image: size, channels, and how each reader relates to the high byte (checked here).

What this found (cv2 5.0, Pillow 13): cv2.imread keeps the high byte of every 16-bit PNG and of grey TIFFs, but
rounds v / 257 for colour TIFFs; Pillow keeps the high byte of RGB and RGBA (PNG and TIFF) and of grey + alpha
PNGs, and clips plain 16-bit grey (mode I;16) to 0..255.
"""

import json
import struct
import sys
import zlib
from pathlib import Path

import cv2
import numpy as np
import torch
from PIL import Image, ImageOps
from transformers.modeling_outputs import DepthEstimatorOutput
from transformers.models.dpt.image_processing_pil_dpt import DPTImageProcessorPil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dpt_tools import reference  # noqa: E402
from dpt_tools.export import check_ort_version, ort_session  # noqa: E402

FIXTURES = Path(__file__).resolve().parent.parent / "test" / "fixtures"

OUT = FIXTURES / "input16"
WIDTH, HEIGHT = 30, 18
# Small, non-square network inputs (30x18 -> 32x16 by the card, 32x24 by the processor) keep the goldens small;
# the arithmetic is the families' own.
CARD = {"preprocess": {"height": 32, "width": 32, "keepAspect": True, "rule": "minimal", "multiple": 16,
                       "resize": "cv2-cubic", "mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5]}}
PREPROCESSOR = {"do_resize": True, "size": {"height": 24, "width": 32}, "resample": 2, "keep_aspect_ratio": False,
                "ensure_multiple_of": 1, "do_rescale": True, "rescale_factor": 1 / 255, "do_normalize": True,
                "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5]}


def samples(rng: np.random.Generator, channels: int) -> np.ndarray:
    """uint16 H x W x channels: a gradient, noise, a block of values below 256 and the extremes."""
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH]
    ramp = (x * 65535 // (WIDTH - 1)).astype(np.uint16)
    out = rng.integers(0, 65536, (HEIGHT, WIDTH, channels), dtype=np.uint16)
    out[: HEIGHT // 4] = ramp[: HEIGHT // 4, :, None]
    out[HEIGHT // 2 : HEIGHT // 2 + 3, : WIDTH // 2] = rng.integers(0, 256, (3, WIDTH // 2, channels), dtype=np.uint16)
    out[-1, 0], out[-1, 1], out[-1, 2] = 0, 65535, 0x80FF  # low byte >= 128: the high byte and round(v/257) differ
    return out


def png16(path: Path, pixels: np.ndarray) -> None:
    """A 16-bit PNG of any colour type (grey 0, RGB 2, grey + alpha 4, RGBA 6): one IDAT, no filter, level 9."""
    height, width, channels = pixels.shape
    colour_type = {1: 0, 3: 2, 2: 4, 4: 6}[channels]

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + pixels[r].astype(">u2").tobytes() for r in range(height))
    header = struct.pack(">IIBBBBB", width, height, 16, colour_type, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def tiff16(path: Path, pixels: np.ndarray) -> None:
    bgr = pixels[:, :, 0] if pixels.shape[2] == 1 else pixels[:, :, ::-1]
    if not cv2.imwrite(str(path), np.ascontiguousarray(bgr)):
        raise OSError(f"cannot write {path}")


def save(name: str, array: np.ndarray) -> None:
    with open(OUT / f"{name}.npy", "wb") as f:
        np.save(f, np.ascontiguousarray(array), allow_pickle=False)


def relation(read: np.ndarray, high: np.ndarray, raw3: np.ndarray) -> str:
    if np.array_equal(read, high):
        return "high byte"
    if np.array_equal(read, np.round(raw3 / 257.0).astype(np.uint8)):
        return "round(v / 257)"
    if np.array_equal(read, np.minimum(raw3, 255).astype(np.uint8)):
        return "clipped to 0..255"
    return "other"


def reference_depth(session, card: dict, high: np.ndarray) -> np.ndarray:
    """isl-org path on the committed graph: read as cv2 does, size rule + cv2 cubic, forward, bicubic upsampling."""
    pixel_values = reference.prepare_input(high.astype(np.float64) / 255.0, reference.Preprocess.from_card(card))
    prediction = torch.from_numpy(session.run(None, {"pixel_values": pixel_values})[0])[:, None]
    return reference.upsample(prediction, high.shape[0], high.shape[1], card["upsample"])[0, 0].numpy()


def hf_depth(session, preprocessor: dict, high: np.ndarray) -> np.ndarray:
    """Hugging Face path on the committed graph: the PIL processor, forward, post_process_depth_estimation."""
    processor = DPTImageProcessorPil(**{k: v for k, v in preprocessor.items() if k != "image_processor_type"})
    pixel_values = processor(images=high, return_tensors="np")["pixel_values"].astype(np.float32)
    output = DepthEstimatorOutput(predicted_depth=torch.from_numpy(session.run(None, {"pixel_values": pixel_values})[0]))
    depth = processor.post_process_depth_estimation(output, target_sizes=[high.shape[:2]])[0]["predicted_depth"]
    return depth.reshape(high.shape[:2]).numpy()


def main() -> None:
    check_ort_version()
    torch.set_num_threads(1)
    OUT.mkdir(parents=True, exist_ok=True)
    models = FIXTURES / "models"
    hybrid = ort_session(str(models / "dpt-hybrid-tiny" / "onnx" / "model.onnx"))
    hybrid_card = json.loads((models / "dpt-hybrid-tiny" / "dpt-card.json").read_text(encoding="utf-8"))
    large = ort_session(str(models / "dpt-large-tiny" / "onnx" / "model.onnx"))
    large_pre = json.loads((models / "dpt-large-tiny" / "preprocessor_config.json").read_text(encoding="utf-8"))
    rng = np.random.default_rng(20261202)
    images = [("rgb16", 3, "png"), ("grey16", 1, "png"), ("rgba16", 4, "png"), ("greya16", 2, "png"),
              ("rgb16", 3, "tif"), ("grey16", 1, "tif")]
    processor = DPTImageProcessorPil(**PREPROCESSOR)
    pre = reference.Preprocess.from_card(CARD)
    manifest = {"generator": "tools/input16_goldens.py", "card": CARD, "preprocessor": PREPROCESSOR, "images": {}}
    for stem, channels, ext in images:
        raw = samples(rng, channels)
        name = f"{stem}-{ext}"
        path = OUT / f"{name}.{ext}"
        (png16 if ext == "png" else tiff16)(path, raw)
        colour = raw[:, :, :3] if channels >= 3 else np.repeat(raw[:, :, :1], 3, axis=2)
        high = (colour >> 8).astype(np.uint8)
        cv2_read = cv2.imread(str(path))[:, :, ::-1]
        with Image.open(path) as image:
            pil_mode = image.mode
            pil_read = np.asarray(ImageOps.exif_transpose(image).convert("RGB"))
        save(f"{name}.cv2", cv2_read)
        save(f"{name}.pil", pil_read)
        save(f"{name}.high-byte", high)
        save(f"{name}.input.cv2-cubic", reference.prepare_input(high.astype(np.float64) / 255.0, pre))
        save(f"{name}.input.cv2-cubic.full", reference.prepare_input(colour.astype(np.float64) / 65535.0, pre))
        hf_input = processor(images=high, return_tensors="np")["pixel_values"].astype(np.float32)
        save(f"{name}.input.pil-bilinear", hf_input)
        save(f"{name}.dpt-hybrid-tiny.depth", reference_depth(hybrid, hybrid_card, high))
        save(f"{name}.dpt-large-tiny.depth", hf_depth(large, large_pre, high))
        manifest["images"][name] = {
            "file": path.name, "size": [WIDTH, HEIGHT], "channels": channels, "pilMode": pil_mode,
            "cv2": relation(cv2_read, high, colour), "pil": relation(pil_read, high, colour),
            "cv2MaxDiffFromHighByte": int(np.abs(cv2_read.astype(int) - high).max()),
        }
        print(name, manifest["images"][name])
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
