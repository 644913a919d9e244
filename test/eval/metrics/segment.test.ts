import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {labelsForProtocol, SegmentCounts} from '../../../src/eval/metrics/segment-counts.js'
import {scoreSegmentImage} from '../../../src/eval/metrics/segment-image.js'
import {segmentMetrics} from '../../../src/eval/metrics/segment-metrics.js'
import type {SegmentMetricName, SegmentProtocol} from '../../../src/eval/types.js'
import {assertClose, loadGolden} from './golden.js'

interface Case {
  name: string
  numClasses: number
  ignoreIndex: number
  reduceZeroLabel: boolean
  names: string[]
  images: {pred: number[]; label: number[]}[]
  expected: {
    intersection: number[]
    union: number[]
    predicted: number[]
    label: number[]
    metrics: Record<SegmentMetricName, number | null>
    perClass: {iou: number | null; acc: number | null}[]
  }
}
const golden = loadGolden('segment-metrics.json') as {tolerance: {relative: number}; cases: Case[]}
const rel = golden.tolerance.relative

const protocolOf = (c: Case): SegmentProtocol => ({
  task: 'segment',
  numClasses: c.numClasses,
  ignoreIndex: c.ignoreIndex,
  reduceZeroLabel: c.reduceZeroLabel,
  scales: [1],
  flip: false,
})

function accumulate(c: Case, order: number[]): SegmentCounts {
  const total = new SegmentCounts(c.numClasses, c.ignoreIndex)
  for (const k of order) {
    const im = c.images[k]!
    total.merge(scoreSegmentImage(Int32Array.from(im.pred), Int32Array.from(im.label), protocolOf(c)).counts)
  }
  return total
}

describe('segmentation metrics against tools/eval_reference.py (mmseg and PyTorch-Encoding conventions)', () => {
  for (const c of golden.cases) {
    it(c.name, () => {
      const counts = accumulate(
        c,
        c.images.map((_, i) => i),
      )
      assert.deepEqual([...counts.intersection], c.expected.intersection, 'intersection')
      assert.deepEqual([...counts.union()], c.expected.union, 'union')
      assert.deepEqual([...counts.predicted], c.expected.predicted, 'predicted')
      assert.deepEqual([...counts.label], c.expected.label, 'label')
      const {metrics, perClass} = segmentMetrics(counts, c.names)
      for (const name of ['pixAcc', 'mIoU', 'mIoUAll', 'mAcc'] as const) assertClose(metrics[name], c.expected.metrics[name], rel, 1e-12, `${c.name} ${name}`)
      assert.equal(perClass.length, c.numClasses)
      perClass.forEach((row, k) => {
        assert.equal(row.name, c.names[k])
        assertClose(row.iou, c.expected.perClass[k]!.iou, rel, 1e-12, `${c.name} IoU ${row.name}`)
        assertClose(row.acc, c.expected.perClass[k]!.acc, rel, 1e-12, `${c.name} acc ${row.name}`)
      })
    })
  }

  it('empty classes: NaN and excluded in mIoU, 0 in mIoUAll; predicted-only classes have IoU 0 and no accuracy', () => {
    const c = golden.cases.find((x) => x.name === 'ignore-and-empty')!
    const {metrics, perClass} = segmentMetrics(accumulate(c, [0, 1]), c.names)
    assert.equal(perClass[4]!.iou, null)
    assert.equal(perClass[5]!.iou, 0)
    assert.equal(perClass[5]!.acc, null)
    assert.ok(metrics.mIoUAll < metrics.mIoU)
  })

  it('counts are order-free: images in any order and split across accumulators give identical counts', () => {
    const c = golden.cases.find((x) => x.name === 'basic')!
    const forward = accumulate(c, [0, 1, 2])
    const shardA = accumulate(c, [2])
    shardA.merge(accumulate(c, [1, 0]))
    const roundTrip = SegmentCounts.fromJSON(JSON.parse(JSON.stringify(shardA.toJSON())) as ReturnType<typeof shardA.toJSON>)
    assert.deepEqual(roundTrip.toJSON(), forward.toJSON())
  })

  it('an all-ignored dataset has undefined pixAcc, mIoU and mAcc', () => {
    const c = golden.cases.find((x) => x.name === 'all-ignored')!
    const {metrics} = segmentMetrics(accumulate(c, [0]), c.names)
    assert.ok(Number.isNaN(metrics.pixAcc) && Number.isNaN(metrics.mIoU) && Number.isNaN(metrics.mAcc))
    assert.equal(metrics.mIoUAll, 0)
  })
})

describe('labels and per-image scores', () => {
  it('reduce-zero-label maps ADE id 0 and 255 to ignore and k to k − 1', () => {
    const p: SegmentProtocol = {task: 'segment', numClasses: 150, ignoreIndex: 255, reduceZeroLabel: true, scales: [1], flip: false}
    assert.deepEqual([...labelsForProtocol(Uint8Array.of(0, 1, 150, 255, 7), p)], [255, 0, 149, 255, 6])
    const raw = Uint8Array.of(0, 3)
    assert.equal(labelsForProtocol(raw, {...p, reduceZeroLabel: false}), raw)
  })
  it('per-image pixAcc and mIoU, null without labelled pixels', () => {
    const p: SegmentProtocol = {task: 'segment', numClasses: 3, ignoreIndex: 255, reduceZeroLabel: false, scales: [1], flip: false}
    const s = scoreSegmentImage(Uint8Array.of(0, 1, 1, 2), Uint8Array.of(0, 1, 2, 255), p)
    assert.equal(s.pixels, 3)
    assert.equal(s.pixAcc, (100 * 2) / 3)
    // IoU: class 0 = 1/1, class 1 = 1/2, class 2 = 0/1 → mean 0.5
    assert.equal(s.mIoU, (100 * 1.5) / 3)
    const none = scoreSegmentImage(Uint8Array.of(0), Uint8Array.of(255), p)
    assert.equal(none.pixAcc, null)
    assert.equal(none.mIoU, null)
  })
  it('rejects malformed counts JSON and mismatched merges', () => {
    assert.throws(
      () =>
        SegmentCounts.fromJSON({
          numClasses: 2,
          ignoreIndex: 255,
          intersection: [1],
          union: [1, 1],
          predicted: [1, 1],
          label: [1, 1],
          totalLabeled: 2,
          totalCorrect: 1,
        }),
      /intersection/,
    )
    assert.throws(() => {
      new SegmentCounts(2, 255).merge(new SegmentCounts(3, 255))
    }, /merge/)
    const good = {numClasses: 2, ignoreIndex: 255, intersection: [1, 0], union: [2, 1], predicted: [2, 0], label: [1, 1], totalLabeled: 2, totalCorrect: 1}
    assert.deepEqual(SegmentCounts.fromJSON(good).toJSON(), good)
    assert.throws(() => SegmentCounts.fromJSON({...good, union: [2, 2]}), /inconsistent/)
    assert.throws(() => SegmentCounts.fromJSON({...good, totalLabeled: 3}), /inconsistent/)
  })
})
