import type {DepthBins, DepthProtocol} from '../types.js'

/** Bins per decade of depth: 30 gives bins about 8 % wide, finer than the δ < 1.25 band (≈ 3 bins). */
const BINS_PER_DECADE = 30
/** Decades shown below the protocol's far limit: 10 m → 1 cm (NYU), 80 m → 8 cm (KITTI). */
const DECADES = 3
/** The far limit when the protocol has none (no max depth, no cap). */
const UNBOUNDED_FAR = 100

/**
 * The histogram bins of a protocol: log-spaced from the far limit (max depth, else cap, else 100 m) down three
 * decades or to the near limit, whichever is nearer. A function of the protocol alone, so every shard of a run
 * bins alike and their histograms add up.
 */
export function depthBinsFor(protocol: DepthProtocol): DepthBins {
  const far = Number.isFinite(protocol.maxDepth) ? protocol.maxDepth : (protocol.cap ?? UNBOUNDED_FAR)
  const near = Math.max(protocol.minDepth, far / 10 ** DECADES)
  const decades = Math.log10(far / near)
  return {min: near, max: far, count: Math.max(1, Math.round(decades * BINS_PER_DECADE))}
}

/** A function from depth to bin index (values outside the range go to the end bins; non-positive to bin 0). */
export function binIndexer(bins: DepthBins): (depth: number) => number {
  const logMin = Math.log(bins.min)
  const perLog = bins.count / (Math.log(bins.max) - logMin)
  const last = bins.count - 1
  return (depth) => {
    const k = Math.floor((Math.log(depth) - logMin) * perLog)
    return k > 0 ? (k < last ? k : last) : 0
  }
}

/** The lower edge of bin k (k = count gives the upper edge of the last bin). */
export function binEdge(bins: DepthBins, k: number): number {
  return bins.min * (bins.max / bins.min) ** (k / bins.count)
}
