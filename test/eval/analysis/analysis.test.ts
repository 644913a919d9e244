import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {ConfusionMatrix} from '../../../src/eval/analysis/confusion.js'
import {mostConfusedPairs} from '../../../src/eval/analysis/confused-pairs.js'
import {DepthAccumulator} from '../../../src/eval/analysis/depth-accumulator.js'
import {binEdge, binIndexer, depthBinsFor} from '../../../src/eval/analysis/depth-bins.js'
import {errorByDepth} from '../../../src/eval/analysis/depth-views.js'
import {classOverlaps} from '../../../src/eval/analysis/image-classes.js'
import {worstImagesPerClass} from '../../../src/eval/analysis/worst-per-class.js'
import {scoreDepthImage} from '../../../src/eval/metrics/depth-image.js'
import {labelsForProtocol, SegmentCounts} from '../../../src/eval/metrics/segment-counts.js'
import {scoreSegmentImage} from '../../../src/eval/metrics/segment-image.js'
import {buildReport} from '../../../src/eval/report/build.js'
import type {EvalReport, SegmentImageRecord} from '../../../src/eval/types.js'
import {DptError} from '../../../src/pipeline/errors.js'
import {classNames, depthDataset, depthProtocol, model, random, segmentDataset, segmentProtocol} from '../report/sample.js'

describe('confusion matrix', () => {
  const rnd = random(3)
  const label = Uint8Array.from({length: 500}, () => Math.floor(rnd() * 6)) // raw ADE-style ids, 0 ignored
  const pred = Uint8Array.from({length: 500}, () => Math.floor(rnd() * 7)) // 6 is out of range (6 classes)
  const reduced = labelsForProtocol(label, segmentProtocol)

  it('has the intersection on its diagonal and the label counts in its rows (predictions in range)', () => {
    const matrix = new ConfusionMatrix(6, 255)
    matrix.add(pred, reduced)
    const counts = new SegmentCounts(6, 255)
    counts.add(pred, reduced)
    for (let c = 0; c < 6; c++) assert.equal(matrix.cells[c * 6 + c], counts.intersection[c])
    const inRange = new SegmentCounts(6, 255)
    const keep = Array.from(pred.keys()).filter((i) => pred[i]! < 6)
    inRange.add(
      Uint8Array.from(keep, (i) => pred[i]!),
      Int32Array.from(keep, (i) => reduced[i]!),
    )
    for (let c = 0; c < 6; c++) {
      const row = Array.from({length: 6}, (_, p) => matrix.cells[c * 6 + p]!).reduce((a, b) => a + b)
      assert.equal(row, inRange.label[c])
    }
    const total = matrix.cells.reduce((a, b) => a + b)
    assert.equal(total, keep.filter((i) => reduced[i] !== 255).length, 'ignored labels and out-of-range predictions are not counted')
  })

  it('round-trips through its cells and refuses cells that cannot be counts', () => {
    const matrix = new ConfusionMatrix(6, 255)
    matrix.add(pred, reduced)
    const again = ConfusionMatrix.fromCells(6, 255, matrix.toCells())
    assert.deepEqual(again.cells, matrix.cells)
    assert.ok(matrix.toCells().every(([, , v]) => v > 0))
    assert.throws(() => ConfusionMatrix.fromCells(6, 255, [[0, 6, 1]]), DptError)
    assert.throws(() => ConfusionMatrix.fromCells(6, 255, [[0, 1, 0.5]]), DptError)
  })

  it('gives the most confused pairs with their shares', () => {
    // label 0: 10 pixels, 6 right, 3 taken for 1, 1 for 2; label 1: 5 pixels, all taken for 0.
    const analysis = {
      labelPixels: [10, 5, 0],
      predictedPixels: [11, 3, 1],
      confusion: [
        [0, 0, 6],
        [0, 1, 3],
        [0, 2, 1],
        [1, 0, 5],
      ] as [number, number, number][],
    }
    const pairs = mostConfusedPairs(analysis, 2)
    assert.deepEqual(pairs, [
      {label: 1, predicted: 0, pixels: 5, shareOfLabel: 1, shareOfAll: 5 / 15},
      {label: 0, predicted: 1, pixels: 3, shareOfLabel: 0.3, shareOfAll: 3 / 15},
    ])
  })
})

describe('per-image class counts and the worst images of a class', () => {
  it('lists every class with a union, with its intersection', () => {
    const counts = new SegmentCounts(4, 255)
    counts.add(Uint8Array.of(0, 0, 1, 3), Uint8Array.of(0, 1, 1, 255))
    assert.deepEqual(classOverlaps(counts), [
      [0, 1, 2],
      [1, 1, 2],
    ])
  })

  it('ranks by IoU, then pixels wrong, skipping slivers under 1 % of the image', () => {
    const record = (id: string, classes: [number, number, number][]): SegmentImageRecord => ({
      id,
      status: 'scored',
      pixels: 1000,
      pixAcc: 50,
      mIoU: 50,
      classes,
    })
    const report = {
      images: [
        record('a', [[2, 50, 100]]),
        record('b', [[2, 12, 200]]),
        record('c', [[2, 5, 100]]),
        record('d', [[2, 0, 9]]), // a sliver: 9 < 1 % of 1000
        record('e', [[2, 20, 400]]), // same IoU as c (5 %), more pixels wrong
      ],
    } as unknown as EvalReport
    const worst = worstImagesPerClass(report, 3).get(2)!
    assert.deepEqual(
      worst.map((w) => w.id),
      ['e', 'c', 'b'],
    )
    assert.equal(worst[0]!.iou, 5)
  })
})

describe('depth histogram and error by depth', () => {
  it('bins the protocol range in log steps, three decades below the far limit', () => {
    assert.deepEqual(depthBinsFor(depthProtocol), {min: 0.01, max: 10, count: 90})
    assert.deepEqual(depthBinsFor({...depthProtocol, minDepth: 0.6, maxDepth: 350}).min, 0.6)
    assert.equal(depthBinsFor({...depthProtocol, maxDepth: Number.POSITIVE_INFINITY, cap: null}).max, 100)
    const bins = depthBinsFor(depthProtocol)
    const bin = binIndexer(bins)
    assert.equal(bin(0.001), 0)
    assert.equal(bin(1e6), 89)
    assert.equal(bin(1.0001), 60)
    assert.ok(Math.abs(binEdge(bins, 60) - 1) < 1e-12)
  })

  it('counts every scored pixel once, and its per-bin AbsRel and δ>1.25 agree with the image metrics', () => {
    const rnd = random(5)
    const acc = new DepthAccumulator(depthBinsFor(depthProtocol))
    let pixels = 0
    let above = 0
    let absRel = 0
    for (let k = 0; k < 20; k++) {
      const gt = Float32Array.from({length: 64}, () => 0.3 + 9 * rnd())
      const pred = Float32Array.from(gt, (d) => 1 / d + 0.3 * rnd())
      const score = scoreDepthImage({width: 8, height: 8, data: pred, kind: 'disparity'}, {width: 8, height: 8, depth: gt}, depthProtocol, (d, g) => {
        acc.add(d, g)
      })
      pixels += score.pixels
      above += Math.round((score.metrics!.deltaAbove125Pct * score.pixels) / 100)
      absRel += score.metrics!.absRel * score.pixels
    }
    const json = acc.toJSON()
    assert.equal(
      json.pixels.reduce((a, b) => a + b),
      pixels,
    )
    assert.equal(
      json.joint.reduce((a, [, , v]) => a + v, 0),
      pixels,
    )
    assert.equal(
      json.above125.reduce((a, b) => a + b),
      above,
    )
    const pooled = json.absRelSum.reduce((a, b) => a + b) / pixels
    assert.ok(Math.abs(pooled - absRel / pixels) < 1e-6, `${pooled} vs ${absRel / pixels}`)
    for (const row of errorByDepth(json)) assert.ok(row.from < row.to && row.pixels > 0 && row.absRel! >= 0)
  })

  it('adds up to the same bits in any order of images and shards', () => {
    const rnd = random(9)
    const images = Array.from({length: 12}, () => {
      const gt = Float64Array.from({length: 200}, () => 0.05 + 9 * rnd())
      return {gt, pred: gt.map((d) => d * (0.5 + rnd()))}
    })
    const bins = depthBinsFor(depthProtocol)
    const forward = new DepthAccumulator(bins)
    for (const im of images) forward.add(im.pred, im.gt)
    const backward = new DepthAccumulator(bins)
    const half = new DepthAccumulator(bins)
    images.forEach((im, k) => {
      ;(k % 2 === 0 ? backward : half).add(im.pred, im.gt)
    })
    backward.merge(half)
    assert.deepEqual(backward.toJSON(), forward.toJSON())
    assert.deepEqual(DepthAccumulator.fromJSON(forward.toJSON()).toJSON(), forward.toJSON())
    assert.throws(() => {
      forward.merge(new DepthAccumulator({...bins, count: 10}))
    }, DptError)
  })
})

describe('the report carries the analysis', () => {
  it('segmentation: pixel frequency, predicted pixels and the confusion cells', () => {
    const counts = new SegmentCounts(6, 255)
    const confusion = new ConfusionMatrix(6, 255)
    const s = scoreSegmentImage(Uint8Array.of(0, 1, 1, 2), Uint8Array.of(1, 2, 2, 0), segmentProtocol, (p, l) => {
      confusion.add(p, l)
    })
    counts.merge(s.counts)
    const record: SegmentImageRecord = {id: 'a.jpg', status: 'scored', pixels: s.pixels, pixAcc: s.pixAcc, mIoU: s.mIoU, classes: classOverlaps(s.counts)}
    const report = buildReport({
      dataset: segmentDataset,
      protocol: segmentProtocol,
      model,
      records: [record],
      segmentCounts: counts,
      classNames,
      analysis: {confusion},
    })
    assert.deepEqual(report.analysis, {
      segment: {
        labelPixels: [1, 2, 0, 0, 0, 0],
        predictedPixels: [1, 2, 0, 0, 0, 0],
        confusion: [
          [0, 0, 1],
          [1, 1, 2],
        ],
      },
    })
    assert.deepEqual(Object.keys(report), ['schema', 'version', 'task', 'dataset', 'protocol', 'model', 'counts', 'metrics', 'perClass', 'analysis', 'images'])
  })

  it('depth: no analysis unless given', () => {
    const report = buildReport({dataset: depthDataset, protocol: depthProtocol, model, records: []})
    assert.equal(report.analysis, undefined)
  })
})
