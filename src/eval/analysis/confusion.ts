import {DptError} from '../../pipeline/errors.js'
import type {ConfusionCell} from '../types.js'

type Labels = Uint8Array | Uint16Array | Int32Array | Uint32Array

/**
 * The dataset's confusion matrix, label × prediction, accumulated image by image with SegmentCounts'
 * conventions: pixels labelled with the ignore index are dropped, and only pixels whose label and prediction
 * are both classes 0..n−1 are counted (so the diagonal equals SegmentCounts' intersection). Counts are integers
 * held exactly in float64: any order of adding or merging gives the same matrix.
 */
export class ConfusionMatrix {
  readonly numClasses: number
  readonly ignoreIndex: number
  /** Row-major: cells[label · n + predicted]. */
  readonly cells: Float64Array

  constructor(numClasses: number, ignoreIndex: number) {
    this.numClasses = numClasses
    this.ignoreIndex = ignoreIndex
    this.cells = new Float64Array(numClasses * numClasses)
  }

  /** Add one image: `pred` class indices, `label` class indices with the ignore index (already reduced). */
  add(pred: Labels, label: Labels): void {
    if (pred.length !== label.length) throw new DptError(`Prediction has ${pred.length} pixels but the label map has ${label.length}.`)
    const n = this.numClasses
    const cells = this.cells
    for (let i = 0; i < label.length; i++) {
      const l = label[i]!
      const p = pred[i]!
      if (l === this.ignoreIndex || l >= n || p >= n) continue
      cells[l * n + p]!++
    }
  }

  merge(other: ConfusionMatrix): void {
    if (other.numClasses !== this.numClasses || other.ignoreIndex !== this.ignoreIndex) {
      throw new DptError(`Cannot merge a confusion matrix of ${other.numClasses} classes into one of ${this.numClasses}.`)
    }
    for (let i = 0; i < this.cells.length; i++) this.cells[i]! += other.cells[i]!
  }

  /** The non-zero cells, by label then prediction. */
  toCells(): ConfusionCell[] {
    const out: ConfusionCell[] = []
    const n = this.numClasses
    this.cells.forEach((v, i) => {
      if (v !== 0) out.push([Math.floor(i / n), i % n, v])
    })
    return out
  }

  static fromCells(numClasses: number, ignoreIndex: number, cells: readonly ConfusionCell[]): ConfusionMatrix {
    const matrix = new ConfusionMatrix(numClasses, ignoreIndex)
    for (const [l, p, v] of cells) {
      if (![l, p, v].every(Number.isInteger) || l < 0 || p < 0 || l >= numClasses || p >= numClasses || v <= 0) {
        throw new DptError(`Confusion cell [${l}, ${p}, ${v}] is not a positive count of two of ${numClasses} classes.`)
      }
      matrix.cells[l * numClasses + p]! += v
    }
    return matrix
  }
}
