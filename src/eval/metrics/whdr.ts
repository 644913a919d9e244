import {DptError} from '../../pipeline/errors.js'
import type {DepthPrediction, OrdinalCounts, OrdinalGt, OrdinalImageRecord} from '../types.js'

export const WHDR_METRIC_NAMES = ['whdr', 'whdrFarther', 'whdrCloser'] as const
export type WhdrMetricName = (typeof WHDR_METRIC_NAMES)[number]

/**
 * Counts the annotated pairs of one image whose predicted order disagrees with the annotation, read at the
 * prediction (already at the image's size: the pipeline's upsampling). As Chen et al.'s DIW evaluation:
 * - a point's pixel is its 1-based annotation coordinate − 1, clipped to the image (the Torch code indexes
 *   1-based as stored; later ports subtract 1 and clip, which is the same pixel for in-range points);
 * - A is predicted farther when its depth is larger, i.e. for disparity when its value is smaller;
 * - a pair agrees only when the prediction orders it strictly the annotated way: an exact tie, or a NaN at
 *   either point, is a disagreement for `>` and `<` alike (Torch: correct iff (z_A − z_B)·r > 0).
 */
export function scoreOrdinalImage(prediction: DepthPrediction, gt: OrdinalGt): OrdinalCounts {
  const {width, height, data, kind} = prediction
  if (gt.size !== undefined && (gt.size.width !== width || gt.size.height !== height)) {
    throw new DptError(`The point pairs are annotated for a ${gt.size.width}×${gt.size.height} image but the prediction is ${width}×${height}.`, {
      remedy: 'Score predictions at the original image size (dpt depth writes them so).',
    })
  }
  if (data.length !== width * height) throw new DptError(`Prediction data does not match its size ${width}×${height}.`)
  const at = (y: number, x: number): number => data[clip(y - 1, height) * width + clip(x - 1, width)]!
  let disagreements = 0
  let fartherPairs = 0
  let fartherDisagreements = 0
  for (const pair of gt.pairs) {
    const a = at(pair.yA, pair.xA)
    const b = at(pair.yB, pair.xB)
    const aFarther = kind === 'disparity' ? a < b : a > b
    const aCloser = kind === 'disparity' ? a > b : a < b
    const agrees = pair.relation === '>' ? aFarther : aCloser
    if (pair.relation === '>') fartherPairs++
    if (agrees) continue
    disagreements++
    if (pair.relation === '>') fartherDisagreements++
  }
  return {pairs: gt.pairs.length, disagreements, fartherPairs, fartherDisagreements}
}

const clip = (v: number, size: number): number => Math.min(Math.max(v, 0), size - 1)

/**
 * Dataset WHDR in %: disagreeing pairs over all pairs of the scored images (per pair, as the Torch DIW evaluation
 * sums its counts over the test set; with one pair per image that is also the per-image mean). The counts are
 * integers, so any order of shards sums to the same numbers. whdrFarther / whdrCloser: the same over the pairs
 * annotated `>` / `<` (the "greater-than" and "less-than" ratios the Torch evaluation prints, as errors).
 * null where there is no such pair.
 */
export function whdrMetrics(records: readonly OrdinalImageRecord[]): Record<WhdrMetricName, number | null> {
  let pairs = 0
  let disagreements = 0
  let fartherPairs = 0
  let fartherDisagreements = 0
  for (const r of records) {
    if (r.status !== 'scored') continue
    pairs += r.pairs
    disagreements += r.disagreements
    fartherPairs += r.fartherPairs
    fartherDisagreements += r.fartherDisagreements
  }
  const pct = (part: number, whole: number): number | null => (whole === 0 ? null : (100 * part) / whole)
  return {
    whdr: pct(disagreements, pairs),
    whdrFarther: pct(fartherDisagreements, fartherPairs),
    whdrCloser: pct(disagreements - fartherDisagreements, pairs - fartherPairs),
  }
}
