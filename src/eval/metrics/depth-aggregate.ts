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
 * single run's numbers bit for bit. null when no image was scored (or a metric is NaN in some image).
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
    // A metric read back from JSON may be null (it was NaN): it stays NaN, so the mean is undefined too.
    for (const r of scored) sum += r.metrics[name] ?? Number.NaN
    const mean = sum / scored.length
    out[name] = Number.isNaN(mean) ? null : mean
  }
  return out
}
