import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {ConfusionMatrix} from '../../../src/eval/analysis/confusion.js'
import {DepthAccumulator} from '../../../src/eval/analysis/depth-accumulator.js'
import {depthBinsFor} from '../../../src/eval/analysis/depth-bins.js'
import {classOverlaps} from '../../../src/eval/analysis/image-classes.js'
import {scoreDepthImage} from '../../../src/eval/metrics/depth-image.js'
import {SegmentCounts} from '../../../src/eval/metrics/segment-counts.js'
import {scoreSegmentImage} from '../../../src/eval/metrics/segment-image.js'
import {buildReport} from '../../../src/eval/report/build.js'
import {mergeReports} from '../../../src/eval/report/merge.js'
import {checkReportJson, parseReport, reportJson} from '../../../src/eval/report/schema.js'
import type {DepthImageRecord, EvalReport, SegmentImageRecord} from '../../../src/eval/types.js'
import {classNames, depthDataset, depthProtocol, model, random, segmentDataset, segmentProtocol} from './sample.js'

const onDisk = (report: EvalReport): EvalReport => parseReport(reportJson(report), 'part.json')

/** Depth images scored for real, each with the scored pixels it adds to an accumulator. */
function depthImages(n: number): {record: DepthImageRecord; depth: Float64Array; gt: Float64Array}[] {
  const rnd = random(21)
  return Array.from({length: n}, (_, k) => {
    const gt = Float32Array.from({length: 48}, () => 0.2 + 9.5 * rnd())
    const pred = Float32Array.from(gt, (d) => 0.3 / d + 0.1 * rnd())
    let seen: {depth: Float64Array; gt: Float64Array} | undefined
    const s = scoreDepthImage(
      {width: 8, height: 6, data: pred, kind: 'disparity'},
      {width: 8, height: 6, depth: gt},
      depthProtocol,
      (depth, g) => (seen = {depth, gt: g}),
    )
    const record: DepthImageRecord = {id: `img_${k}.png`, status: 'scored', pixels: s.pixels, metrics: s.metrics, scale: s.scale!, shift: s.shift!}
    return {record, ...seen!}
  })
}

function segmentImages(n: number): {record: SegmentImageRecord; pred: Uint8Array; label: Uint8Array}[] {
  const rnd = random(22)
  return Array.from({length: n}, (_, k) => {
    const label = Uint8Array.from({length: 60}, () => Math.floor(rnd() * 6))
    const pred = Uint8Array.from(label, (l) => (rnd() < 0.6 ? Math.max(0, l - 1) : Math.floor(rnd() * 6)))
    const s = scoreSegmentImage(pred, label, segmentProtocol)
    const record: SegmentImageRecord = {
      id: `ade_${k}.jpg`,
      status: 'scored',
      pixels: s.pixels,
      pixAcc: s.pixAcc,
      mIoU: s.mIoU,
      classes: classOverlaps(s.counts),
    }
    return {record, pred, label}
  })
}

describe('the analysis survives shard merges exactly', () => {
  it('depth: histogram and error by depth of 3 shards equal the single run, to the byte', () => {
    const images = depthImages(17)
    const bins = depthBinsFor(depthProtocol)
    const accumulate = (list: typeof images): DepthAccumulator => {
      const acc = new DepthAccumulator(bins)
      for (const im of list) acc.add(im.depth, im.gt)
      return acc
    }
    const single = buildReport({
      dataset: depthDataset,
      protocol: depthProtocol,
      model,
      records: images.map((i) => i.record),
      analysis: {depth: accumulate(images)},
    })
    const parts = [0, 1, 2].map((s) => {
      const mine = images.filter((_, k) => k % 3 === s).reverse()
      return onDisk(
        buildReport({
          dataset: depthDataset,
          protocol: depthProtocol,
          model,
          records: mine.map((i) => i.record),
          shard: {index: s + 1, count: 3},
          analysis: {depth: accumulate(mine)},
        }),
      )
    })
    const merged = mergeReports([parts[2]!, parts[0]!, parts[1]!])
    assert.ok(merged.analysis?.depth !== undefined)
    assert.equal(reportJson(merged), reportJson(single))
    assert.deepEqual(checkReportJson(JSON.parse(reportJson(single))), [])
  })

  it('segmentation: confusion cells and per-image classes of 4 shards equal the single run, to the byte', () => {
    const images = segmentImages(23)
    const accumulate = (list: typeof images): {counts: SegmentCounts; confusion: ConfusionMatrix} => {
      const counts = new SegmentCounts(6, 255)
      const confusion = new ConfusionMatrix(6, 255)
      for (const im of list)
        counts.merge(
          scoreSegmentImage(im.pred, im.label, segmentProtocol, (p, l) => {
            confusion.add(p, l)
          }).counts,
        )
      return {counts, confusion}
    }
    const all = accumulate(images)
    const single = buildReport({
      dataset: segmentDataset,
      protocol: segmentProtocol,
      model,
      records: images.map((i) => i.record),
      segmentCounts: all.counts,
      classNames,
      analysis: {confusion: all.confusion},
    })
    const parts = [0, 1, 2, 3].map((s) => {
      const mine = images.filter((_, k) => k % 4 === s)
      const acc = accumulate(mine)
      return onDisk(
        buildReport({
          dataset: segmentDataset,
          protocol: segmentProtocol,
          model,
          records: mine.map((i) => i.record),
          segmentCounts: acc.counts,
          classNames,
          shard: {index: s + 1, count: 4},
          analysis: {confusion: acc.confusion},
        }),
      )
    })
    const merged = mergeReports(parts.reverse())
    assert.equal(reportJson(merged), reportJson(single))
    assert.deepEqual(merged, onDisk(single))
  })

  it('a part without analysis (an older dpt) gives a merged report without it, still exact otherwise', () => {
    const images = segmentImages(6)
    const part = (s: number, withAnalysis: boolean): EvalReport => {
      const mine = images.filter((_, k) => k % 2 === s)
      const counts = new SegmentCounts(6, 255)
      const confusion = new ConfusionMatrix(6, 255)
      for (const im of mine)
        counts.merge(
          scoreSegmentImage(im.pred, im.label, segmentProtocol, (p, l) => {
            confusion.add(p, l)
          }).counts,
        )
      const records = mine.map((i) => i.record)
      const base = {dataset: segmentDataset, protocol: segmentProtocol, model, records, segmentCounts: counts, classNames, shard: {index: s + 1, count: 2}}
      return onDisk(buildReport(withAnalysis ? {...base, analysis: {confusion}} : base))
    }
    const merged = mergeReports([part(0, true), part(1, false)])
    assert.equal(merged.analysis, undefined)
    assert.equal(merged.images.length, 6)
  })
})

describe('report JSON layout', () => {
  it('a report without the new fields is written exactly as JSON.stringify indents it', () => {
    const report = buildReport({dataset: depthDataset, protocol: depthProtocol, model, records: depthImages(3).map((i) => i.record)})
    assert.equal(reportJson(report), `${JSON.stringify(report, null, 2)}\n`)
  })

  it('analysis rows and per-image classes take a line each, and read back the same', () => {
    const images = segmentImages(3)
    const counts = new SegmentCounts(6, 255)
    const confusion = new ConfusionMatrix(6, 255)
    for (const im of images)
      counts.merge(
        scoreSegmentImage(im.pred, im.label, segmentProtocol, (p, l) => {
          confusion.add(p, l)
        }).counts,
      )
    const report = buildReport({
      dataset: segmentDataset,
      protocol: segmentProtocol,
      model,
      records: images.map((i) => i.record),
      segmentCounts: counts,
      classNames,
      analysis: {confusion},
    })
    const text = reportJson(report)
    assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(report)))
    const classesLine = text.split('\n').find((l) => l.includes('"classes"'))!
    assert.match(classesLine, /^ {6}"classes": \[\[\d+,\d+,\d+\](,\[\d+,\d+,\d+\])*\],?$/)
    assert.match(text, /\n {6}"labelPixels": \[[\d,]+\],\n/)
    assert.match(text, /\n {6}"confusion": \[\n {8}\[0,0,\d+\],\n/)
    assert.ok(text.length < JSON.stringify(report, null, 2).length)
  })
})
