import type {SegmentProtocol} from '../types.js'
import {labelsForProtocol, SegmentCounts} from './segment-counts.js'
import {segmentMetrics} from './segment-metrics.js'

type Labels = Parameters<SegmentCounts['add']>[0]

export interface SegmentImageScore {
  /** This image's counts: merge them into the dataset's (the dataset metrics come only from those). */
  readonly counts: SegmentCounts
  /** Non-ignored label pixels. */
  readonly pixels: number
  /** Per-image pixAcc and mmseg mIoU in %, for the CSV rows; null when the image has no labelled pixel. */
  readonly pixAcc: number | null
  readonly mIoU: number | null
}

/**
 * Score one image: `pred` class indices 0..n−1, `rawLabel` as stored in the dataset (reduced here if asked).
 * `observe` sees the prediction with the labels after the reduction (the HTML report's confusion matrix).
 */
export function scoreSegmentImage(
  pred: Labels,
  rawLabel: Labels,
  protocol: SegmentProtocol,
  observe?: (pred: Labels, label: Labels) => void,
): SegmentImageScore {
  const counts = new SegmentCounts(protocol.numClasses, protocol.ignoreIndex)
  const label = labelsForProtocol(rawLabel, protocol)
  counts.add(pred, label)
  observe?.(pred, label)
  const {metrics} = segmentMetrics(counts, [])
  const pixels = counts.label.reduce((s, v) => s + v, 0)
  const orNull = (v: number): number | null => (Number.isNaN(v) ? null : v)
  return {counts, pixels, pixAcc: orNull(metrics.pixAcc), mIoU: orNull(metrics.mIoU)}
}
