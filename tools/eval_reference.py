"""Independent numpy reference for `dpt eval` metrics; writes the goldens under test/fixtures/eval/.

Run with the tools venv (numpy only):
    tools/.venv/bin/python tools/eval_reference.py

Deterministic (fixed seed, fixed case list, no timestamps). Written from the formulas of the reference
evaluation code, vectorised the numpy way (boolean masks over whole arrays), not transcribed from dpt's
TypeScript loops:
- valid mask, clipping and crops: BTS utils/eval_with_pngs.py (strict min < gt < max; Garg window from
  int(fraction * size); Eigen NYU window 45:471, 41:601; KITTI benchmark window top = H - 352,
  left = int((W - 1216) / 2));
- alignment: MiDaS/DPT `compute_scale_and_shift` normal equations (det <= 0 -> scale = shift = 0), applied
  to GT disparity 1/d; aligned disparity clamped below at 1/cap, then inverted (MiDaS BadPixelMetric);
- errors: BTS `compute_errors` (d1..d3 strict < on the float32 ratio, as BTS's float32 arrays compute it, SILog 100*sqrt(E[e^2] - E[e]^2)), the Depth Anything V2
  metric eval SILog sqrt(E[e^2] - 0.5*E[e]^2), and the DPT table metric 100 * mean(max ratio > 1.25);
- segmentation: mmsegmentation `intersect_and_union` + `total_area_to_metrics` (NaN for empty classes,
  nan-means) and, separately, PyTorch-Encoding `batch_pix_accuracy` / `batch_intersection_union` with its
  +1 label shift, histogram over 1..n and np.spacing(1) denominators (mean over all classes).

Inputs are float32 (as datasets and models deliver them); the goldens are computed in float64 from those
float32 values. `float32` holds the same metrics computed in float32 arithmetic, as BTS (numpy float32
arrays) and the MiDaS gist (torch float32) do, to show how far those printouts are from the float64 values.
"""

import csv
import io
import json
import math
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent.parent / "test" / "fixtures" / "eval"
rng = np.random.default_rng(20261124)

# ----------------------------------------------------------------------------------------------------------
# depth


def crop_window(crop, h, w):
    if crop == "eigen":
        assert (h, w) == (480, 640)
        return 45, 471, 41, 601
    if crop == "garg":
        return int(0.40810811 * h), int(0.99189189 * h), int(0.03594771 * w), int(0.96405229 * w)
    if crop == "kitti-bench":
        top = int(h - 352)
        left = int((w - 1216) / 2)
        return top, top + 352, left, left + 1216
    raise ValueError(crop)


def eval_mask(gt, valid, protocol):
    h, w = gt.shape
    with np.errstate(invalid="ignore"):
        mask = np.isfinite(gt) & (gt > protocol["minDepth"]) & (gt < protocol["maxDepth"]) & (gt != 0)
    if valid is not None:
        mask &= valid != 0
    for crop in protocol["crops"]:
        t, b, l, r = crop_window(crop, h, w)
        region = np.zeros_like(mask)
        region[t:b, l:r] = True
        mask &= region
    return mask


def scale_and_shift(pred, target, mask, dtype):
    m = mask.astype(dtype)
    a00 = np.sum(m * pred * pred)
    a01 = np.sum(m * pred)
    a11 = np.sum(m)
    b0 = np.sum(m * pred * target)
    b1 = np.sum(m * target)
    det = a00 * a11 - a01 * a01
    if not det > 0:
        return dtype(0), dtype(0)
    return (a11 * b0 - a01 * b1) / det, (-a01 * b0 + a00 * b1) / det


def scale_only(pred, target, mask, dtype):
    pp = np.sum(pred[mask] ** 2)
    return (np.sum(pred[mask] * target[mask]) / pp if pp > 0 else dtype(0)), dtype(0)


def errors(gt, pred):
    # The reference holds depth in float32 arrays, so its ratio (and every delta decision at a tie) is float32.
    g32 = gt.astype(np.float32)
    p32 = pred.astype(np.float32)
    with np.errstate(divide="ignore", over="ignore"):
        thresh = np.maximum(g32 / p32, p32 / g32)
    e = np.log(pred) - np.log(gt)
    return {
        "absRel": np.mean(np.abs(gt - pred) / gt),
        "sqRel": np.mean((gt - pred) ** 2 / gt),
        "rmse": np.sqrt(np.mean((gt - pred) ** 2)),
        "rmseLog": np.sqrt(np.mean((np.log(gt) - np.log(pred)) ** 2)),
        "log10": np.mean(np.abs(np.log10(pred) - np.log10(gt))),
        # max(0, .): a constant log ratio is mathematically 0 but can round just below it (dpt clamps too).
        "silogBts": np.sqrt(max(0.0, np.mean(e**2) - np.mean(e) ** 2)) * 100,
        "silogDa": np.sqrt(max(0.0, np.mean(e**2) - 0.5 * np.mean(e) ** 2)),
        "delta1": np.mean(thresh < 1.25),
        "delta2": np.mean(thresh < 1.25**2),
        "delta3": np.mean(thresh < 1.25**3),
        "deltaAbove125Pct": 100 * np.mean(thresh > 1.25),
    }


def score(pred32, gt32, valid, kind, protocol, dtype=np.float64):
    gt = gt32.astype(dtype)
    pred = pred32.astype(dtype)
    mask = eval_mask(gt32, valid, protocol)
    n = int(mask.sum())
    if n == 0:
        return {"pixels": 0, "metrics": None}
    alignment = protocol["alignment"]
    disparity_space = alignment == "scale-shift-disparity" or kind == "disparity"
    if kind == "depth" and disparity_space:
        with np.errstate(divide="ignore"):
            pred = np.where((pred > 0) & np.isfinite(pred), 1 / pred, 0).astype(dtype)
    target = np.zeros_like(gt)
    if disparity_space:
        target[mask] = 1 / gt[mask]
    else:
        target[mask] = gt[mask]
    fit = None
    if alignment in ("scale-shift-disparity", "scale-shift-depth"):
        fit = scale_and_shift(pred, target, mask, dtype)
    elif alignment == "scale":
        fit = scale_only(pred, target, mask, dtype)
    out = pred if fit is None else fit[0] * pred + fit[1]
    cap = protocol["cap"]
    if disparity_space:
        if cap is not None:
            out = np.where(out < 1 / cap, dtype(1 / cap), out)
        with np.errstate(divide="ignore"):
            out = 1 / out
    elif cap is not None:
        out = np.where(out > cap, dtype(cap), out)
    if protocol["clip"]:
        out = np.clip(out, protocol["minDepth"], protocol["maxDepth"])
    result = {"pixels": n, "metrics": {k: float(v) for k, v in errors(gt[mask], out[mask].astype(dtype)).items()}}
    if fit is not None:
        result["scale"] = float(fit[0])
        result["shift"] = float(fit[1])
    return result


def f32list(a):
    return [None if not math.isfinite(v) else v for v in np.asarray(a, np.float32).astype(np.float64).ravel().tolist()]


def special_f32(a):
    """JSON has no NaN/inf: encode them as strings the test decodes."""
    out = []
    for v in np.asarray(a, np.float32).astype(np.float64).ravel().tolist():
        out.append("nan" if math.isnan(v) else "inf" if v == math.inf else "-inf" if v == -math.inf else v)
    return out


def generated(h, w, kind):
    """Large frames from integer formulas that dpt's test regenerates exactly (no arrays stored)."""
    y, x = np.mgrid[0:h, 0:w].astype(np.int64)
    gt = (0.5 + ((y * 31 + x * 17) % 1000) / 100.0).astype(np.float32)
    gt[(x * 7 + y * 3) % 11 == 0] = 0
    noise = ((y * 13 + x * 29) % 997) / 997.0
    if kind == "disparity":
        pred = (0.2 + 3.0 / (0.5 + ((y * 31 + x * 17) % 1000) / 100.0) + 0.05 * noise).astype(np.float32)
    else:
        pred = (0.3 + ((y * 31 + x * 17) % 1000) / 95.0 + 0.8 * noise).astype(np.float32)
    return gt, pred


def proto(alignment, lo, hi, cap, crops=(), clip=False):
    return {"task": "depth", "alignment": alignment, "minDepth": lo, "maxDepth": hi, "cap": cap, "crops": list(crops), "clip": clip}


def depth_cases():
    cases = []

    def add(name, gt, pred, kind, protocol, valid=None, note=""):
        case = {"name": name, "note": note, "width": gt.shape[1], "height": gt.shape[0], "kind": kind, "protocol": protocol}
        case["gt"] = special_f32(gt)
        case["pred"] = special_f32(pred)
        if valid is not None:
            case["valid"] = valid.astype(int).ravel().tolist()
        case["expected"] = score(pred, gt, valid, kind, protocol)
        case["float32"] = score(pred, gt, valid, kind, protocol, np.float32)
        cases.append(case)

    h, w = 6, 8
    gt = rng.uniform(0.5, 9.0, (h, w)).astype(np.float32)
    gt[0, 0] = 0
    gt[0, 1] = np.nan
    gt[0, 2] = np.inf
    gt[0, 3] = 12.0  # above max
    gt[1, 0] = 10.0  # exactly max: excluded (strict)
    pred = (gt * rng.uniform(0.7, 1.4, (h, w))).astype(np.float32)
    pred[2, 0] = 0  # clipped up to min
    pred[2, 1] = np.inf  # clipped down to max
    pred[2, 2] = 15.0
    pred = np.nan_to_num(pred, nan=3.0, posinf=np.inf).astype(np.float32)
    add("metric-bts", gt, pred, "depth", proto("none", 1e-3, 10, None, clip=True), note="invalid GT 0/NaN/inf/>max/=max; preds clipped")

    gt = np.array([[1, 2, 1, 1, 4, 1], [1, 2, 1, 1, 1, 1]], np.float32)
    pred = np.array([[1.25, 2.5, 1.5625, 1.953125, 5, 0.8], [1.2, 1.6, 1.25 ** 2 + 0.001, 1.953125 + 0.001, 1, 1]], np.float32)
    add("delta-ties", gt, pred, "depth", proto("none", 1e-3, 100, None),
        note="ratios exactly 1.25, 1.5625, 1.953125 (and 1/0.8f, 2/1.6f, exactly 1.25 in float32): not < threshold, not > 1.25")

    gt = rng.uniform(1.0, 9.0, (h, w)).astype(np.float32)
    disp = (0.4 / gt + 0.05 + rng.normal(0, 0.01, (h, w))).astype(np.float32)
    add("ssi-disparity", gt, disp, "disparity", proto("scale-shift-disparity", 1e-3, 10, 10), note="MiDaS/DPT zero-shot")
    add("ssi-disparity-low-cap", gt, disp, "disparity", proto("scale-shift-disparity", 1e-3, 10, 3), note="cap 3 m binds")
    add("scale-disparity", gt, disp, "disparity", proto("scale", 1e-3, 10, 10))
    add("none-disparity", gt, (1 / gt * 1.1).astype(np.float32), "disparity", proto("none", 1e-3, 10, 10), note="disparity inverted as is")

    depth_pred = (gt * 0.5 + 0.3 + rng.normal(0, 0.2, (h, w))).astype(np.float32)
    add("ssi-depth-clip", gt, depth_pred, "depth", proto("scale-shift-depth", 1e-3, 10, None, clip=True), note="Marigold style")
    add("scale-depth", gt, depth_pred, "depth", proto("scale", 1e-3, 10, None))
    add("depth-in-disparity-space", gt, depth_pred, "depth", proto("scale-shift-disparity", 1e-3, 10, 10))
    add("depth-cap", gt, (gt * 1.3).astype(np.float32), "depth", proto("none", 1e-3, 10, 8.0), note="predicted depth capped above")

    const = np.full((h, w), 0.5, np.float32)
    add("singular-constant", gt, const, "disparity", proto("scale-shift-disparity", 1e-3, 10, 10), note="det = 0 -> s = t = 0 -> depth = cap")
    one_gt = np.array([[2.0]], np.float32)
    add("singular-one-pixel", one_gt, np.array([[3.0]], np.float32), "disparity", proto("scale-shift-disparity", 1e-3, 10, 10), note="n = 1: det = 0")
    add("singular-zero-scale", gt, np.zeros((h, w), np.float32), "depth", proto("scale", 1e-3, 10, None, clip=True), note="sum p^2 = 0 -> s = 0, clipped to min")

    valid = (rng.uniform(0, 1, (h, w)) > 0.3).astype(np.uint8)
    add("diode-mask", gt, disp, "disparity", proto("scale-shift-disparity", 0.6, 350, 350), valid=valid)
    add("no-valid-pixel", np.zeros((h, w), np.float32), disp, "disparity", proto("scale-shift-disparity", 1e-3, 10, 10))
    add("all-outside-range", np.full((h, w), 20.0, np.float32), disp, "disparity", proto("scale-shift-disparity", 1e-3, 10, 10))

    gen = []
    for name, (hh, ww), kind, protocol in [
        ("nyu-eigen-metric", (480, 640), "depth", proto("none", 1e-3, 10, None, ["eigen"], clip=True)),
        ("nyu-eigen-ssi", (480, 640), "disparity", proto("scale-shift-disparity", 1e-3, 10, 10, ["eigen"])),
        ("kitti-garg-metric", (375, 1242), "depth", proto("none", 1e-3, 80, None, ["garg"], clip=True)),
        ("kitti-bench-ssi", (375, 1242), "disparity", proto("scale-shift-disparity", 1e-3, 80, 80, ["kitti-bench"])),
        ("kitti-garg-and-bench", (376, 1241), "depth", proto("none", 1e-3, 80, None, ["garg", "kitti-bench"], clip=True)),
    ]:
        g, p = generated(hh, ww, kind)
        gen.append({"name": name, "width": ww, "height": hh, "kind": kind, "protocol": protocol,
                    "expected": score(p, g, None, kind, protocol), "float32": score(p, g, None, kind, protocol, np.float32)})

    windows = []
    for hh, ww in [(375, 1242), (370, 1224), (374, 1238), (376, 1241), (352, 1216), (480, 640)]:
        for crop in ("garg", "kitti-bench", "eigen"):
            if crop == "eigen" and (hh, ww) != (480, 640):
                continue
            if crop == "kitti-bench" and (hh < 352 or ww < 1216):
                continue
            t, b, l, r = crop_window(crop, hh, ww)
            windows.append({"crop": crop, "width": ww, "height": hh, "top": t, "bottom": b, "left": l, "right": r})

    # Dataset mean: per-image metrics averaged over scored images; the no-valid image is reported, not averaged.
    images = []
    for i, ident in enumerate(["b/2.png", "a/10.png", "a/9.png", "c.png"]):
        g = rng.uniform(1.0, 9.0, (4, 5)).astype(np.float32)
        if ident == "c.png":
            g[:] = 0
        d = (0.3 / g + 0.02 * i + rng.normal(0, 0.01, (4, 5))).astype(np.float32) if ident != "c.png" else np.ones((4, 5), np.float32)
        images.append({"id": ident, "gt": special_f32(g), "pred": special_f32(d)})
    protocol = proto("scale-shift-disparity", 1e-3, 10, 10)
    scored = []
    for im in images:
        g = np.array([float(v) for v in im["gt"]], np.float32).reshape(4, 5)
        d = np.array([float(v) for v in im["pred"]], np.float32).reshape(4, 5)
        r = score(d, g, None, "disparity", protocol)
        if r["metrics"] is not None:
            scored.append(r["metrics"])
    mean = {k: float(np.mean([m[k] for m in scored])) for k in scored[0]}
    aggregate = {"width": 5, "height": 4, "kind": "disparity", "protocol": protocol, "images": images, "scored": len(scored), "mean": mean}

    # silogAbsolute: sqrt(E[e^2] - E[e]^2) cancels when the log ratio is nearly constant (a near-perfect fit),
    # so summation order alone moves it by ~1e-9 there.
    return {"tolerance": {"relative": 1e-10, "absolute": 1e-12, "silogAbsolute": 1e-8, "float32Relative": 1e-4},
            "cases": cases, "generated": gen, "windows": windows, "aggregate": aggregate}


# ----------------------------------------------------------------------------------------------------------
# segmentation


def reduce_zero(label):
    out = label.astype(np.int64).copy()
    out[out == 0] = 255
    out = out - 1
    out[out == 254] = 255
    return out


def mmseg_areas(pred, label, n, ignore):
    mask = label != ignore
    p = pred[mask]
    l = label[mask]
    inter = p[p == l]
    hist = lambda v: np.histogram(v, bins=n, range=(0, n - 1))[0].astype(np.float64)  # noqa: E731 (histc range)
    ai, ap, al = hist(inter), hist(p), hist(l)
    return ai, ap + al - ai, ap, al


def encoding_areas(pred, label, n, ignore):
    """PyTorch-Encoding: predict = class + 1, target = label + 1 (ignored -> 0), histc over 1..n."""
    target = np.where(label == ignore, -1, label) + 1
    predict = (pred + 1) * (target > 0)
    inter = predict * (predict == target)
    hist = lambda v: np.histogram(v, bins=n, range=(1, n))[0].astype(np.float64)  # noqa: E731
    ai, ap, al = hist(inter), hist(predict), hist(target)
    correct = np.sum((predict == target) * (target > 0))
    labeled = np.sum(target > 0)
    return ai, ap + al - ai, correct, labeled


def seg_case(name, n, ignore, reduce, images, names, note=""):
    tot_i = np.zeros(n)
    tot_u = np.zeros(n)
    tot_p = np.zeros(n)
    tot_l = np.zeros(n)
    enc_i = np.zeros(n)
    enc_u = np.zeros(n)
    enc_c = 0
    enc_l = 0
    for pred, raw in images:
        label = reduce_zero(raw) if reduce else raw.astype(np.int64)
        ai, au, ap, al = mmseg_areas(pred.astype(np.int64), label, n, ignore)
        tot_i += ai
        tot_u += au
        tot_p += ap
        tot_l += al
        ei, eu, c, lab = encoding_areas(pred.astype(np.int64), label, n, ignore)
        enc_i += ei
        enc_u += eu
        enc_c += c
        enc_l += lab
    with np.errstate(invalid="ignore", divide="ignore"):
        iou = tot_i / tot_u
        acc = tot_i / tot_l
        all_acc = tot_i.sum() / tot_l.sum()
    assert np.array_equal(enc_i, tot_i) and np.array_equal(enc_u, tot_u)
    eps = np.spacing(1)
    enc_pix = enc_c / (eps + enc_l)
    enc_miou = (enc_i / (eps + enc_u)).mean()

    def num(v):
        return None if math.isnan(v) else float(v)

    with np.errstate(invalid="ignore"):
        metrics = {
            "pixAcc": num(100 * all_acc),
            "mIoU": num(100 * np.nanmean(iou)) if not np.all(np.isnan(iou)) else None,
            "mIoUAll": float(100 * enc_miou),
            "mAcc": num(100 * np.nanmean(acc)) if not np.all(np.isnan(acc)) else None,
        }
    if enc_l > 0:
        assert abs(100 * enc_pix - metrics["pixAcc"]) <= 1e-12 * 100
    return {
        "name": name, "note": note, "numClasses": n, "ignoreIndex": ignore, "reduceZeroLabel": reduce, "names": names,
        "images": [{"pred": p.ravel().tolist(), "label": l.ravel().tolist()} for p, l in images],
        "expected": {
            "intersection": tot_i.tolist(), "union": tot_u.tolist(), "predicted": tot_p.tolist(), "label": tot_l.tolist(),
            "metrics": metrics,
            "perClass": [{"iou": num(100 * a), "acc": num(100 * b)} for a, b in zip(iou, acc)],
        },
    }


def segment_cases():
    cases = []
    n = 5
    imgs = [(rng.integers(0, n, (6, 7)), rng.integers(0, n, (6, 7))) for _ in range(3)]
    cases.append(seg_case("basic", n, 255, False, imgs, [f"c{i}" for i in range(n)]))

    n = 6
    imgs = []
    for _ in range(2):
        label = rng.integers(0, 4, (5, 8))
        label[rng.uniform(0, 1, (5, 8)) < 0.25] = 255
        pred = rng.integers(0, 4, (5, 8))
        pred[0, :3] = 5  # class 5 predicted, never labelled: IoU 0, accuracy NaN
        imgs.append((pred, label))
    cases.append(seg_case("ignore-and-empty", n, 255, False, imgs, [f"c{i}" for i in range(n)],
                          note="class 4 never occurs (union 0: NaN in mmseg, 0 in mIoUAll); class 5 only predicted"))

    n = 150
    imgs = []
    for _ in range(2):
        raw = rng.choice([0, 1, 2, 3, 13, 150, 255], size=(6, 9))
        pred = rng.choice([0, 1, 2, 12, 149, 100], size=(6, 9))
        imgs.append((pred, raw))
    cases.append(seg_case("ade-reduce-zero-label", n, 255, True, imgs, [f"ade{i + 1}" for i in range(n)],
                          note="raw ADE ids: 0 -> ignored, k -> k-1; 255 stays ignored; most classes empty"))

    imgs = [(rng.integers(0, 3, (3, 4)), np.full((3, 4), 255))]
    cases.append(seg_case("all-ignored", 3, 255, False, imgs, ["a", "b", "c"], note="no labelled pixel at all"))
    return {"tolerance": {"relative": 1e-12}, "cases": cases}


# ----------------------------------------------------------------------------------------------------------
# ordinal (DIW point pairs, WHDR)
#
# Chen et al.'s Torch evaluation of DIW (princeton-vl/relative_depth test_model_on_DIW.lua): the CSV alternates an
# image path with "y_A,x_A,y_B,x_B,rel,width,height" (1-based, row first), rel '>' -> r = +1, '<' -> r = -1 (its
# first character); the network's depth z is read at (y, x) and a pair is correct iff (z_A - z_B) * r > 0, so a tie
# is wrong either way; the counts are summed over the test set. For disparity d the depth order is reversed
# (z_A - z_B has the sign of d_B - d_A). Coordinates outside the image are clipped after the - 1 (as later ports do).

ordinal_rng = np.random.default_rng(20261219)  # its own stream: the depth/segment goldens keep their values


def read_pairs(text, diw):
    """Coordinate lines -> int array [n, 4] (y_A, x_A, y_B, x_B) and r [n]; DIW alternates them with image paths."""
    rows = [r for r in csv.reader(io.StringIO(text)) if r and not r[0].startswith("#")]
    images = None
    if diw:
        images, rows = [r[0].strip()[2:] for r in rows[::2]], rows[1::2]
    coords = np.array([[int(v) for v in r[:4]] for r in rows], np.int64).reshape(-1, 4)
    r = np.array([{">": 1, "<": -1}[row[4].strip()[0]] for row in rows], np.int64)
    return images, coords, r


def count_pairs(pred, kind, coords, r):
    h, w = pred.shape
    ya, xa, yb, xb = (np.clip(coords[:, k] - 1, 0, (h, w, h, w)[k] - 1) for k in range(4))
    za = pred[ya, xa].astype(np.float64)
    zb = pred[yb, xb].astype(np.float64)
    depth_order = (za - zb) if kind == "depth" else (zb - za)
    with np.errstate(invalid="ignore"):
        wrong = ~(depth_order * r > 0)
    return {"pairs": int(len(r)), "disagreements": int(wrong.sum()),
            "fartherPairs": int((r > 0).sum()), "fartherDisagreements": int((wrong & (r > 0)).sum())}


def whdr_of(counts):
    total = {k: sum(c[k] for c in counts) for k in counts[0]}
    pct = lambda part, whole: None if whole == 0 else 100 * part / whole  # noqa: E731
    return {"whdr": pct(total["disagreements"], total["pairs"]),
            "whdrFarther": pct(total["fartherDisagreements"], total["fartherPairs"]),
            "whdrCloser": pct(total["disagreements"] - total["fartherDisagreements"], total["pairs"] - total["fartherPairs"])}


def ordinal_cases():
    rnd = ordinal_rng
    # DIW: one pair per image, published CSV layout; landscape and portrait frames so a swapped x/y reads
    # another pixel; borders, points outside (clipped), exact ties and NaN.
    sizes = [(30, 40), (40, 30), (7, 5), (5, 7), (1, 1), (13, 18), (18, 13), (12, 12), (9, 16), (16, 9), (20, 20), (6, 6)]
    images, lines = [], []
    for k, (h, w) in enumerate(sizes):
        name = f"DIW_test/{k:040x}.thumb"
        kind = "depth" if k % 3 == 2 else "disparity"
        pred = rnd.uniform(0.1, 5.0, (h, w)).astype(np.float32)
        ya, yb = rnd.integers(1, h + 1, 2)
        xa, xb = rnd.integers(1, w + 1, 2)
        if k == 2:
            ya, xa, yb, xb = 1, 1, h, w  # the corners
        if k == 3:
            ya, xa, yb, xb = 0, -3, h + 1, w + 5  # outside: clipped to the corners
        if k == 6:
            pred[yb - 1, xb - 1] = pred[ya - 1, xa - 1]  # exact tie: wrong for > and < alike
        if k == 7:
            pred[ya - 1, xa - 1] = np.nan
        if (ya, xa) == (yb, xb) and h > 1:
            yb = 1 + (yb % h)  # distinct points, as DIW's are (the 1x1 image ties by construction)
        rel = ">" if rnd.uniform() < 0.5 else "<"
        if k == 8:
            rel = "<"  # a tie under the other relation too
            pred[yb - 1, xb - 1] = pred[ya - 1, xa - 1]
        lines += [f"./{name}", f"{ya},{xa},{yb},{xb},{rel},{w},{h}"]
        images.append({"id": name, "width": w, "height": h, "kind": kind, "pred": special_f32(pred)})
    text = "\n".join(lines) + "\n"
    ids, coords, r = read_pairs(text, diw=True)
    assert ids == [im["id"] for im in images]
    per_image = []
    for k, im in enumerate(images):
        pred = np.array([float(v) for v in im["pred"]], np.float32).reshape(im["height"], im["width"])
        per_image.append(count_pairs(pred, im["kind"], coords[k:k + 1], r[k:k + 1]))
    for im, c in zip(images, per_image):
        im["expected"] = c
    diw = {"csv": text, "images": images, "metrics": whdr_of(per_image)}

    # Point-pair files (--gt-format pairs): many pairs per image, the size optional, comments; quantised
    # predictions so that some pairs tie.
    files = []
    for k, (h, w, n, kind) in enumerate([(24, 32, 200, "disparity"), (32, 24, 150, "depth"), (10, 10, 60, "disparity")]):
        pred = np.round(rnd.uniform(0.5, 2.0, (h, w)), 1).astype(np.float32)
        ya, yb = rnd.integers(0, h + 2, (2, n))
        xa, xb = rnd.integers(0, w + 2, (2, n))
        rels = np.where(rnd.uniform(0, 1, n) < 0.4, ">", "<")
        body = [f"{a},{b},{c},{d},{e}" + (f",{w},{h}" if (i % 3 == 0 and k != 2) else "") for i, (a, b, c, d, e) in enumerate(zip(ya, xa, yb, xb, rels))]
        text = "# yA,xA,yB,xB,rel[,width,height]\n" + "\n".join(body[: n // 2]) + "\n\n" + "\n".join(body[n // 2:]) + "\n"
        _, coords, r = read_pairs(text, diw=False)
        files.append({"name": f"pairs-{k}", "width": w, "height": h, "kind": kind, "text": text, "pred": special_f32(pred),
                      "expected": count_pairs(pred, kind, coords, r)})
    return {"diw": diw, "files": files, "filesMetrics": whdr_of([f["expected"] for f in files])}


def write(name, data):
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / name).write_text(json.dumps(data, indent=None, separators=(",", ":"), allow_nan=False) + "\n")


if __name__ == "__main__":
    write("depth-metrics.json", depth_cases())
    write("segment-metrics.json", segment_cases())
    write("ordinal-metrics.json", ordinal_cases())
    for f in sorted(OUT.glob("*.json")):
        print(f.name, f.stat().st_size)
