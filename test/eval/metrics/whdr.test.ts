/**
 * WHDR against tools/eval_reference.py (an independent numpy implementation of Chen et al.'s Torch DIW evaluation:
 * the CSV parsed by Python's csv module, (z_A − z_B)·r > 0 on float64 differences), plus the rules one by one.
 */
import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {openDataset} from '../../../src/eval/datasets/index.js'
import {parsePairLine, parsePairsFile} from '../../../src/eval/datasets/point-pairs.js'
import {scoreOrdinalImage, whdrMetrics} from '../../../src/eval/metrics/whdr.js'
import type {OrdinalCounts, OrdinalImageRecord, PointPair, PredictionKind} from '../../../src/eval/types.js'
import {DptError} from '../../../src/pipeline/errors.js'
import {f32, loadGolden} from './golden.js'

interface GoldenImage {
  id: string
  width: number
  height: number
  kind: PredictionKind
  pred: (number | string)[]
  expected: OrdinalCounts
}
interface GoldenFile extends Omit<GoldenImage, 'id'> {
  name: string
  text: string
}
type Metrics = Record<'whdr' | 'whdrFarther' | 'whdrCloser', number | null>
interface Golden {
  diw: {csv: string; images: GoldenImage[]; metrics: Metrics}
  files: GoldenFile[]
  filesMetrics: Metrics
}

const golden = loadGolden('ordinal-metrics.json') as Golden
const record = (id: string, counts: OrdinalCounts): OrdinalImageRecord => ({id, status: 'scored', ...counts})
const root = mkdtempSync(join(tmpdir(), 'dpt-whdr-'))
after(() => {
  rmSync(root, {recursive: true, force: true})
})

describe('WHDR against the numpy reference (tools/eval_reference.py)', () => {
  it('DIW: the published CSV read by the diw reader, one pair per image, counts and dataset WHDR exactly equal', async () => {
    mkdirSync(join(root, 'diw', 'DIW_test'), {recursive: true})
    writeFileSync(join(root, 'diw', 'DIW_test.csv'), golden.diw.csv)
    const dataset = await openDataset({name: 'diw', data: 'diw', cwd: root})
    assert.equal(dataset.task, 'ordinal')
    assert.deepEqual(
      dataset.samples.map((s) => s.id),
      golden.diw.images.map((im) => im.id),
    )
    const records: OrdinalImageRecord[] = []
    for (const image of golden.diw.images) {
      const sample = dataset.samples.find((s) => s.id === image.id)!
      const gt = await dataset.readGt(sample)
      assert.deepEqual(gt.size, {width: image.width, height: image.height})
      const counts = scoreOrdinalImage({width: image.width, height: image.height, data: f32(image.pred), kind: image.kind}, gt)
      assert.deepEqual(counts, image.expected, image.id)
      records.push(record(image.id, counts))
    }
    assert.deepEqual(whdrMetrics(records), golden.diw.metrics)
  })

  it('point-pair files: many pairs per image, sizes optional, comments, quantised predictions with ties', () => {
    const records = golden.files.map((file) => {
      const counts = scoreOrdinalImage({width: file.width, height: file.height, data: f32(file.pred), kind: file.kind}, parsePairsFile(file.text))
      assert.deepEqual(counts, file.expected, file.name)
      return record(file.name, counts)
    })
    assert.deepEqual(whdrMetrics(records), golden.filesMetrics)
    // Aggregated per pair: not the mean of the per-image WHDRs.
    const perImageMean = golden.files.reduce((s, f) => s + (100 * f.expected.disagreements) / f.expected.pairs, 0) / golden.files.length
    assert.notEqual(whdrMetrics(records).whdr, perImageMean)
  })
})

describe('WHDR rules', () => {
  // 3 wide, 2 high; disparity values, all distinct except (1,1) = (2,3).
  const data = Float32Array.from([5, 1, 2, 3, 4, 5])
  const disparity = {width: 3, height: 2, data, kind: 'disparity' as const}
  const pair = (yA: number, xA: number, yB: number, xB: number, relation: '>' | '<'): PointPair => ({yA, xA, yB, xB, relation})
  const score = (pairs: PointPair[], kind: PredictionKind = 'disparity'): OrdinalCounts => scoreOrdinalImage({...disparity, kind}, {pairs})

  it('disparity: A is farther when its value is smaller; depth: when larger', () => {
    // A = row 1, col 2 (value 1), B = row 2, col 1 (value 3).
    assert.equal(score([pair(1, 2, 2, 1, '>')]).disagreements, 0)
    assert.equal(score([pair(1, 2, 2, 1, '<')]).disagreements, 1)
    assert.equal(score([pair(1, 2, 2, 1, '>')], 'depth').disagreements, 1)
    assert.equal(score([pair(1, 2, 2, 1, '<')], 'depth').disagreements, 0)
  })

  it('coordinates are 1-based, row first', () => {
    // (y=1, x=3) = 2 vs (y=2, x=2) = 4: A farther. Read 0-based, both would clip to the value 5 and tie.
    assert.equal(score([pair(1, 3, 2, 2, '>')]).disagreements, 0)
    // (y=2, x=1) = 3 vs (y=1, x=2) = 1: A closer. Read as x,y, A would be 1 and B 3: A farther.
    assert.equal(score([pair(2, 1, 1, 2, '<')]).disagreements, 0)
  })

  it('an exact tie disagrees with > and < alike; so does NaN', () => {
    assert.deepEqual(score([pair(1, 1, 2, 3, '>'), pair(1, 1, 2, 3, '<')]), {pairs: 2, disagreements: 2, fartherPairs: 1, fartherDisagreements: 1})
    const nan = {...disparity, data: Float32Array.from([Number.NaN, 1, 2, 3, 4, 5])}
    assert.equal(scoreOrdinalImage(nan, {pairs: [pair(1, 1, 1, 2, '>'), pair(1, 1, 1, 2, '<')]}).disagreements, 2)
  })

  it('points outside the image are clipped to its border', () => {
    // (0, -4) → (1, 1) = 5; (9, 9) → (2, 3) = 5: a tie.
    assert.equal(score([pair(0, -4, 9, 9, '>')]).disagreements, 1)
    // (0, 2) → (1, 2) = 1; (3, 0) → (2, 1) = 3.
    assert.equal(score([pair(0, 2, 3, 0, '>')]).disagreements, 0)
  })

  it('a prediction of another size than the annotated image is refused', () => {
    assert.throws(
      () => scoreOrdinalImage(disparity, {pairs: [pair(1, 1, 1, 2, '>')], size: {width: 2, height: 3}}),
      (e: unknown) => e instanceof DptError && /annotated for a 2×3 image but the prediction is 3×2/.test(e.message),
    )
  })

  it('dataset WHDR sums pairs over scored images only; null without pairs', () => {
    const records: OrdinalImageRecord[] = [
      record('a', {pairs: 3, disagreements: 1, fartherPairs: 2, fartherDisagreements: 0}),
      record('b', {pairs: 1, disagreements: 1, fartherPairs: 0, fartherDisagreements: 0}),
      {id: 'c', status: 'failed', pairs: 0, disagreements: 0, fartherPairs: 0, fartherDisagreements: 0, error: 'x'},
    ]
    assert.deepEqual(whdrMetrics(records), {whdr: 50, whdrFarther: 0, whdrCloser: 100})
    assert.deepEqual(whdrMetrics([record('a', {pairs: 2, disagreements: 1, fartherPairs: 2, fartherDisagreements: 1})]), {
      whdr: 50,
      whdrFarther: 50,
      whdrCloser: null,
    })
    assert.deepEqual(whdrMetrics([]), {whdr: null, whdrFarther: null, whdrCloser: null})
  })
})

describe('point-pair lines', () => {
  it('reads DIW coordinate lines: y, x of A, y, x of B, relation, width, height', () => {
    assert.deepEqual(parsePairLine('118,70,257,291,>,500,333', true), {
      pair: {yA: 118, xA: 70, yB: 257, xB: 291, relation: '>'},
      size: {width: 500, height: 333},
    })
    assert.deepEqual(parsePairLine(' 3, 4 ,5,6,< '), {pair: {yA: 3, xA: 4, yB: 5, xB: 6, relation: '<'}})
  })

  it('refuses what it cannot read, saying what', () => {
    const bad: [string, RegExp][] = [
      ['1,2,3,4,=', /equal pairs are not scored/],
      ['1,2,3,4,A', /relation must be > \(A farther\) or < \(A closer\)/],
      ['1,2.5,3,4,>', /"2\.5" is not an integer/],
      ['1,2,3,>', /expected "yA,xA,yB,xB,>\|<\[,width,height\]"/],
      ['1,2,3,4,>,0,10', /size must be positive/],
    ]
    for (const [line, message] of bad) assert.throws(() => parsePairLine(line), message, line)
    assert.throws(() => parsePairLine('1,2,3,4,>', true), /the image size is missing/)
    assert.throws(() => parsePairsFile('# nothing\n\n'), /no point pair/)
    assert.throws(() => parsePairsFile('1,1,2,2,>,10,10\n1,1,2,2,<,10,11\n'), /line 2: image size 10×11 differs from 10×10/)
    assert.throws(() => parsePairsFile('1,1,2,2,>\n1,1,2\n'), /^Error: line 2: /)
  })
})
