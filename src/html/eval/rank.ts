import {findMetric, type MetricInfo} from '../../eval/report/metric-catalog.js'
import type {DepthMetricName, EvalProtocol, ImageRecord, SegmentImageRecord} from '../../eval/types.js'
import {DptError} from '../../pipeline/errors.js'

/** The per-image metrics an image can be ranked by: every depth metric; segmentation's per-image pixAcc and mIoU; WHDR. */
const SEGMENT_PER_IMAGE = ['pixAcc', 'mIoU'] as const
const DEFAULT_RANKING = {depth: 'absRel', segment: 'mIoU', ordinal: 'whdr'} as const

/** Depth images are ranked by AbsRel, segmentation images by their mIoU, point pairs by WHDR, unless asked otherwise. */
export function rankingMetric(protocol: EvalProtocol, spelling?: string): MetricInfo {
  const info = findMetric(spelling ?? DEFAULT_RANKING[protocol.task])
  const perImage =
    info !== undefined &&
    (protocol.task === 'depth'
      ? info.task === 'depth'
      : protocol.task === 'ordinal'
        ? info.name === 'whdr'
        : (SEGMENT_PER_IMAGE as readonly string[]).includes(info.name))
  if (info === undefined || !perImage) {
    const names = protocol.task === 'depth' ? 'absRel, delta1, deltaAbove125Pct, rmse …' : protocol.task === 'ordinal' ? 'whdr' : SEGMENT_PER_IMAGE.join(', ')
    throw new DptError(`Cannot rank ${protocol.task} images by \`${spelling ?? ''}\`.`, {remedy: `Rank by a per-image metric: ${names}.`})
  }
  return info
}

/** How bad a scored image is by the metric (larger is worse), or null when it has no value. */
export function badness(record: ImageRecord, metric: MetricInfo): number | null {
  if (record.status !== 'scored') return null
  const value =
    'metrics' in record
      ? (record.metrics?.[metric.name as DepthMetricName] ?? null)
      : 'disagreements' in record
        ? record.pairs === 0
          ? null
          : (100 * record.disagreements) / record.pairs
        : pick(record, metric)
  if (value === null || !Number.isFinite(value)) return null
  return metric.better === 'lower' ? value : -value
}

function pick(record: SegmentImageRecord, metric: MetricInfo): number | null {
  return metric.name === 'pixAcc' ? record.pixAcc : record.mIoU
}
