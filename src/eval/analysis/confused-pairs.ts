import type {SegmentAnalysis} from '../types.js'

export interface ConfusedPair {
  readonly label: number
  readonly predicted: number
  readonly pixels: number
  /** Of the pixels labelled `label`, the share predicted as `predicted` (0..1). */
  readonly shareOfLabel: number
  /** Of all labelled pixels counted in the matrix, the share in this cell (0..1). */
  readonly shareOfAll: number
}

/** The off-diagonal cells with the most pixels: which class is taken for which, and how much it costs. Ties by label, then prediction. */
export function mostConfusedPairs(analysis: SegmentAnalysis, limit: number): ConfusedPair[] {
  const total = analysis.confusion.reduce((s, [, , v]) => s + v, 0)
  return analysis.confusion
    .filter(([l, p]) => l !== p)
    .sort((a, b) => b[2] - a[2] || a[0] - b[0] || a[1] - b[1])
    .slice(0, limit)
    .map(([label, predicted, pixels]) => ({
      label,
      predicted,
      pixels,
      shareOfLabel: pixels / (analysis.labelPixels[label] ?? pixels),
      shareOfAll: pixels / total,
    }))
}
