import {columns} from '../ui/table.js'
import type {BenchResult, BenchStage} from './run.js'

const STAGE_ORDER: readonly BenchStage[] = ['read', 'decode', 'preprocess', 'queue', 'inference', 'postprocess', 'write']

const sourceText = (result: BenchResult): string =>
  result.source.kind === 'generated'
    ? `${result.images} generated JPEGs at ${result.source.sizes.map((s) => `${s.width}×${s.height}`).join(', ')}`
    : `${result.images} image(s) from ${result.source.inputs.join(', ')}`

const sizesText = (result: BenchResult): string => result.networkSizes.map((s) => `${s.width}×${s.height} (${s.images} img, ${s.gflops} GFLOPs)`).join(', ')

/** Rows of label/value pairs both renderings share. */
function rows(result: BenchResult): [string, string][] {
  const stage = (name: BenchStage): string => `${result.stages[name].meanMs} ms (${(result.stages[name].share * 100).toFixed(1)} %)`
  return [
    ['model', `${result.model.name} (${result.model.task}, ${result.model.dtype}) ${result.model.path}`],
    ['machine', `${result.cpu.model}, ${result.cpu.cores} cores; onnxruntime ${result.onnxruntime} ${result.executionProvider}`],
    ['workers × threads', `${result.workers} × ${result.threads}`],
    ['images', sourceText(result) + (result.failed > 0 ? `; ${result.failed} failed` : '')],
    ['network input', sizesText(result)],
    ['images/s', result.imagesPerSecond.toFixed(3)],
    ['latency', `p50 ${result.latencyMs.p50} ms, p95 ${result.latencyMs.p95} ms, p99 ${result.latencyMs.p99} ms`],
    ...STAGE_ORDER.map((name): [string, string] => [`  ${name}`, stage(name)]),
    ['peak RSS', `${result.peakRssMb} MiB`],
    ['FLOPs', `${result.gflopsPerImage} GFLOPs per image`],
    ['achieved', `${result.achievedGflopsPerSecond.inference} GFLOP/s in session.run, ${result.achievedGflopsPerSecond.endToEnd} GFLOP/s end to end`],
    ['wall', `${result.wallSeconds} s (+ ${result.modelLoadSeconds} s model load)`],
    ...result.gates.map((g): [string, string] => [g.passed ? 'gate passed' : 'GATE FAILED', `${g.gate}: ${g.message}`]),
  ]
}

/** The human table (stdout). */
export function renderTable(result: BenchResult): string {
  return columns(rows(result)).join('\n')
}

/** A Markdown section for CI job summaries ($GITHUB_STEP_SUMMARY). */
export function renderMarkdown(result: BenchResult): string {
  const escape = (text: string): string => text.replaceAll('|', '\\|')
  return [
    `### dpt bench: ${result.model.name} (${result.model.dtype}), ${result.imagesPerSecond.toFixed(3)} images/s`,
    '',
    '| | |',
    '|---|---|',
    ...rows(result).map(([label, value]) => `| ${escape(label.trim())} | ${escape(value)} |`),
    '',
  ].join('\n')
}
