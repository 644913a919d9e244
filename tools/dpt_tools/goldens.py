"""Golden outputs: the Python reference (isl-org semantics, from a card) and the Hugging Face processor path.

Each image runs both network forwards through the same pre- and post-processing: PyTorch (the model) for the float
depth golden, onnxruntime (the exported ONNX graph, the version the CLI uses) for the 16-bit PNG, PFM and label
goldens; see `Forwards`.
"""

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


@dataclass(frozen=True)
class Forwards:
    """Which network forward each golden comes from (recorded per entry in the manifest as `forward`).

    The float depth (`depth.npy`) is the end-to-end reference on PyTorch. The goldens the tests compare exactly or
    within one step (16-bit PNG, label map; the PFM holds the float output's bytes) come from the same pre- and
    post-processing with the forward on onnxruntime, the runtime and graph the CLI uses: PyTorch and onnxruntime
    differ by up to ~1e-4, which moves a normalised 16-bit value by a few steps or flips a near-tie argmax.
    """

    torch: str  # e.g. "torch"
    ort: str  # e.g. "onnxruntime 1.30.0"

    def depth(self) -> dict:
        return {"depth": self.torch, "png16": self.ort, "pfm": self.ort}

    def segmentation(self) -> dict:
        return {"labels": self.ort}


def _depth_files(req: Request, depth: np.ndarray, ort_depth: np.ndarray, files: dict) -> dict:
    """depth.npy from the PyTorch forward; png16 and pfm from the onnxruntime forward (same post-processing)."""
    _save_npy(req.out_dir / f"{req.stem}.depth.npy", depth)
    _write_png(req.out_dir / f"{req.stem}.png", reference.depth_png16(ort_depth))
    files.update(depth=f"{req.stem}.depth.npy", png16=f"{req.stem}.png")
    if req.pfm:
        (req.out_dir / f"{req.stem}.pfm").write_bytes(reference.pfm_bytes(ort_depth))
        files["pfm"] = f"{req.stem}.pfm"
    return {
        "depthMin": float(depth.min()),
        "depthMax": float(depth.max()),
        "ortDepthMin": float(ort_depth.min()),
        "ortDepthMax": float(ort_depth.max()),
        "ortMaxAbsDiff": float(np.max(np.abs(ort_depth - depth))),
    }


def reference_golden(req: Request, wrapper, session, card: dict, forwards: Forwards) -> dict:
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
        depth = _reference_depth(raw, height, width, mode)
        ort_depth = _reference_depth(ort_raw, height, width, mode)
        entry |= _depth_files(req, depth, ort_depth, files)
        entry["forward"] = forwards.depth() if req.pfm else _without_pfm(forwards.depth())
    else:
        labels = _reference_labels(raw, height, width, mode)
        ort_labels = _reference_labels(ort_raw, height, width, mode)
        _write_png(req.out_dir / f"{req.stem}.labels.png", ort_labels)
        files["labels"] = f"{req.stem}.labels.png"
        entry["labelIds"] = "1..150 (class index + 1)"
        entry["ortLabelMismatches"] = int(np.count_nonzero(ort_labels != labels))
        entry["forward"] = forwards.segmentation()
    entry["files"] = files
    return entry


def _without_pfm(forward: dict) -> dict:
    return {k: v for k, v in forward.items() if k != "pfm"}


def _reference_depth(prediction: np.ndarray, height: int, width: int, mode: str) -> np.ndarray:
    return reference.upsample(torch.from_numpy(prediction)[:, None], height, width, mode)[0, 0].numpy()


def _reference_labels(logits: np.ndarray, height: int, width: int, mode: str) -> np.ndarray:
    # All 150 logits are upsampled before the argmax (first index wins ties), then +1 -> ADE20K ids 1..150.
    up = reference.upsample(torch.from_numpy(logits), height, width, mode)
    return (torch.argmax(up, dim=1)[0] + 1).numpy().astype(np.uint8)


def load_rgb_uint8(path: Path) -> np.ndarray:
    """transformers' `load_image`: EXIF transpose, then PIL `convert("RGB")` (alpha dropped, grey replicated)."""
    with Image.open(path) as image:
        return np.asarray(ImageOps.exif_transpose(image).convert("RGB"))


def hf_golden(req: Request, model, session, preprocessor: dict, task: str, forwards: Forwards) -> dict:
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
    ort_output_raw = torch.from_numpy(session.run(None, {"pixel_values": pixel_values})[0])
    entry = {"originalSize": [width, height], "inputSize": [pixel_values.shape[3], pixel_values.shape[2]]}
    target = [(height, width)]
    if task == "depth":
        post = processor.post_process_depth_estimation
        depth = post(output, target_sizes=target)[0]["predicted_depth"].reshape(height, width).numpy()
        ort_output = DepthEstimatorOutput(predicted_depth=ort_output_raw)
        ort_depth = post(ort_output, target_sizes=target)[0]["predicted_depth"].reshape(height, width).numpy()
        entry |= _depth_files(req, depth, ort_depth, files)
        entry["forward"] = forwards.depth() if req.pfm else _without_pfm(forwards.depth())
    else:
        post = processor.post_process_semantic_segmentation
        labels = post(output, target_sizes=target)[0].numpy().astype(np.uint8)
        ort_output = SemanticSegmenterOutput(logits=ort_output_raw)
        ort_labels = post(ort_output, target_sizes=target)[0].numpy().astype(np.uint8)
        _save_npy(req.out_dir / f"{req.stem}.labels.npy", ort_labels)
        files["labels"] = f"{req.stem}.labels.npy"
        entry["labelIds"] = "0..149 (class index)"
        entry["ortLabelMismatches"] = int(np.count_nonzero(ort_labels != labels))
        entry["forward"] = forwards.segmentation()
    entry["files"] = files
    return entry
