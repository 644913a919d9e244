/**
 * dpt eval --dataset diw as a user runs it, on DIW-shaped data in the published layout: WHDR known exactly from
 * pairs whose order against the prediction is chosen, with saved predictions (PFM, npy depth, dpt's 16-bit PNG)
 * and with the tiny fixture model; shards merged byte for byte, gates, CSV, step summary, layout and usage errors.
 */
import assert from 'node:assert/strict'
import {cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {Parser} from '@oclif/core'
import type {EvalResult} from '../../src/commands/eval/index.js'
import {evalFlags} from '../../src/eval/flags.js'
import {readDepthFile} from '../../src/formats/depth-file.js'
import {checkReportJson} from '../../src/eval/report/index.js'
import {runEval} from '../../src/eval/run-eval.js'
import {evalSettings} from '../../src/eval/settings.js'
import type {OrdinalImageRecord} from '../../src/eval/types.js'
import {DptError, ExitCode} from '../../src/pipeline/errors.js'
import {runCli, type CliResult} from '../helpers/cli.js'
import {fixture} from '../helpers/fixtures.js'
import {DIW_IMAGES, diwId, orderedPair, rampDisparity, writeDiwCsv, writeDiwImages} from '../eval/datasets/synthetic-diw.js'
import {writeNpy, writePfm, writePng16} from '../eval/datasets/synthetic.js'

const MODEL = fixture('models', 'dpt-hybrid-tiny')
let root = ''
const p = (...parts: string[]): string => join(root, ...parts)
const stem = (k: number): string => diwId(DIW_IMAGES[k]!).replace(/\.thumb$/, '')

async function evalRun(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<EvalResult> {
  const {flags} = await Parser.parse(argv, {flags: evalFlags, strict: true})
  return runEval(evalSettings(flags, env, root))
}

const unwrap = (text: string): string => text.replace(/\s*\n\s*›\s*/g, ' ')

function evalCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runCli(['eval', ...args], {cwd: root, env: {JOB_COMPLETION_INDEX: '', SLURM_ARRAY_TASK_ID: '', GITHUB_STEP_SUMMARY: '', ...env}})
}

/** Each image's pair between two of its points; `agree[k]` says whether image k's annotation matches the prediction. */
function pairsFor(predictions: readonly {data: Float32Array; width: number; height: number}[], agree: readonly boolean[]) {
  return DIW_IMAGES.map((image, k) => {
    const pred = predictions[k]!
    // Corner-ish points of a non-square frame: a swapped x/y or a 0-based reading moves them.
    return {image, pair: orderedPair({...pred, kind: 'disparity'}, [2, 3], [pred.height - 1, pred.width - 2], agree[k]!)}
  })
}

const ramps = DIW_IMAGES.map((im) => ({data: rampDisparity(im.width, im.height), width: im.width, height: im.height}))
/** Images 0, 2, 3 annotated as the ramp orders them, image 1 the other way: WHDR 25 %. */
const AGREE = [true, false, true, true]

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'dpt-eval-diw-cli-'))
  await writeDiwImages(p('diw'))
  writeDiwCsv(p('diw'), pairsFor(ramps, AGREE))
  for (const [k, ramp] of ramps.entries()) {
    writePfm(p('pred', `${stem(k)}.pfm`), ramp.data, ramp.width, ramp.height)
    // The same order as metres (depth = 1 / disparity) and as dpt's min-max normalised 16-bit PNG.
    writeNpy(
      p('pred-depth', `${stem(k)}.npy`),
      ramp.data.map((d) => 1 / d),
      [ramp.height, ramp.width],
    )
    const [min, max] = [Math.min(...ramp.data), Math.max(...ramp.data)]
    await writePng16(
      p('pred-png16', `${stem(k)}.png`),
      Uint16Array.from(ramp.data, (d) => Math.floor((65535 * (d - min)) / (max - min))),
      ramp.width,
      ramp.height,
    )
  }
})
after(() => {
  rmSync(root, {recursive: true, force: true})
})

describe('dpt eval --dataset diw --predictions', () => {
  it('WHDR 25 % from one disagreeing pair in four; per-image counts; the report validates against its schema', async () => {
    const result = await evalRun(['--dataset', 'diw', '--data', 'diw', '--predictions', 'pred'])
    const {report} = result
    assert.equal(report.task, 'ordinal')
    assert.deepEqual(report.protocol, {task: 'ordinal', ties: 'disagree'})
    assert.deepEqual(report.dataset, {name: 'diw', split: null, root: 'diw'})
    assert.deepEqual(report.counts, {images: 4, scored: 4, noValidPixels: 0, missingGt: 0, failed: 0})
    // Image 1's pair is annotated against the ramp; whether it reads > or < decides the per-relation split.
    const wrong = pairsFor(ramps, AGREE)[1]!.pair.relation
    assert.deepEqual(report.metrics, {whdr: 25, whdrFarther: wrong === '>' ? 100 / 3 : 0, whdrCloser: wrong === '<' ? 100 : 0})
    const images = report.images as OrdinalImageRecord[]
    assert.deepEqual(
      images.map((r) => [r.id, r.disagreements]),
      DIW_IMAGES.map((im, k) => [diwId(im), AGREE[k] ? 0 : 1]).sort((x, y) => (x[0]! < y[0]! ? -1 : 1)),
    )
    assert.deepEqual(checkReportJson(JSON.parse(JSON.stringify(report))), [])
    assert.match(result.notes[0]!, /diw has 74441 images in its standard split; this folder lists 4/)
  })

  it('the same orders as metres (--prediction-kind depth) or as a min-max 16-bit PNG give the same WHDR', async () => {
    const depth = await evalRun(['--dataset', 'diw', '--data', 'diw', '--predictions', 'pred-depth', '--prediction-kind', 'depth'])
    assert.equal(depth.report.metrics.whdr, 25)
    assert.equal(depth.report.model.predictionKind, 'depth')
    // Read as disparity, metres reverse every order: the three agreeing pairs now disagree.
    const reversed = await evalRun(['--dataset', 'diw', '--data', 'diw', '--predictions', 'pred-depth'])
    assert.equal(reversed.report.metrics.whdr, 75)
    const png = await evalRun(['--dataset', 'diw', '--data', 'diw', '--predictions', 'pred-png16'])
    assert.equal(png.report.metrics.whdr, 25)
  })

  it('an exact tie disagrees: the reference counts it wrong for > and < alike', async () => {
    const flat = DIW_IMAGES.map((im) => new Float32Array(im.width * im.height).fill(0.5))
    for (const [k, im] of DIW_IMAGES.entries()) writePfm(p('pred-flat', `${stem(k)}.pfm`), flat[k]!, im.width, im.height)
    const {report} = await evalRun(['--dataset', 'diw', '--data', 'diw', '--predictions', 'pred-flat'])
    assert.equal(report.metrics.whdr, 100)
  })

  it('a missing prediction fails its image (exit 3); a prediction of the wrong size too', async () => {
    cpSync(p('pred'), p('pred-partial'), {recursive: true})
    rmSync(p('pred-partial', `${stem(0)}.pfm`))
    writePfm(p('pred-partial', `${stem(1)}.pfm`), rampDisparity(20, 10), 20, 10)
    const r = await evalCli(['--dataset', 'diw', '--data', 'diw', '--predictions', 'pred-partial', '--json'])
    assert.equal(r.code, 3, r.stderr)
    const {report} = JSON.parse(r.stdout) as EvalResult
    assert.deepEqual(report.counts, {images: 4, scored: 2, noValidPixels: 0, missingGt: 0, failed: 2})
    const errors = Object.fromEntries(report.images.map((x) => [x.id, x.error ?? '']))
    assert.match(errors[diwId(DIW_IMAGES[0]!)]!, /no prediction at pred-partial\/DIW_test\/.*\.\{pfm,npy,png\}/)
    assert.match(errors[diwId(DIW_IMAGES[1]!)]!, /annotated for a 30×40 image but the prediction is 20×10/)
  })
})

describe('dpt eval --dataset diw --model', () => {
  it('the fixture model: pairs ordered against its own upsampled output give exactly the chosen WHDR; equal to scoring its PFMs', async () => {
    // The fixture card at a 96-pixel network size: the same graph, a fraction of the time.
    const card = JSON.parse(readFileSync(join(MODEL, 'dpt-card.json'), 'utf8')) as {preprocess: {height: number; width: number}}
    card.preprocess.height = card.preprocess.width = 96
    writeFileSync(p('small.card.json'), JSON.stringify(card))
    await writeDiwImages(p('diw-model'))
    const model = ['--model', MODEL, '--card', p('small.card.json')]
    const out = await runCli(['depth', p('diw-model', 'DIW_test'), '-o', p('model-out', 'DIW_test'), ...model, '--format', 'pfm', '--json'])
    assert.equal(out.code, 0, out.stderr)
    const outputs = await Promise.all(DIW_IMAGES.map((_, k) => readDepthFile(p('model-out', `${stem(k)}.pfm`), 'pfm')))
    const predictions = outputs.map((o) => ({data: o.depth, width: o.width, height: o.height}))
    writeDiwCsv(p('diw-model'), pairsFor(predictions, [false, true, false, true]))
    const fromModel = await evalRun(['--dataset', 'diw', '--data', 'diw-model', ...model, '--threads', '1'])
    assert.equal(fromModel.report.model.name, 'dpt-hybrid-tiny')
    assert.equal(fromModel.report.model.predictionKind, 'disparity')
    assert.deepEqual(fromModel.report.counts, {images: 4, scored: 4, noValidPixels: 0, missingGt: 0, failed: 0})
    assert.equal(fromModel.report.metrics.whdr, 50)
    const fromFiles = await evalRun(['--dataset', 'diw', '--data', 'diw-model', '--predictions', 'model-out'])
    assert.deepEqual(fromFiles.report.images, fromModel.report.images)
  })
})

describe('dpt eval --dataset diw: shards, gates, reports, errors', () => {
  const args = ['--dataset', 'diw', '--data', 'diw', '--predictions', 'pred']

  it('shards 1/3..3/3 merged equal the single run byte for byte', async () => {
    await evalRun([...args, '--report', 'single.json', '--csv', 'single.csv'])
    for (const i of [1, 2, 3]) await evalRun([...args, '--shard', `${i}/3`, '--report', `part${i}.json`])
    const part = JSON.parse(readFileSync(p('part3.json'), 'utf8')) as EvalResult['report']
    assert.deepEqual(part.partial, {shard: {index: 3, count: 3}, accumulators: {}})
    assert.equal(part.counts.images, 1)
    const r = await runCli(['eval', 'merge', 'part3.json', 'part1.json', 'part2.json', '--report', 'merged.json', '--csv', 'merged.csv'], {cwd: root})
    assert.equal(r.code, 0, r.stderr)
    assert.equal(readFileSync(p('merged.json'), 'utf8'), readFileSync(p('single.json'), 'utf8'))
    assert.equal(readFileSync(p('merged.csv'), 'utf8'), readFileSync(p('single.csv'), 'utf8'))
  })

  it('--fail-if on whdr (or its alias wkdr): exit 6 when crossed, 0 otherwise; a depth metric is refused', async () => {
    assert.equal((await evalRun([...args, '--fail-if', 'whdr>30', '--fail-if', 'wkdr>=25.5'])).exitCode, 0)
    const r = await evalCli([...args, '--fail-if', 'whdr>20'])
    assert.equal(r.code, 6)
    assert.match(r.stdout, /FAIL\s+whdr>20\s+WHDR = 25 > 20: gate failed/)
    await assert.rejects(
      evalRun([...args, '--fail-if', 'absRel>0.1']),
      (e: unknown) => e instanceof DptError && /this ordinal report has no metric absRel\. Available: whdr, whdrFarther, whdrCloser/.test(e.message),
    )
  })

  it('--csv: one row per image with its pair counts and WHDR; the step summary has the WHDR row', async () => {
    writeFileSync(p('summary.md'), '')
    await evalRun([...args, '--csv', 'rows.csv'], {GITHUB_STEP_SUMMARY: p('summary.md')})
    const rows = readFileSync(p('rows.csv'), 'utf8').trimEnd().split('\r\n')
    assert.equal(rows[0], 'id,status,pairs,disagreements,fartherPairs,fartherDisagreements,whdr,error')
    assert.equal(rows.length, 5)
    assert.ok(rows.includes(`${diwId(DIW_IMAGES[1]!)},scored,1,1,${pairsFor(ramps, AGREE)[1]!.pair.relation === '>' ? '1,1' : '0,0'},100,`), rows.join('\n'))
    const summary = readFileSync(p('summary.md'), 'utf8')
    assert.match(summary, /^### dpt eval: diw at diw/)
    assert.match(summary, /\| WHDR \| 25\.00 % \| lower \|/)
    assert.match(summary, /an exact tie or NaN disagrees/)
  })

  it('a folder without the DIW layout exits 7 and prints the expected tree', async () => {
    const r = await evalCli(['--dataset', 'diw', '--data', 'pred', '--predictions', 'pred'])
    assert.equal(r.code, 7)
    assert.match(unwrap(r.stderr), /diw: no DIW_test\.csv \(nor DIW_Annotations\/DIW_test\.csv\) \(--data pred\)/)
    assert.match(r.stderr, /Expected layout:/)
    assert.match(r.stderr, /118,70,257,291,>,500,333/)
  })

  it('depth protocol flags and --split do not apply to point pairs (exit 2)', async () => {
    const r = await evalCli([...args, '--alignment', 'scale', '--cap', '10'])
    assert.equal(r.code, 2)
    assert.match(unwrap(r.stderr), /--alignment, --cap do not apply to point pairs \(WHDR\)/)
    await assert.rejects(evalRun([...args, '--split', 'test']), (e: unknown) => e instanceof DptError && e.exitCode === ExitCode.usage)
  })

  it('--dataset folder --gt-format pairs scores a user’s own point pairs, several per image, per pair over the folder', async () => {
    const ramp = ramps[0]!
    const pred = {...ramp, kind: 'disparity' as const}
    const line = (agree: boolean, a: [number, number], b: [number, number]): string => {
      const pair = orderedPair(pred, a, b, agree)
      return `${pair.yA},${pair.xA},${pair.yB},${pair.xB},${pair.relation}`
    }
    mkdirSync(p('own', 'images'), {recursive: true})
    mkdirSync(p('own', 'pairs'), {recursive: true})
    for (const name of ['one', 'two']) cpSync(p('diw', 'DIW_test', `${DIW_IMAGES[0]!.name}.thumb`), p('own', 'images', `${name}.jpg`))
    writeFileSync(p('own', 'pairs', 'one.csv'), [line(true, [1, 1], [30, 40]), line(false, [5, 5], [6, 7]), line(true, [10, 3], [2, 20])].join('\n'))
    writeFileSync(p('own', 'pairs', 'two.csv'), `${line(false, [1, 2], [3, 4])}\n`)
    writePfm(p('own-pred', 'one.pfm'), ramp.data, ramp.width, ramp.height)
    writePfm(p('own-pred', 'two.pfm'), ramp.data, ramp.width, ramp.height)
    const {report} = await evalRun(['--dataset', 'folder', '--data', 'own/images', '--gt', 'own/pairs', '--gt-format', 'pairs', '--predictions', 'own-pred'])
    assert.equal(report.task, 'ordinal')
    // 2 of 4 pairs disagree: 50 % per pair (the per-image mean would be (33.3 + 100) / 2).
    assert.equal(report.metrics.whdr, 50)
    await assert.rejects(
      evalRun(['--dataset', 'folder', '--data', 'own/images', '--gt', 'own/pairs', '--gt-format', 'pairs', '--gt-scale', '2', '--predictions', 'own-pred']),
      /--gt-scale does not apply to --gt-format pairs/,
    )
  })
})
