#!/usr/bin/env python
"""Check the isl-org exporter against the isl-org DPT code itself, on random weights.

Builds DPTDepthModel / DPTSegmentationModel from the isl-org/DPT sources (given with --isl-org-src, e.g. extracted
with `git archive`; never copied into this repository) with random weights, saves its state dict as a .pt exactly as
isl-org checkpoints are stored, runs `export_model.py isl-org` on it, and compares the exported ONNX graphs with the
isl-org forward on random inputs at several sizes (square, landscape, portrait).

The isl-org code needs timm; its sources are only used for the architecture (pretrained=False). Install timm and the
torchvision it imports, without dependencies, into their own folder (the fixture venv stays as it is):
  tools/.venv/bin/pip install --no-deps --target ~/.cache/dpt-export/pylib-timm -r tools/requirements-isl-org.txt
timm 1.0.31 standardises BiT weights as (w - mean) / sqrt(var + 1e-8); the timm 0.4.5 that isl-org/DPT pins (and the
checkpoints were made with) uses (w - mean) / (std + 1e-5). The check patches timm's StdConv2dSame to 0.4.5's formula so
the reference is the one the real checkpoints expect (the exporter follows it too); --timm-current skips the patch.

Usage: tools/.venv/bin/python tools/check_isl_org.py --isl-org-src ~/.cache/dpt-export/isl-org-DPT \
         --variant hybrid --task depth [--work ~/.cache/dpt-export/check] [--dtypes fp32,fp16,q8]
"""

import argparse
import math
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import torch

TOOLS = Path(__file__).resolve().parent
sys.path.insert(0, str(TOOLS))

from dpt_tools.export import ort_session  # noqa: E402
from dpt_tools.init import center_final_relu, randomize  # noqa: E402
from dpt_tools.isl_org import METRIC, TASKS, VARIANTS  # noqa: E402
from dpt_tools.variants import VARIANT_FILES, parse_dtypes  # noqa: E402

BACKBONES = {"hybrid": "vitb_rn50_384", "large": "vitl16_384"}


def _timm045_std_conv_forward(self, x):
    # timm 0.4.5 layers/std_conv.py StdConv2dSame: biased std, eps added to the std.
    from timm.layers.padding import pad_same

    if self.same_pad:
        x = pad_same(x, self.kernel_size, self.stride, self.dilation)
    std, mean = torch.std_mean(self.weight, dim=[1, 2, 3], keepdim=True, unbiased=False)
    weight = (self.weight - mean) / (std + 1e-5)
    return torch.nn.functional.conv2d(x, weight, self.bias, self.stride, self.padding, self.dilation, self.groups)


def build_isl_org(variant: str, task: str, seed: int):
    from dpt.models import DPTDepthModel, DPTSegmentationModel

    backbone = BACKBONES[variant]
    if task == "ade20k":
        model = DPTSegmentationModel(150, path=None, backbone=backbone)
    elif task in METRIC:
        m = METRIC[task]
        model = DPTDepthModel(path=None, scale=m.scale, shift=m.shift, invert=True, backbone=backbone,
                              non_negative=True)
    else:
        model = DPTDepthModel(path=None, backbone=backbone, non_negative=True)
    model.eval()
    randomize(model, seed)
    with torch.no_grad():  # timm names them pos_embed / cls_token; give them unit noise as init.randomize does
        gen = torch.Generator().manual_seed(seed + 100)
        vit = model.pretrained.model
        vit.pos_embed.copy_(torch.randn(vit.pos_embed.shape, generator=gen))
        vit.cls_token.copy_(torch.randn(vit.cls_token.shape, generator=gen))
    if task != "ade20k":
        # Keep most of the depth map above the final ReLU (a mostly-zero map would compare nothing).
        conv = model.scratch.output_conv[4]
        captured = {}
        hook = conv.register_forward_hook(lambda _m, _i, out: captured.setdefault("out", out))
        with torch.no_grad():
            model(torch.randn(1, 3, 384, 384, generator=torch.Generator().manual_seed(seed + 1)))
        hook.remove()
        center_final_relu(conv, captured["out"], keep_positive=0.95)
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--isl-org-src", required=True, type=Path, help="folder holding isl-org/DPT's dpt/ package")
    parser.add_argument("--pylib", type=Path, default=Path("~/.cache/dpt-export/pylib-timm"),
                        help="folder with timm (see above); prepended to sys.path")
    parser.add_argument("--variant", default="hybrid", choices=VARIANTS)
    parser.add_argument("--task", default="depth", choices=TASKS)
    parser.add_argument("--work", type=Path, default=Path("~/.cache/dpt-export/check"))
    parser.add_argument("--dtypes", default="fp32,fp16,q8")
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--timm-current", action="store_true", help="do not patch timm to 0.4.5's standardisation")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    dtypes = parse_dtypes(args.dtypes)
    work = args.work.expanduser().resolve() / f"{args.variant}-{args.task}"
    work.mkdir(parents=True, exist_ok=True)
    sys.path[:0] = [str(args.isl_org_src.expanduser().resolve()), str(args.pylib.expanduser().resolve())]
    try:
        import timm
    except ImportError as error:
        raise SystemExit(f"timm is not importable ({error}); install it as the docstring says") from error
    if not args.timm_current:
        timm.layers.StdConv2dSame.forward = _timm045_std_conv_forward
    torch.set_num_threads(args.threads)

    started = time.time()
    model = build_isl_org(args.variant, args.task, args.seed)
    checkpoint = work / "random-isl-org.pt"
    torch.save(model.state_dict(), checkpoint)
    print(f"isl-org {args.variant} {args.task} (timm {timm.__version__}"
          f"{'' if args.timm_current else ', timm 0.4.5 weight standardisation'}): "
          f"{sum(p.numel() for p in model.parameters()) / 1e6:.1f} M parameters, random weights, saved {checkpoint} "
          f"in {time.time() - started:.1f}s", flush=True)

    out = work / "exported"
    command = [sys.executable, str(TOOLS / "export_model.py"), "isl-org", "--checkpoint", str(checkpoint),
               "--variant", args.variant, "--task", args.task, "--out", str(out), "--dtypes", ",".join(dtypes),
               "--force", "--threads", str(args.threads)]
    print("$ " + " ".join(command), flush=True)
    subprocess.run(command, check=True)

    sizes = {"depth": [(384, 384), (384, 512), (512, 288)], "ade20k": [(480, 480), (480, 640), (640, 480)],
             "kitti": [(352, 1216), (384, 384)], "nyu": [(480, 640), (384, 384)]}[args.task]
    worst = 0.0
    for hw in sizes:
        x = torch.randn(1, 3, *hw, generator=torch.Generator().manual_seed(hw[0] * 7 + hw[1]))
        with torch.no_grad():
            expected = model(x).numpy().astype(np.float64)
        span = float(expected.max() - expected.min())
        for dtype in dtypes:
            got = ort_session(str(out / "onnx" / VARIANT_FILES[dtype]), args.threads).run(
                None, {"pixel_values": x.numpy()})[0].astype(np.float64)
            if got.shape != expected.shape:
                raise SystemExit(f"{dtype} at {hw}: ONNX {got.shape} != isl-org {expected.shape}")
            diff = float(np.abs(got - expected).max())
            corr = float(np.corrcoef(got.ravel(), expected.ravel())[0, 1])
            if dtype == "fp32":
                worst = max(worst, diff / span if span > 0 else math.inf)
            print(f"  {dtype:>4} vs isl-org at {hw[1]}x{hw[0]} (WxH): max |diff| {diff:.3e}, output range "
                  f"{span:.4g} (relative {diff / span:.2e}), correlation {corr:.6f}", flush=True)
    verdict = "PASS" if worst < 1e-4 else "FAIL"
    print(f"{verdict}: fp32 ONNX vs the isl-org forward, worst {worst:.2e} of the output range (limit 1e-4)")
    if verdict == "FAIL":
        raise SystemExit(1)


if __name__ == "__main__":
    main()
