import type {MetricInfo} from '../../eval/report/metric-catalog.js'

export type Verdict = 'better' | 'worse' | 'same'

/** Whether new − old moved the metric in its better direction. */
export function verdictOf(delta: number, better: MetricInfo['better']): Verdict {
  if (delta === 0 || !Number.isFinite(delta)) return 'same'
  return (better === 'lower' ? delta < 0 : delta > 0) ? 'better' : 'worse'
}

/** "+0.0123" / "−1.20 %" with the metric's decimals and unit. */
export function formatDelta(info: Pick<MetricInfo, 'decimals' | 'unit'>, delta: number): string {
  const sign = delta > 0 ? '+' : delta < 0 ? '−' : '±'
  const text = Math.abs(delta).toFixed(info.decimals)
  return `${sign}${text}${info.unit === '%' ? ' pp' : info.unit === 'm' ? ' m' : ''}`
}
