/**
 * dpt eval and dpt eval merge as a user runs them: predictions with metrics known exactly, alignment undoing a
 * known scale and shift, shards merged into the single-run report, gates and exit codes, report files, layout errors.
 */
import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import type {EvalResult} from '../../src/commands/eval/index.js'
import type {DepthImageRecord} from '../../src/eval/types.js'
import {Parser} from '@oclif/core'
import {evalFlags} from '../../src/eval/flags.js'
import {runEval, runMerge} from '../../src/eval/run-eval.js'
import {evalSettings} from '../../src/eval/settings.js'
import {DptError, ExitCode} from '../../src/pipeline/errors.js'
import {runCli, type CliResult} from '../helpers/cli.js'
import {fixture} from '../helpers/fixtures.js'
import {H, W, depthValues, labelValues, makeAde20k, makeNyu, writeLabels, writeNpy, writePfm, writePng16} from '../eval/datasets/synthetic.js'

let root = ''
const p = (...parts: string[]): string => join(root, ...parts)
const NYU_IDS = ['kitchen_0004/rgb_00001', 'kitchen_0004/rgb_00002']

/** The NYU GT as dpt reads it: mm integers ÷ 1000, pixel 0 stored as 0. */
const gtOf = (seed: number): Float32Array => {
  const out = Float32Array.from(depthValues(seed), (d) => Math.round(d * 1000) / 1000)
  out[0] = 0
  return out
}

/** The same flags parsed in-process (oclif's parser) and run through runEval: the exact-value tests need no process. */
async function evalRun(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<EvalResult> {
  const {flags} = await Parser.parse(argv, {flags: evalFlags, strict: true})
  return runEval(evalSettings(flags, env, root))
}

/** oclif wraps long error lines on stderr: join them back before matching. */
const unwrap = (text: string): string => text.replace(/\s*\n\s*›\s*/g, ' ')

async function evalCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runCli(['eval', ...args], {cwd: root, env: {JOB_COMPLETION_INDEX: '', SLURM_ARRAY_TASK_ID: '', GITHUB_STEP_SUMMARY: '', ...env}})
}

async function evalJson(args: string[], env: NodeJS.ProcessEnv = {}, code = 0): Promise<EvalResult> {
  const r = await evalCli([...args, '--json'], env)
  assert.equal(r.code, code, r.stderr + r.stdout)
  return JSON.parse(r.stdout) as EvalResult
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'dpt-eval-cli-'))
  await makeNyu(p('nyu'))
  await makeAde20k(p('ade'))
  for (const [k, id] of NYU_IDS.entries()) {
    const gt = gtOf(k)
    writeNpy(p('pred-equal', `${id}.npy`), gt, [H, W])
    writeNpy(
      p('pred-x3', `${id}.npy`),
      gt.map((d) => 3 * d),
      [H, W],
    )
    writeNpy(
      p('pred-worse', `${id}.npy`),
      gt.map((d) => 1.1 * d),
      [H, W],
    )
    // Relative-model output: an affine image of disparity, 2.5 / d + 0.3 (0 where there is no depth).
    writePfm(
      p('pred-affine', `${id}.pfm`),
      gt.map((d) => (d > 0 ? 2.5 / d + 0.3 : 0)),
    )
    // As dpt depth's png16: disparity stretched to 16 bits (here 20000 / d, an affine image of 1/d).
    await writePng16(
      p('pred-png16', `${id}.png`),
      Uint16Array.from(gt, (d) => (d > 0 ? Math.round(20000 / d) : 0)),
    )
    // As dpt depth's png16 of a metric NYU model: depth × 1000.
    await writePng16(
      p('pred-metric-png16', `${id}.png`),
      Uint16Array.from(gt, (d) => Math.round(d * 1000)),
    )
  }
  for (let i = 1; i <= 2; i++) {
    const labels = labelValues(i)
    // Predicted ids equal the annotation; where the annotation is 0 (ignored) predict id 1.
    await writeLabels(
      p('pred-ade', `ADE_val_0000000${i}.png`),
      labels.map((v) => (v === 0 ? 1 : v)),
    )
    await writeLabels(
      p('pred-ade0', `ADE_val_0000000${i}.png`),
      labels.map((v) => (v === 0 ? 0 : v - 1)),
    )
  }
})
after(() => {
  rmSync(root, {recursive: true, force: true})
})

describe('dpt eval --predictions: metrics known exactly', () => {
  it('a prediction equal to the GT gives AbsRel 0, RMSE 0, δ1 = 1; missing GT counted, not fatal', async () => {
    const result = await evalJson(['--dataset', 'nyu', '--data', 'nyu', '--predictions', 'pred-equal', '--prediction-kind', 'depth', '--crop', 'none'])
    const {report} = result
    assert.equal(report.schema, 'dpt-eval-report')
    assert.equal(report.version, 1)
    assert.deepEqual(report.counts, {images: 3, scored: 2, noValidPixels: 0, missingGt: 1, failed: 0})
    assert.equal(report.metrics.absRel, 0)
    assert.equal(report.metrics.rmse, 0)
    assert.equal(report.metrics.delta1, 1)
    assert.equal(report.metrics.deltaAbove125Pct, 0)
    assert.deepEqual(report.model, {path: null, name: null, predictions: 'pred-equal', predictionKind: 'depth'})
    assert.equal(report.protocol.task === 'depth' && report.protocol.alignment, 'none')
    for (const r of report.images as DepthImageRecord[]) if (r.status === 'scored') assert.equal(r.pixels, W * H - 1)
    assert.equal(result.exitCode, 0)
    assert.deepEqual(result.notes, [
      'nyu eigen-test has 654 images in its standard split; this folder lists 3, so the numbers are not comparable with published ones.',
    ])
  })

  it('a known scale and shift of disparity is undone by the default scale-shift-disparity alignment', async () => {
    const {report} = await evalRun(['--dataset', 'nyu', '--data', 'nyu', '--predictions', 'pred-affine'])
    assert.equal(report.protocol.task === 'depth' && report.protocol.alignment, 'scale-shift-disparity')
    assert.ok(report.metrics.absRel! < 1e-6, String(report.metrics.absRel))
    assert.equal(report.metrics.delta1, 1)
    for (const r of report.images as DepthImageRecord[]) {
      if (r.status !== 'scored') continue
      assert.ok(Math.abs(r.scale! - 0.4) < 1e-6 && Math.abs(r.shift! + 0.12) < 1e-6, `${r.scale} ${r.shift}`)
    }
  })

  it('--alignment scale undoes a depth scale factor', async () => {
    const {report} = await evalRun([
      '--dataset',
      'nyu',
      '--data',
      'nyu',
      '--predictions',
      'pred-x3',
      '--prediction-kind',
      'depth',
      '--alignment',
      'scale',
      '--crop',
      'none',
      '--no-clip',
    ])
    assert.ok(report.metrics.absRel! < 1e-6)
    for (const r of report.images as DepthImageRecord[]) if (r.status === 'scored') assert.ok(Math.abs(r.scale! - 1 / 3) < 1e-9)
  })

  it('16-bit PNG disparity (min-max normalised) is refused without a scale-and-shift alignment', async () => {
    await assert.rejects(evalRun(['--dataset', 'nyu', '--data', 'nyu', '--predictions', 'pred-png16', '--alignment', 'none']), (error: unknown) => {
      assert.ok(error instanceof DptError)
      assert.equal(error.exitCode, ExitCode.usage)
      assert.match(error.message, /min-max normalised/)
      assert.match(error.remedy!, /scale-shift-disparity/)
      return true
    })
    const aligned = await evalRun(['--dataset', 'nyu', '--data', 'nyu', '--predictions', 'pred-png16'])
    assert.ok(aligned.report.metrics.absRel! < 1e-3, 'png16 of an affine disparity is fine once aligned')
  })

  it('metric 16-bit PNG predictions are divided by --prediction-scale', async () => {
    const args = ['--dataset', 'nyu', '--data', 'nyu', '--predictions', 'pred-metric-png16', '--prediction-kind', 'depth', '--crop', 'none']
    const {report} = await evalRun([...args, '--prediction-scale', '1000'])
    assert.equal(report.metrics.absRel, 0)
    assert.equal(report.metrics.delta1, 1)
    const unscaled = await evalRun(args)
    assert.ok(unscaled.report.metrics.absRel! > 1, 'without the scale the values are 1000× too large (clipped at 10 m)')
  })

  it('label PNGs equal to the annotations: pixAcc and mIoU 100 %, mIoU over all 150 classes 3/150; --label-offset 0 likewise', async () => {
    for (const [dir, offset] of [
      ['pred-ade', '1'],
      ['pred-ade0', '0'],
    ] as const) {
      const {report} = await evalRun(['--dataset', 'ade20k', '--data', 'ade', '--predictions', dir, '--label-offset', offset])
      assert.equal(report.metrics.pixAcc, 100)
      assert.equal(report.metrics.mIoU, 100)
      assert.equal(report.metrics.mAcc, 100)
      assert.ok(Math.abs(report.metrics.mIoUAll! - 2) < 1e-9)
      assert.deepEqual(report.counts, {images: 3, scored: 2, noValidPixels: 0, missingGt: 1, failed: 0})
      assert.deepEqual(
        report.perClass!.slice(0, 4).map((c) => [c.name, c.iou]),
        [
          ['wall', 100],
          ['building', 100],
          ['sky', 100],
          ['floor', null],
        ],
      )
    }
  })
})

describe('dpt eval --model', () => {
  it('runs the fixture depth model through the scheduler: disparity, the zero-shot protocol, missing GT counted', async () => {
    const result = await evalJson(['--dataset', 'nyu', '--data', 'nyu', '--model', fixture('models', 'dpt-hybrid-tiny'), '--threads', '1'])
    assert.equal(result.report.model.name, 'dpt-hybrid-tiny')
    assert.equal(result.report.model.predictionKind, 'disparity')
    assert.equal(result.report.protocol.task === 'depth' && result.report.protocol.alignment, 'scale-shift-disparity')
    assert.deepEqual(result.report.counts, {images: 3, scored: 2, noValidPixels: 0, missingGt: 1, failed: 0})
    assert.ok(result.report.metrics.absRel! > 0 && result.report.metrics.absRel! < 1)
  })

  it('a segmentation model on a depth dataset is a model error (exit 4)', async () => {
    const r = await evalCli(['--dataset', 'nyu', '--data', 'nyu', '--model', fixture('models', 'dpt-hybrid-ade-tiny')])
    assert.equal(r.code, 4)
    assert.match(unwrap(r.stderr), /is a segmentation model; this command needs a depth model/)
  })
})

describe('dpt eval --shard and dpt eval merge', () => {
  it('depth: shards 1/2 and 2/2 merged equal the single run, byte for byte', async () => {
    const args = ['--dataset', 'nyu', '--data', 'nyu', '--predictions', 'pred-affine']
    await evalRun([...args, '--report', 'single.json'])
    for (const i of [1, 2]) await evalRun([...args, '--shard', `${i}/2`, '--report', `part${i}.json`])
    const part1 = JSON.parse(readFileSync(p('part1.json'), 'utf8')) as EvalResult['report']
    assert.deepEqual(part1.partial?.shard, {index: 1, count: 2})
    assert.equal(part1.counts.images, 2)
    const r = await runCli(['eval', 'merge', 'part2.json', 'part1.json', '--report', 'merged.json'], {cwd: root})
    assert.equal(r.code, 0, r.stderr)
    assert.equal(readFileSync(p('merged.json'), 'utf8'), readFileSync(p('single.json'), 'utf8'))
  })

  it('segmentation: --shard auto/2 from JOB_COMPLETION_INDEX, merged counts equal the single run', async () => {
    const args = ['--dataset', 'ade20k', '--data', 'ade', '--predictions', 'pred-ade', '--shard', 'auto/2']
    for (const index of ['0', '1']) await evalRun([...args, '--report', `seg${index}.json`], {JOB_COMPLETION_INDEX: index})
    const seg1 = JSON.parse(readFileSync(p('seg1.json'), 'utf8')) as EvalResult['report']
    assert.deepEqual(seg1.partial?.shard, {index: 2, count: 2})
    const merged = await runMerge(
      ['seg0.json', 'seg1.json'],
      {gates: [], baseline: undefined},
      {report: undefined, csv: undefined, stepSummary: undefined},
      root,
    )
    const single = await evalRun(['--dataset', 'ade20k', '--data', 'ade', '--predictions', 'pred-ade'])
    assert.deepEqual(merged.report, single.report)
  })

  it('auto/n without JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID is a usage error naming both; a Slurm task id gives its shard', async () => {
    await assert.rejects(evalRun(['--dataset', 'nyu', '--data', 'nyu', '--predictions', 'pred-equal', '--shard', 'auto/2']), (error: unknown) => {
      assert.ok(error instanceof DptError && error.exitCode === ExitCode.usage)
      assert.match(error.message, /JOB_COMPLETION_INDEX .* SLURM_ARRAY_TASK_ID/)
      return true
    })
    // Task 5 of --array=4-5 resubmitted alone (--array=5): shard (5 mod 2) + 1 either way.
    const slurm = await evalRun(
      ['--dataset', 'nyu', '--data', 'nyu', '--predictions', 'pred-equal', '--prediction-kind', 'depth', '--crop', 'none', '--shard', 'auto/2'],
      {SLURM_ARRAY_TASK_ID: '5', SLURM_ARRAY_TASK_MIN: '5', SLURM_ARRAY_TASK_MAX: '5', SLURM_ARRAY_TASK_COUNT: '1'},
    )
    assert.deepEqual(slurm.report.partial?.shard, {index: 2, count: 2})
  })

  it('merge refuses an incomplete set of shards', async () => {
    const r = await runCli(['eval', 'merge', 'part1.json'], {cwd: root})
    assert.equal(r.code, 2)
    assert.match(unwrap(r.stderr), /2\/2 (is|are) missing/)
  })
})

describe('dpt eval gates, reports and exit codes', () => {
  const equal = ['--dataset', 'nyu', '--data', 'nyu', '--predictions', 'pred-equal', '--prediction-kind', 'depth', '--crop', 'none']

  it('--fail-if: passing gates exit 0, a failing one exits 6 and says which', async () => {
    assert.equal((await evalRun([...equal, '--fail-if', 'absRel>0.01', '--fail-if', 'delta1<0.99'])).exitCode, 0)
    const r = await evalCli([...equal, '--fail-if', 'absRel>0.01', '--fail-if', 'delta1<1.5'])
    assert.equal(r.code, 6)
    assert.match(r.stdout, /Gates: FAILED/)
    assert.match(r.stdout, /FAIL\s+delta1<1\.5/)
  })

  it('--baseline + --max-regression: a 10 % depth error fails against a perfect baseline unless the allowance covers it', async () => {
    await evalRun([...equal, '--report', 'baseline.json'])
    const worse = [
      '--dataset',
      'nyu',
      '--data',
      'nyu',
      '--predictions',
      'pred-worse',
      '--prediction-kind',
      'depth',
      '--crop',
      'none',
      '--baseline',
      'baseline.json',
    ]
    const failed = await evalRun([...worse, '--max-regression', 'absRel=0.05'])
    assert.equal(failed.exitCode, ExitCode.gateFailed)
    assert.equal(failed.gates.passed, false)
    assert.ok(Math.abs(failed.report.metrics.absRel! - 0.1) < 1e-6)
    assert.equal((await evalRun([...worse, '--max-regression', 'absRel=0.2'])).exitCode, 0)
  })

  it('--csv writes one row per image; the Markdown summary is appended to $GITHUB_STEP_SUMMARY', async () => {
    writeFileSync(p('summary.md'), 'earlier step\n')
    const result = await evalRun([...equal, '--csv', 'rows.csv'], {GITHUB_STEP_SUMMARY: p('summary.md')})
    assert.deepEqual(result.written, ['rows.csv', p('summary.md')])
    const rows = readFileSync(p('rows.csv'), 'utf8').trimEnd().split('\r\n')
    assert.equal(rows.length, 4)
    assert.match(rows[0]!, /^id,status,pixels,absRel,/)
    assert.match(rows[3]!, /^office_0005\/rgb_00009\.jpg,missing-gt,0,/)
    const summary = readFileSync(p('summary.md'), 'utf8')
    assert.ok(summary.startsWith('earlier step\n### dpt eval'), summary.slice(0, 80))
  })

  it('a malformed ground-truth file fails that image (exit 3), the others are still scored', async () => {
    mkdirSync(p('bad', 'images'), {recursive: true})
    mkdirSync(p('bad', 'gt'), {recursive: true})
    for (const name of ['a', 'b']) writeFileSync(p('bad', 'images', `${name}.npy`), '')
    writeNpy(p('bad', 'gt', 'a.npy'), gtOf(0), [H, W])
    writeFileSync(p('bad', 'gt', 'b.npy'), 'not numpy')
    writeNpy(p('bad', 'pred', 'a.npy'), gtOf(0), [H, W])
    writeNpy(p('bad', 'pred', 'b.npy'), gtOf(0), [H, W])
    // The folder layout lists images by extension: give the two "images" real image names.
    for (const name of ['a', 'b']) writeFileSync(p('bad', 'images', `${name}.png`), '')
    const result = await evalJson(
      ['--dataset', 'folder', '--data', 'bad/images', '--gt', 'bad/gt', '--gt-format', 'npy', '--predictions', 'bad/pred', '--prediction-kind', 'depth'],
      {},
      3,
    )
    assert.deepEqual(result.report.counts, {images: 2, scored: 1, noValidPixels: 0, missingGt: 0, failed: 1})
    const failed = result.report.images.find((r) => r.status === 'failed')!
    assert.equal(failed.id, 'b.png')
    assert.match(failed.error!, /not an \.npy file/)
  })

  it('a dataset folder with another layout exits 7 and shows the expected tree', async () => {
    const r = await evalCli(['--dataset', 'ade20k', '--data', 'nyu', '--predictions', 'pred-ade'])
    assert.equal(r.code, 7)
    assert.match(unwrap(r.stderr), /no images\/validation folder/)
    assert.match(r.stderr, /Expected layout:/)
    assert.match(r.stderr, /annotations\/validation/)
  })

  it('usage errors exit 2: no model and no predictions; a gate on a shard; a depth flag on segmentation; a split NYU lacks', async () => {
    const none = await evalCli(['--dataset', 'nyu', '--data', 'nyu'])
    assert.equal(none.code, 2)
    assert.match(unwrap(none.stderr), /--model .* or --predictions/)
    const usage = async (argv: string[], message: RegExp): Promise<void> =>
      assert.rejects(
        evalRun(argv),
        (error: unknown) => error instanceof DptError && error.exitCode === ExitCode.usage && message.test(`${error.message} ${error.remedy}`),
      )
    await usage([...equal, '--shard', '1/2', '--fail-if', 'absRel>1'], /dpt eval merge/)
    await usage(['--dataset', 'ade20k', '--data', 'ade', '--predictions', 'pred-ade', '--alignment', 'scale'], /--alignment does not apply to segmentation/)
    await usage(['--dataset', 'nyu', '--data', 'nyu', '--predictions', 'pred-equal', '--split', 'test'], /--split does not apply/)
  })
})
