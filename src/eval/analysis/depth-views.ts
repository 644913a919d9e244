import type {DepthAnalysis} from '../types.js'
import {binEdge} from './depth-bins.js'

export interface DepthBinRow {
  /** Bin edges in metres. */
  readonly from: number
  readonly to: number
  readonly pixels: number
  /** Mean AbsRel over the bin's pixels (pixel-pooled), null without pixels. */
  readonly absRel: number | null
  /** % of the bin's pixels with max(p/g, g/p) > 1.25, null without pixels. */
  readonly above125Pct: number | null
}

/** Error by ground-truth depth: one row per bin that has pixels. */
export function errorByDepth(analysis: DepthAnalysis): DepthBinRow[] {
  const rows: DepthBinRow[] = []
  analysis.pixels.forEach((n, k) => {
    if (n === 0) return
    rows.push({
      from: binEdge(analysis.bins, k),
      to: binEdge(analysis.bins, k + 1),
      pixels: n,
      absRel: analysis.absRelSum[k]! / n,
      above125Pct: (100 * analysis.above125[k]!) / n,
    })
  })
  return rows
}

export interface DensityCell {
  readonly gtFrom: number
  readonly gtTo: number
  readonly predFrom: number
  readonly predTo: number
  readonly pixels: number
  /** Share of the ground-truth bin's pixels in this cell (each column of the plot sums to 1). */
  readonly shareOfGt: number
}

/** The 2-D histogram as cells with their depth ranges, for a density plot. */
export function densityCells(analysis: DepthAnalysis): DensityCell[] {
  return analysis.joint.map(([g, p, pixels]) => ({
    gtFrom: binEdge(analysis.bins, g),
    gtTo: binEdge(analysis.bins, g + 1),
    predFrom: binEdge(analysis.bins, p),
    predTo: binEdge(analysis.bins, p + 1),
    pixels,
    shareOfGt: pixels / analysis.pixels[g]!,
  }))
}

/** The depths that occur (ground truth or prediction), as bin edges in metres: the plots' axis range. */
export function occupiedRange(analysis: DepthAnalysis): readonly [number, number] {
  let lo = analysis.bins.count
  let hi = -1
  for (const [g, p] of analysis.joint) {
    lo = Math.min(lo, g, p)
    hi = Math.max(hi, g, p)
  }
  if (hi < 0) return [analysis.bins.min, analysis.bins.max]
  return [binEdge(analysis.bins, lo), binEdge(analysis.bins, hi + 1)]
}
