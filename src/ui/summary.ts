import {type RunResult} from '../pipeline/images.js'
import {float32Text} from '../pipeline/render/value-text.js'

/** The human summary printed on stderr after a run. */
export function summaryLines(result: RunResult, outDir: string): string[] {
  const {counts, timing} = result
  const lines = [
    `${counts.processed} image(s) written to ${outDir} in ${(timing.wallMs / 1000).toFixed(1)} s ` +
      `(${timing.imagesPerSecond.toFixed(2)} img/s, p50 ${timing.latencyMs.p50} ms, model ${result.model.name} on ${result.executionProvider}, ` +
      `${result.workers}×${result.threads} threads)`,
  ]
  const norm = result.normalization
  if (norm !== undefined && norm.range !== null) {
    const range = `${float32Text(norm.range.min)} to ${float32Text(norm.range.max)}`
    lines.push(norm.mode === 'global' ? `normalised over the run: model values ${range}` : `normalised to --range ${range} (values outside clamp)`)
  }
  if (norm?.colorbar != null) lines.push(`colour bar: ${norm.colorbar}`)
  if (counts.skippedExisting > 0) lines.push(`${counts.skippedExisting} skipped: outputs already exist`)
  if (counts.notImages > 0)
    lines.push(`${counts.notImages} file(s) are not images and were skipped: ${result.notImages.slice(0, 5).join(', ')}${counts.notImages > 5 ? ', …' : ''}`)
  for (const failure of result.failures) lines.push(`failed: ${failure.input}: ${failure.reason}`)
  for (const note of result.notes ?? []) lines.push(`note: ${note}`)
  if (result.interrupted) lines.push(`interrupted: ${counts.notStarted} image(s) not processed; no file was left half-written under its final name`)
  return lines
}
