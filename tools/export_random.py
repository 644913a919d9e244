#!/usr/bin/env python
"""Export a FULL-SIZE DPT-family architecture with random weights to ONNX, for benchmarks.

Writes an HF-layout folder (config.json, preprocessor_config.json, dpt-card.json with reference semantics,
onnx/model.onnx) with dynamic height/width. Hundreds of MB: write it outside the repository, e.g.
~/.cache/dpt-bench/<arch>.
Usage: tools/.venv/bin/python tools/export_random.py --arch dpt-hybrid --out ~/.cache/dpt-bench/dpt-hybrid
"""

import argparse
import os
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dpt_tools.export import max_abs_diff  # noqa: E402
from dpt_tools.folder import write_model_folder  # noqa: E402
from dpt_tools.models import full_size_specs, instantiate  # noqa: E402
from flops import count_flops  # noqa: E402


def _folder_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def main() -> None:
    specs = full_size_specs()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arch", required=True, choices=sorted(specs))
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--dtype", default="fp32", choices=["fp32"], help="only fp32 is exported")
    parser.add_argument("--no-verify", action="store_true", help="skip the onnxruntime vs torch comparison")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    out: Path = args.out.expanduser().resolve()
    repo = Path(__file__).resolve().parent.parent
    if out == repo or repo in out.parents:
        parser.error(f"--out {out} is inside the repository; full-size models belong in a cache folder")
    torch.set_num_threads(args.threads)
    spec = specs[args.arch]

    started = time.time()
    model, wrapper = instantiate(spec)
    params = sum(p.numel() for p in model.parameters())
    print(f"{spec.name}: {params / 1e6:.1f} M parameters (random weights), built in {time.time() - started:.1f}s",
          flush=True)
    started = time.time()
    onnx_path = write_model_folder(spec, model, wrapper, out)
    print(f"exported {onnx_path} in {time.time() - started:.1f}s; folder {_folder_bytes(out) / 1e6:.1f} MB", flush=True)

    side = 384 if spec.export.multiple == 32 else 518
    if not args.no_verify:
        diff = max_abs_diff(str(onnx_path), wrapper, (side, side), threads=args.threads)
        print(f"max |onnxruntime - torch| at {side}x{side}: {diff:.3e}", flush=True)
    flops = count_flops(str(onnx_path), side, side)
    print(f"{flops['total'] / 1e9:.1f} GFLOPs per {side}x{side} image (Conv/ConvTranspose/MatMul/Gemm)")


if __name__ == "__main__":
    main()
