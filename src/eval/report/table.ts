import type {EvalReport} from '../types.js'
import {describeCounts, describeDataset, describeModel, describeProtocol, describeTemporal} from './describe.js'
import type {GateOutcome} from './gates.js'
import {formatMetric, metricsOf} from './metric-catalog.js'
import {columns} from '../../ui/table.js'

export interface TableOptions {
  /** Segmentation: print the per-class table (default true). */
  readonly perClass?: boolean
  /** Images not scored are listed up to this many (default 10). */
  readonly maxProblems?: number
  readonly gates?: GateOutcome
}

/** The human report: what was evaluated and how, the counts, every metric with unit and direction, problems, gates. */
export function renderTable(report: EvalReport, options: TableOptions = {}): string {
  const lines: string[] = [`dpt eval · ${describeDataset(report)}`, describeModel(report), describeCounts(report), '', 'Protocol']
  for (const line of describeProtocol(report.protocol)) lines.push(`  ${line}`)
  lines.push('')
  const rows = [['metric', 'value', 'unit', 'better', 'definition']]
  for (const info of metricsOf(report.task)) {
    const value = report.metrics[info.name] ?? null
    rows.push([info.label, formatMetric(info, value).replace(/ (%|m)$/, ''), info.unit, info.better, info.description])
  }
  lines.push(...columns(rows, {right: new Set([1]), trimEnd: true}).map((l) => `  ${l}`))
  if (report.temporal !== undefined) lines.push('', `Temporal consistency: ${describeTemporal(report.temporal)}`)

  if (report.perClass !== undefined && options.perClass !== false) {
    lines.push(
      '',
      `Per class (${report.perClass.length}; IoU and accuracy in %; IoU — = class in neither labels nor predictions, Acc — = class never labelled)`,
    )
    const classRows = [['#', 'class', 'IoU', 'Acc']]
    for (const row of report.perClass) {
      classRows.push([String(row.index), row.name, row.iou === null ? '—' : row.iou.toFixed(2), row.acc === null ? '—' : row.acc.toFixed(2)])
    }
    lines.push(...columns(classRows, {right: new Set([0, 2, 3]), trimEnd: true}).map((l) => `  ${l}`))
  }

  const problems = report.images.filter((r) => r.status !== 'scored')
  if (problems.length > 0) {
    const max = options.maxProblems ?? 10
    lines.push('', `Images not scored (${problems.length})`)
    const rows = problems.slice(0, max).map((r) => [r.id, r.status, r.error ?? ''])
    lines.push(...columns(rows, {trimEnd: true}).map((l) => `  ${l}`))
    if (problems.length > max) lines.push(`  … and ${problems.length - max} more (all of them are in --report and --csv)`)
  }

  if (options.gates !== undefined && options.gates.results.length > 0) {
    lines.push('', `Gates: ${options.gates.passed ? 'all passed' : 'FAILED'}`)
    lines.push(
      ...columns(
        options.gates.results.map((g) => [g.passed ? 'pass' : 'FAIL', g.gate, g.message]),
        {trimEnd: true},
      ).map((l) => `  ${l}`),
    )
  }
  return `${lines.join('\n')}\n`
}
