import {thresholdResult, type GateCatalog} from '../eval/report/index.js'
import type {GateResult, ThresholdGate} from '../eval/types.js'
import type {BenchResult} from './run.js'

interface BenchMetric {
  readonly name: string
  readonly label: string
  readonly better: 'lower' | 'higher'
  readonly aliases: readonly string[]
  readonly value: (result: BenchResult) => number
}

/** The figures a `dpt bench --fail-if` gate can name. */
const BENCH_METRICS: readonly BenchMetric[] = [
  {name: 'imagesPerSecond', label: 'images/s', better: 'higher', aliases: ['images_per_s', 'img/s', 'throughput'], value: (r) => r.imagesPerSecond},
  {name: 'latencyP50Ms', label: 'latency p50 (ms)', better: 'lower', aliases: ['p50', 'latency_p50', 'latency_p50_ms'], value: (r) => r.latencyMs.p50},
  {name: 'latencyP95Ms', label: 'latency p95 (ms)', better: 'lower', aliases: ['p95', 'latency_p95', 'latency_p95_ms'], value: (r) => r.latencyMs.p95},
  {name: 'latencyP99Ms', label: 'latency p99 (ms)', better: 'lower', aliases: ['p99', 'latency_p99', 'latency_p99_ms'], value: (r) => r.latencyMs.p99},
  {name: 'peakRssMb', label: 'peak RSS (MiB)', better: 'lower', aliases: ['peak_rss_mb', 'peak_rss', 'rss'], value: (r) => r.peakRssMb},
  {
    name: 'gflopsPerSecond',
    label: 'GFLOP/s in session.run',
    better: 'higher',
    aliases: ['gflops_per_s', 'gflop/s'],
    value: (r) => r.achievedGflopsPerSecond.inference,
  },
  {
    name: 'endToEndGflopsPerSecond',
    label: 'GFLOP/s end to end',
    better: 'higher',
    aliases: ['e2e_gflops_per_s'],
    value: (r) => r.achievedGflopsPerSecond.endToEnd,
  },
]

const key = (s: string): string => s.toLowerCase().replace(/[\s_-]/g, '')
const BY_KEY = new Map(BENCH_METRICS.flatMap((m) => [m.name, m.label, ...m.aliases].map((s) => [key(s), m] as const)))

export const BENCH_GATES: GateCatalog = {
  spellings: BENCH_METRICS.flatMap((m) => [m.name, m.label, ...m.aliases]).sort((a, b) => b.length - a.length),
  find: (spelling) => BY_KEY.get(key(spelling)),
  names: BENCH_METRICS.map((m) => m.name),
  example: 'e.g. --fail-if "images_per_s<0.5" or --fail-if "peak_rss_mb>3000".',
  aliasHint: 'Aliases work too (case-insensitive): images_per_s, p50/p95/p99, peak_rss_mb, gflops_per_s.',
}

/** Each gate against the benchmark's figures. */
export function benchGates(result: BenchResult, gates: readonly ThresholdGate[]): GateResult[] {
  return gates.map((gate) => {
    const metric = BY_KEY.get(key(gate.metric))!
    return thresholdResult(gate, metric, metric.value(result))
  })
}
