/**
 * Every layout scored end to end with the tiny fixture models through the scheduler, and the same predictions
 * saved by `dpt depth` / `dpt segment` scored in predictions mode: both paths must give the same records.
 */
import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {openDataset, type DatasetOptions} from '../../../src/eval/datasets/index.js'
import {evaluate, type EvalOutcome, type PredictionOrigin} from '../../../src/eval/predict-run.js'
import {defaultSegmentProtocol, resolveDepthProtocol} from '../../../src/eval/protocol.js'
import type {DepthImageRecord, SegmentImageRecord} from '../../../src/eval/types.js'
import {runSettings} from '../../../src/flags.js'
import {argumentInputs} from '../../../src/pipeline/sources/inputs.js'
import {runCli} from '../../helpers/cli.js'
import {fixture} from '../../helpers/fixtures.js'
import {makeAde20k, makeDiode, makeEth3d, makeFolder, makeKittiEigen, makeKittiSelection, makeNyu, makeSintel, makeTum} from './synthetic.js'

const DEPTH_MODEL = fixture('models', 'dpt-hybrid-tiny')
const SEGMENT_MODEL = fixture('models', 'dpt-hybrid-ade-tiny')
let root = ''
/** The fixture cards at a 96-pixel network size: the same graphs, a fraction of the inference time. */
const smallCard = (model: string): string => join(root, `${model.split('/').pop()}.card.json`)

const modelOrigin = (model: string): PredictionOrigin => ({
  kind: 'model',
  run: runSettings(argumentInputs([root]), {
    output: '.',
    model,
    card: smallCard(model),
    dtype: 'fp32',
    provider: 'cpu',
    workers: 1,
    threads: 1,
    'input-size': undefined,
    'strict-provider': undefined,
    'progress-interval': undefined,
    base: undefined,
    null: false,
    shard: undefined,
    'max-pixels': 1e8,
    'fail-fast': false,
    'pipeline-nice': 0,
    offline: true,
    'graph-optimization': 'all',
    'mem-pattern': true,
    'mem-arena': true,
    'skip-existing': false,
    overwrite: false,
  }),
})

async function score(
  options: Omit<DatasetOptions, 'cwd'>,
  origin: PredictionOrigin,
  tta: {scales: number[]; flip: boolean} = {scales: [1], flip: false},
): Promise<EvalOutcome> {
  const name = options.name
  const dataset = await openDataset({...options, cwd: root})
  return evaluate({
    dataset,
    shard: undefined,
    origin,
    cwd: root,
    // ade20k and diw never ask for a depth protocol; the callback still needs a depth dataset's name.
    depthProtocol: (kind) => resolveDepthProtocol(name === 'ade20k' || name === 'diw' ? 'folder' : name, kind),
    segmentProtocol: (n) => ({...defaultSegmentProtocol(n), ...tta}),
  })
}

const statuses = (outcome: EvalOutcome): string[] => [...outcome.scorer.records].sort((a, b) => (a.id < b.id ? -1 : 1)).map((r) => `${r.id}:${r.status}`)

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'dpt-eval-layouts-'))
  for (const model of [DEPTH_MODEL, SEGMENT_MODEL]) {
    const card = JSON.parse(readFileSync(join(model, 'dpt-card.json'), 'utf8')) as {preprocess: {height: number; width: number}}
    card.preprocess.height = card.preprocess.width = 96
    writeFileSync(smallCard(model), JSON.stringify(card))
  }
  await Promise.all([
    makeAde20k(join(root, 'ade')),
    makeNyu(join(root, 'nyu')),
    makeKittiEigen(join(root, 'kitti')),
    makeKittiSelection(join(root, 'kitti-sel')),
    makeDiode(join(root, 'diode')),
    makeEth3d(join(root, 'eth3d')),
    makeSintel(join(root, 'sintel')),
    makeTum(join(root, 'tum')),
    makeFolder(join(root, 'folder'), 'npy'),
  ])
})
after(() => {
  rmSync(root, {recursive: true, force: true})
})

describe('depth layouts scored with the fixture model', () => {
  const cases: [string, Omit<DatasetOptions, 'cwd'>, number, number][] = [
    ['nyu', {name: 'nyu', data: 'nyu'}, 2, 1],
    ['kitti eigen', {name: 'kitti', data: 'kitti'}, 2, 1],
    ['kitti selection', {name: 'kitti', data: 'kitti-sel', split: 'selection'}, 2, 0],
    ['diode', {name: 'diode', data: 'diode'}, 2, 0],
    ['eth3d', {name: 'eth3d', data: 'eth3d'}, 2, 0],
    ['sintel', {name: 'sintel', data: 'sintel'}, 2, 0],
    ['tum', {name: 'tum', data: 'tum'}, 2, 0],
    ['folder', {name: 'folder', data: 'folder/images', gt: 'folder/gt', gtFormat: 'npy'}, 2, 1],
  ]
  for (const [label, options, scored, missing] of cases) {
    it(`${label}: ${scored} scored, ${missing} missing GT, disparity aligned by scale and shift`, async () => {
      const outcome = await score(options, modelOrigin(DEPTH_MODEL))
      const records = outcome.scorer.records as DepthImageRecord[]
      assert.equal(records.filter((r) => r.status === 'scored').length, scored, JSON.stringify(records))
      assert.equal(records.filter((r) => r.status === 'missing-gt').length, missing)
      assert.equal(outcome.model.predictionKind, 'disparity')
      assert.equal(outcome.scorer.protocol.task === 'depth' && outcome.scorer.protocol.alignment, 'scale-shift-disparity')
      for (const r of records.filter((r) => r.status === 'scored')) {
        assert.ok(r.pixels > 0 && r.pixels <= 40 * 30)
        assert.ok(Number.isFinite(r.metrics!.absRel) && r.metrics!.absRel >= 0)
        assert.ok(r.metrics!.delta1 >= 0 && r.metrics!.delta1 <= 1)
        assert.equal(typeof r.scale, 'number')
      }
    })
  }

  it('an unreadable ground truth fails its image once; the others are scored', async () => {
    await makeFolder(join(root, 'bad'), 'npy')
    writeFileSync(join(root, 'bad', 'gt', 'a', 'y.npy'), 'not numpy')
    const outcome = await score({name: 'folder', data: 'bad/images', gt: 'bad/gt', gtFormat: 'npy'}, modelOrigin(DEPTH_MODEL))
    assert.deepEqual(statuses(outcome), ['a/x.jpg:scored', 'a/y.jpg:failed', 'b/z.jpg:missing-gt'])
    assert.match(outcome.scorer.records.find((r) => r.status === 'failed')!.error!, /not an \.npy file/)
    assert.equal(outcome.scorer.records.filter((r) => r.status === 'failed').length, 1)
  })

  it('DIODE masks out half of the outdoor frame', async () => {
    const outcome = await score({name: 'diode', data: 'diode'}, modelOrigin(DEPTH_MODEL))
    const pixels = Object.fromEntries((outcome.scorer.records as DepthImageRecord[]).map((r) => [r.id.split('/')[0] ?? '', r.pixels]))
    assert.equal(pixels.indoors, 40 * 30)
    assert.equal(pixels.outdoor, (40 * 30) / 2)
  })

  it('the model run equals scoring its own PFM outputs in predictions mode', async () => {
    const out = join(root, 'nyu-pred')
    const r = await runCli([
      'depth',
      join(root, 'nyu', 'official_splits', 'test'),
      '-o',
      out,
      '--model',
      DEPTH_MODEL,
      '--card',
      smallCard(DEPTH_MODEL),
      '--format',
      'pfm',
      '--json',
    ])
    assert.equal(r.code, 0, r.stderr)
    const fromModel = await score({name: 'nyu', data: 'nyu'}, modelOrigin(DEPTH_MODEL))
    const fromFiles = await score(
      {name: 'nyu', data: 'nyu'},
      {kind: 'predictions', source: {dir: out, dirAbs: out, kind: 'disparity', png16Scale: 1, labelOffset: 1}},
    )
    const strip = (o: EvalOutcome) => [...o.scorer.records].sort((a, b) => (a.id < b.id ? -1 : 1))
    assert.deepEqual(strip(fromFiles), strip(fromModel))
  })
})

describe('ade20k scored with the fixture model', () => {
  it('counts over the labelled pixels, id 0 ignored, the missing annotation reported', async () => {
    const outcome = await score({name: 'ade20k', data: 'ade'}, modelOrigin(SEGMENT_MODEL))
    assert.deepEqual(statuses(outcome), ['ADE_val_00000001.jpg:scored', 'ADE_val_00000002.jpg:scored', 'ADE_val_00000003.jpg:missing-gt'])
    const counts = outcome.scorer.counts!
    // labelValues: ids (x/10 + seed) % 4 in 10-pixel bands → one band of id 0 per image is ignored.
    assert.equal(
      counts.label.reduce((s, v) => s + v, 0),
      2 * 30 * 30,
    )
    assert.equal(
      counts.predicted.reduce((s, v) => s + v, 0),
      2 * 30 * 30,
    )
    assert.deepEqual([...counts.label.slice(0, 4)], [600, 600, 600, 0])
    const records = outcome.scorer.records as SegmentImageRecord[]
    assert.ok(records.filter((r) => r.status === 'scored').every((r) => r.pixels === 900 && r.pixAcc !== null))
  })

  it('multi-scale + flip runs every view through the scheduler and scores every labelled pixel', async () => {
    const single = await score({name: 'ade20k', data: 'ade'}, modelOrigin(SEGMENT_MODEL))
    const tta = await score({name: 'ade20k', data: 'ade'}, modelOrigin(SEGMENT_MODEL), {scales: [0.5, 1], flip: true})
    assert.deepEqual(statuses(tta), statuses(single))
    assert.equal(tta.scorer.protocol.task === 'segment' && tta.scorer.protocol.flip, true)
    assert.equal(
      tta.scorer.counts!.predicted.reduce((s, v) => s + v, 0),
      2 * 30 * 30,
    )
    assert.deepEqual([...tta.scorer.counts!.label], [...single.scorer.counts!.label])
  })

  it('the model run equals scoring its own label PNGs (ids 1..150) in predictions mode', async () => {
    const out = join(root, 'ade-pred')
    const r = await runCli([
      'segment',
      join(root, 'ade', 'ADEChallengeData2016', 'images', 'validation'),
      '-o',
      out,
      '--model',
      SEGMENT_MODEL,
      '--card',
      smallCard(SEGMENT_MODEL),
      '--format',
      'labels',
      '--json',
    ])
    assert.equal(r.code, 0, r.stderr)
    const fromModel = await score({name: 'ade20k', data: 'ade'}, modelOrigin(SEGMENT_MODEL))
    const fromFiles = await score(
      {name: 'ade20k', data: 'ade'},
      {kind: 'predictions', source: {dir: out, dirAbs: out, kind: 'disparity', png16Scale: 1, labelOffset: 1}},
    )
    assert.deepEqual(fromFiles.scorer.counts!.toJSON(), fromModel.scorer.counts!.toJSON())
    assert.deepEqual(statuses(fromFiles), statuses(fromModel))
  })
})
