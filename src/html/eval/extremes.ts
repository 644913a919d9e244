/** An image and how bad it is by the ranking metric (larger is worse). */
export interface Ranked {
  readonly id: string
  readonly badness: number
}

/** Worst first; equal values by id, so the result does not depend on the order images arrive in. */
const worseFirst = (a: Ranked, b: Ranked): number => b.badness - a.badness || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/**
 * The N worst and N best images of a stream, in one pass and O(N) memory: both ends of one total order
 * (badness, then id). `offer` says whether the image is now kept and which ids no list keeps any more, so
 * that a caller writing files for kept images can delete the evicted ones' files. The final lists are those a
 * sort of all images would give, whatever the arrival order.
 */
export class Extremes {
  private readonly worstList: Ranked[] = []
  private readonly bestList: Ranked[] = []

  constructor(readonly n: number) {}

  offer(candidate: Ranked): {readonly kept: boolean; readonly evicted: readonly string[]} {
    if (Number.isNaN(candidate.badness) || this.n === 0) return {kept: false, evicted: []}
    const fromWorst = insert(this.worstList, candidate, worseFirst, this.n)
    const fromBest = insert(this.bestList, candidate, (a, b) => worseFirst(b, a), this.n)
    const kept = this.has(candidate.id)
    const evicted = [fromWorst, fromBest].filter((id): id is string => id !== undefined && id !== candidate.id && !this.has(id))
    return {kept, evicted: [...new Set(evicted)]}
  }

  /** Worst first. */
  worst(): readonly Ranked[] {
    return [...this.worstList]
  }

  /** Best first. */
  best(): readonly Ranked[] {
    return [...this.bestList]
  }

  has(id: string): boolean {
    return this.worstList.some((r) => r.id === id) || this.bestList.some((r) => r.id === id)
  }
}

/** Inserts in order, keeps the first n; returns the id that fell off the end (possibly the candidate itself). */
function insert(list: Ranked[], candidate: Ranked, order: (a: Ranked, b: Ranked) => number, n: number): string | undefined {
  let at = list.findIndex((r) => order(candidate, r) < 0)
  if (at === -1) at = list.length
  if (at >= n) return candidate.id
  list.splice(at, 0, candidate)
  return list.length > n ? list.pop()!.id : undefined
}
