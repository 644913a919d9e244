import type {ClassRow, SegmentMetrics} from '../types.js'
import type {SegmentCounts} from './segment-counts.js'

/** np.spacing(1): PyTorch-Encoding's eps in its IoU denominators. */
const ENCODING_EPS = 2.220446049250313e-16

export interface SegmentResult {
  readonly metrics: SegmentMetrics
  readonly perClass: readonly ClassRow[]
}

/**
 * Dataset metrics from accumulated counts, in %, divided once (never per-image means):
 * - pixAcc = ΣI / ΣL (mmseg aAcc; PyTorch-Encoding's ΣI / (eps + ΣL) is the same number for ΣL ≥ 1);
 * - mIoU: mmseg `total_area_to_metrics` — IoU = I / U, NaN for U = 0, nan-mean over classes;
 * - mIoUAll: PyTorch-Encoding/CSAIL — I / (eps + U), so empty classes count as 0 in the mean over all classes;
 * - mAcc: mmseg — I / L, NaN for L = 0, nan-mean.
 * Undefined values (no class defined) are NaN; the report turns them into null.
 */
export function segmentMetrics(counts: SegmentCounts, names: readonly string[]): SegmentResult {
  const union = counts.union()
  const perClass: ClassRow[] = []
  let iouSum = 0
  let iouN = 0
  let accSum = 0
  let accN = 0
  let allSum = 0
  let labeled = 0
  let correct = 0
  for (let c = 0; c < counts.numClasses; c++) {
    const i = counts.intersection[c]!
    const u = union[c]!
    const l = counts.label[c]!
    labeled += l
    correct += i
    const iou = u > 0 ? i / u : Number.NaN
    const acc = l > 0 ? i / l : Number.NaN
    if (!Number.isNaN(iou)) {
      iouSum += iou
      iouN++
    }
    if (!Number.isNaN(acc)) {
      accSum += acc
      accN++
    }
    allSum += i / (ENCODING_EPS + u)
    perClass.push({
      index: c,
      name: names[c] ?? `class ${c}`,
      iou: Number.isNaN(iou) ? null : 100 * iou,
      acc: Number.isNaN(acc) ? null : 100 * acc,
    })
  }
  const metrics: SegmentMetrics = {
    pixAcc: labeled > 0 ? (100 * correct) / labeled : Number.NaN,
    mIoU: iouN > 0 ? (100 * iouSum) / iouN : Number.NaN,
    mIoUAll: (100 * allSum) / counts.numClasses,
    mAcc: accN > 0 ? (100 * accSum) / accN : Number.NaN,
  }
  return {metrics, perClass}
}
