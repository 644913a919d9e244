import {columns} from '../../ui/table.js'
import type {GateOutcome} from '../report/gates.js'
import type {EvalReport} from '../types.js'
import {PAPER_ROWS, paperRow, ZERO_SHOT_COLUMNS, type ZeroShotKey} from './zero-shot.js'

export type SuiteReports = Partial<Record<ZeroShotKey, EvalReport>>

export interface ZeroShotTableRow {
  readonly label: string
  /** run: this evaluation; difference: run − the paper's figure for the same model; paper: Table 1 of the DPT paper. */
  readonly source: 'run' | 'difference' | 'paper'
  /** The paper row's model (registry id, or midas-v2.1), for paper rows. */
  readonly model?: string
  /** One per column, in column order; null where the dataset was not scored or the metric is undefined. */
  readonly values: readonly (number | null)[]
}

/** Table 1 as data: the columns in the paper's order, this run's row, its difference to the paper, the paper's rows. */
export interface ZeroShotTable {
  readonly columns: readonly {readonly key: ZeroShotKey; readonly label: string; readonly metric: string; readonly unit: '' | '%'}[]
  readonly rows: readonly ZeroShotTableRow[]
}

export interface ZeroShotTableOptions {
  /** How this run's row is labelled (the model's registry id or name). */
  readonly label: string
  /** The registry id whose paper figures the run is compared with (dpt-hybrid, dpt-large, or midas-v2.1). */
  readonly paperModel?: string | null | undefined
}

/** The column's value in a report of its dataset. */
function valueOf(key: ZeroShotKey, metric: string, report: EvalReport | undefined): number | null {
  if (report === undefined) return null
  if (report.dataset.name !== key) throw new Error(`the ${key} column was given a ${report.dataset.name} report`)
  return report.metrics[metric] ?? null
}

export function zeroShotTable(reports: SuiteReports, options: ZeroShotTableOptions): ZeroShotTable {
  const run = ZERO_SHOT_COLUMNS.map((c) => valueOf(c.key, c.metric, reports[c.key]))
  const rows: ZeroShotTableRow[] = [{label: options.label, source: 'run', values: run}]
  const paper = paperRow(options.paperModel)
  if (paper !== undefined) {
    const values = ZERO_SHOT_COLUMNS.map((c, i) => (run[i] === null ? null : run[i]! - paper.values[c.key]))
    rows.push({label: `Δ vs paper ${paper.label}`, source: 'difference', values})
  }
  for (const row of PAPER_ROWS)
    rows.push({label: `${row.label} (paper)`, source: 'paper', model: row.model, values: ZERO_SHOT_COLUMNS.map((c) => row.values[c.key])})
  return {columns: ZERO_SHOT_COLUMNS.map(({key, label, metric, unit}) => ({key, label, metric, unit})), rows}
}

/** A cell at the paper's precision; differences signed; '—' when undefined. */
function cell(value: number | null, key: ZeroShotKey, signed: boolean): string {
  if (value === null || !Number.isFinite(value)) return '—'
  const text = value.toFixed(ZERO_SHOT_COLUMNS.find((c) => c.key === key)!.decimals)
  return signed && value >= 0 ? `+${text}` : text
}

const heading = (c: ZeroShotTable['columns'][number]): string => (c.unit === '%' ? `${c.label} %` : c.label)

function cells(table: ZeroShotTable): string[][] {
  return table.rows.map((row) => [row.label, ...row.values.map((v, i) => cell(v, table.columns[i]!.key, row.source === 'difference'))])
}

type Skipped = Readonly<Partial<Record<ZeroShotKey, string>>>

/** Skipped datasets, then gates, under the table: the same blocks in text and Markdown. */
function footer(skipped: Skipped, gates: GateOutcome | undefined, bullet: string): string[] {
  const lines: string[] = []
  const reasons = Object.entries(skipped)
  if (reasons.length > 0) lines.push('', 'Skipped (not scored):', ...reasons.map(([key, reason]) => `${bullet}${key}: ${reason}`))
  if (gates !== undefined && gates.results.length > 0) {
    lines.push(
      '',
      `Gates: ${gates.passed ? 'all passed' : 'FAILED'}`,
      ...gates.results.map((g) => `${bullet}${g.passed ? 'pass' : 'FAIL'} ${g.gate}: ${g.message}`),
    )
  }
  return lines
}

/** The table as the paper lays it out, for a terminal: aligned columns, lower is better in every one. */
export function renderZeroShotText(table: ZeroShotTable, skipped: Skipped = {}, gates?: GateOutcome): string {
  const rows = [['', ...table.columns.map(heading)], ...cells(table)]
  const body = columns(rows, {right: new Set(table.columns.map((_, i) => i + 1)), trimEnd: true})
  return `${['Zero-shot relative depth (DPT paper, Table 1; lower is better in every column)', '', ...body, ...footer(skipped, gates, '  ')].join('\n')}\n`
}

/** The same table in Markdown, for $GITHUB_STEP_SUMMARY. */
export function renderZeroShotMarkdown(table: ZeroShotTable, skipped: Skipped = {}, gates?: GateOutcome): string {
  const escape = (text: string): string => text.replaceAll('|', '\\|')
  const out = [
    '### dpt eval: zero-shot relative depth (DPT paper, Table 1)',
    '',
    'Lower is better in every column.',
    '',
    `| model | ${table.columns.map((c) => escape(heading(c))).join(' | ')} |`,
    `|---|${table.columns.map(() => '---:').join('|')}|`,
    ...cells(table).map((row) => `| ${row.map(escape).join(' | ')} |`),
  ]
  return `${[...out, ...footer(skipped, gates, '- ').map(escape)].join('\n')}\n`
}
