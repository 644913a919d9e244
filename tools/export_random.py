#!/usr/bin/env python
"""Export a FULL-SIZE DPT-family architecture with random weights to ONNX, for benchmarks.

Writes an HF-layout folder (config.json, preprocessor_config.json, dpt-card.json with reference semantics,
onnx/model.onnx) with dynamic height/width, plus onnx/model_fp16.onnx and onnx/model_quantized.onnx for
--dtypes fp16 / q8 (made from model.onnx as export_model.py makes them). Hundreds of MB: write it outside the
repository, e.g. ~/.cache/dpt-bench/<arch>. --from-existing keeps an existing model.onnx byte for byte and only
adds the variants (the weights are rebuilt from the seed to compare every variant with PyTorch).
Usage: tools/.venv/bin/python tools/export_random.py --arch dpt-hybrid --out ~/.cache/dpt-bench/dpt-hybrid
       tools/.venv/bin/python tools/export_random.py --arch dpt-hybrid --out ~/.cache/dpt-bench/dpt-hybrid \
         --dtypes fp16,q8 --from-existing
"""

import argparse
import os
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dpt_tools.calibration import calibration_inputs  # noqa: E402
from dpt_tools.variants import Q8_MODES, Q8_OPS, check_variants, parse_dtypes, write_variants  # noqa: E402
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
    parser.add_argument("--dtypes", default="fp32", help="comma list of fp32, fp16, q8 (fp32 is always there)")
    parser.add_argument("--q8", choices=Q8_MODES, default="dynamic",
                        help="dynamic (default): only --q8-ops, quantised per run; static: also the convolutions, "
                             "int8 with ranges calibrated on the fixture photographs (faster, less exact)")
    parser.add_argument("--q8-ops", default=",".join(Q8_OPS), help="op types quantised dynamically for q8")
    parser.add_argument("--from-existing", action="store_true",
                        help="keep the folder's onnx/model.onnx as it is; only write the fp16 / q8 variants")
    parser.add_argument("--no-verify", action="store_true", help="skip the onnxruntime vs torch comparison")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    out: Path = args.out.expanduser().resolve()
    repo = Path(__file__).resolve().parent.parent
    if out == repo or repo in out.parents:
        parser.error(f"--out {out} is inside the repository; full-size models belong in a cache folder")
    try:
        dtypes = parse_dtypes(args.dtypes)
    except ValueError as error:
        parser.error(f"--dtypes: {error}")
    onnx_path = out / "onnx" / "model.onnx"
    if args.from_existing and not onnx_path.is_file():
        parser.error(f"--from-existing: {onnx_path} does not exist")
    torch.set_num_threads(args.threads)
    spec = specs[args.arch]

    started = time.time()
    model, wrapper = instantiate(spec)
    params = sum(p.numel() for p in model.parameters())
    print(f"{spec.name}: {params / 1e6:.1f} M parameters (random weights), built in {time.time() - started:.1f}s",
          flush=True)
    started = time.time()
    if not args.from_existing:
        write_model_folder(spec, model, wrapper, out)
        print(f"exported {onnx_path} in {time.time() - started:.1f}s", flush=True)
    started = time.time()
    calibration = calibration_inputs(spec.preprocessor, spec.export.multiple) if args.q8 == "static" else None
    written = write_variants(onnx_path.parent, dtypes, [o for o in args.q8_ops.split(",") if o], args.q8, calibration)
    if written:
        print(f"wrote {', '.join(p.name for p in written)} in {time.time() - started:.1f}s", flush=True)
    print(f"folder {_folder_bytes(out) / 1e6:.1f} MB", flush=True)

    side = 384 if spec.export.multiple == 32 else 518
    if not args.no_verify:
        for check in check_variants(onnx_path.parent, dtypes, wrapper, (side, side), threads=args.threads):
            print("  " + check.line(), flush=True)
    flops = count_flops(str(onnx_path), side, side)
    print(f"{flops['total'] / 1e9:.1f} GFLOPs per {side}x{side} image (Conv/ConvTranspose/MatMul/Gemm)")


if __name__ == "__main__":
    main()
