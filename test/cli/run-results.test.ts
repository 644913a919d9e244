/**
 * The --json results of dpt depth, segment and bench against their schemas (models/*-result.schema.json), with
 * the DPT_* defaults, --input-size and flag warnings they record; and dpt eval's report with --input-size.
 */
import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {before, describe, it} from 'node:test'
import {Ajv} from 'ajv'
import sharp from 'sharp'
import type {BenchResult} from '../../src/bench/run.js'
import {checkReportJson} from '../../src/eval/report/schema.js'
import type {EvalReport} from '../../src/eval/types.js'
import type {RunResult} from '../../src/pipeline/images.js'
import {makeNyu} from '../eval/datasets/synthetic.js'
import {runCli} from '../helpers/cli.js'
import {fixture} from '../helpers/fixtures.js'

const require = createRequire(import.meta.url)
const ajv = new Ajv({allErrors: true, allowUnionTypes: true})
ajv.addSchema(require('../../../models/card.schema.json') as object)
const runSchema = ajv.compile(require('../../../models/run-result.schema.json') as object)
const benchSchema = ajv.compile(require('../../../models/bench-result.schema.json') as object)

function valid(validate: typeof runSchema, json: unknown): void {
  assert.ok(validate(json), JSON.stringify(validate.errors, null, 1))
}

const DEPTH = fixture('models', 'channel-mean')
const SEGMENT = fixture('models', 'dpt-hybrid-ade-tiny')
const env = {DPT_NO_RESPAWN: '1'}
let root = ''

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'dpt-results-'))
  mkdirSync(join(root, 'imgs'))
  await sharp({create: {width: 80, height: 60, channels: 3, background: {r: 200, g: 30, b: 90}}})
    .png()
    .toFile(join(root, 'imgs', 'a.png'))
  await makeNyu(join(root, 'nyu'))
})

describe('--json results', () => {
  it('dpt depth: schema and version, DPT_* defaults, --input-size, warnings', async () => {
    const r = await runCli(['depth', 'imgs', '-o', 'out', '--json', '--colormap', 'turbo', '--input-size', '32'], {
      cwd: root,
      env: {...env, DPT_MODEL: DEPTH, DPT_WORKERS: '2', DPT_THREADS: '1'},
    })
    assert.equal(r.code, 0, r.stderr)
    const result = JSON.parse(r.stdout) as RunResult
    valid(runSchema, result)
    assert.deepEqual([result.schema, result.version], ['dpt-run-result', 1])
    assert.deepEqual([result.model.name, result.workers, result.threads], ['channel-mean', 2, 1])
    assert.deepEqual(result.inputSize, {width: 32, height: 32})
    assert.deepEqual([result.model.card.preprocess.width, result.model.card.preprocess.rule, result.model.card.preprocess.multiple], [32, 'minimal', 8])
    // 80×60 at target 32, minimal rule, ×8: 32/60 is closer to 1 than 32/80, so 42.7×32 → 40×32 (the card's 64 gives 88×64).
    assert.deepEqual(result.images[0]?.networkSize, {width: 40, height: 32})
    assert.deepEqual(result.warnings, ['--colormap has no effect without the color format (--format …,color)'])
    assert.equal(r.stderr, '', 'no warning on stderr under --json: it is in the result')
  })

  it('dpt depth without --json: warnings on stderr, and typed flags beat DPT_* variables', async () => {
    const r = await runCli(['depth', 'imgs', '-o', 'out-2', '--colormap', 'turbo', '--workers', '1', '--model', DEPTH], {
      cwd: root,
      env: {...env, DPT_MODEL: './does-not-exist', DPT_WORKERS: '2', DPT_THREADS: '1'},
    })
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stderr, /^warning: --colormap has no effect without the color format/m)
    assert.match(r.stderr, /model channel-mean on cpu, 1×1 threads/)
  })

  it('dpt segment: schema, --input-size, and --alpha without an overlay', async () => {
    const r = await runCli(['segment', 'imgs', '-o', 'seg', '--model', SEGMENT, '--format', 'labels', '--alpha', '0.3', '--input-size', '64', '--json'], {
      cwd: root,
      env,
    })
    assert.equal(r.code, 0, r.stderr)
    const result = JSON.parse(r.stdout) as RunResult
    valid(runSchema, result)
    assert.deepEqual(result.inputSize, {width: 64, height: 64})
    assert.deepEqual(result.images[0]?.networkSize, {width: 96, height: 64}) // 80×60 → 85.3×64 → ×32: 96×64
    assert.deepEqual(result.warnings, ['--alpha has no effect without the overlay format (--format …,overlay)'])
  })

  it('dpt bench: schema, --input-size in the network sizes, the exit code of a failed gate', async () => {
    const r = await runCli(['bench', 'imgs', '--model', DEPTH, '--input-size', '48x24', '--sizes', '64x64', '--fail-if', 'images_per_s>0', '--json'], {
      cwd: root,
      env,
    })
    assert.equal(r.code, 6, r.stderr)
    const result = JSON.parse(r.stdout) as BenchResult
    valid(benchSchema, result)
    assert.deepEqual([result.schema, result.version, result.exitCode], ['dpt-bench-result', 1, 6])
    assert.deepEqual(result.inputSize, {width: 48, height: 24})
    // 80×60 at target 48×24, minimal rule: 48/80 = 0.6 is closer to 1 than 24/60, so 48×36; ×8 with NumPy's
    // round-half-to-even: 36/8 = 4.5 → 4, so 48×32.
    assert.deepEqual(
      result.networkSizes.map((s) => [s.width, s.height]),
      [[48, 32]],
    )
    assert.deepEqual(result.warnings, ['--sizes has no effect when images are given: it sizes the generated ones'])
  })

  it('dpt eval: --input-size is recorded in the report, which stays valid', async () => {
    const r = await runCli(['eval', '--dataset', 'nyu', '--data', 'nyu', '--model', DEPTH, '--input-size', '32', '--report', 'nyu.json', '--json'], {
      cwd: root,
      env,
    })
    assert.equal(r.code, 0, r.stderr)
    const report = JSON.parse(readFileSync(join(root, 'nyu.json'), 'utf8')) as EvalReport
    assert.deepEqual(checkReportJson(report), [])
    assert.deepEqual(report.model.inputSize, {width: 32, height: 32})
  })
})
