import {DptError} from '../../pipeline/errors.js'
import {parseGate, thresholdResult, type GateOutcome} from '../report/gates.js'
import {findMetric, metricsOf} from '../report/metric-catalog.js'
import type {GateResult, ThresholdGate} from '../types.js'
import type {SuiteReports} from './table.js'
import {columnOf, ZERO_SHOT_KEYS, type ZeroShotKey} from './zero-shot.js'

/** A `--fail-if` on one column of the suite: `nyu>9` (the column's table metric) or `nyu:absRel>0.1`. */
export interface ColumnGate {
  readonly source: string
  readonly column: ZeroShotKey
  readonly gate: ThresholdGate
}

const EXAMPLE = 'e.g. --fail-if "nyu>9" (the column\'s table metric, here δ>1.25 %) or --fail-if "diw:whdr>11.5".'

/** Parses `COLUMN OP NUMBER` or `COLUMN:METRIC OP NUMBER`; the metric must be one the column's dataset reports. */
export function parseColumnGate(source: string): ColumnGate {
  const text = source.trim()
  const match = /^([a-z0-9]+)\s*(:|<=|>=|<|>)/i.exec(text)
  const column = ZERO_SHOT_KEYS.find((k) => k === match?.[1]?.toLowerCase())
  if (match === null || column === undefined) {
    throw new DptError(
      `Expected a suite gate as COLUMN<OP>NUMBER or COLUMN:METRIC<OP>NUMBER with COLUMN one of ${ZERO_SHOT_KEYS.join(', ')}, got \`${source}\`.`,
      {
        remedy: EXAMPLE,
      },
    )
  }
  const rest = text.slice(match[1]!.length).trimStart()
  const metricGate = rest.startsWith(':') ? rest.slice(1).trim() : `${columnOf(column).metric}${rest}`
  const gate = {...parseGate(metricGate), source}
  // The column's own metric says which task its dataset is scored as (ordinal for DIW, depth for the others).
  const reported = metricsOf(findMetric(columnOf(column).metric)!.task)
  if (!reported.some((m) => m.name === gate.metric)) {
    const available = reported.map((m) => m.name).join(', ')
    throw new DptError(`\`${source}\`: ${column} reports no ${gate.metric}. Available: ${available}.`, {remedy: EXAMPLE})
  }
  return {source, column, gate}
}

/** Each gate against its column's report; a column that was not scored fails its gate (a gate never passes by default). */
export function evaluateColumnGates(reports: SuiteReports, gates: readonly ColumnGate[]): GateOutcome {
  const results = gates.map((g): GateResult => {
    const info = findMetric(g.gate.metric)!
    const report = reports[g.column]
    if (report === undefined) {
      return {
        gate: g.source,
        kind: 'fail-if',
        metric: info.name,
        value: null,
        threshold: g.gate.threshold,
        passed: false,
        message: `${g.column} was not scored`,
      }
    }
    const result = thresholdResult(g.gate, info, report.metrics[info.name] ?? null)
    return {...result, message: `${g.column}: ${result.message}`}
  })
  return {passed: results.every((r) => r.passed), results}
}
