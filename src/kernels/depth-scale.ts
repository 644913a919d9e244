/**
 * Depth → integer image conversions, bit-exact with the reference scripts (goldens: tools/write_goldens.py).
 *
 * The reference works on a float32 numpy array, so every step rounds to float32: `Math.fround` after each
 * operation reproduces that exactly (double rounding is harmless for + − × ÷ from 53 to 24 bits).
 * numpy's `astype(uint16)` truncates toward zero; out of range it wraps on x86 (70000 → 4464, −1.5 → 65535,
 * NaN → 0). The reference cannot hit that case (its min and max come from the same array), so here values
 * below 0 or above the maximum clamp instead of wrapping, and non-finite values give 0.
 */

/** `np.finfo("float").eps`: the reference writes all zeros when max − min is not above it. */
const FLOAT64_EPS = 2.220446049250313e-16

export interface ValueRange {
  readonly min: number
  readonly max: number
}

/** Min and max over the finite values; {min: 0, max: 0} (→ an all-zero image) when there are none. */
export function minMaxFinite(data: Float32Array): ValueRange {
  let min = Infinity
  let max = -Infinity
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!
    // NaN fails both comparisons; the infinities are the only values that pass one and are not finite.
    if (v < min && v !== -Infinity) min = v
    if (v > max && v !== Infinity) max = v
  }
  return min <= max ? {min, max} : {min: 0, max: 0}
}

/** The float32 offset and span of the reference scaling; `zero` when the span is too small (an all-zero image). */
export function referenceScale(min: number, max: number): {lo: number; span: number; zero: boolean} {
  const lo = Math.fround(min)
  const span = Math.fround(Math.fround(max) - lo)
  return {lo, span, zero: !(span > FLOAT64_EPS)}
}

/**
 * `max_val * (depth - depth_min) / (depth_max - depth_min)`, evaluated left to right in float32, then
 * truncated: isl-org/DPT util/io.py write_depth and MiDaS v3.1 utils.write_depth (bits=2 → 65535,
 * bits=1 → 255). MiDaS v3.1 replaces non-finite values by 0.0 *before* taking min/max; callers that pass
 * minMaxFinite() get 0 for those pixels without them widening the range (identical when all are finite).
 */
function scaleMultiplyFirst<T extends Uint8Array | Uint16Array>(depth: Float32Array, min: number, max: number, maxVal: number, out: T): T {
  if (out.length !== depth.length) throw new RangeError(`Expected an output of ${depth.length} values, got ${out.length}`)
  const {lo, span, zero} = referenceScale(min, max)
  // Every element is written: `out` may be a reused array.
  if (zero) {
    out.fill(0)
    return out
  }
  for (let i = 0; i < depth.length; i++) {
    const d = depth[i]!
    const x = Math.fround(Math.fround(maxVal * Math.fround(d - lo)) / span)
    // The typed-array store truncates toward zero, as astype does. Not below the maximum: a finite d (x may
    // have overflowed to +Infinity) clamps to it, NaN and +Infinity give 0 (-Infinity gave 0 on the left).
    out[i] = x < maxVal ? (x > 0 ? x : 0) : d - d === 0 ? maxVal : 0
  }
  return out
}

/** 16-bit PNG values of the DPT reference (run_monodepth.py writes bits=2), into `out` when given. */
export function toUint16Reference(depth: Float32Array, min: number, max: number, out = new Uint16Array(depth.length)): Uint16Array {
  return scaleMultiplyFirst(depth, min, max, 65535, out)
}

/** 8-bit values of the reference (bits=1); MiDaS v3.1 feeds these to cv2.applyColorMap(INFERNO). */
export function toUint8Reference(depth: Float32Array, min: number, max: number): Uint8Array {
  return scaleMultiplyFirst(depth, min, max, 255, new Uint8Array(depth.length))
}

/**
 * Depth Anything V2 run.py: `(depth - min) / (max - min) * 255.0`, float32, then astype(uint8). Dividing
 * first rounds differently from toUint8Reference on a few pixels per image. The original has no eps test
 * (a constant map gives 0/0 = NaN, which numpy casts to 0 on x86); the zero image here is the same.
 */
export function toUint8DepthAnything(depth: Float32Array, min: number, max: number): Uint8Array {
  const out = new Uint8Array(depth.length)
  const lo = Math.fround(min)
  const span = Math.fround(Math.fround(max) - lo)
  if (!(span > FLOAT64_EPS)) return out
  for (let i = 0; i < depth.length; i++) {
    const d = depth[i]!
    if (!Number.isFinite(d)) continue
    const x = Math.fround(Math.fround(Math.fround(d - lo) / span) * 255)
    out[i] = x >= 255 ? 255 : x > 0 ? x : 0
  }
  return out
}

/** Metric-depth PNG scales: KITTI stores metres × 256, NYUv2 millimetres (× 1000). */
export const METRIC_PNG_SCALE = {kitti: 256, nyu: 1000} as const

/**
 * Absolute depth as uint16: isl-org/DPT run_monodepth.py multiplies the float32 prediction in place
 * (`prediction *= 256` KITTI, `*= 1000.0` NYU) and write_depth(absolute_depth=True) casts with
 * astype(uint16): float32 product, truncated — the convention the KITTI devkit reads back as png / 256.
 * Depths beyond 65535 / scale (256 m KITTI, 65.5 m NYU) clamp to 65535 instead of numpy's wrap-around;
 * negative and non-finite depths give 0 (also KITTI's "no depth" value).
 */
export function toMetricUint16(depth: Float32Array, scale: number): Uint16Array {
  const out = new Uint16Array(depth.length)
  const s = Math.fround(scale)
  for (let i = 0; i < depth.length; i++) {
    const d = depth[i]!
    if (!Number.isFinite(d)) continue
    const x = Math.fround(d * s)
    out[i] = x >= 65535 ? 65535 : x > 0 ? x : 0
  }
  return out
}
