import {isDeepStrictEqual} from 'node:util'
import {DptError} from '../../pipeline/errors.js'
import {ConfusionMatrix} from '../analysis/confusion.js'
import {DepthAccumulator} from '../analysis/depth-accumulator.js'
import {SegmentCounts} from '../metrics/segment-counts.js'
import type {EvalReport, ImageRecord} from '../types.js'
import {buildReport, type AnalysisInput} from './build.js'

/**
 * Combine the partial reports of `--shard i/n` runs into the report the single run would have written:
 * per-image records are pooled (depth means are then taken over the id-sorted records, as a single run does)
 * and segmentation counts, integers, are summed. Parts may come in any order; they must all be partial,
 * describe the same dataset, protocol and model, and cover every shard 1..n exactly once.
 */
export function mergeReports(parts: readonly EvalReport[]): EvalReport {
  if (parts.length === 0) throw usage('No report to merge.', 'Pass the partial reports written by `dpt eval --shard i/n --report FILE`.')
  const sorted = [...parts].sort((a, b) => (a.partial?.shard.index ?? 0) - (b.partial?.shard.index ?? 0))
  const first = sorted[0]!
  for (const [k, part] of sorted.entries()) {
    if (part.partial === undefined) {
      throw usage(`Report ${k + 1} is a finished report, not a shard's partial report.`, 'Merge only the reports written with --shard.')
    }
  }
  const count = first.partial!.shard.count
  checkSame(sorted, (r) => r.partial!.shard.count, 'shard count')
  checkSame(sorted, (r) => r.task, 'task')
  checkSame(sorted, (r) => [r.dataset.name, r.dataset.split], 'dataset and split')
  checkSame(sorted, (r) => r.protocol, 'protocol')
  checkSame(sorted, (r) => r.model, 'model')
  const seen = new Set<number>()
  for (const part of sorted) {
    const index = part.partial!.shard.index
    if (seen.has(index)) throw usage(`Shard ${index}/${count} is given twice.`, 'Pass each shard’s report once.')
    seen.add(index)
  }
  const missing = Array.from({length: count}, (_, i) => i + 1).filter((i) => !seen.has(i))
  if (missing.length > 0) {
    throw usage(
      `Shards ${missing.map((i) => `${i}/${count}`).join(', ')} are missing.`,
      'Wait for every shard to finish, or re-run the missing ones, then merge all of them.',
    )
  }

  const records: ImageRecord[] = []
  const ids = new Set<string>()
  for (const part of sorted) {
    for (const record of part.images) {
      if (ids.has(record.id))
        throw usage(`Image ${record.id} is in more than one shard.`, 'Shards of one run never overlap: were reports of different runs mixed?')
      ids.add(record.id)
      records.push(record)
    }
  }

  let segmentCounts: SegmentCounts | undefined
  let classNames: readonly string[] | undefined
  if (first.protocol.task === 'segment') {
    checkSame(sorted, (r) => r.partial!.accumulators.classNames, 'class names')
    classNames = first.partial!.accumulators.classNames
    for (const part of sorted) {
      const json = part.partial!.accumulators.segmentCounts
      if (json === undefined) throw usage(`Shard ${part.partial!.shard.index}/${count} has no segmentation counts.`, 'Re-run that shard with this dpt version.')
      const counts = SegmentCounts.fromJSON(json)
      if (segmentCounts === undefined) segmentCounts = counts
      else segmentCounts.merge(counts)
    }
  }
  const analysis = mergeAnalysis(sorted)
  return buildReport({dataset: first.dataset, protocol: first.protocol, model: first.model, records, segmentCounts, classNames, analysis})
}

/** The parts' analyses summed (integer counts, exact in any order); none when a part has none (written by an older dpt). */
function mergeAnalysis(parts: readonly EvalReport[]): AnalysisInput | undefined {
  const protocol = parts[0]!.protocol
  if (protocol.task === 'depth') {
    const all = parts.map((p) => p.analysis?.depth)
    if (all.some((a) => a === undefined)) return undefined
    const depth = DepthAccumulator.fromJSON(all[0]!)
    for (const json of all.slice(1)) depth.merge(DepthAccumulator.fromJSON(json!))
    return {depth}
  }
  // Point pairs (DIW, WHDR) have no analysis: their records are the whole story.
  if (protocol.task !== 'segment') return undefined
  const all = parts.map((p) => p.analysis?.segment)
  if (all.some((a) => a === undefined)) return undefined
  const confusion = new ConfusionMatrix(protocol.numClasses, protocol.ignoreIndex)
  for (const json of all) confusion.merge(ConfusionMatrix.fromCells(protocol.numClasses, protocol.ignoreIndex, json!.confusion))
  return {confusion}
}

function checkSame(parts: readonly EvalReport[], pick: (r: EvalReport) => unknown, what: string): void {
  const want = pick(parts[0]!)
  for (const part of parts.slice(1)) {
    if (!isDeepStrictEqual(pick(part), want)) {
      throw usage(
        `Shard ${part.partial!.shard.index} differs from shard ${parts[0]!.partial!.shard.index} in its ${what}: ${JSON.stringify(pick(part))} vs ${JSON.stringify(want)}.`,
        'Merge only the shards of one run (same dataset, protocol, model and --shard count).',
      )
    }
  }
}

function usage(message: string, remedy: string): DptError {
  return new DptError(message, {remedy})
}
