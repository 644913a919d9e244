"""fp16 and int8 variants of an exported fp32 graph, and how far each one is from the PyTorch model.

File names follow transformers.js (what `src/model/locate.ts` reads): onnx/model.onnx (fp32),
onnx/model_fp16.onnx, onnx/model_quantized.onnx (dtype `q8`).

- fp16: onnxruntime's maintained converter (`onnxruntime.transformers.float16`) with `keep_io_types=True`, so the
  graph still takes and returns float32 (`src/model/bind.ts` insists on float32 tensors; the CLI feeds the same
  input for every dtype). Ops without a float16 kernel on the CPU execution provider get Cast nodes from
  onnxruntime itself when the session is created; on CPU this variant is for size, not speed.
- q8, two modes (`export_model.py --q8`):
  - `dynamic` (default): `quantize_dynamic` on MatMul/Gemm with constant weights (every ViT linear layer), weights
    QInt8, activations quantised per run to uint8 (U8S8). onnxruntime's quantisation docs name U8S8 the fast x86-64
    path (VPMADDUBSW; VPDPBUSD on AVX512-VNNI) and U8U8 the fallback for CPUs *without* VNNI, where U8S8 can
    saturate; this machine and the targets have VNNI. Convolutions stay float32 (`q8_ops` can add "Conv", but
    onnxruntime 1.30's ConvInteger made DPT-Hybrid's convolutions 3.6x slower than float32).
  - `static`: the convolutions quantised statically, then MatMul/Gemm dynamically as above. The graph is first
    constant-folded (BiT's weight standardisation is computed inside the graph, so 51 of DPT-Hybrid's 81 Conv
    weights are not initializers until then), then `quantize_static` in QDQ format: weights QInt8 per output
    channel (symmetric), activations QUInt8 asymmetric with MinMax ranges from the fixture photographs
    (calibration.py), no reduce_range (VNNI). onnxruntime fuses every DequantizeLinear -> Conv -> QuantizeLinear
    into QLinearConv (u8s8): all 81 convolutions of DPT-Hybrid, none left in float32.

  Measured on the full-size random-weight DPT-Hybrid (EPYC, AVX-512 VNNI, onnxruntime 1.30, 2 threads, dpt's
  session options, the machine busy: paired runs alternating in one process, median ratio over 384x672, 384x512
  and 672x384 inputs): dynamic 1.34x the fp32 speed; static 2.60x (1.88x dynamic); static convolutions *and*
  MatMuls (QLinearMatMul, QLinearSoftmax) 2.24x; static convolutions outside the ResNet backbone only 2.22x.
  Agreement is why static is not the default. Against fp32, on photographs the calibration did not see, the
  dynamic q8 correlates 0.9989-0.9993 (AbsRel 0.036-0.044 after scale-and-shift in disparity); static 0.71-0.86
  (AbsRel 0.35-0.40). Random weights exaggerate this (that fp32 graph itself falls to 0.93 under input noise of
  sd 0.0023, what rounding the input to 8 bits adds; each static convolution on its own keeps an SQNR of 33 dB at
  the median, 28 dB at worst, each dynamic MatMul 36 dB), but the tiny DPT-Hybrid, which is not that sensitive (0.999
  under the same noise), still drops to 0.974 static against 0.9998 dynamic. The bar for a default q8 is 0.99,
  what the dynamic q8 clears everywhere: static is the option to validate on trained weights, not the default.
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnx
import torch

from .export import ort_session

VARIANT_FILES = {"fp32": "model.onnx", "fp16": "model_fp16.onnx", "q8": "model_quantized.onnx"}
DTYPES = tuple(VARIANT_FILES)
Q8_OPS = ["MatMul", "Gemm"]
Q8_MODES = ("static", "dynamic")


def parse_dtypes(text: str) -> list[str]:
    """`fp32,fp16,q8` -> ordered unique list; fp32 always comes first because the others derive from it."""
    wanted = [t.strip() for t in text.split(",") if t.strip()]
    unknown = [t for t in wanted if t not in VARIANT_FILES]
    if unknown or not wanted:
        raise ValueError(f"expected a comma list of {', '.join(DTYPES)}, got {text!r}")
    return [d for d in DTYPES if d in wanted or d == "fp32"]


def write_fp16(fp32_path: Path, out_path: Path) -> None:
    from onnxruntime.transformers.float16 import convert_float_to_float16

    model = onnx.load_model(str(fp32_path))
    converted = convert_float_to_float16(model, keep_io_types=True)
    onnx.save_model(converted, str(out_path))


def write_q8(fp32_path: Path, out_path: Path, ops: list[str] = Q8_OPS) -> None:
    """The dynamic-only q8: `ops` quantised dynamically (weights QInt8 per tensor, activations uint8 per run)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        str(fp32_path), str(out_path), weight_type=QuantType.QInt8, op_types_to_quantize=list(ops),
        per_channel=False, reduce_range=False, extra_options={"MatMulConstBOnly": True},
    )


class _Feed:
    """onnxruntime's CalibrationDataReader protocol over a list of input tensors."""

    def __init__(self, input_name: str, tensors: list[np.ndarray]):
        self._feeds = iter([{input_name: t} for t in tensors])

    def get_next(self):
        return next(self._feeds, None)


def fold_constants(fp32_path: Path, out_path: Path) -> None:
    """The graph after onnxruntime's basic (ONNX-standard) rewrites, saved: constant subgraphs become initializers.
    BiT's StdConv2d standardises its weights inside the graph (a training-mode BatchNormalization per conv), so
    before this 51 of DPT-Hybrid's 81 Conv weights are not constants and the quantiser would skip those convs."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
    options.optimized_model_filepath = str(out_path)
    options.log_severity_level = 3
    ort.InferenceSession(str(fp32_path), options, providers=["CPUExecutionProvider"])


def write_q8_static(fp32_path: Path, out_path: Path, calibration: list[np.ndarray], input_name: str = "pixel_values",
                    ops: list[str] = Q8_OPS) -> None:
    """Convolutions static QDQ (calibrated on `calibration`), then `ops` (MatMul/Gemm) dynamic; see the module doc."""
    import tempfile

    from onnxruntime.quantization import CalibrationMethod, QuantFormat, QuantType, quantize_static

    with tempfile.TemporaryDirectory(prefix=".q8-", dir=out_path.parent) as tmp:
        folded, convs = Path(tmp) / "folded.onnx", Path(tmp) / "convs.onnx"
        fold_constants(fp32_path, folded)
        quantize_static(
            str(folded), str(convs), _Feed(input_name, calibration), quant_format=QuantFormat.QDQ,
            op_types_to_quantize=["Conv"], per_channel=True, reduce_range=False,
            activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8, calibrate_method=CalibrationMethod.MinMax,
            extra_options={"ActivationSymmetric": False, "WeightSymmetric": True},
        )
        write_q8(convs, out_path, ops)


def write_variants(onnx_dir: Path, dtypes: list[str], q8_ops: list[str] = Q8_OPS, q8_mode: str = "dynamic",
                   calibration: list[np.ndarray] | None = None) -> list[Path]:
    """Derive the requested non-fp32 variants from onnx_dir/model.onnx; returns the files written. Each file is
    written under a temporary name and renamed, so a reader (a running benchmark) never sees half a graph.
    q8_mode "static" needs `calibration` (network inputs, see calibration.py); "dynamic" is the MatMul-only q8."""
    if q8_mode not in Q8_MODES:
        raise ValueError(f"q8 mode {q8_mode!r} is not one of {', '.join(Q8_MODES)}")
    fp32 = onnx_dir / VARIANT_FILES["fp32"]
    if (onnx_dir / (fp32.name + "_data")).exists():
        # Graphs over 2 GB keep their weights in a side file; none of the DPT family gets there (DPT-Large: 1.4 GB).
        raise SystemExit(f"{fp32} stores its weights as external data: fp16 / q8 variants are not supported for it")
    written = []
    for dtype in dtypes:
        target = onnx_dir / VARIANT_FILES[dtype]
        partial = onnx_dir / f".{target.name}.partial"
        if dtype == "fp16":
            write_fp16(fp32, partial)
        elif dtype == "q8" and q8_mode == "static":
            if not calibration:
                raise ValueError("the static q8 variant needs calibration inputs")
            write_q8_static(fp32, partial, calibration, ops=q8_ops)
        elif dtype == "q8":
            write_q8(fp32, partial, q8_ops)
        else:
            continue
        partial.replace(target)
        written.append(target)
    return written


@dataclass(frozen=True)
class VariantCheck:
    dtype: str
    hw: tuple[int, int]
    max_abs_diff: float
    output_range: float
    correlation: float
    input: str = "random-normal"

    @property
    def relative(self) -> float:
        return self.max_abs_diff / self.output_range if self.output_range > 0 else float("inf")

    def line(self) -> str:
        return (f"{self.dtype:>4} at {self.hw[1]}x{self.hw[0]} (WxH), {self.input}: max |onnx - torch| "
                f"{self.max_abs_diff:.3e} (output range {self.output_range:.4g}, relative {self.relative:.2e}), "
                f"correlation {self.correlation:.6f}")


def check_variants(onnx_dir: Path, dtypes: list[str], forward, hw: tuple[int, int], seed: int = 1234,
                   threads: int = 1, photo: np.ndarray | None = None, photo_name: str = "photo") -> list[VariantCheck]:
    """Each variant against `forward` (the PyTorch model) on one random normal input of size hw, or on `photo`
    (an NCHW network input of that size) when given."""
    if photo is None:
        x = torch.randn(1, 3, *hw, generator=torch.Generator().manual_seed(seed))
    else:
        x = torch.from_numpy(photo)
    name = "random-normal" if photo is None else photo_name
    with torch.no_grad():
        expected = forward(x).numpy().astype(np.float64)
    span = float(expected.max() - expected.min())
    checks = []
    for dtype in dtypes:
        got = ort_session(str(onnx_dir / VARIANT_FILES[dtype]), threads).run(None, {"pixel_values": x.numpy()})[0]
        if got.shape != expected.shape:
            raise AssertionError(f"{dtype}: ONNX output {got.shape} != torch {expected.shape} at {hw}")
        got = got.astype(np.float64)
        corr = float(np.corrcoef(got.ravel(), expected.ravel())[0, 1]) if got.size > 1 else float("nan")
        checks.append(VariantCheck(dtype, hw, float(np.max(np.abs(got - expected))), span, corr, name))
    return checks
