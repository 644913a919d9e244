"""Golden files for the numeric kernels (test/kernels/: cv2 and PIL resizes, PyTorch upsampling).

Run with the tools venv (numpy, opencv-python-headless, torch, pillow):
    tools/.venv/bin/python tools/kernel_goldens.py

Writes test/fixtures/kernels/*.npy and size-rule.json, deterministically (fixed seed, fixed case list):
- cv2_cubic_<case>_{in,out}.npy   cv2.resize(img, (W, H), interpolation=cv2.INTER_CUBIC) on a float64 HWC
  image, as MiDaS/DPT run it (image / 255.0 is float64). Inputs stored as uint8 are divided by 255.0 by the test.
- torch_bicubic_<case>_{in,out}.npy  F.interpolate(x[None, None], size=(H, W), mode="bicubic",
  align_corners=False) on a float32 map (the DPT depth / segmentation post-processing).
- torch_bilinear_<case>_{in,out}.npy  the same with mode="bilinear", align_corners=True (Depth Anything V2).
  PyTorch picks another CPU kernel when out_h + out_w <= 128, so cases exist on both sides of that line.
- pil_<filter>_<case>_{in,out}.npy  Image.fromarray(u8).resize((W, H), resample) (HF image processors).
- normalize_{midas,hf}_*.npy  MiDaS NormalizeImage + PrepareForNet, and HF rescale + normalize.
- size-rule.json  MiDaS Resize.get_size re-derived below, checked against HF's DPT rule for "minimal".
Output sizes are in the file names' case table (CASES below) and in the arrays' shapes.
"""

import json
from pathlib import Path

import cv2
import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

OUT = Path(__file__).resolve().parent.parent / "test" / "fixtures" / "kernels"
rng = np.random.default_rng(20240611)
torch.set_num_threads(1)


def save(name: str, array: np.ndarray) -> None:
    np.save(OUT / f"{name}.npy", np.ascontiguousarray(array))


# --- cv2 INTER_CUBIC on float64 ------------------------------------------------------------------
# (name, W, H, channels, out W, out H, input kind): "u8" = uint8 image / 255.0 (what MiDaS feeds),
# "f64" = arbitrary float64 in [0, 1).
CV2_CASES = [
    ("up", 7, 5, 3, 19, 13, "u8"),
    ("down", 31, 23, 3, 13, 10, "f64"),
    ("half", 32, 24, 3, 16, 12, "u8"),
    ("one_pixel", 9, 7, 3, 1, 1, "f64"),
    ("identity", 11, 8, 3, 11, 8, "f64"),
    ("mixed_1ch", 23, 17, 1, 10, 31, "f64"),
    ("dpt_ratio", 80, 45, 3, 28, 16, "u8"),  # the 1920x1080 -> 672x384 ratio, / 24
]


def cv2_goldens() -> None:
    for name, w, h, c, ow, oh, kind in CV2_CASES:
        if kind == "u8":
            raw = rng.integers(0, 256, (h, w, c), dtype=np.uint8)
            img = raw.astype(np.float64) / 255.0
            save(f"cv2_cubic_{name}_in", raw)
        else:
            img = rng.random((h, w, c))
            save(f"cv2_cubic_{name}_in", img)
        out = cv2.resize(img, (ow, oh), interpolation=cv2.INTER_CUBIC)
        save(f"cv2_cubic_{name}_out", out.reshape(oh, ow, c))


# --- torch interpolate on float32 maps -------------------------------------------------------------
# (name, W, H, out W, out H, value scale, centred)
BICUBIC_CASES = [
    ("up", 13, 9, 50, 37, 1.0, False),
    ("down", 37, 29, 11, 8, 1.0, False),
    ("dpt_ratio", 28, 16, 80, 45, 1.0, False),  # 672x384 -> 1920x1080, / 24
    ("row", 19, 1, 60, 30, 1.0, False),
    ("mixed", 33, 20, 12, 47, 1.0, False),
    ("logits", 24, 17, 61, 43, 30.0, True),
    ("identity", 11, 8, 11, 8, 1.0, False),
]
BILINEAR_CASES = [
    ("up", 30, 20, 81, 50, 1.0, False),  # out_h + out_w > 128: generic kernel
    ("down", 75, 56, 70, 59, 1.0, False),
    ("up_small", 13, 9, 50, 37, 1.0, False),  # <= 128: the channels-last kernel
    ("down_small", 37, 29, 11, 8, 1.0, False),
    ("to_one", 7, 5, 1, 3, 1.0, False),
]


def torch_goldens() -> None:
    for mode, cases in (("bicubic", BICUBIC_CASES), ("bilinear", BILINEAR_CASES)):
        for name, w, h, ow, oh, scale, centred in cases:
            x = (rng.random((h, w), dtype=np.float32) * np.float32(scale)).astype(np.float32)
            if centred:
                x = (x - np.float32(scale / 2)).astype(np.float32)
            t = torch.from_numpy(x)[None, None]
            y = F.interpolate(t, size=(oh, ow), mode=mode, align_corners=(mode == "bilinear"))
            save(f"torch_{mode}_{name}_in", x)
            save(f"torch_{mode}_{name}_out", y[0, 0].numpy().astype(np.float32))


# --- Pillow resize on uint8 ------------------------------------------------------------------------
# (filter, name, W, H, channels, out W, out H)
PIL_CASES = [
    ("bilinear", "up", 7, 5, 3, 19, 13),
    ("bilinear", "down", 41, 29, 3, 17, 12),
    ("bilinear", "nonuniform", 33, 20, 3, 12, 47),
    ("bilinear", "same_width", 20, 30, 3, 20, 11),
    ("bilinear", "square", 64, 48, 3, 38, 38),  # the HF DPT port: any image -> size x size
    ("bicubic", "up", 7, 5, 3, 19, 13),
    ("bicubic", "down", 41, 29, 3, 17, 12),
    ("bicubic", "nonuniform", 33, 20, 3, 12, 47),
    ("bicubic", "same_height", 30, 20, 3, 11, 20),
    ("bicubic", "large_factor", 77, 45, 3, 9, 7),
    ("bicubic", "grey", 29, 31, 1, 13, 50),
    # Pillow >= 13 runs the vertical pass first when the height loses more than twice as many pixels as
    # the width (python-pillow/Pillow#9549); the order changes the rounding.
    ("bilinear", "vertical_first", 30, 80, 3, 24, 31),
    ("bicubic", "vertical_first", 41, 90, 1, 35, 20),
    ("bilinear", "order_tie", 20, 60, 1, 14, 48),  # height loses exactly 2x: still horizontal first
    ("bilinear", "order_tie_plus_one", 20, 60, 1, 14, 47),
]
PIL_FILTERS = {"bilinear": Image.Resampling.BILINEAR, "bicubic": Image.Resampling.BICUBIC}


def pil_goldens() -> None:
    for filt, name, w, h, c, ow, oh in PIL_CASES:
        raw = rng.integers(0, 256, (h, w, c), dtype=np.uint8)
        # Saturated patches make the bicubic overshoot reach the uint8 clipping.
        raw[: h // 3, : w // 3] = 255
        raw[h // 3 : h // 2, w // 3 : w // 2] = 0
        img = Image.fromarray(raw[:, :, 0] if c == 1 else raw)
        out = np.asarray(img.resize((ow, oh), resample=PIL_FILTERS[filt]))
        save(f"pil_{filt}_{name}_in", raw)
        save(f"pil_{filt}_{name}_out", out.reshape(oh, ow, c))


# --- normalisation ---------------------------------------------------------------------------------
IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]


def normalize_goldens() -> None:
    # MiDaS: NormalizeImage computes (image - mean) / std on the float64 resized image (list mean/std
    # broadcast as float64); PrepareForNet transposes to CHW and casts astype(np.float32).
    # Half the pixels are u8 / 255.0 (the exact values a resize leaves untouched), half arbitrary.
    img = rng.random((16, 16, 3))
    img[:8] = rng.integers(0, 256, (8, 16, 3)) / 255.0
    save("normalize_midas_in", img)
    for tag, mean, std in (("half", [0.5] * 3, [0.5] * 3), ("imagenet", IMAGENET_MEAN, IMAGENET_STD)):
        out = ((img - mean) / std).transpose(2, 0, 1).astype(np.float32)
        save(f"normalize_midas_{tag}_out", out)
    # HF (transformers.image_transforms): rescale() = image.astype(float64) * scale, then astype(float32);
    # normalize() keeps the float32 dtype: mean/std become float32 arrays, (image - mean) / std in float32.
    # Every uint8 value occurs in every channel.
    raw = np.stack([rng.permutation(256).astype(np.uint8).reshape(16, 16) for _ in range(3)], axis=-1)
    save("normalize_hf_in", raw)
    rescaled = (raw.astype(np.float64) * (1 / 255)).astype(np.float32)
    for tag, mean, std in (("half", [0.5] * 3, [0.5] * 3), ("imagenet", IMAGENET_MEAN, IMAGENET_STD)):
        out = (rescaled - np.array(mean, dtype=np.float32)) / np.array(std, dtype=np.float32)
        save(f"normalize_hf_{tag}_out", out.transpose(2, 0, 1).astype(np.float32))


# --- size rule -------------------------------------------------------------------------------------
def midas_size(w: int, h: int, net_h: int, net_w: int, keep: bool, rule: str, m: int) -> tuple[int, int]:
    """MiDaS transforms.Resize.get_size, re-derived: per-side scale, aspect choice, multiple constraint."""

    def constrain(x: float, min_val: int = 0, max_val: int | None = None) -> int:
        y = int(np.round(x / m) * m)
        if max_val is not None and y > max_val:
            y = int(np.floor(x / m) * m)
        if y < min_val:
            y = int(np.ceil(x / m) * m)
        return y

    sh, sw = net_h / h, net_w / w
    if keep:
        if rule == "lower_bound":
            sh, sw = (sw, sw) if sw > sh else (sh, sh)
        elif rule == "upper_bound":
            sh, sw = (sw, sw) if sw < sh else (sh, sh)
        else:
            sh, sw = (sw, sw) if abs(1 - sw) < abs(1 - sh) else (sh, sh)
    if rule == "lower_bound":
        return constrain(sw * w, min_val=net_w), constrain(sh * h, min_val=net_h)
    if rule == "upper_bound":
        return constrain(sw * w, max_val=net_w), constrain(sh * h, max_val=net_h)
    return constrain(sw * w), constrain(sh * h)


def hf_dpt_size(w: int, h: int, net_h: int, net_w: int, keep: bool, m: int) -> tuple[int, int]:
    """transformers DPT get_resize_output_image_size: Python round(), no bounds."""
    sh, sw = net_h / h, net_w / w
    if keep:
        if abs(1 - sw) < abs(1 - sh):
            sh = sw
        else:
            sw = sh
    return round(sw * w / m) * m, round(sh * h / m) * m


SPECS = {
    "dpt": (384, 384, True, "minimal", 32),
    "ade": (480, 480, True, "minimal", 32),
    "kitti": (352, 1216, True, "minimal", 32),
    "nyu": (480, 640, True, "minimal", 32),
    "hf_square": (384, 384, False, "minimal", 1),
    "da_v2": (518, 518, True, "lower_bound", 14),
    "da_hf": (518, 518, True, "minimal", 14),
    "upper": (384, 384, True, "upper_bound", 32),
    "upper_14": (518, 518, True, "upper_bound", 14),
    "lower_free": (384, 512, False, "lower_bound", 32),
}
SIZE_CASES = [
    ("dpt", 640, 480), ("dpt", 1920, 1080), ("dpt", 320, 240), ("dpt", 400, 384), ("dpt", 384, 400),
    ("dpt", 432, 384), ("dpt", 368, 384), ("dpt", 384, 432), ("dpt", 500, 500), ("dpt", 1, 1),
    ("dpt", 3000, 2000), ("dpt", 1216, 352), ("dpt", 100, 1000), ("ade", 640, 480), ("ade", 2048, 1024),
    ("ade", 480, 720), ("kitti", 1242, 375), ("kitti", 1216, 352), ("nyu", 640, 480), ("nyu", 561, 427),
    ("hf_square", 640, 480), ("hf_square", 33, 1000), ("da_v2", 640, 480), ("da_v2", 1920, 1080),
    ("da_v2", 518, 518), ("da_v2", 500, 300), ("da_v2", 1241, 376), ("da_hf", 640, 480), ("da_hf", 1920, 1080),
    ("da_hf", 1241, 376), ("upper", 640, 480), ("upper", 1920, 1080), ("upper", 300, 200), ("upper", 401, 399),
    ("upper_14", 640, 480), ("upper_14", 1000, 999), ("lower_free", 640, 480), ("lower_free", 100, 90),
]
# Values np.round must send to the even neighbour (JS Math.round would not) and other edge cases.
ROUND_CASES = [0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, 12.5, 13.5, 0.49999999999999994, 0.5000000000000001,
               -0.0, 2.4999999999999996, 4503599627370495.5, 4503599627370497.0, 1e300, -7.5, 11.50000001]


def size_rule_goldens() -> None:
    cases = [(spec, w, h) for spec, w, h in SIZE_CASES]
    for _ in range(60):  # random images and specs, seeded
        cases.append((str(rng.choice(list(SPECS))), int(rng.integers(16, 4097)), int(rng.integers(16, 4097))))
    # Images whose scaled side is exactly half-way between two multiples (x / m = k + 0.5).
    for spec_name in ("dpt", "da_hf", "upper"):
        net_h, _, _, _, m = SPECS[spec_name]
        for k in range(8, 20):
            cases.append((spec_name, int((k + 0.5) * m), net_h))
    rows = []
    for spec_name, w, h in cases:
        net_h, net_w, keep, rule, m = SPECS[spec_name]
        ew, eh = midas_size(w, h, net_h, net_w, keep, rule, m)
        if rule == "minimal":
            assert (ew, eh) == hf_dpt_size(w, h, net_h, net_w, keep, m), (spec_name, w, h)
        rows.append(json.dumps([spec_name, w, h, ew, eh]))
    specs = [
        json.dumps(name) + ": " + json.dumps({"height": nh, "width": nw, "keepAspect": k, "rule": r, "multiple": m})
        for name, (nh, nw, k, r, m) in SPECS.items()
    ]
    rounding = [json.dumps([x, float(np.round(np.float64(x)))]) for x in ROUND_CASES]
    text = (
        '{"specs": {\n' + ",\n".join(specs) + "\n},\n"
        '"sizes (spec, width, height, expected width, expected height)": [\n' + ",\n".join(rows) + "\n],\n"
        '"round (x, np.round(x))": [\n' + ",\n".join(rounding) + "\n]}\n"
    )
    (OUT / "size-rule.json").write_text(text)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    cv2_goldens()
    torch_goldens()
    pil_goldens()
    normalize_goldens()
    size_rule_goldens()
    total = sum(p.stat().st_size for p in OUT.iterdir())
    print(f"wrote {len(list(OUT.iterdir()))} files, {total} bytes to {OUT}")
    assert total < 300_000, "the kernel goldens must stay under 300 KB"


if __name__ == "__main__":
    main()
