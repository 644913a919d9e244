/** Nearest-rank percentile of unsorted values (0 when empty). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? 0
}

export interface Percentiles {
  readonly p50: number
  readonly p95: number
  readonly p99: number
}

export const percentiles = (values: readonly number[]): Percentiles => ({
  p50: round(percentile(values, 50)),
  p95: round(percentile(values, 95)),
  p99: round(percentile(values, 99)),
})

/** Milliseconds are reported to 0.1 ms. */
export const round = (ms: number): number => Math.round(ms * 10) / 10
