#!/usr/bin/env python
"""Convert a DPT checkpoint into a model folder dpt runs (transformers.js layout + dpt-card.json).

  export_model.py isl-org --checkpoint dpt_hybrid-midas-501f0c75.pt --variant hybrid --task depth --out DIR
  export_model.py hf --model Intel/dpt-hybrid-midas|FOLDER --out DIR [--card reference|hf]

Writes config.json, preprocessor_config.json, onnx/model.onnx (fp32, dynamic height/width as multiples of 32, or
14 for Depth Anything), onnx/model_fp16.onnx, onnx/model_quantized.onnx (q8), dpt-card.json with the reference
preprocessing of that checkpoint (REFERENCE.md section 2), and dpt-export.json (source, versions, checks). Each
variant is compared with the PyTorch model on a random input and on a fixture photograph; fp32 must agree to 1e-4 of
the output range, fp16 and q8 are reported (max difference and correlation), not failed. q8 is static int8 for the
convolutions (calibrated on the fixture photographs) and dynamic int8 for MatMul/Gemm; `--q8 dynamic` leaves the
convolutions float32 (see dpt_tools/variants.py). The folder is written under a temporary name
and renamed when complete. Register it with `dpt models import DIR`.
"""

import argparse
import hashlib
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dpt_tools import cards, isl_org  # noqa: E402
from dpt_tools.cards import write_json  # noqa: E402
from dpt_tools.export import DepthAnythingExport, DptExport, ExportSpec, check_ort_version, export_onnx  # noqa: E402
from dpt_tools.staging import staged_folder  # noqa: E402
from dpt_tools.calibration import CHECK_PHOTO, calibration_inputs, photo_input  # noqa: E402
from dpt_tools.variants import Q8_MODES, Q8_OPS, check_variants, parse_dtypes, write_variants  # noqa: E402

FP32_TOLERANCE = 1e-4  # of the output range


@dataclass
class Prepared:
    """Everything the folder writer needs, whatever the source."""
    name: str
    model: nn.Module  # the transformers model (config.json comes from it)
    wrapper: nn.Module  # what is exported: pixel_values -> output
    spec: ExportSpec
    preprocessor: dict
    card: dict | None
    check_hw: tuple[int, int]
    source: dict
    notes: list[str] = field(default_factory=list)
    hf_forward_hw: tuple[int, int] | None = None  # a size where the transformers forward itself runs (DPT: square)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def prepare_isl_org(args) -> Prepared:
    model, dropped, residual = isl_org.convert(str(args.checkpoint), args.variant, args.task)
    name = args.name or args.out.name
    notes = []
    if dropped:
        notes.append(f"dropped on purpose ({len(dropped)} keys): the timm ViT's ImageNet classifier, unused by DPT: "
                     + ", ".join(dropped))
    if args.variant == "hybrid":
        notes.append(f"BiT weight standardisation re-expressed to timm 0.4.5's (w-mean)/(std+1e-5); largest "
                     f"remaining difference of a standardised weight {residual:.1e}")
    wrapper = DptExport(model).eval()
    if args.task == "ade20k":
        card = cards.dpt_reference_card(name, segmentation=True)
        size = (480, 480)
        check_hw = (480, 640)
        notes.append("ADE20K: the auxiliary head (isl-org `auxlayer`) is mapped onto transformers' auxiliary head, "
                     "so every key is accounted for, but it is not in the exported graph (inference uses the main head)")
    elif args.task in isl_org.METRIC:
        metric = isl_org.METRIC[args.task]
        wrapper = isl_org.MetricDepth(wrapper, metric).eval()
        card = cards.dpt_metric_card(name, height=metric.height, width=metric.width, png_scale=metric.png_scale)
        size = (metric.height, metric.width)
        check_hw = size
        notes.append(f"{args.task.upper()}: output is depth in metres, 1 / max({metric.scale} * x + {metric.shift}, "
                     f"1e-8), computed inside the graph as isl-org does")
    else:
        card = cards.dpt_reference_card(name)
        size = (384, 384)
        check_hw = (384, 512)
    preprocessor = cards.keep_aspect_preprocessor(*size, 32, cards.DPT_MEAN, cards.DPT_STD)
    output = "logits" if args.task == "ade20k" else "predicted_depth"
    source = {"kind": "isl-org", "checkpoint": args.checkpoint.name, "sha256": _sha256(args.checkpoint),
              "variant": args.variant, "task": args.task}
    return Prepared(name, model, wrapper, ExportSpec(output, 32, (384, 512)), preprocessor, card, check_hw, source,
                    notes, hf_forward_hw=(384, 384))


HF_CLASSES = ("DPTForDepthEstimation", "DPTForSemanticSegmentation", "DepthAnythingForDepthEstimation")


def _labels(config) -> list[str]:
    from dpt_tools.ade20k import ADE20K_CLASSES

    if config.num_labels == len(ADE20K_CLASSES):
        return list(ADE20K_CLASSES)  # isl-org semantics: class k is ADE20K id k + 1
    return [config.id2label[i] for i in range(config.num_labels)]


def prepare_hf(args) -> Prepared:
    import transformers
    from transformers import AutoConfig
    from transformers.utils import cached_file

    config = AutoConfig.from_pretrained(args.model)
    arch = (config.architectures or [None])[0]
    if arch not in HF_CLASSES:
        raise SystemExit(f"{args.model}: config.json architectures {config.architectures} is not one of "
                         f"{', '.join(HF_CLASSES)}")
    if arch.startswith("DPT") and config.backbone_config is not None and not config.is_hybrid:
        raise SystemExit(f"{args.model}: DPT with a {config.backbone_config.model_type} backbone is not supported "
                         f"(only ViT and ViT-hybrid encoders)")
    model = getattr(transformers, arch).from_pretrained(args.model).eval()
    name = args.name or args.out.name
    notes = []
    pre_path = cached_file(args.model, "preprocessor_config.json", _raise_exceptions_for_missing_entries=False)
    depth_anything = arch.startswith("DepthAnything")
    segmentation = arch.endswith("SemanticSegmentation")
    if pre_path is not None:
        preprocessor = json.loads(Path(pre_path).read_text(encoding="utf-8"))
    else:
        preprocessor = cards.hf_depth_anything_preprocessor() if depth_anything else cards.hf_dpt_preprocessor(
            480 if segmentation else 384)
        notes.append("the source has no preprocessor_config.json: wrote the family's usual one")
    if depth_anything:
        wrapper = DepthAnythingExport(model).eval()
        spec = ExportSpec("predicted_depth", 14, (518, 700))
        card = cards.depth_anything_v2_card(name)
        if config.depth_estimation_type == "metric":
            card["semantics"] = "metric-depth"
        check_hw, hf_hw = (518, 700), (518, 700)
    else:
        wrapper = DptExport(model).eval()
        output = "logits" if segmentation else "predicted_depth"
        spec = ExportSpec(output, 32, (480, 640) if segmentation else (384, 512))
        card = cards.dpt_reference_card(name, segmentation=segmentation)
        if segmentation:
            card["labels"] = _labels(config)
        check_hw = spec.example_hw
        hf_hw = (config.image_size, config.image_size)
    if args.card == "hf":
        card = None
    source = {"kind": "hf", "model": str(args.model), "architecture": arch}
    return Prepared(name, model, wrapper, spec, preprocessor, card, check_hw, source, notes, hf_forward_hw=hf_hw)


def _hf_output(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    out = model(pixel_values=x)
    return out.logits if hasattr(out, "logits") and out.logits is not None else out.predicted_depth


def write_folder(prepared: Prepared, folder: Path, dtypes: list[str], q8_ops: list[str], q8_mode: str,
                 threads: int) -> dict:
    config = prepared.model.config.to_dict()
    config["architectures"] = [type(prepared.model).__name__]
    (folder / "config.json").write_text(json.dumps(config, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    write_json(folder / "preprocessor_config.json", prepared.preprocessor)
    if prepared.card is not None:
        write_json(folder / "dpt-card.json", prepared.card)
    onnx_dir = folder / "onnx"
    onnx_dir.mkdir()
    started = time.time()
    export_onnx(prepared.wrapper, prepared.spec, str(onnx_dir / "model.onnx"))
    print(f"exported fp32 in {time.time() - started:.1f}s", flush=True)
    started = time.time()
    calibration = calibration_inputs(prepared.preprocessor, prepared.spec.multiple) if q8_mode == "static" else None
    write_variants(onnx_dir, dtypes, q8_ops, q8_mode, calibration)
    if len(dtypes) > 1:
        print(f"wrote {', '.join(d for d in dtypes if d != 'fp32')} in {time.time() - started:.1f}s", flush=True)

    checks = check_variants(onnx_dir, dtypes, prepared.wrapper, prepared.check_hw, threads=threads)
    # A photograph too: static int8 is calibrated for photographs, and clips random normal values outside those ranges.
    photo = photo_input(prepared.preprocessor, prepared.check_hw)
    checks += check_variants(onnx_dir, dtypes, prepared.wrapper, prepared.check_hw, threads=threads, photo=photo,
                             photo_name=f"photo:{CHECK_PHOTO}")
    for check in checks:
        print("  " + check.line(), flush=True)
    for fp32 in (c for c in checks if c.dtype == "fp32"):
        if not fp32.relative < FP32_TOLERANCE:
            raise SystemExit(f"fp32 ONNX differs from PyTorch by {fp32.max_abs_diff:.3e} on the {fp32.input} input "
                             f"({fp32.relative:.2e} of the output range, limit {FP32_TOLERANCE:g}); nothing written")
    report = {"checks": [{"dtype": c.dtype, "input": c.input, "heightWidth": list(c.hw), "maxAbsDiff": c.max_abs_diff,
                          "outputRange": c.output_range, "correlation": c.correlation} for c in checks]}
    if prepared.hf_forward_hw is not None:
        # The export wrapper against the transformers forward itself, where that forward runs (DPT: square only).
        x = torch.randn(1, 3, *prepared.hf_forward_hw, generator=torch.Generator().manual_seed(7))
        with torch.no_grad():
            inner = prepared.wrapper.inner if isinstance(prepared.wrapper, isl_org.MetricDepth) else prepared.wrapper
            diff = float((inner(x) - _hf_output(prepared.model, x)).abs().max())
        print(f"  export wrapper vs transformers forward at {prepared.hf_forward_hw}: max |diff| {diff:.3e}")
        report["wrapperVsTransformers"] = {"heightWidth": list(prepared.hf_forward_hw), "maxAbsDiff": diff}
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="source", required=True)
    isl = sub.add_parser("isl-org", help="an isl-org/DPT .pt checkpoint")
    isl.add_argument("--checkpoint", required=True, type=Path)
    isl.add_argument("--variant", required=True, choices=isl_org.VARIANTS, help="hybrid: ViT-B/16 + ResNet-50; large: ViT-L/16")
    isl.add_argument("--task", required=True, choices=isl_org.TASKS)
    hf = sub.add_parser("hf", help="a Hugging Face model id or a save_pretrained folder")
    hf.add_argument("--model", required=True)
    hf.add_argument("--card", choices=["reference", "hf"], default="reference",
                    help="reference: dpt-card.json with the original preprocessing (default); hf: no card, dpt "
                         "follows preprocessor_config.json")
    for p in (isl, hf):
        p.add_argument("--out", required=True, type=Path)
        p.add_argument("--dtypes", default="fp32,fp16,q8", help="comma list of fp32, fp16, q8 (fp32 always)")
        p.add_argument("--q8", choices=Q8_MODES, default="dynamic",
                       help="dynamic (default): only --q8-ops, quantised per run; static: also the convolutions, "
                            "int8 with ranges calibrated on the fixture photographs (faster, less exact)")
        p.add_argument("--q8-ops", default=",".join(Q8_OPS),
                       help="op types quantised dynamically (default MatMul,Gemm)")
        p.add_argument("--name", help="model name in the card (default: the --out folder name)")
        p.add_argument("--force", action="store_true", help="replace an existing --out folder")
        p.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    try:
        dtypes = parse_dtypes(args.dtypes)
    except ValueError as error:
        parser.error(f"--dtypes: {error}")
    args.out = args.out.expanduser().resolve()
    repo = Path(__file__).resolve().parent.parent
    if args.out == repo or repo in args.out.parents:
        parser.error(f"--out {args.out} is inside the repository; exported models belong in a cache folder")
    if args.out.exists() and not args.force:
        parser.error(f"--out {args.out} exists; pass --force to replace it")
    print(check_ort_version(), flush=True)
    torch.set_num_threads(args.threads)

    started = time.time()
    try:
        prepared = prepare_isl_org(args) if args.source == "isl-org" else prepare_hf(args)
    except isl_org.MappingError as error:
        raise SystemExit(f"{args.checkpoint} does not match the isl-org DPT-{args.variant} {args.task} "
                         f"architecture: {error}") from error
    params = sum(p.numel() for p in prepared.model.parameters())
    print(f"{prepared.name}: {params / 1e6:.1f} M parameters, loaded in {time.time() - started:.1f}s", flush=True)
    for note in prepared.notes:
        print(f"  note: {note}")
    with staged_folder(args.out, args.force) as stage:
        report = write_folder(prepared, stage, dtypes, [o for o in args.q8_ops.split(",") if o], args.q8, args.threads)
        import onnxruntime
        import transformers

        write_json(stage / "dpt-export.json", {
            "source": prepared.source, "dtypes": dtypes, "q8": args.q8,
            "q8Ops": [o for o in args.q8_ops.split(",") if o],
            "dynamicHeightWidth": {"multiple": prepared.spec.multiple}, "notes": prepared.notes,
            "versions": {"torch": torch.__version__, "transformers": transformers.__version__,
                         "onnxruntime": onnxruntime.__version__},
            **report,
        })
    sizes = ", ".join(f"{f.name} {f.stat().st_size / 1e6:.1f} MB" for f in sorted((args.out / "onnx").iterdir()))
    print(f"wrote {args.out} ({sizes}) in {time.time() - started:.1f}s")
    print(f"register it with: dpt models import {args.out}")


if __name__ == "__main__":
    main()
