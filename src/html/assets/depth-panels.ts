import type {RgbImage} from './rgb.js'

/** Colour of a pixel without valid ground truth. */
const INVALID = 128

/** A display range in metres for an image: the 1st and 99th percentiles of its valid ground truth (outliers do not wash it out). */
export function depthRange(gt: Float32Array, valid: Uint8Array): readonly [number, number] {
  const values: number[] = []
  let n = 0
  for (let i = 0; i < gt.length; i++) if (valid[i] === 1) n++
  // At most ~100k samples, taken evenly: the percentiles of a 24-MP ETH3D frame without sorting all of it.
  const stride = Math.max(1, Math.floor(n / 100_000))
  let k = 0
  for (let i = 0; i < gt.length; i++) if (valid[i] === 1 && k++ % stride === 0) values.push(gt[i]!)
  if (values.length === 0) return [1, 10]
  values.sort((a, b) => a - b)
  const lo = values[Math.floor(0.01 * (values.length - 1))]!
  const hi = values[Math.ceil(0.99 * (values.length - 1))]!
  return hi > lo ? [lo, hi] : [lo / 1.5, lo * 1.5]
}

/**
 * Depth → colour, log scale over `range`, near bright: LUT entry 255 at range[0] (a reversed LUT read left to
 * right gives the colour bar). Pixels where `valid` is 0 are grey when `maskInvalid` (ground truth has no value
 * there; the prediction does).
 */
export function depthColours(
  depth: Float32Array,
  width: number,
  height: number,
  range: readonly [number, number],
  lut: Uint8Array,
  valid?: Uint8Array,
): RgbImage {
  const data = new Uint8Array(width * height * 3)
  const logLo = Math.log(range[0])
  const perLog = 255 / (Math.log(range[1]) - logLo)
  for (let i = 0; i < depth.length; i++) {
    const d = depth[i]!
    if ((valid !== undefined && valid[i] !== 1) || !(d > 0)) {
      data.fill(INVALID, i * 3, i * 3 + 3)
      continue
    }
    const t = Math.min(255, Math.max(0, Math.round((Math.log(d) - logLo) * perLog)))
    const k = (255 - t) * 3
    data[i * 3] = lut[k]!
    data[i * 3 + 1] = lut[k + 1]!
    data[i * 3 + 2] = lut[k + 2]!
  }
  return {width, height, data}
}

/** AbsRel |p − g| / g per valid pixel, linear over [0, maxError] (saturating above), grey where the ground truth is not valid. */
export function errorColours(
  pred: Float32Array,
  gt: Float32Array,
  valid: Uint8Array,
  width: number,
  height: number,
  maxError: number,
  lut: Uint8Array,
): RgbImage {
  const data = new Uint8Array(width * height * 3)
  for (let i = 0; i < gt.length; i++) {
    if (valid[i] !== 1) {
      data.fill(INVALID, i * 3, i * 3 + 3)
      continue
    }
    const g = gt[i]!
    const e = Math.abs(pred[i]! - g) / g
    const k = Math.min(255, Math.round((e / maxError) * 255)) * 3
    data[i * 3] = lut[k]!
    data[i * 3 + 1] = lut[k + 1]!
    data[i * 3 + 2] = lut[k + 2]!
  }
  return {width, height, data}
}

/** The LUT read backwards (entry k ↔ 255 − k): the colour bar of a map that puts entry 255 at its low end. */
export function reversedLut(lut: Uint8Array): Uint8Array {
  const out = new Uint8Array(768)
  for (let k = 0; k < 256; k++) out.set(lut.subarray((255 - k) * 3, (255 - k) * 3 + 3), k * 3)
  return out
}
