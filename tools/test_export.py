#!/usr/bin/env python
"""Round-trip tests of export_model.py, run by hand (not by npm test): ~1.5 min on 2 cores.

Tiny random-weight models (the fixture architectures) are saved with save_pretrained, exported with
`export_model.py hf`, and the folder's graphs compared with the transformers model; the isl-org key mapping's error
reporting, the metric wrapper and the all-or-nothing folder writing are tested on their own.
--full also round-trips a full-size random-weight DPT-Hybrid (≈ 3 min, 1.2 GB under --work). The isl-org path
against the isl-org code itself is tools/check_isl_org.py (needs the isl-org sources and timm).
Usage: tools/.venv/bin/python tools/test_export.py [--full] [--work DIR]
"""

import json
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import numpy as np
import torch

TOOLS = Path(__file__).resolve().parent
sys.path.insert(0, str(TOOLS))

from dpt_tools import cards, isl_org  # noqa: E402
from dpt_tools.calibration import photo_input  # noqa: E402
from dpt_tools.export import ort_session  # noqa: E402
from dpt_tools.models import full_size_specs, instantiate, tiny_specs  # noqa: E402
from dpt_tools.staging import staged_folder  # noqa: E402

FULL = "--full" in sys.argv
WORK = Path(sys.argv[sys.argv.index("--work") + 1]).expanduser() if "--work" in sys.argv else None
SCHEMA = json.loads((TOOLS.parent / "models" / "card.schema.json").read_text(encoding="utf-8"))


def export(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(TOOLS / "export_model.py"), *args], capture_output=True, text=True)


def run_onnx(path: Path, x: torch.Tensor) -> np.ndarray:
    return ort_session(str(path), 2).run(None, {"pixel_values": x.numpy()})[0]


def hf_output(model, x: torch.Tensor) -> np.ndarray:
    with torch.no_grad():
        out = model(pixel_values=x)
    return (out.logits if getattr(out, "logits", None) is not None else out.predicted_depth).numpy()


class TinyRoundTrip(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="dpt-export-test-"))

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def save(self, spec):
        model, wrapper = instantiate(spec)
        source = self.tmp / "source"
        model.save_pretrained(source)
        (source / "preprocessor_config.json").write_text(json.dumps(spec.preprocessor), encoding="utf-8")
        return model, wrapper, source

    def exported(self, source: Path, *extra: str) -> Path:
        out = self.tmp / "out"
        result = export("hf", "--model", str(source), "--out", str(out), "--threads", "2", *extra)
        self.assertEqual(result.returncode, 0, result.stderr[-3000:])
        print("\n" + "\n".join(line for line in result.stdout.splitlines() if "max |" in line))
        return out

    def assert_variants_close(self, out: Path, expected: np.ndarray, x: torch.Tensor, fp32_tol: float):
        span = float(expected.max() - expected.min())
        got = run_onnx(out / "onnx" / "model.onnx", x)
        self.assertEqual(got.shape, expected.shape)
        self.assertLess(float(np.abs(got - expected).max()), fp32_tol * span)
        for name in ("model_fp16.onnx", "model_quantized.onnx"):
            other = run_onnx(out / "onnx" / name, x)
            self.assertEqual(other.dtype, np.float32, name)  # float32 in and out: the CLI feeds the same tensors
            self.assertGreater(float(np.corrcoef(other.ravel(), expected.ravel())[0, 1]), 0.99, name)

    def test_dpt_hybrid_reference_card(self):
        spec = tiny_specs()[0]
        model, wrapper, source = self.save(spec)
        out = self.exported(source)
        self.assertEqual(sorted(p.name for p in (out / "onnx").iterdir()),
                         ["model.onnx", "model_fp16.onnx", "model_quantized.onnx"])
        card = json.loads((out / "dpt-card.json").read_text(encoding="utf-8"))
        self.assertEqual(card, cards.dpt_reference_card("out"))
        self.assertLessEqual(set(card), set(SCHEMA["properties"]))
        self.assertEqual(json.loads((out / "preprocessor_config.json").read_text()), spec.preprocessor)
        config = json.loads((out / "config.json").read_text(encoding="utf-8"))
        self.assertEqual(config["architectures"], ["DPTForDepthEstimation"])
        report = json.loads((out / "dpt-export.json").read_text(encoding="utf-8"))
        self.assertEqual([(c["dtype"], c["input"]) for c in report["checks"]],
                         [(d, i) for i in ("random-normal", "photo:rocket-exif6-96x144.jpg")
                          for d in ("fp32", "fp16", "q8")])
        # The transformers forward itself (square: the only size it accepts) and the wrapper on a non-square size.
        # And a photograph (the default q8 is dynamic-only; the static one is tested below).
        square = torch.randn(1, 3, 384, 384, generator=torch.Generator().manual_seed(3))
        self.assert_variants_close(out, hf_output(model, square), square, 1e-4)
        wide = torch.randn(1, 3, 256, 416, generator=torch.Generator().manual_seed(4))
        photo = torch.from_numpy(photo_input(spec.preprocessor, (384, 512)))
        with torch.no_grad():
            self.assert_variants_close(out, wrapper(wide).numpy(), wide, 1e-4)
            self.assert_variants_close(out, wrapper(photo).numpy(), photo, 1e-4)

    def test_static_q8_fuses_every_conv(self):
        # --q8 static: every Conv of the (constant-folded) graph gets DequantizeLinear inputs and a QuantizeLinear
        # output, which onnxruntime fuses into QLinearConv; the MatMuls stay dynamic (MatMulInteger).
        import onnx
        import onnxruntime as ort

        spec = tiny_specs()[0]
        model, wrapper, source = self.save(spec)
        out = self.exported(source, "--dtypes", "fp32,q8", "--q8", "static")
        report = json.loads((out / "dpt-export.json").read_text(encoding="utf-8"))
        self.assertEqual(report["q8"], "static")
        fp32_convs = sum(n.op_type == "Conv" for n in onnx.load(str(out / "onnx" / "model.onnx")).graph.node)
        graph = onnx.load(str(out / "onnx" / "model_quantized.onnx")).graph
        producers = {o: n.op_type for n in graph.node for o in n.output}
        convs = [n for n in graph.node if n.op_type == "Conv"]
        self.assertEqual(len(convs), fp32_convs)
        for conv in convs:
            self.assertEqual([producers.get(i) for i in conv.input[:2]], ["DequantizeLinear"] * 2, conv.name)
        self.assertIn("MatMulInteger", {n.op_type for n in graph.node})
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.optimized_model_filepath = str(self.tmp / "optimised.onnx")
        options.log_severity_level = 3
        ort.InferenceSession(str(out / "onnx" / "model_quantized.onnx"), options, providers=["CPUExecutionProvider"])
        fused = [n.op_type for n in onnx.load(str(self.tmp / "optimised.onnx")).graph.node]
        self.assertEqual((fused.count("QLinearConv"), fused.count("Conv")), (fp32_convs, 0))
        # Agreement on a photograph the calibration did not see: 0.974 measured (the dynamic-only q8: 0.9998);
        # a lost or wrong calibration (ranges of another scale) falls far below.
        photo = torch.from_numpy(photo_input(spec.preprocessor, (384, 512)))
        with torch.no_grad():
            expected = wrapper(photo).numpy()
        got = run_onnx(out / "onnx" / "model_quantized.onnx", photo)
        self.assertEqual(got.dtype, np.float32)
        self.assertGreater(float(np.corrcoef(got.ravel(), expected.ravel())[0, 1]), 0.95)

    def test_depth_anything_original_card(self):
        spec = next(s for s in tiny_specs() if s.name == "depth-anything-tiny")
        model, _, source = self.save(spec)
        out = self.exported(source, "--dtypes", "fp32,q8", "--name", "da-tiny")
        self.assertEqual(json.loads((out / "dpt-card.json").read_text()), cards.depth_anything_v2_card("da-tiny"))
        self.assertFalse((out / "onnx" / "model_fp16.onnx").exists())
        x = torch.randn(1, 3, 364, 504, generator=torch.Generator().manual_seed(5))
        expected = hf_output(model, x)
        got = run_onnx(out / "onnx" / "model.onnx", x)
        self.assertLess(float(np.abs(got - expected).max()), 1e-4 * float(expected.max() - expected.min()))

    def test_segmentation_hf_card(self):
        spec = next(s for s in tiny_specs() if s.name == "dpt-large-ade-tiny")
        model, _, source = self.save(spec)
        out = self.exported(source, "--card", "hf", "--dtypes", "fp32")
        self.assertFalse((out / "dpt-card.json").exists())  # dpt follows preprocessor_config.json
        x = torch.randn(1, 3, 480, 480, generator=torch.Generator().manual_seed(6))
        expected = hf_output(model, x)
        self.assertEqual(expected.shape, (1, 150, 480, 480))
        got = run_onnx(out / "onnx" / "model.onnx", x)
        self.assertLess(float(np.abs(got - expected).max()), 1e-4 * float(expected.max() - expected.min()))

    def test_refuses_existing_output_and_unknown_dtype(self):
        (self.tmp / "taken").mkdir()
        result = export("hf", "--model", "unused", "--out", str(self.tmp / "taken"))
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("--force", result.stderr)
        result = export("hf", "--model", "unused", "--out", str(self.tmp / "new"), "--dtypes", "fp32,int4")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("int4", result.stderr)


class IslOrgMapping(unittest.TestCase):
    def test_unknown_missing_and_mis_shaped_keys_are_listed(self):
        model, _ = instantiate(tiny_specs()[0])  # a transformers DPT-Hybrid (tiny widths)
        state = {
            "pretrained.model.head.weight": torch.zeros(1000, 16),  # dropped on purpose: the ViT classifier
            "pretrained.model.bogus": torch.zeros(3),
            "scratch.layer1_rn.weight": torch.zeros(8, 3, 3, 3),  # transformers: neck.convs.0 is (8, 16, 3, 3)
        }
        with self.assertRaises(isl_org.MappingError) as raised:
            isl_org.convert_state_dict(state, model)
        message = str(raised.exception)
        self.assertIn("pretrained.model.bogus", message)
        self.assertIn("scratch.layer1_rn.weight (8, 3, 3, 3) -> neck.convs.0.weight (8, 16, 3, 3)", message)
        self.assertIn("model keys the checkpoint does not fill", message)
        self.assertNotIn("head.weight", message.split("model keys")[0])

    def test_qkv_is_split_in_query_key_value_order(self):
        self.assertEqual(isl_org._map_key("pretrained.model.blocks.3.attn.qkv.weight", True),
                         [f"dpt.encoder.layer.3.attention.attention.{p}.weight" for p in ("query", "key", "value")])
        self.assertEqual(isl_org._map_key("scratch.refinenet4.resConfUnit2.bn1.running_var", True),
                         "neck.fusion_stage.layers.0.residual_layer2.batch_norm1.running_var")
        self.assertEqual(isl_org._map_key("pretrained.model.patch_embed.proj.bias", False),
                         "dpt.embeddings.patch_embeddings.projection.bias")

    def test_metric_inversion(self):
        inner = torch.nn.Identity()
        kitti = isl_org.MetricDepth(inner, isl_org.METRIC["kitti"])
        x = torch.tensor([0.0, 1000.0, -1e6])
        expected = [1 / 0.00579, 1 / (0.00006016 * 1000 + 0.00579), 1e8]  # the last one clamps at 1e-8
        np.testing.assert_allclose(kitti(x).numpy(), expected, rtol=1e-6)


class Staging(unittest.TestCase):
    def test_failure_leaves_nothing_and_force_replaces(self):
        root = Path(tempfile.mkdtemp(prefix="dpt-stage-test-"))
        try:
            out = root / "model"
            with self.assertRaises(RuntimeError):
                with staged_folder(out, force=False) as stage:
                    (stage / "half.onnx").write_bytes(b"x")
                    raise RuntimeError("export failed")
            self.assertEqual(list(root.iterdir()), [])
            with staged_folder(out, force=False) as stage:
                (stage / "a").write_text("1")
            with self.assertRaises(FileExistsError):
                with staged_folder(out, force=False):
                    pass
            with staged_folder(out, force=True) as stage:
                (stage / "b").write_text("2")
            self.assertEqual(sorted(p.name for p in root.iterdir()), ["model"])
            self.assertEqual(sorted(p.name for p in out.iterdir()), ["b"])
        finally:
            shutil.rmtree(root)


@unittest.skipUnless(FULL, "--full: full-size DPT-Hybrid round trip")
class FullSizeHybrid(unittest.TestCase):
    def test_full_size_dpt_hybrid(self):
        work = (WORK or Path("~/.cache/dpt-export/roundtrip")).expanduser()
        spec = full_size_specs()["dpt-hybrid"]
        model, wrapper = instantiate(spec)
        source, out = work / "dpt-hybrid-random-hf", work / "dpt-hybrid-exported"
        shutil.rmtree(source, ignore_errors=True)
        model.save_pretrained(source)
        (source / "preprocessor_config.json").write_text(json.dumps(spec.preprocessor), encoding="utf-8")
        result = export("hf", "--model", str(source), "--out", str(out), "--force", "--threads", "2")
        self.assertEqual(result.returncode, 0, result.stderr[-3000:])
        print("\n" + result.stdout)
        x = torch.randn(1, 3, 384, 384, generator=torch.Generator().manual_seed(8))
        expected = hf_output(model, x)
        got = run_onnx(out / "onnx" / "model.onnx", x)
        diff = float(np.abs(got - expected).max())
        print(f"full-size DPT-Hybrid: fp32 ONNX vs transformers forward at 384x384: {diff:.3e} "
              f"(range {float(expected.max() - expected.min()):.4g})")
        self.assertLess(diff, 1e-4 * float(expected.max() - expected.min()))


if __name__ == "__main__":
    argv = [a for i, a in enumerate(sys.argv) if a != "--full" and a != "--work" and
            (i == 0 or sys.argv[i - 1] != "--work")]
    unittest.main(argv=argv, verbosity=2)
