import {scoreDepthImage} from '../../../src/eval/metrics/depth-image.js'
import {SegmentCounts} from '../../../src/eval/metrics/segment-counts.js'
import {scoreSegmentImage} from '../../../src/eval/metrics/segment-image.js'
import type {DatasetInfo, DepthImageRecord, DepthProtocol, ModelInfo, SegmentImageRecord, SegmentProtocol} from '../../../src/eval/types.js'

import {random} from '../../helpers/random.js'

export {random}

export const depthProtocol: DepthProtocol = {task: 'depth', alignment: 'scale-shift-disparity', minDepth: 1e-3, maxDepth: 10, cap: 10, crops: [], clip: false}
export const segmentProtocol: SegmentProtocol = {task: 'segment', numClasses: 6, ignoreIndex: 255, reduceZeroLabel: true, scales: [1], flip: false}
export const depthDataset: DatasetInfo = {name: 'nyu', split: 'test', root: '/data/nyu'}
export const segmentDataset: DatasetInfo = {name: 'ade20k', split: 'validation', root: '/data/ADEChallengeData2016'}
export const model: ModelInfo = {path: 'models/dpt-hybrid', name: 'dpt-hybrid', predictions: null, predictionKind: 'disparity'}
export const classNames = ['wall', 'building', 'sky', 'floor', 'tree', 'ceiling, "tall"']

/** n depth records scored for real (random GT/disparity), plus a no-valid-pixel, a missing and a failed image. */
export function depthRecords(n: number, seed = 7): DepthImageRecord[] {
  const rnd = random(seed)
  const records: DepthImageRecord[] = []
  for (let k = 0; k < n; k++) {
    const gt = Float32Array.from({length: 30}, () => 0.5 + 9 * rnd())
    const pred = Float32Array.from(gt, (d) => 0.2 / d + 0.05 + 0.02 * rnd())
    const s = scoreDepthImage({width: 6, height: 5, data: pred, kind: 'disparity'}, {width: 6, height: 5, depth: gt}, depthProtocol)
    records.push({id: `scene_${(k * 37) % 101}/rgb_${k}.png`, status: 'scored', pixels: s.pixels, metrics: s.metrics, scale: s.scale!, shift: s.shift!})
  }
  records.push({id: 'zz/empty.png', status: 'no-valid-pixels', pixels: 0, metrics: null})
  records.push({id: 'b,missing.png', status: 'missing-gt', pixels: 0, metrics: null, error: 'no ground truth: expected b,missing_depth.png'})
  records.push({id: 'c/broken.png', status: 'failed', pixels: 0, metrics: null, error: 'decode failed: "bad" header'})
  return records
}

/** n segmentation images: records and their counts, one SegmentCounts per image (to be merged by shards). */
export function segmentImages(n: number, seed = 11): {record: SegmentImageRecord; counts: SegmentCounts}[] {
  const rnd = random(seed)
  const out: {record: SegmentImageRecord; counts: SegmentCounts}[] = []
  for (let k = 0; k < n; k++) {
    // Raw ADE-style labels 0..5 (0 ignored) and class 5 never labelled.
    const label = Uint8Array.from({length: 40}, () => Math.floor(rnd() * 5))
    const pred = Uint8Array.from(label, (l) => (rnd() < 0.7 ? Math.max(0, l - 1) : Math.floor(rnd() * 6)))
    const s = scoreSegmentImage(pred, label, segmentProtocol)
    out.push({
      record: {
        id: `img_${String(k).padStart(3, '0')}.jpg`,
        status: s.pixels === 0 ? 'no-valid-pixels' : 'scored',
        pixels: s.pixels,
        pixAcc: s.pixAcc,
        mIoU: s.mIoU,
      },
      counts: s.counts,
    })
  }
  return out
}
