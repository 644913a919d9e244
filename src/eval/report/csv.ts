import {DEPTH_METRIC_NAMES} from '../metrics/depth-aggregate.js'
import type {DepthImageRecord, EvalReport, OrdinalImageRecord, SegmentImageRecord} from '../types.js'

/** RFC 4180: quote a field when it holds a comma, quote, CR or LF; double the quotes. */
function field(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return ''
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/**
 * One row per image, sorted by id, full precision (String(number) round-trips): depth rows carry every
 * per-image metric and the fitted scale/shift; segmentation rows the image's pixAcc and mIoU (%); ordinal rows
 * the image's pair counts and its WHDR (%). Unscored images keep their row with empty metrics and the reason in
 * `error`.
 */
export function renderCsv(report: EvalReport): string {
  const lines: string[] = []
  if (report.task === 'depth') {
    lines.push(['id', 'status', 'pixels', ...DEPTH_METRIC_NAMES, 'scale', 'shift', 'error'].join(','))
    for (const r of report.images as readonly DepthImageRecord[]) {
      const metrics = DEPTH_METRIC_NAMES.map((n) => field(r.metrics?.[n]))
      lines.push([field(r.id), r.status, String(r.pixels), ...metrics, field(r.scale), field(r.shift), field(r.error)].join(','))
    }
  } else if (report.task === 'ordinal') {
    // whdr per image is informational (0 or 100 for DIW's one pair); the dataset WHDR sums the counts.
    lines.push(['id', 'status', 'pairs', 'disagreements', 'fartherPairs', 'fartherDisagreements', 'whdr', 'error'].join(','))
    for (const r of report.images as readonly OrdinalImageRecord[]) {
      const whdr = r.status === 'scored' && r.pairs > 0 ? (100 * r.disagreements) / r.pairs : null
      lines.push(
        [field(r.id), r.status, ...[r.pairs, r.disagreements, r.fartherPairs, r.fartherDisagreements].map(String), field(whdr), field(r.error)].join(','),
      )
    }
  } else {
    lines.push(['id', 'status', 'pixels', 'pixAcc', 'mIoU', 'error'].join(','))
    for (const r of report.images as readonly SegmentImageRecord[]) {
      lines.push([field(r.id), r.status, String(r.pixels), field(r.pixAcc), field(r.mIoU), field(r.error)].join(','))
    }
  }
  return `${lines.join('\r\n')}\r\n`
}
