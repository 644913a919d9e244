import type {EvalReport} from '../types.js'
import {describeCounts, describeDataset, describeModel, describeProtocol, describeTemporal} from './describe.js'
import type {GateOutcome} from './gates.js'
import {formatMetric, metricsOf} from './metric-catalog.js'

/** Markdown cells must not break the table. */
const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ')

/** The summary for $GITHUB_STEP_SUMMARY: one heading, the conditions, a metric table, gates, classes folded. */
export function renderMarkdown(report: EvalReport, gates?: GateOutcome): string {
  const out: string[] = [`### dpt eval: ${cell(describeDataset(report))}`, '', `${cell(describeModel(report))}  `, describeCounts(report), '']
  out.push('<details><summary>Protocol</summary>', '')
  for (const line of describeProtocol(report.protocol)) out.push(`- ${cell(line)}`)
  out.push('', '</details>', '')
  out.push('| metric | value | better |', '|---|---:|---|')
  for (const info of metricsOf(report.task)) out.push(`| ${cell(info.label)} | ${formatMetric(info, report.metrics[info.name] ?? null)} | ${info.better} |`)
  if (report.temporal !== undefined) out.push('', `Temporal consistency: ${cell(describeTemporal(report.temporal))}`)
  if (gates !== undefined && gates.results.length > 0) {
    out.push('', `**Gates: ${gates.passed ? 'all passed ✅' : 'failed ❌'}**`, '', '| | gate | result |', '|---|---|---|')
    for (const g of gates.results) out.push(`| ${g.passed ? '✅' : '❌'} | \`${cell(g.gate)}\` | ${cell(g.message)} |`)
  }
  if (report.perClass !== undefined) {
    out.push('', `<details><summary>Per class (${report.perClass.length})</summary>`, '', '| # | class | IoU % | Acc % |', '|---:|---|---:|---:|')
    for (const r of report.perClass)
      out.push(`| ${r.index} | ${cell(r.name)} | ${r.iou === null ? '—' : r.iou.toFixed(2)} | ${r.acc === null ? '—' : r.acc.toFixed(2)} |`)
    out.push('', '</details>')
  }
  const problems = report.images.filter((r) => r.status !== 'scored')
  if (problems.length > 0) {
    out.push('', `<details><summary>Images not scored (${problems.length})</summary>`, '')
    for (const r of problems.slice(0, 50)) out.push(`- \`${cell(r.id)}\` ${r.status}${r.error === undefined ? '' : `: ${cell(r.error)}`}`)
    if (problems.length > 50) out.push(`- … and ${problems.length - 50} more`)
    out.push('', '</details>')
  }
  return `${out.join('\n')}\n`
}
