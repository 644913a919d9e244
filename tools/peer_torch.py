#!/usr/bin/env python
"""The PyTorch peer of `npm run bench:peers`: the isl-org DPT run loop on the random-weight benchmark model.

Rebuilds the weights the benchmark ONNX was exported from (the same spec and seeded init as export_random.py),
checks the PyTorch output against the ONNX graph on the first photo, then runs the loop of isl-org DPT's
run_monodepth.py over every image of a folder: cv2.imread, BGR -> RGB, / 255, cv2 INTER_CUBIC to the size rule
(keep aspect, minimal, multiple of 32), normalise, forward, bicubic upsampling to the image size, 16-bit PNG
written as util/io.py write_depth does (no PFM: dpt's run it is compared with writes the PNG only).
One warm-up image first (untimed). Progress goes to stderr, one JSON summary line to stdout.
Usage: tools/.venv/bin/python tools/peer_torch.py --arch dpt-hybrid --model ~/.cache/dpt-bench/dpt-hybrid \
           --images ~/.cache/dpt-bench/photos-1920x1080-30 --out /tmp/torch-out --threads 2
"""

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

import cv2
import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dpt_tools.export import ORT_VERSION, ort_session  # noqa: E402
from dpt_tools.models import full_size_specs, instantiate  # noqa: E402
from dpt_tools.reference import depth_png16, network_size  # noqa: E402

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png"}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def read_image(path: Path) -> np.ndarray:
    """isl-org util/io.py read_image: 8-bit BGR (EXIF applied by cv2), grey -> BGR, RGB float64 in [0, 1]."""
    img = cv2.imread(str(path))
    if img is None:
        raise ValueError(f"cannot decode {path}")
    if img.ndim == 2:
        img = cv2.cvtColor(img, cv2.COLOR_GRAY2BGR)
    return cv2.cvtColor(img, cv2.COLOR_BGR2RGB) / 255.0


def prepare(img: np.ndarray, pre: dict) -> np.ndarray:
    """dpt/transforms.py Resize (cv2 INTER_CUBIC) + NormalizeImage + PrepareForNet, sized by the card's rule."""
    h, w = network_size(img.shape[0], img.shape[1], pre["height"], pre["width"], keep_aspect=pre["keepAspect"],
                        rule=pre["rule"], multiple=pre["multiple"])
    resized = cv2.resize(img, (w, h), interpolation=cv2.INTER_CUBIC)
    normalised = (resized - np.asarray(pre["mean"])) / np.asarray(pre["std"])
    return np.ascontiguousarray(np.transpose(normalised, (2, 0, 1)).astype(np.float32))[None]


def predict(forward, tensor: np.ndarray, height: int, width: int) -> tuple[np.ndarray, float, np.ndarray]:
    """(depth at the image size, forward milliseconds, network output): run_monodepth.py's compute block."""
    with torch.inference_mode():
        sample = torch.from_numpy(tensor)
        started = time.perf_counter()
        prediction = forward(sample)
        forward_ms = (time.perf_counter() - started) * 1000
        depth = torch.nn.functional.interpolate(prediction.unsqueeze(1), size=(height, width), mode="bicubic",
                                                align_corners=False).squeeze().numpy()
    return depth, forward_ms, prediction.numpy()


def write_png16(path: Path, depth: np.ndarray) -> None:
    # util/io.py write_depth(bits=2): the same formula, PNG compression 0 as the reference writes it.
    if not cv2.imwrite(str(path), depth_png16(depth), [cv2.IMWRITE_PNG_COMPRESSION, 0]):
        raise OSError(f"cannot write {path}")


def main() -> None:
    specs = full_size_specs()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arch", required=True, choices=sorted(n for n, s in specs.items() if s.task == "depth"))
    parser.add_argument("--model", required=True, type=Path, help="the exported folder (dpt-card.json, onnx/model.onnx)")
    parser.add_argument("--images", required=True, type=Path, help="folder of images, all processed in name order")
    parser.add_argument("--out", required=True, type=Path, help="folder for the 16-bit PNGs")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--no-check", action="store_true", help="skip the PyTorch vs ONNX comparison")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    card = json.loads((args.model / "dpt-card.json").read_text(encoding="utf-8"))
    pre = card["preprocess"]
    if pre["resize"] != "cv2-cubic" or card["upsample"] != "bicubic":
        raise SystemExit(f"{args.model}/dpt-card.json is not a reference DPT card (cv2-cubic, bicubic upsampling)")
    files = sorted(p for p in args.images.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
    if not files:
        raise SystemExit(f"no images in {args.images}")
    args.out.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    _model, wrapper = instantiate(specs[args.arch])
    build_s = time.perf_counter() - started
    log(f"torch {torch.__version__}: {args.arch} rebuilt (seed {specs[args.arch].seed}) in {build_s:.1f}s, "
        f"{args.threads} threads")

    # Warm-up on the first image, whose network output is also the one checked against the ONNX graph.
    img = read_image(files[0])
    tensor = prepare(img, pre)
    _depth, warmup_ms, output = predict(wrapper, tensor, img.shape[0], img.shape[1])
    check = None
    if not args.no_check:
        session = ort_session(str(args.model / "onnx" / "model.onnx"), args.threads)
        onnx_output = session.run([card["output"]["name"]], {card["input"]["name"]: tensor})[0]
        del session
        check = {
            "image": files[0].name,
            "inputSize": [tensor.shape[3], tensor.shape[2]],
            "maxAbsDiff": float(np.max(np.abs(onnx_output - output))),
            "outputRange": [float(output.min()), float(output.max())],
            "onnxruntime": ORT_VERSION,
        }
        log(f"max |torch - onnx| on {files[0].name} at {tensor.shape[3]}x{tensor.shape[2]}: {check['maxAbsDiff']:.3e} "
            f"(torch output {check['outputRange'][0]:.3g} .. {check['outputRange'][1]:.3g})")

    sizes: Counter = Counter()
    forward_ms = []
    started = time.perf_counter()
    for index, path in enumerate(files):
        img = read_image(path)
        tensor = prepare(img, pre)
        depth, ms, _ = predict(wrapper, tensor, img.shape[0], img.shape[1])
        write_png16(args.out / (path.stem + ".png"), depth)
        sizes[f"{tensor.shape[3]}x{tensor.shape[2]}"] += 1
        forward_ms.append(ms)
        log(f"  {index + 1}/{len(files)} {path.name}: forward {ms:.0f} ms")
    wall_s = time.perf_counter() - started

    print(json.dumps({
        "torch": torch.__version__,
        "threads": args.threads,
        "images": len(files),
        "wallSeconds": wall_s,
        "imagesPerSecond": len(files) / wall_s,
        "forwardMs": forward_ms,
        "warmupForwardMs": warmup_ms,
        "buildSeconds": build_s,
        "networkSizes": dict(sizes),
        "onnxCheck": check,
    }))


if __name__ == "__main__":
    main()
