"""Golden files for the format and scaling tests (test/formats/, test/kernels/depth-scale.test.ts, test/pipeline/render/colormap.test.ts): depth scaling, PNG, PFM, NPY, colour maps.

Run with the tools venv (numpy, opencv-python-headless, matplotlib):
    tools/.venv/bin/python tools/write_goldens.py

Everything is computed the way the reference scripts do it, in numpy float32:
- isl-org/DPT util/io.py write_depth(bits=2) and MiDaS v3.1 utils.write_depth:
  out = max_val * (depth - depth_min) / (depth_max - depth_min), then astype(uint16 / uint8).
- Depth Anything V2 run.py: (depth - min) / (max - min) * 255.0, then astype(uint8).
- DPT run_monodepth.py --absolute_depth: prediction *= 256 (KITTI) or *= 1000.0 (NYU), astype(uint16).
- write_pfm: flipud, b"Pf\\n", b"%d %d\\n" % (W, H), b"%f\\n" % -1 (little-endian), raw float32.
The crafted inputs include values where float64 arithmetic, or the other operation order, would give a
different integer, so the tests can tell the exact float32 recipe apart from near misses.
"""

from pathlib import Path

import cv2
import matplotlib
import numpy as np

OUT = Path(__file__).resolve().parent.parent / "test" / "fixtures" / "write"
rng = np.random.default_rng(20240607)


def trunc_f64(x: np.ndarray) -> np.ndarray:
    return np.floor(x).astype(np.int64)


def crafted_depth() -> np.ndarray:
    """192 float32 disparities: min and max first, then values chosen to separate near-miss recipes."""
    lo, hi = np.float32(12.345), np.float32(2876.5)
    cand = rng.uniform(lo, hi, 400_000).astype(np.float32)
    span32 = hi - lo
    span64 = np.float64(hi) - np.float64(lo)
    d32 = cand - lo
    d64 = cand.astype(np.float64) - np.float64(lo)
    picks: list[np.ndarray] = []
    for max_val in (65535, 255):
        mul_first = trunc_f64(max_val * d32 / span32)
        div_first = trunc_f64(d32 / span32 * np.float32(max_val))
        exact = trunc_f64(max_val * d64 / span64)
        picks.append(cand[mul_first != exact][:30])  # float64 evaluation would differ
        picks.append(cand[mul_first != div_first][:20])  # the other operation order would differ
    # Values whose float32 result is an exact integer (the truncation boundary itself).
    r32 = 65535 * d32 / span32
    picks.append(cand[r32 == np.floor(r32)][:10])
    chosen = np.concatenate([[lo, hi], *picks]).astype(np.float32)
    rest = rng.uniform(lo, hi, 192 - chosen.size).astype(np.float32)
    out = np.concatenate([chosen, rest]).astype(np.float32)
    assert out.size == 192 and out.min() == lo and out.max() == hi
    return out.reshape(12, 16)


def crafted_metric() -> np.ndarray:
    """128 float32 depths in metres (0 .. 65.5): exact multiples, and products that float32 rounds up."""
    cand = rng.uniform(0, 65.5, 400_000).astype(np.float32)
    p32 = cand * np.float32(1000.0)
    p64 = cand.astype(np.float64) * 1000.0
    rounds_up = cand[(np.floor(p32) != np.floor(p64))][:40]
    special = np.array([0.0, 1e-7, 0.5, 1.0, 10.0, 65.5, 65.535, 80.0 / 256], dtype=np.float32)
    chosen = np.concatenate([special, rounds_up]).astype(np.float32)
    rest = rng.uniform(0, 65.5, 128 - chosen.size).astype(np.float32)
    return np.concatenate([chosen, rest]).astype(np.float32).reshape(8, 16)


def write_pfm(path: Path, image: np.ndarray, big_endian: bool = False) -> None:
    data = np.flipud(image).astype(">f4" if big_endian else "<f4")
    scale = 1.0 if big_endian else -1.0
    with open(path, "wb") as f:
        f.write(b"Pf\n")
        f.write(b"%d %d\n" % (image.shape[1], image.shape[0]))
        f.write(b"%f\n" % scale)
        data.tofile(f)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    depth = crafted_depth()
    np.save(OUT / "depth.npy", depth)
    lo, hi = depth.min(), depth.max()
    u16 = (65535 * (depth - lo) / (hi - lo)).astype(np.uint16)
    u8 = (255 * (depth - lo) / (hi - lo)).astype(np.uint8)
    u8_div_first = ((depth - lo) / (hi - lo) * 255.0).astype(np.uint8)
    np.save(OUT / "depth_u16.npy", u16)
    np.save(OUT / "depth_u8.npy", u8)
    np.save(OUT / "depth_u8_div_first.npy", u8_div_first)
    cv2.imwrite(str(OUT / "depth_u16_cv2.png"), u16, [cv2.IMWRITE_PNG_COMPRESSION, 0])
    write_pfm(OUT / "depth.pfm", depth)
    write_pfm(OUT / "depth_be.pfm", depth, big_endian=True)

    metric = crafted_metric()
    np.save(OUT / "metric.npy", metric)
    kitti = metric.copy()
    kitti *= 256
    nyu = metric.copy()
    nyu *= 1000.0
    assert nyu.max() < 65536, "numpy would wrap; keep metric goldens in range"
    np.save(OUT / "metric_kitti_u16.npy", kitti.astype(np.uint16))
    np.save(OUT / "metric_nyu_u16.npy", nyu.astype(np.uint16))

    # npy header corner cases: 0-d, 1-d, and a shape whose header needs a full 64 bytes of padding.
    np.save(OUT / "npy_scalar.npy", np.array(3.5, dtype=np.float32))
    np.save(OUT / "npy_1d.npy", np.arange(7, dtype=np.float32) / 3)
    np.save(OUT / "npy_pad64.npy", (np.arange(200, dtype=np.float32) / 7).reshape((2,) + (1,) * 11 + (10, 10)))

    ramp = rng.permutation(256).astype(np.uint8).reshape(16, 16)
    np.save(OUT / "colormap_input.npy", ramp)
    for name in ("INFERNO", "TURBO", "VIRIDIS"):
        rgb = cv2.applyColorMap(ramp, getattr(cv2, f"COLORMAP_{name}"))[:, :, ::-1]
        np.save(OUT / f"colormap_{name.lower()}.npy", np.ascontiguousarray(rgb))
    spectral = (matplotlib.colormaps["Spectral_r"](ramp)[:, :, :3] * 255).astype(np.uint8)
    np.save(OUT / "colormap_spectral_r.npy", spectral)

    total = sum(p.stat().st_size for p in OUT.iterdir())
    print(f"wrote {len(list(OUT.iterdir()))} files, {total} bytes, to {OUT}")
    print("float64 would differ (u16):", int((trunc_f64(65535 * (depth.astype(np.float64) - lo) / (np.float64(hi) - lo)) != u16).sum()))
    print("divide-first would differ (u8):", int((u8 != u8_div_first).sum()))
    print("NYU float64 would differ:", int((np.floor(metric.astype(np.float64) * 1000) != nyu.astype(np.uint16)).sum()))


if __name__ == "__main__":
    main()
