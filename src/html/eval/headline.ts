import {formatMetric, metricsOf} from '../../eval/report/metric-catalog.js'
import type {EvalReport} from '../../eval/types.js'
import {esc} from '../page/escape.js'
import {table} from '../page/layout.js'
import type {PaperFigure} from './paper.js'
import {formatDelta, verdictOf} from './verdict.js'

const UNIT_WORDS: Record<string, string> = {'': 'ratio', m: 'metres', '%': '%', '×100': '× 100'}

/**
 * Every metric of the task with its unit and direction, next to the paper's figure (when the registry has one
 * for this dataset) and the baseline's value, each with the difference coloured by the metric's direction.
 */
export function headlineTable(report: EvalReport, paper: ReadonlyMap<string, PaperFigure>, baseline?: EvalReport): string {
  const columns = [
    {label: 'metric'},
    {label: 'value', numeric: true},
    {label: 'unit'},
    {label: 'better'},
    ...(paper.size > 0
      ? [
          {label: 'paper', numeric: true},
          {label: 'vs paper', numeric: true},
        ]
      : []),
    ...(baseline === undefined
      ? []
      : [
          {label: 'baseline', numeric: true},
          {label: 'Δ vs baseline', numeric: true},
        ]),
    {label: 'definition'},
  ]
  const rows = metricsOf(report.task).map((info) => {
    const value = report.metrics[info.name] ?? null
    const compare = (old: number | null): string[] => {
      if (old === null) return ['—', '']
      if (value === null) return [esc(formatMetric(info, old)), '']
      const delta = value - old
      return [esc(formatMetric(info, old)), `<span class="${verdictOf(delta, info.better)}">${esc(formatDelta(info, delta))}</span>`]
    }
    const figure = paper.get(info.name)
    return [
      `<strong>${esc(info.label)}</strong>`,
      esc(formatMetric(info, value)),
      esc(UNIT_WORDS[info.unit] ?? info.unit),
      info.better === 'lower' ? 'lower ↓' : 'higher ↑',
      ...(paper.size > 0
        ? compare(figure?.value ?? null).map((cell, k) => (k === 0 && figure !== undefined ? `<span title="${esc(figure.source)}">${cell}</span>` : cell))
        : []),
      ...(baseline === undefined ? [] : compare(baseline.metrics[info.name] ?? null)),
      esc(info.description),
    ]
  })
  const sources = [...new Set([...paper.values()].map((f) => f.source))]
  const note = sources.length === 0 ? '' : `<p class="note">Paper: ${sources.map(esc).join('; ')}.</p>`
  return table(columns, rows) + note
}
