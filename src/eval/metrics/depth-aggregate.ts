import type {DepthImageRecord, DepthMetricName, DepthMetrics} from '../types.js'

export const DEPTH_METRIC_NAMES: readonly DepthMetricName[] = [
  'absRel',
  'sqRel',
  'rmse',
  'rmseLog',
  'log10',
  'silogBts',
  'silogDa',
  'delta1',
  'delta2',
  'delta3',
  'deltaAbove125Pct',
]

/** Code-unit order of ids: the same in every locale, so every shard order sums the same way. */
export function byId<T extends {readonly id: string}>(a: T, b: T): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/**
 * Dataset depth metrics: the mean over scored images of each per-image metric (BTS and MiDaS/DPT average
 * per image, not per pixel). Summed in float64 over the records sorted by id, so a merge of shards gives the
 * single run's numbers bit for bit. null when no image was scored, or when the mean is not finite.
 */
export function meanDepthMetrics(records: readonly DepthImageRecord[]): Record<DepthMetricName, number | null> {
  const scored = records.filter((r): r is DepthImageRecord & {metrics: DepthMetrics} => r.status === 'scored' && r.metrics !== null)
  scored.sort(byId)
  const out = {} as Record<DepthMetricName, number | null>
  for (const name of DEPTH_METRIC_NAMES) {
    if (scored.length === 0) {
      out[name] = null
      continue
    }
    let sum = 0
    // A metric read back from JSON may be null (it was NaN or ±inf, which JSON cannot hold): it stays NaN, and
    // a non-finite mean is null, so the single run and a merge of its JSON shards agree.
    for (const r of scored) sum += (r.metrics[name] as number | null) ?? Number.NaN
    const mean = sum / scored.length
    out[name] = Number.isFinite(mean) ? mean : null
  }
  return out
}
