import type {SegmentCounts} from '../metrics/segment-counts.js'
import type {ClassOverlap} from '../types.js'

/** One image's [class, intersection, union] for every class present in its labels or predictions, by class. */
export function classOverlaps(counts: SegmentCounts): ClassOverlap[] {
  const union = counts.union()
  const out: ClassOverlap[] = []
  union.forEach((u, c) => {
    if (u > 0) out.push([c, counts.intersection[c]!, u])
  })
  return out
}
