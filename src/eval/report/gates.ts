import {isDeepStrictEqual} from 'node:util'
import {DptError} from '../../pipeline/errors.js'
import type {EvalReport, Gate, GateOperator, GateResult, RegressionGate, ThresholdGate} from '../types.js'
import {findMetric, METRIC_SPELLINGS, METRICS, metricsOf, type MetricInfo} from './metric-catalog.js'

const OPERATORS: readonly GateOperator[] = ['<=', '>=', '<', '>']
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i

/** The metrics a `--fail-if` gate can name: dpt eval's report metrics, or dpt bench's figures. */
export interface GateCatalog {
  /** Every accepted spelling, longest first (a metric's name may itself contain '<' or '>', like δ>1.25). */
  readonly spellings: readonly string[]
  find(spelling: string): Pick<MetricInfo, 'name' | 'label' | 'better'> | undefined
  readonly names: readonly string[]
  /** Example gates for error remedies. */
  readonly example: string
  readonly aliasHint: string
}

export const EVAL_GATES: GateCatalog = {
  spellings: METRIC_SPELLINGS,
  find: findMetric,
  names: METRICS.map((m) => m.name),
  example: 'e.g. --fail-if "mIoU<47.5" or --fail-if "absRel>0.12".',
  aliasHint: 'Aliases work too (case-insensitive): pixAcc/aAcc, absRel/abs_rel, delta1/d1/δ<1.25, δ>1.25, rmse/rms …',
}

/**
 * `--fail-if "mIoU<47.5"`: the run fails when the metric compares true. The metric is any metric of the catalog
 * by name or alias, case-insensitive (mIoU, pixAcc, absRel, delta1, δ>1.25 …); names that contain an operator
 * themselves (δ>1.25, δ<1.25) are matched first, longest spelling first.
 */
export function parseGate(source: string, catalog: GateCatalog = EVAL_GATES): ThresholdGate {
  const text = source.trim()
  for (const spelling of catalog.spellings) {
    if (!text.toLowerCase().startsWith(spelling.toLowerCase())) continue
    const rest = text.slice(spelling.length).trimStart()
    const operator = OPERATORS.find((op) => rest.startsWith(op))
    if (operator === undefined) continue
    const threshold = parseNumber(rest.slice(operator.length).trim(), source, catalog)
    return {kind: 'fail-if', source, metric: catalog.find(spelling)!.name, operator, threshold}
  }
  const match = /^(.*?)\s*(<=|>=|<|>)\s*(\S*)$/.exec(text)
  if (match === null || match[1] === '') {
    throw new DptError(`Expected --fail-if as METRIC<OP>NUMBER with OP one of < <= > >=, got \`${source}\`.`, {remedy: catalog.example})
  }
  const info = catalog.find(match[1]!)
  if (info === undefined) throw unknownMetric(match[1]!, source, catalog)
  return {kind: 'fail-if', source, metric: info.name, operator: match[2] as GateOperator, threshold: parseNumber(match[3]!, source, catalog)}
}

/** `--max-regression absRel=0.005`: how far the metric may move in its worse direction from --baseline. */
export function parseMaxRegression(source: string): RegressionGate {
  const at = source.lastIndexOf('=')
  if (at <= 0)
    throw new DptError(`Expected --max-regression as METRIC=DELTA, got \`${source}\`.`, {
      remedy: 'e.g. --max-regression mIoU=0.5 (percentage points) or absRel=0.002.',
    })
  const name = source.slice(0, at).trim()
  const info = findMetric(name)
  if (info === undefined) throw unknownMetric(name, source, EVAL_GATES)
  const maxDelta = parseNumber(source.slice(at + 1).trim(), source, EVAL_GATES)
  if (maxDelta < 0)
    throw new DptError(`Expected a non-negative regression allowance in \`${source}\`.`, {
      remedy: 'DELTA is how much worse the metric may get, in its own unit.',
    })
  return {kind: 'max-regression', source, metric: info.name, maxDelta}
}

export interface GateOutcome {
  /** True when every gate passed (and when there is none). */
  readonly passed: boolean
  readonly results: readonly GateResult[]
}

/**
 * Evaluate gates against a finished report. A gate on a metric this report does not have (a depth metric on
 * a segmentation run) is a usage error naming the metrics it has; so is a regression gate without a baseline,
 * or a baseline of another task, dataset or protocol (comparing those numbers would mean nothing).
 * An undefined value (null) fails its gate: a gate never passes by default.
 */
export function evaluateGates(report: EvalReport, gates: readonly Gate[], baseline?: EvalReport): GateOutcome {
  const results = gates.map((gate) => {
    const info = metricIn(report, gate)
    const value = report.metrics[info.name] ?? null
    return gate.kind === 'fail-if' ? thresholdResult(gate, info, value) : regressionResult(gate, info, value, baselineFor(report, baseline))
  })
  return {passed: results.every((r) => r.passed), results}
}

/** A --fail-if gate against the run's value of its metric (null: undefined in this run, so it cannot pass). */
export function thresholdResult(gate: ThresholdGate, info: Pick<MetricInfo, 'name' | 'label'>, value: number | null): GateResult {
  const base = {gate: gate.source, kind: gate.kind, metric: info.name, value, threshold: gate.threshold}
  if (value === null) return {...base, passed: false, message: `${info.label} is undefined in this run, so \`${gate.source}\` cannot pass`}
  const hit = compare(value, gate.operator, gate.threshold)
  const shown = `${info.label} = ${show(value, gate.threshold)}`
  return {
    ...base,
    passed: !hit,
    message: hit ? `${shown} ${gate.operator} ${gate.threshold}: gate failed` : `${shown}, not ${gate.operator} ${gate.threshold}: passed`,
  }
}

function regressionResult(gate: RegressionGate, info: MetricInfo, value: number | null, baseline: EvalReport): GateResult {
  const old = baseline.metrics[info.name] ?? null
  const base = {gate: gate.source, kind: gate.kind, metric: info.name, value, baseline: old}
  if (old === null) return {...base, threshold: null, passed: false, message: `${info.label} is undefined in the baseline`}
  // Worst allowed value: lower-is-better metrics regress upward, higher-is-better ones downward.
  const limit = info.better === 'lower' ? old + gate.maxDelta : old - gate.maxDelta
  if (value === null) return {...base, threshold: limit, passed: false, message: `${info.label} is undefined in this run`}
  const delta = value - old
  const passed = info.better === 'lower' ? value <= limit : value >= limit
  const moved = `${info.label} ${show(old, limit)} → ${show(value, limit)} (${delta >= 0 ? '+' : ''}${show(delta, gate.maxDelta)}, ${info.better} is better, allowed ${gate.maxDelta})`
  return {...base, threshold: limit, passed, message: passed ? `${moved}: passed` : `${moved}: regression`}
}

function baselineFor(report: EvalReport, baseline: EvalReport | undefined): EvalReport {
  if (baseline === undefined) throw new DptError('--max-regression needs --baseline OLD.json.', {remedy: 'Pass the report of the run to compare with.'})
  const same = (what: string, a: unknown, b: unknown): void => {
    if (!isDeepStrictEqual(a, b)) {
      throw new DptError(`The baseline's ${what} differs from this run's: ${JSON.stringify(b)} vs ${JSON.stringify(a)}.`, {
        remedy: 'Compare runs of the same dataset and protocol, or regenerate the baseline with the current protocol.',
      })
    }
  }
  same('task', report.task, baseline.task)
  same('dataset', [report.dataset.name, report.dataset.split], [baseline.dataset.name, baseline.dataset.split])
  same('protocol', report.protocol, baseline.protocol)
  return baseline
}

function metricIn(report: EvalReport, gate: Gate): MetricInfo {
  const info = findMetric(gate.metric)
  if (info !== undefined && info.name in report.metrics) return info
  const available = metricsOf(report.task)
    .map((m) => m.name)
    .join(', ')
  throw new DptError(`\`${gate.source}\`: this ${report.task} report has no metric ${gate.metric}. Available: ${available}.`, {
    remedy: 'Gate on one of the available metrics.',
  })
}

function compare(value: number, op: GateOperator, threshold: number): boolean {
  switch (op) {
    case '<':
      return value < threshold
    case '<=':
      return value <= threshold
    case '>':
      return value > threshold
    case '>=':
      return value >= threshold
  }
}

/** Ten significant digits for people, unless that would print the value equal to the limit it differs from. */
function show(value: number, limit: number): string {
  const short = Number(value.toPrecision(10))
  return short === limit && value !== limit ? String(value) : String(short)
}

function parseNumber(text: string, source: string, catalog: GateCatalog): number {
  if (!NUMBER.test(text)) throw new DptError(`Expected a number in \`${source}\`, got \`${text}\`.`, {remedy: catalog.example})
  return Number(text)
}

function unknownMetric(name: string, source: string, catalog: GateCatalog): DptError {
  return new DptError(`\`${source}\`: unknown metric \`${name}\`. Available: ${catalog.names.join(', ')}.`, {remedy: catalog.aliasHint})
}
