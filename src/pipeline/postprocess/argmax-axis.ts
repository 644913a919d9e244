/**
 * One axis of an interpolation (bicubic: 4 taps, bilinear: 2) seen by the pruned argmax
 * (`segment-argmax.ts`): its taps, the weight sums that bound an interpolated value by the min/max of its
 * taps, and a partition of the output positions into bands whose taps lie in two consecutive source tiles.
 */
import type {BicubicAxis} from '../../kernels/upsample-bicubic.js'
import type {LinearAxis} from '../../kernels/upsample-bilinear.js'

/** Source pixels per tile along an axis; a band's taps (at most 4 consecutive pixels) lie in tiles k, k + 1. */
export const TILE = 4
/** Output positions per band at most, which bounds the per-block scratch of large upscales. */
export const MAX_BAND = 32

export interface TapAxis {
  /** Taps per output position: 4 or 2. */
  readonly taps: number
  /** `taps` source indices per output position, non-decreasing. */
  readonly index: Int32Array
  /** The kernel's float32 weights, `taps` per output position. */
  readonly weight: Float64Array
  /** Output position where each band starts, then the axis length (bands + 1 entries). */
  readonly bandStart: Int32Array
  /** First of the two source tiles holding each band's taps. */
  readonly bandTile: Int32Array
  /** Largest sum of positive weights over each band's positions. */
  readonly bandPositive: Float64Array
  /** Largest magnitude of the sum of negative weights over each band's positions. */
  readonly bandNegative: Float64Array
  /** Largest Σ|w| over the axis (scales the rounding error of an interpolated value). */
  readonly absSum: number
  /** Smallest and largest Σw over the axis (1 up to the rounding of the weights). */
  readonly sumMin: number
  readonly sumMax: number
}

export function bicubicTapAxis(axis: BicubicAxis): TapAxis {
  return tapAxis(4, axis.index, Float64Array.from(axis.weight))
}

export function bilinearTapAxis(axis: LinearAxis): TapAxis {
  const n = axis.index0.length
  const index = new Int32Array(n * 2)
  const weight = new Float64Array(n * 2)
  for (let d = 0; d < n; d++) {
    index[d * 2] = axis.index0[d]!
    index[d * 2 + 1] = axis.index1[d]!
    weight[d * 2] = axis.lambda0[d]!
    weight[d * 2 + 1] = axis.lambda1[d]!
  }
  return tapAxis(2, index, weight)
}

function tapAxis(taps: number, index: Int32Array, weight: Float64Array): TapAxis {
  const size = index.length / taps
  const starts: number[] = []
  const tiles: number[] = []
  const positive: number[] = []
  const negative: number[] = []
  let absSum = 0
  let sumMin = Infinity
  let sumMax = -Infinity
  for (let d = 0; d < size; d++) {
    let p = 0
    let n = 0
    for (let t = 0; t < taps; t++) {
      const w = weight[d * taps + t]!
      if (w > 0) p += w
      else n -= w
    }
    absSum = Math.max(absSum, p + n)
    sumMin = Math.min(sumMin, p - n)
    sumMax = Math.max(sumMax, p - n)
    const tile = Math.floor(index[d * taps]! / TILE)
    const last = starts.length - 1
    if (last < 0 || tiles[last] !== tile || d - starts[last]! >= MAX_BAND) {
      starts.push(d)
      tiles.push(tile)
      positive.push(p)
      negative.push(n)
    } else {
      positive[last] = Math.max(positive[last]!, p)
      negative[last] = Math.max(negative[last]!, n)
    }
  }
  starts.push(size)
  return {
    taps,
    index,
    weight,
    bandStart: Int32Array.from(starts),
    bandTile: Int32Array.from(tiles),
    bandPositive: Float64Array.from(positive),
    bandNegative: Float64Array.from(negative),
    absSum,
    sumMin,
    sumMax,
  }
}
