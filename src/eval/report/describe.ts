import type {DepthProtocol, EvalReport, EvalProtocol, OrdinalProtocol, SegmentProtocol, TemporalConsistency} from '../types.js'

const metres = (v: number): string => (Number.isFinite(v) ? `${v} m` : '∞')

/** The protocol in words, printed with every result so a number is never read without its conditions. */
export function describeProtocol(protocol: EvalProtocol): string[] {
  if (protocol.task === 'ordinal') return describeOrdinal(protocol)
  return protocol.task === 'depth' ? describeDepth(protocol) : describeSegment(protocol)
}

function describeOrdinal(p: OrdinalProtocol): string[] {
  return [
    'point pairs: read at the prediction at the image size (a model run upsamples with its card kernel), at the annotated 1-based pixel − 1, clipped to the image',
    `order: A is predicted farther when its depth is larger (disparity: smaller); ties: ${p.ties} (an exact tie or NaN disagrees with > and < alike, as Chen et al.'s evaluation counts it)`,
    'averaging: disagreeing pairs / all pairs over the whole dataset (per pair, not per image)',
  ]
}

function describeDepth(p: DepthProtocol): string[] {
  const alignment = {
    none: 'none (predictions used as they are)',
    scale: 'least-squares scale per image',
    'scale-shift-disparity': 'least-squares scale and shift per image in disparity space (MiDaS/DPT)',
    'scale-shift-depth': 'least-squares scale and shift per image in depth space (Marigold)',
  }[p.alignment]
  return [
    `alignment: ${alignment}`,
    `valid pixels: ${p.minDepth} m < GT < ${metres(p.maxDepth)}, finite${p.crops.length > 0 ? `, crop ${p.crops.join(' ∩ ')}` : ', whole frame'}`,
    `depth cap: ${p.cap === null ? 'none' : `${p.cap} m`}${p.clip ? `; predictions clipped to [${p.minDepth}, ${metres(p.maxDepth)}]` : ''}`,
    'averaging: metrics per image, then the mean over scored images; δ strict (< 1.25^k, > 1.25)',
  ]
}

function describeSegment(p: SegmentProtocol): string[] {
  const scales = p.scales.length === 1 && p.scales[0] === 1 ? 'single scale' : `scales ${p.scales.join(', ')}`
  return [
    `classes: ${p.numClasses}; ignore index ${p.ignoreIndex}${p.reduceZeroLabel ? '; reduce-zero-label (label 0 ignored, k → k−1)' : ''}`,
    `inference: ${scales}${p.flip ? ' + horizontal flip' : ', no flip'}`,
    'averaging: pixel counts accumulated over the whole dataset, divided once; mIoU excludes classes with empty union (mmseg), mIoU (all classes) counts them as 0 (PyTorch-Encoding)',
  ]
}

export function describeModel(report: EvalReport): string {
  const m = report.model
  const kind = m.predictionKind === null ? '' : ` (${m.predictionKind === 'disparity' ? 'relative, disparity' : 'metric depth'})`
  if (m.predictions !== null) return `predictions: ${m.predictions}${kind}`
  return `model: ${m.name ?? m.path ?? 'unknown'}${m.path !== null && m.name !== null && m.name !== m.path ? ` (${m.path})` : ''}${kind}`
}

export function describeDataset(report: EvalReport): string {
  const d = report.dataset
  const shard = report.partial === undefined ? '' : ` — shard ${report.partial.shard.index}/${report.partial.shard.count} (partial report)`
  return `${d.name}${d.split === null ? '' : ` ${d.split}`} at ${d.root}${shard}`
}

export function describeCounts(report: EvalReport): string {
  const c = report.counts
  return `images: ${c.images} — ${c.scored} scored, ${c.noValidPixels} without a valid pixel, ${c.missingGt} without ground truth, ${c.failed} failed`
}

/** The temporal consistency error in one line, with its definition (dpt eval --temporal). */
export function describeTemporal(t: TemporalConsistency): string {
  const value = t.error === null ? '— (no pair had a static pixel)' : t.error.toFixed(4)
  return (
    `${value} (lower is better): mean |Δ prediction − Δ GT| / GT between consecutive frames, both mapped with the earlier frame's fit, ` +
    `over ${t.staticPixels} static pixels (GT changed ≤ ${t.staticChange * 100} %) of ${t.pairs} pairs`
  )
}
