import type {ConfusionMatrix} from '../analysis/confusion.js'
import type {DepthAccumulator} from '../analysis/depth-accumulator.js'
import {byId, meanDepthMetrics} from '../metrics/depth-aggregate.js'
import {SegmentCounts} from '../metrics/segment-counts.js'
import {segmentMetrics} from '../metrics/segment-metrics.js'
import {whdrMetrics} from '../metrics/whdr.js'
import {
  REPORT_SCHEMA,
  REPORT_VERSION,
  type DatasetInfo,
  type DepthImageRecord,
  type EvalProtocol,
  type EvalReport,
  type ImageRecord,
  type ModelInfo,
  type OrdinalImageRecord,
  type ReportAnalysis,
  type ReportCounts,
  type ShardInfo,
  type TemporalConsistency,
} from '../types.js'

export interface ReportInput {
  readonly dataset: DatasetInfo
  readonly protocol: EvalProtocol
  readonly model: ModelInfo
  /** One record per image of the run (or shard), in any order. */
  readonly records: readonly ImageRecord[]
  /** Segmentation: the counts accumulated over the same images. */
  readonly segmentCounts?: SegmentCounts | undefined
  readonly classNames?: readonly string[] | undefined
  /** Given for a --shard run: the report becomes partial and carries its accumulators for `dpt eval merge`. */
  readonly shard?: ShardInfo | undefined
  /** What the HTML report plots, accumulated over the same images (the report's `analysis`; omitted when absent). */
  readonly analysis?: AnalysisInput | undefined
  /** dpt eval --temporal: the temporal consistency error (the report's `temporal`; never in a shard's report). */
  readonly temporal?: TemporalConsistency | undefined
}

export interface AnalysisInput {
  readonly confusion?: ConfusionMatrix | undefined
  readonly depth?: DepthAccumulator | undefined
}

/**
 * The report of a run: counts, metrics (depth: per-image means over records sorted by id; segmentation: from
 * the dataset counts, divided once; ordinal: from the records' pair counts, summed) and the per-image rows
 * sorted by id. Everything is a pure function of the records and counts, which is what lets `mergeReports`
 * rebuild the single run's report exactly.
 */
export function buildReport(input: ReportInput): EvalReport {
  const {protocol} = input
  const images = [...input.records].sort(byId)
  const counts = countRecords(images)
  const base = {schema: REPORT_SCHEMA, version: REPORT_VERSION, task: protocol.task, dataset: input.dataset, protocol, model: input.model, counts}
  if (protocol.task === 'segment') {
    const segmentCounts = input.segmentCounts ?? new SegmentCounts(protocol.numClasses, protocol.ignoreIndex)
    const result = segmentMetrics(segmentCounts, input.classNames ?? [])
    const metrics = Object.fromEntries(Object.entries(result.metrics).map(([k, v]) => [k, Number.isNaN(v) ? null : v]))
    const perClass = [...result.perClass]
    const confusion = input.analysis?.confusion
    const analysis: {analysis?: ReportAnalysis} =
      confusion === undefined
        ? {}
        : {analysis: {segment: {labelPixels: [...segmentCounts.label], predictedPixels: [...segmentCounts.predicted], confusion: confusion.toCells()}}}
    if (input.shard !== undefined) {
      const accumulators = {segmentCounts: segmentCounts.toJSON(), classNames: perClass.map((r) => r.name)}
      return {...base, metrics, perClass, ...analysis, images, partial: {shard: input.shard, accumulators}}
    }
    return {...base, metrics, perClass, ...analysis, images}
  }
  const metrics: Record<string, number | null> =
    protocol.task === 'depth'
      ? meanDepthMetrics(images.filter((r): r is DepthImageRecord => 'metrics' in r))
      : whdrMetrics(images.filter((r): r is OrdinalImageRecord => 'disagreements' in r))
  const depth = protocol.task === 'depth' ? input.analysis?.depth : undefined
  const analysis: {analysis?: ReportAnalysis} = depth === undefined ? {} : {analysis: {depth: depth.toJSON()}}
  const temporal = input.temporal === undefined ? {} : {temporal: input.temporal}
  return input.shard === undefined
    ? {...base, metrics, ...analysis, ...temporal, images}
    : {...base, metrics, ...analysis, images, partial: {shard: input.shard, accumulators: {}}}
}

export function countRecords(records: readonly ImageRecord[]): ReportCounts {
  const by = (status: ImageRecord['status']): number => records.filter((r) => r.status === status).length
  return {images: records.length, scored: by('scored'), noValidPixels: by('no-valid-pixels'), missingGt: by('missing-gt'), failed: by('failed')}
}
