import {DptError} from '../../pipeline/errors.js'
import type {SegmentCountsJson, SegmentProtocol} from '../types.js'

type Labels = Uint8Array | Uint16Array | Int32Array | Uint32Array

/**
 * Per-class pixel counts accumulated over a whole dataset (mmsegmentation `intersect_and_union`, summed):
 * pixels whose label is the ignore index are dropped first; predictions and labels outside 0..n−1 are not
 * counted for their own class (histc range), and union = predicted + label − intersection. Counts are
 * integers, exact in float64, so any order of adding or merging gives the same totals.
 */
export class SegmentCounts {
  readonly numClasses: number
  readonly ignoreIndex: number
  readonly intersection: Float64Array
  readonly predicted: Float64Array
  readonly label: Float64Array

  constructor(numClasses: number, ignoreIndex: number) {
    if (!Number.isInteger(numClasses) || numClasses < 1) throw new DptError(`Expected a positive class count, got ${numClasses}.`)
    this.numClasses = numClasses
    this.ignoreIndex = ignoreIndex
    this.intersection = new Float64Array(numClasses)
    this.predicted = new Float64Array(numClasses)
    this.label = new Float64Array(numClasses)
  }

  /** Add one image: `pred` class indices 0..n−1, `label` class indices with the ignore index (already reduced). */
  add(pred: Labels, label: Labels): void {
    if (pred.length !== label.length) {
      throw new DptError(`Prediction has ${pred.length} pixels but the label map has ${label.length}.`)
    }
    const n = this.numClasses
    for (let i = 0; i < label.length; i++) {
      const l = label[i]!
      if (l === this.ignoreIndex) continue
      const p = pred[i]!
      if (p >= 0 && p < n) this.predicted[p] = this.predicted[p]! + 1
      if (l >= 0 && l < n) {
        this.label[l] = this.label[l]! + 1
        if (p === l) this.intersection[l] = this.intersection[l]! + 1
      }
    }
  }

  /** Add another accumulator's counts (shards); both must describe the same classes. */
  merge(other: SegmentCounts): void {
    if (other.numClasses !== this.numClasses || other.ignoreIndex !== this.ignoreIndex) {
      throw new DptError(`Cannot merge counts of ${other.numClasses} classes into counts of ${this.numClasses}.`)
    }
    for (let c = 0; c < this.numClasses; c++) {
      this.intersection[c]! += other.intersection[c]!
      this.predicted[c]! += other.predicted[c]!
      this.label[c]! += other.label[c]!
    }
  }

  /** Union per class: predicted + label − intersection. */
  union(): Float64Array {
    return this.predicted.map((p, c) => p + this.label[c]! - this.intersection[c]!)
  }

  toJSON(): SegmentCountsJson {
    const sum = (a: Float64Array): number => a.reduce((s, v) => s + v, 0)
    return {
      numClasses: this.numClasses,
      ignoreIndex: this.ignoreIndex,
      intersection: [...this.intersection],
      union: [...this.union()],
      predicted: [...this.predicted],
      label: [...this.label],
      totalLabeled: sum(this.label),
      totalCorrect: sum(this.intersection),
    }
  }

  static fromJSON(json: SegmentCountsJson): SegmentCounts {
    const counts = new SegmentCounts(json.numClasses, json.ignoreIndex)
    const fields = ['intersection', 'predicted', 'label'] as const
    for (const field of fields) {
      const values = json[field]
      if (values.length !== json.numClasses || values.some((v) => !Number.isInteger(v) || v < 0)) {
        throw new DptError(`Segmentation counts: ${field} must hold ${json.numClasses} non-negative integers.`)
      }
      counts[field].set(values)
    }
    // The derived fields must agree: a hand-edited or truncated part would otherwise merge silently.
    const again = counts.toJSON()
    if (!again.union.every((u, c) => u === json.union[c]) || again.totalLabeled !== json.totalLabeled || again.totalCorrect !== json.totalCorrect) {
      throw new DptError('Segmentation counts are inconsistent: union or totals do not match the per-class counts.')
    }
    return counts
  }
}

/**
 * Label ids as stored in the dataset → class indices for the protocol. ADE20K (reduce-zero-label): id 0
 * ("other") → ignore index, id k → k − 1, and the ignore value itself stays ignored (mmseg `reduce_zero_label`).
 */
export function labelsForProtocol(raw: Labels, protocol: SegmentProtocol): Labels {
  if (!protocol.reduceZeroLabel) return raw
  const out = new Int32Array(raw.length)
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i]!
    out[i] = v === 0 || v === protocol.ignoreIndex ? protocol.ignoreIndex : v - 1
  }
  return out
}
