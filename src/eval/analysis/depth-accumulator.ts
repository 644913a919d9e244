import {isDeepStrictEqual} from 'node:util'
import {DptError} from '../../pipeline/errors.js'
import type {DepthAnalysis, DepthBins, DepthCell} from '../types.js'
import {binIndexer} from './depth-bins.js'

/** Per-image AbsRel sums are rounded to this quantum: sums of its multiples are exact in float64 below 2^37. */
const QUANTUM = 2 ** -16

/**
 * The depth analysis of a dataset, accumulated image by image from the pixels the metrics used (aligned,
 * capped and clipped prediction against valid ground truth): a 2-D histogram of ground truth × prediction in
 * log bins, and per ground-truth bin the pixel count, Σ AbsRel and the count over δ > 1.25 (strict, on the
 * float32 ratio, as depthErrors counts it). Only integers and multiples of 2^-16 are added, so the totals do not
 * depend on the order of images or shards.
 */
export class DepthAccumulator {
  readonly bins: DepthBins
  readonly joint: Float64Array
  readonly pixels: Float64Array
  readonly absRelSum: Float64Array
  readonly above125: Float64Array
  private readonly bin: (depth: number) => number
  private readonly imageSum: Float64Array

  constructor(bins: DepthBins) {
    this.bins = bins
    this.bin = binIndexer(bins)
    this.joint = new Float64Array(bins.count * bins.count)
    this.pixels = new Float64Array(bins.count)
    this.absRelSum = new Float64Array(bins.count)
    this.above125 = new Float64Array(bins.count)
    this.imageSum = new Float64Array(bins.count)
  }

  /** One image's scored pixels: `pred` and `gt` depth, matched, both > 0. */
  add(pred: Float64Array, gt: Float64Array): void {
    const n = this.bins.count
    const sums = this.imageSum.fill(0)
    for (let i = 0; i < gt.length; i++) {
      const p = pred[i]!
      const g = gt[i]!
      const gb = this.bin(g)
      this.joint[gb * n + this.bin(p)]!++
      this.pixels[gb]!++
      sums[gb]! += Math.abs(g - p) / g
      const p32 = Math.fround(p)
      const g32 = Math.fround(g)
      if (Math.max(Math.fround(g32 / p32), Math.fround(p32 / g32)) > 1.25) this.above125[gb]!++
    }
    for (let k = 0; k < n; k++) this.absRelSum[k]! += Math.round(sums[k]! / QUANTUM) * QUANTUM
  }

  merge(other: DepthAccumulator): void {
    if (!isDeepStrictEqual(other.bins, this.bins)) {
      throw new DptError(`Cannot merge depth histograms with different bins: ${JSON.stringify(other.bins)} vs ${JSON.stringify(this.bins)}.`)
    }
    for (let i = 0; i < this.joint.length; i++) this.joint[i]! += other.joint[i]!
    for (let k = 0; k < this.bins.count; k++) {
      this.pixels[k]! += other.pixels[k]!
      this.absRelSum[k]! += other.absRelSum[k]!
      this.above125[k]! += other.above125[k]!
    }
  }

  toJSON(): DepthAnalysis {
    const n = this.bins.count
    const joint: DepthCell[] = []
    this.joint.forEach((v, i) => {
      if (v !== 0) joint.push([Math.floor(i / n), i % n, v])
    })
    return {bins: this.bins, joint, pixels: [...this.pixels], absRelSum: [...this.absRelSum], above125: [...this.above125]}
  }

  static fromJSON(json: DepthAnalysis): DepthAccumulator {
    const acc = new DepthAccumulator(json.bins)
    const n = json.bins.count
    for (const [name, values] of [
      ['pixels', json.pixels],
      ['absRelSum', json.absRelSum],
      ['above125', json.above125],
    ] as const) {
      if (values.length !== n) throw new DptError(`Depth analysis: ${name} must hold ${n} values, one per bin.`)
      acc[name].set(values)
    }
    for (const [g, p, v] of json.joint) {
      if (![g, p, v].every(Number.isInteger) || g < 0 || p < 0 || g >= n || p >= n || v <= 0) {
        throw new DptError(`Depth analysis: cell [${g}, ${p}, ${v}] is not a positive count of two of ${n} bins.`)
      }
      acc.joint[g * n + p]! += v
    }
    return acc
  }
}
