import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {SegmentCounts} from '../../../src/eval/metrics/segment-counts.js'
import {buildReport} from '../../../src/eval/report/build.js'
import {renderCsv} from '../../../src/eval/report/csv.js'
import {evaluateGates, parseGate} from '../../../src/eval/report/gates.js'
import {renderMarkdown} from '../../../src/eval/report/markdown.js'
import {checkReportJson, parseReport, reportJson} from '../../../src/eval/report/schema.js'
import {renderTable} from '../../../src/eval/report/table.js'
import type {DepthImageRecord} from '../../../src/eval/types.js'
import {DptError} from '../../../src/pipeline/errors.js'
import {classNames, depthDataset, depthProtocol, depthRecords, model, segmentDataset, segmentImages, segmentProtocol} from './sample.js'

const depth = buildReport({dataset: depthDataset, protocol: {...depthProtocol, maxDepth: Number.POSITIVE_INFINITY}, model, records: depthRecords(5)})
const seg = (() => {
  const images = segmentImages(4)
  const counts = new SegmentCounts(segmentProtocol.numClasses, segmentProtocol.ignoreIndex)
  for (const im of images) counts.merge(im.counts)
  return buildReport({dataset: segmentDataset, protocol: segmentProtocol, model, records: images.map((i) => i.record), segmentCounts: counts, classNames})
})()

/** Minimal RFC 4180 reader for the test (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(cell)
      cell = ''
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
      i++
    } else cell += c
  }
  return rows
}

describe('report JSON and its schema', () => {
  it('depth and segmentation reports validate and survive the file format unchanged (Infinity included)', () => {
    for (const report of [depth, seg]) {
      assert.deepEqual(checkReportJson(JSON.parse(reportJson(report))), [])
      assert.deepEqual(parseReport(reportJson(report), 'r.json'), report)
    }
    assert.equal((JSON.parse(reportJson(depth)) as {protocol: {maxDepth: unknown}}).protocol.maxDepth, null)
  })
  it('counts add up and metrics are means over scored images only', () => {
    assert.deepEqual(depth.counts, {images: 8, scored: 5, noValidPixels: 1, missingGt: 1, failed: 1})
    const scored = depth.images.filter((r): r is DepthImageRecord => r.status === 'scored')
    const absRel = [...scored].sort((a, b) => (a.id < b.id ? -1 : 1)).reduce((s, r) => s + r.metrics!.absRel, 0) / 5
    assert.equal(depth.metrics.absRel, absRel)
    assert.deepEqual(
      depth.images.map((r) => r.id),
      [...depth.images.map((r) => r.id)].sort(),
    )
  })
  it('segmentation: NaN becomes null, per-class rows carry names', () => {
    assert.equal(seg.perClass?.length, 6)
    assert.equal(seg.perClass[5]?.name, 'ceiling, "tall"')
    const json = JSON.parse(reportJson(seg)) as {metrics: Record<string, unknown>}
    assert.equal(typeof json.metrics.mIoU, 'number')
  })
  it('rejects other files with the reason and a remedy', () => {
    const bad = (text: string, pattern: RegExp): void => {
      assert.throws(
        () => parseReport(text, 'x.json'),
        (e: unknown) => e instanceof DptError && pattern.test(e.message) && /eval-report\.schema|dpt eval/.test(e.remedy ?? ''),
      )
    }
    bad('{', /not JSON/)
    bad('{"schema":"dpt-eval-report","version":2}', /report version 2/)
    const noCounts = JSON.parse(reportJson(depth)) as {counts?: unknown}
    delete noCounts.counts
    bad(JSON.stringify(noCounts), /must have required property 'counts'/)
    const wrongAlignment = JSON.parse(reportJson(depth)) as {protocol: {alignment: string}}
    wrongAlignment.protocol.alignment = 'median'
    bad(JSON.stringify(wrongAlignment), /protocol/)
  })
})

describe('human table', () => {
  const text = renderTable(depth, {gates: evaluateGates(depth, [parseGate('absRel>0.5'), parseGate('delta1<0.99')])})
  it('prints what was evaluated and how, with the numbers', () => {
    assert.match(text, /^dpt eval · nyu test at \/data\/nyu\n/)
    assert.match(text, /model: dpt-hybrid \(models\/dpt-hybrid\) \(relative, disparity\)/)
    assert.match(text, /images: 8 — 5 scored, 1 without a valid pixel, 1 without ground truth, 1 failed/)
    assert.match(text, /alignment: least-squares scale and shift per image in disparity space \(MiDaS\/DPT\)/)
    assert.match(text, /valid pixels: 0\.001 m < GT < ∞, finite, whole frame/)
    assert.match(text, /depth cap: 10 m/)
  })
  it('every metric with its value, unit and direction', () => {
    const row = (label: string): string => text.split('\n').find((l) => l.trimStart().startsWith(`${label} `)) ?? ''
    assert.match(row('AbsRel'), new RegExp(`AbsRel\\s+${depth.metrics.absRel!.toFixed(4)}\\s+lower`))
    assert.match(row('RMSE'), new RegExp(`${depth.metrics.rmse!.toFixed(4)}\\s+m\\s+lower`))
    assert.match(row('δ>1.25'), new RegExp(`${depth.metrics.deltaAbove125Pct!.toFixed(2)}\\s+%\\s+lower`))
    assert.match(row('δ<1.25'), /higher/)
  })
  it('lists unscored images with reasons, and gate results', () => {
    assert.match(text, /Images not scored \(3\)\n {2}b,missing\.png\s+missing-gt\s+no ground truth/)
    assert.match(text, /Gates: FAILED\n {2}pass\s+absRel>0\.5.*\n {2}FAIL\s+delta1<0\.99/)
  })
  it('segmentation prints the per-class table, optional', () => {
    const t = renderTable(seg)
    assert.match(t, /Per class \(6; IoU and accuracy in %/)
    assert.match(t, /mIoU \(all classes\)/)
    assert.match(t, /reduce-zero-label/)
    assert.doesNotMatch(renderTable(seg, {perClass: false}), /Per class/)
  })
})

describe('Markdown summary', () => {
  it('heading, protocol, metric table, gates, folded classes', () => {
    const md = renderMarkdown(seg, evaluateGates(seg, [parseGate('mIoU<1')]))
    assert.match(md, /^### dpt eval: ade20k validation at \/data\/ADEChallengeData2016\n/)
    assert.match(md, /\| metric \| value \| better \|\n\|---\|---:\|---\|\n\| pixAcc \| \d+\.\d\d % \| higher \|/)
    assert.match(md, /\*\*Gates: all passed ✅\*\*/)
    assert.match(md, /<details><summary>Per class \(6\)<\/summary>/)
    assert.match(md, /\| 5 \| ceiling, "tall" \|/)
  })
})

describe('CSV rows', () => {
  it('depth: one row per image, full precision, quoted where needed', () => {
    const rows = parseCsv(renderCsv(depth))
    assert.deepEqual(rows[0], [
      'id',
      'status',
      'pixels',
      'absRel',
      'sqRel',
      'rmse',
      'rmseLog',
      'log10',
      'silogBts',
      'silogDa',
      'delta1',
      'delta2',
      'delta3',
      'deltaAbove125Pct',
      'scale',
      'shift',
      'error',
    ])
    assert.equal(rows.length, 1 + depth.images.length)
    const first = depth.images.find((r) => r.status === 'scored') as DepthImageRecord
    const row = rows.find((r) => r[0] === first.id)!
    assert.equal(Number(row[3]), first.metrics!.absRel, 'round-trips exactly')
    assert.equal(Number(row[14]), first.scale)
    const missing = rows.find((r) => r[0] === 'b,missing.png')!
    assert.deepEqual([missing[1], missing[3], missing[16]], ['missing-gt', '', 'no ground truth: expected b,missing_depth.png'])
    assert.equal(rows.find((r) => r[0] === 'c/broken.png')![16], 'decode failed: "bad" header')
  })
  it('segmentation: per-image pixAcc and mIoU', () => {
    const rows = parseCsv(renderCsv(seg))
    assert.deepEqual(rows[0], ['id', 'status', 'pixels', 'pixAcc', 'mIoU', 'error'])
    assert.equal(rows.length, 5)
  })
})
