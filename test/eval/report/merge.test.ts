import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {SegmentCounts} from '../../../src/eval/metrics/segment-counts.js'
import {buildReport} from '../../../src/eval/report/build.js'
import {mergeReports} from '../../../src/eval/report/merge.js'
import {parseReport, reportJson} from '../../../src/eval/report/schema.js'
import type {EvalReport, ImageRecord} from '../../../src/eval/types.js'
import {DptError} from '../../../src/pipeline/errors.js'
import {classNames, depthDataset, depthProtocol, depthRecords, model, random, segmentDataset, segmentImages, segmentProtocol} from './sample.js'

/** A shuffled copy (Fisher–Yates with the test's own generator). */
function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items]
  const rnd = random(seed)
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1))
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

/** Through the file format, as `dpt eval merge` reads parts from disk. */
const onDisk = (report: EvalReport): EvalReport => parseReport(reportJson(report), 'part.json')

describe('merge of shard reports equals the single run', () => {
  const records = depthRecords(23)
  const single = buildReport({dataset: depthDataset, protocol: depthProtocol, model, records})

  for (const [count, seed] of [
    [2, 1],
    [3, 2],
    [5, 3],
    [23, 4],
    [30, 5],
  ] as const) {
    it(`depth: ${records.length} images in ${count} shards, processed and merged in shuffled orders`, () => {
      // Images land in shards in a shuffled order; each shard sees its own records in yet another order.
      const order = shuffle(records, seed)
      const shards: ImageRecord[][] = Array.from({length: count}, () => [])
      order.forEach((r, i) => shards[i % count]!.push(r))
      const parts = shards.map((part, i) =>
        onDisk(buildReport({dataset: depthDataset, protocol: depthProtocol, model, records: shuffle(part, seed + i), shard: {index: i + 1, count}})),
      )
      const merged = mergeReports(shuffle(parts, seed + 100))
      assert.deepEqual(merged, single)
      assert.equal(reportJson(merged), reportJson(single), 'byte-identical JSON')
    })
  }

  it('a depth mean really depends on the order of float additions, and the merge still matches bit for bit', () => {
    // Sanity check of the test itself: summing the per-image AbsRel in another order changes the last bits.
    const values = records.filter((r) => r.status === 'scored').map((r) => (r as {metrics: {absRel: number}}).metrics.absRel)
    const sums = new Set(Array.from({length: 20}, (_, s) => shuffle(values, s).reduce((a, b) => a + b, 0)))
    assert.ok(sums.size > 1, 'float sums in different orders differ')
  })

  it('segmentation: counts from shards merged in any order give the single run', () => {
    const images = segmentImages(17)
    const total = new SegmentCounts(segmentProtocol.numClasses, segmentProtocol.ignoreIndex)
    for (const im of images) total.merge(im.counts)
    const single = buildReport({
      dataset: segmentDataset,
      protocol: segmentProtocol,
      model,
      records: images.map((i) => i.record),
      segmentCounts: total,
      classNames,
    })
    for (const count of [2, 4, 17]) {
      // Round-robin partition; each shard accumulates its images in its own shuffled order.
      const partition = Array.from({length: count}, () => [] as typeof images)
      images.forEach((im, k) => partition[k % count]!.push(im))
      const exact = partition.map((mine, i) => {
        const counts = new SegmentCounts(segmentProtocol.numClasses, segmentProtocol.ignoreIndex)
        for (const im of shuffle(mine, i)) counts.merge(im.counts)
        return onDisk(
          buildReport({
            dataset: segmentDataset,
            protocol: segmentProtocol,
            model,
            records: mine.map((m) => m.record),
            segmentCounts: counts,
            classNames,
            shard: {index: i + 1, count},
          }),
        )
      })
      const merged = mergeReports(shuffle(exact, count))
      assert.deepEqual(merged, single)
      assert.equal(reportJson(merged), reportJson(single))
    }
  })

  it('a partial report carries its shard and accumulators; metrics of the shard alone', () => {
    const part = buildReport({dataset: depthDataset, protocol: depthProtocol, model, records: records.slice(0, 4), shard: {index: 1, count: 6}})
    assert.deepEqual(part.partial?.shard, {index: 1, count: 6})
    assert.equal(part.images.length, 4)
    assert.equal(part.counts.images, 4)
  })
})

describe('merge refuses what would not give the single run', () => {
  const records = depthRecords(6)
  const part = (index: number, count: number, extra: Partial<Parameters<typeof buildReport>[0]> = {}): EvalReport =>
    buildReport({
      dataset: depthDataset,
      protocol: depthProtocol,
      model,
      records: records.filter((_, k) => k % count === index - 1),
      shard: {index, count},
      ...extra,
    })
  const refuses = (parts: EvalReport[], pattern: RegExp): void => {
    assert.throws(
      () => mergeReports(parts),
      (e: unknown) => e instanceof DptError && pattern.test(e.message) && e.remedy !== undefined,
    )
  }
  it('a missing shard', () => {
    refuses([part(1, 3), part(3, 3)], /Shards 2\/3 are missing/)
  })
  it('a shard twice', () => {
    refuses([part(1, 2), part(1, 2), part(2, 2)], /given twice/)
  })
  it('different shard counts', () => {
    refuses([part(1, 2), part(2, 3)], /shard count/)
  })
  it('another protocol', () => {
    refuses([part(1, 2), part(2, 2, {protocol: {...depthProtocol, cap: 80}})], /protocol/)
  })
  it('another model', () => {
    refuses([part(1, 2), part(2, 2, {model: {...model, name: 'other'}})], /model/)
  })
  it('a finished report', () => {
    refuses([buildReport({dataset: depthDataset, protocol: depthProtocol, model, records})], /finished report/)
  })
  it('overlapping shards', () => {
    refuses([part(1, 2), part(2, 2, {records})], /more than one shard/)
  })
  it('nothing', () => {
    refuses([], /No report/)
  })
})
