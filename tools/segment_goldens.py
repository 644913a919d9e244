"""Golden files for the segmentation post-processing (test/pipeline/postprocess/segment-argmax.test.ts).

Run with the tools venv (numpy, torch):
    tools/.venv/bin/python tools/segment_goldens.py

Writes test/fixtures/segment/*.npy, deterministically (fixed seed, fixed case list):
- <mode>_<case>_logits.npy  float32 [C, h, w] logits; <mode>_<case>_labels.npy  uint8 [H, W]
  F.interpolate(logits[None], size=(H, W), mode=<mode>, align_corners=False)[0].argmax(0), as the isl-org
  reference (bicubic) and the Hugging Face DPT ports (bilinear) post-process segmentation logits.
  "ties" cases are built so that the labels hang on the last bit: exact copies (ties go to the first
  index), one-ulp neighbours, channels crossing inside a window, a constant map.
- bilinear_<case>_{in,out}.npy  one float32 map [h, w] (or [C, h, w] for "lanes") and the float32 bilinear
  resize, for the bit-exactness of the single-channel kernel. PyTorch runs a channels-last kernel when
  out_h + out_w <= 128, whose arithmetic depends on the channel's position in groups of 8 ("lanes").
The script also checks that the generic kernels compute each channel of a [C, h, w] resize as a lone map.
"""

from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

OUT = Path(__file__).resolve().parent.parent / "test" / "fixtures" / "segment"
rng = np.random.default_rng(20240612)
torch.set_num_threads(1)


def save(name: str, array: np.ndarray) -> None:
    np.save(OUT / f"{name}.npy", np.ascontiguousarray(array))


def resize(x: np.ndarray, size: tuple[int, int], mode: str) -> np.ndarray:
    t = torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32))[None]
    return F.interpolate(t, size=size, mode=mode, align_corners=False)[0].numpy()


def smooth(c: int, h: int, w: int, scale: float) -> np.ndarray:
    """Bicubic-upsampled noise: the kind of map a DPT head produces."""
    low = rng.standard_normal((c, max(2, h // 4), max(2, w // 4))).astype(np.float32) * np.float32(scale)
    return resize(low, (h, w), "bicubic").astype(np.float32)


def near_ties(h: int, w: int) -> list[np.ndarray]:
    """Channels whose upsampled values differ in the last bits (see the module docstring)."""
    base = smooth(1, h, w, 2.0)[0]
    up = np.nextafter(base, np.float32(np.inf))
    down = np.nextafter(base, np.float32(-np.inf))
    random_ulp = np.where(rng.random((h, w)) < 0.5, up, down).astype(np.float32)
    crossing = (base + np.float32(1e-6) * smooth(1, h, w, 1.0)[0]).astype(np.float32)
    constant = np.full((h, w), np.float32(np.median(base)), dtype=np.float32)
    ramp = (base + np.float32(1e-7) * (np.arange(w, dtype=np.float32)[None, :] - np.float32(w / 2))).astype(np.float32)
    return [(base - np.float32(0.5)).astype(np.float32), crossing, base, base.copy(), up, down, constant,
            random_ulp, ramp, (base - np.float32(100)).astype(np.float32)]


# (mode, case, C, h, w, H, W, kind)
LABEL_CASES = [
    ("bicubic", "smooth", 12, 12, 16, 37, 53, "smooth"),
    ("bicubic", "ties", 10, 8, 10, 29, 37, "ties"),
    ("bicubic", "down", 8, 13, 17, 9, 11, "smooth"),
    ("bicubic", "row", 6, 1, 9, 5, 40, "ties"),  # a 1×N source
    ("bilinear", "smooth", 12, 12, 16, 61, 90, "smooth"),  # out_h + out_w > 128: generic kernel
    ("bilinear", "ties", 10, 8, 10, 45, 97, "ties"),
    ("bilinear", "down", 10, 11, 13, 9, 11, "smooth"),  # channels-last kernel, 8 vector + 2 scalar lanes
    ("bilinear", "lanes", 150, 5, 6, 30, 40, "lanes"),  # channels-last kernel, the real channel count
]


def logits_for(kind: str, c: int, h: int, w: int) -> np.ndarray:
    if kind == "smooth":
        return smooth(c, h, w, 3.0)
    ties = near_ties(h, w)
    if kind == "ties":
        assert c <= len(ties)
        return np.stack(ties[:c])
    # 150 channels, low except a near-tie family straddling the vector lanes (< 144) and the scalar ones.
    x = (smooth(c, h, w, 1.0) - np.float32(10)).astype(np.float32)
    for channel, tie in zip((139, 140, 141, 142, 143, 144, 145, 146, 147, 149), ties[1:9] + ties[2:4]):
        x[channel] = tie
    return x


def label_goldens() -> None:
    for mode, case, c, h, w, oh, ow, kind in LABEL_CASES:
        x = logits_for(kind, c, h, w)
        up = resize(x, (oh, ow), mode)
        labels = up.argmax(axis=0).astype(np.uint8)
        save(f"{mode}_{case}_logits", x)
        save(f"{mode}_{case}_labels", labels)
        # The goldens are only worth having if the near ties actually decide labels.
        if kind != "smooth":
            top = np.sort(up, axis=0)
            close = np.mean(top[-1] - top[-2] <= np.abs(top[-1]) * 2**-20)
            print(f"{mode}_{case}: {close:.0%} of pixels within an ulp or so of a tie")


# (case, C, h, w, H, W)
BILINEAR_CASES = [
    ("up", 1, 20, 30, 41, 88),  # generic kernel
    ("down", 1, 30, 50, 20, 110),
    ("odd", 1, 9, 13, 40, 90),
    ("small", 1, 9, 13, 50, 37),  # channels-last kernel, one scalar lane
    ("to_one", 1, 5, 7, 3, 1),
    ("identity", 1, 8, 11, 8, 11),
    ("lanes", 12, 5, 7, 13, 19),  # channels-last kernel, 8 vector lanes then 4 scalar ones
]


def bilinear_goldens() -> None:
    for case, c, h, w, oh, ow in BILINEAR_CASES:
        x = (rng.standard_normal((c, h, w)) * 10).astype(np.float32)
        y = resize(x, (oh, ow), "bilinear")
        save(f"bilinear_{case}_in", x if c > 1 else x[0])
        save(f"bilinear_{case}_out", y if c > 1 else y[0])


def check_channels_alike() -> None:
    """The generic kernels (bicubic always, bilinear for out_h + out_w > 128) treat each channel alone, so
    the single-channel goldens cover a C-channel resize."""
    x = (rng.standard_normal((20, 9, 13)) * 10).astype(np.float32)
    for mode, size in (("bicubic", (21, 29)), ("bilinear", (61, 90)), ("bicubic", (7, 5))):
        whole = resize(x, size, mode)
        for c in range(len(x)):
            assert np.array_equal(whole[c], resize(x[c : c + 1], size, mode)[0]), (mode, size, c)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    label_goldens()
    bilinear_goldens()
    check_channels_alike()
    total = sum(p.stat().st_size for p in OUT.iterdir())
    print(f"wrote {len(list(OUT.iterdir()))} files, {total} bytes to {OUT}")
    assert total < 150_000, "the segmentation goldens must stay under 150 KB"


if __name__ == "__main__":
    main()
