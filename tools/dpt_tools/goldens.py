"""Golden outputs: the Python reference (isl-org semantics, from a card) and the Hugging Face processor path."""

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import torch
from PIL import Image, ImageOps
from transformers.modeling_outputs import DepthEstimatorOutput, SemanticSegmenterOutput
from transformers.models.dpt.image_processing_pil_dpt import DPTImageProcessorPil

from . import reference


@dataclass(frozen=True)
class Request:
    image: Path  # the test image
    stem: str
    out_dir: Path  # goldens/<set>/
    pfm: bool = False
    input_npy: bool = False


def _save_npy(path: Path, array: np.ndarray) -> None:
    with open(path, "wb") as f:
        np.save(f, np.ascontiguousarray(array), allow_pickle=False)


def _write_png(path: Path, pixels: np.ndarray) -> None:
    # Pixel values are the golden; the reference writes uncompressed PNGs, these are compressed to save bytes.
    if not cv2.imwrite(str(path), pixels, [cv2.IMWRITE_PNG_COMPRESSION, 9]):
        raise OSError(f"cannot write {path}")


def _run(model, pixel_values: np.ndarray) -> np.ndarray:
    with torch.no_grad():
        return model(torch.from_numpy(pixel_values)).numpy()


def _depth_files(req: Request, depth: np.ndarray, files: dict) -> dict:
    _save_npy(req.out_dir / f"{req.stem}.depth.npy", depth)
    _write_png(req.out_dir / f"{req.stem}.png", reference.depth_png16(depth))
    files.update(depth=f"{req.stem}.depth.npy", png16=f"{req.stem}.png")
    if req.pfm:
        (req.out_dir / f"{req.stem}.pfm").write_bytes(reference.pfm_bytes(depth))
        files["pfm"] = f"{req.stem}.pfm"
    return {"depthMin": float(depth.min()), "depthMax": float(depth.max())}


def reference_golden(req: Request, wrapper, session, card: dict) -> dict:
    """isl-org semantics: cv2 read, size rule, cv2 cubic, normalise, model, upsample all channels, write."""
    image = reference.read_image(str(req.image))
    height, width = image.shape[:2]
    pixel_values = reference.prepare_input(image, reference.Preprocess.from_card(card))
    files: dict = {}
    if req.input_npy:
        _save_npy(req.out_dir / f"{req.stem}.input.npy", pixel_values)
        files["input"] = f"{req.stem}.input.npy"
    raw = _run(wrapper, pixel_values)
    ort_raw = session.run(None, {"pixel_values": pixel_values})[0]
    mode = card["upsample"]
    entry = {"originalSize": [width, height], "inputSize": [pixel_values.shape[3], pixel_values.shape[2]]}
    if card["task"] == "depth":
        depth = reference.upsample(torch.from_numpy(raw)[:, None], height, width, mode)[0, 0].numpy()
        ort_depth = reference.upsample(torch.from_numpy(ort_raw)[:, None], height, width, mode)[0, 0].numpy()
        entry |= _depth_files(req, depth, files)
        entry["ortMaxAbsDiff"] = float(np.max(np.abs(ort_depth - depth)))
    else:
        labels = _reference_labels(raw, height, width, mode)
        _write_png(req.out_dir / f"{req.stem}.labels.png", labels)
        files["labels"] = f"{req.stem}.labels.png"
        entry["labelIds"] = "1..150 (class index + 1)"
        entry["ortLabelMismatches"] = int(np.count_nonzero(_reference_labels(ort_raw, height, width, mode) != labels))
    entry["files"] = files
    return entry


def _reference_labels(logits: np.ndarray, height: int, width: int, mode: str) -> np.ndarray:
    # All 150 logits are upsampled before the argmax (first index wins ties), then +1 -> ADE20K ids 1..150.
    up = reference.upsample(torch.from_numpy(logits), height, width, mode)
    return (torch.argmax(up, dim=1)[0] + 1).numpy().astype(np.uint8)


def load_rgb_uint8(path: Path) -> np.ndarray:
    """transformers' `load_image`: EXIF transpose, then PIL `convert("RGB")` (alpha dropped, grey replicated)."""
    with Image.open(path) as image:
        return np.asarray(ImageOps.exif_transpose(image).convert("RGB"))


def hf_golden(req: Request, model, session, preprocessor: dict, task: str) -> dict:
    """Hugging Face pipeline path: DPTImageProcessor (PIL backend) + model forward + the processor's post-processing."""
    processor = DPTImageProcessorPil(**{k: v for k, v in preprocessor.items() if k != "image_processor_type"})
    rgb = load_rgb_uint8(req.image)
    height, width = rgb.shape[:2]
    pixel_values = processor(images=rgb, return_tensors="np")["pixel_values"].astype(np.float32)
    files: dict = {}
    if req.input_npy:
        _save_npy(req.out_dir / f"{req.stem}.input.npy", pixel_values)
        files["input"] = f"{req.stem}.input.npy"
    with torch.no_grad():
        output = model(pixel_values=torch.from_numpy(pixel_values))
    ort_raw = torch.from_numpy(session.run(None, {"pixel_values": pixel_values})[0])
    entry = {"originalSize": [width, height], "inputSize": [pixel_values.shape[3], pixel_values.shape[2]]}
    if task == "depth":
        post = processor.post_process_depth_estimation
        depth = post(output, target_sizes=[(height, width)])[0]["predicted_depth"].reshape(height, width).numpy()
        ort_depth = post(DepthEstimatorOutput(predicted_depth=ort_raw), target_sizes=[(height, width)])[0]
        entry |= _depth_files(req, depth, files)
        entry["ortMaxAbsDiff"] = float(np.max(np.abs(ort_depth["predicted_depth"].reshape(height, width).numpy() - depth)))
    else:
        post = processor.post_process_semantic_segmentation
        labels = post(output, target_sizes=[(height, width)])[0].numpy().astype(np.uint8)
        ort_labels = post(SemanticSegmenterOutput(logits=ort_raw), target_sizes=[(height, width)])[0].numpy()
        _save_npy(req.out_dir / f"{req.stem}.labels.npy", labels)
        files["labels"] = f"{req.stem}.labels.npy"
        entry["labelIds"] = "0..149 (class index)"
        entry["ortLabelMismatches"] = int(np.count_nonzero(ort_labels != labels))
    entry["files"] = files
    return entry
