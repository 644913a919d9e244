import type {EvalReport, SegmentImageRecord} from '../types.js'

/** A class in one image smaller than this share of the image's labelled pixels is a sliver: not ranked. */
const MIN_UNION_SHARE = 0.01

export interface ClassImage {
  readonly id: string
  /** % */
  readonly iou: number
  readonly intersection: number
  readonly union: number
}

/**
 * Per class, the scored images where it does worst: lowest per-image IoU of the class, then most pixels wrong
 * (union − intersection), then id; among images where the class covers at least 1 % of the labelled pixels (in
 * labels or predictions), so that a few stray pixels do not top every list. Reads the records' `classes`;
 * empty lists when the report has none (written before dpt kept them).
 */
export function worstImagesPerClass(report: EvalReport, limit: number): Map<number, ClassImage[]> {
  const out = new Map<number, ClassImage[]>()
  for (const record of report.images as readonly SegmentImageRecord[]) {
    if (record.status !== 'scored' || record.classes === undefined) continue
    for (const [c, intersection, union] of record.classes) {
      if (union < MIN_UNION_SHARE * record.pixels) continue
      let list = out.get(c)
      if (list === undefined) out.set(c, (list = []))
      list.push({id: record.id, iou: (100 * intersection) / union, intersection, union})
    }
  }
  for (const [c, list] of out) {
    list.sort((a, b) => a.iou - b.iou || b.union - b.intersection - (a.union - a.intersection) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    out.set(c, list.slice(0, limit))
  }
  return out
}
