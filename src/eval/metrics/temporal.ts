import type {EvalSample} from '../datasets/dataset.js'
import type {DepthGt, DepthPrediction, DepthProtocol, TemporalConsistency} from '../types.js'
import {scoredDepthMap, validPixels} from './depth-image.js'

/**
 * A pixel is static between two consecutive frames when its ground-truth depth changed by at most this fraction
 * (of the smaller of the two): the scene point seen there is (nearly) the same, so a steady prediction barely moves.
 */
export const STATIC_CHANGE = 0.01

/** One frame as it was scored: the raw prediction, the fit the protocol found for it, its ground truth. */
interface HeldFrame {
  readonly prediction: DepthPrediction
  readonly fit: {readonly scale?: number; readonly shift?: number}
  readonly gt: DepthGt
  readonly valid: Uint8Array
}

/** A pair's sum and count, kept by the later frame's id so that the total is summed in id order whatever the run's order. */
interface PairSum {
  readonly id: string
  readonly pixels: number
  readonly sum: number
}

/** The sequence of an id: its folder (Sintel: the scene; TUM: the sequence's rgb/ folder). */
const sequenceOf = (id: string): string => id.slice(0, id.lastIndexOf('/') + 1)

/**
 * The temporal consistency error of a sequence dataset (dpt eval --temporal), frame pairs taken as they are scored,
 * in any order. Consecutive frames are neighbours in id order within one folder (the datasets sort by id, and
 * Sintel's frame_NNNN and TUM's timestamps sort in time). For each pair (t − 1, t), over pixels valid in both
 * ground truths (the protocol's mask) whose ground-truth depth changed by at most {@link STATIC_CHANGE}:
 *
 *   mean of |(d_t − d_{t−1}) − (g_t − g_{t−1})| / g_{t−1}
 *
 * where d is the prediction as the protocol scores it (aligned, capped, clipped) with frame t − 1's fit for both
 * frames: one mapping per pair, as a video with a fixed mapping would show them, so a model whose raw output
 * jumps in scale or shift from frame to frame is charged for it (a per-frame fit to the ground truth would hide
 * that). A perfect prediction scores 0. Pooled over all static pixels of all pairs.
 * A frame is held until both its neighbours are scored (or known not to be), so memory follows how far the run
 * is out of order, not the dataset's length.
 */
export class TemporalPairs {
  private readonly previous = new Map<string, string>()
  private readonly next = new Map<string, string>()
  private readonly held = new Map<string, HeldFrame>()
  /** Ids whose frame is settled: scored (held or released) or skipped. */
  private readonly settled = new Map<string, 'scored' | 'skipped'>()
  private readonly sums: PairSum[] = []

  constructor(
    samples: readonly EvalSample[],
    private readonly protocol: DepthProtocol,
  ) {
    for (let k = 1; k < samples.length; k++) {
      const [a, b] = [samples[k - 1]!.id, samples[k]!.id]
      if (sequenceOf(a) !== sequenceOf(b)) continue
      this.previous.set(b, a)
      this.next.set(a, b)
    }
  }

  /** A frame scored with the protocol's fit for it (`scale`/`shift` absent when the protocol does not align). */
  add(id: string, prediction: DepthPrediction, gt: DepthGt, fit: {scale?: number; shift?: number}): void {
    const valid = new Uint8Array(gt.width * gt.height)
    for (const i of validPixels(gt, this.protocol)) valid[i] = 1
    this.held.set(id, {prediction, fit, gt, valid})
    this.settled.set(id, 'scored')
    const before = this.previous.get(id)
    const after = this.next.get(id)
    if (before !== undefined && this.held.has(before)) this.pair(before, id)
    if (after !== undefined && this.held.has(after)) this.pair(id, after)
    for (const k of [before, id, after]) if (k !== undefined) this.release(k)
  }

  /** A frame that will not be scored (no ground truth, no valid pixel, failed): its neighbours need not wait for it. */
  skip(id: string): void {
    this.settled.set(id, 'skipped')
    for (const k of [this.previous.get(id), this.next.get(id)]) if (k !== undefined) this.release(k)
  }

  /** Frames held in memory now, waiting for a neighbour. */
  get framesHeld(): number {
    return this.held.size
  }

  /** The error over every pair scored, summed in id order; null when no pair had a static pixel. */
  result(): TemporalConsistency {
    const sums = [...this.sums].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    let pixels = 0
    let sum = 0
    for (const s of sums) {
      pixels += s.pixels
      sum += s.sum
    }
    return {pairs: sums.length, staticPixels: pixels, staticChange: STATIC_CHANGE, error: pixels === 0 ? null : sum / pixels}
  }

  private pair(earlier: string, later: string): void {
    const a = this.held.get(earlier)!
    const b = this.held.get(later)!
    if (a.gt.width !== b.gt.width || a.gt.height !== b.gt.height) return
    const da = scoredDepthMap(a.prediction, this.protocol, a.fit)
    const db = scoredDepthMap(b.prediction, this.protocol, a.fit)
    const [ga, gb] = [a.gt.depth, b.gt.depth]
    let pixels = 0
    let sum = 0
    for (let i = 0; i < ga.length; i++) {
      if (a.valid[i] === 0 || b.valid[i] === 0) continue
      const [g0, g1] = [ga[i]!, gb[i]!]
      if (Math.abs(g1 - g0) > STATIC_CHANGE * Math.min(g0, g1)) continue
      pixels++
      sum += Math.abs(db[i]! - da[i]! - (g1 - g0)) / g0
    }
    if (pixels > 0) this.sums.push({id: later, pixels, sum})
  }

  /** Drops a held frame once neither neighbour can still pair with it. */
  private release(id: string): void {
    if (!this.held.has(id)) return
    const waiting = [this.previous.get(id), this.next.get(id)].some((k) => k !== undefined && !this.settled.has(k))
    if (!waiting) this.held.delete(id)
  }
}
