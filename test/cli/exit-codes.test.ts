/**
 * Every documented exit code is the same with and without --json, for every command: a CI script that branches on
 * `$?` must not care how the output is formatted. Each case runs twice (both ways, side by side); under --json the
 * process's code is also the one the JSON carries (`exitCode` of a result, `error.oclif.exit` of an error).
 * Code 8 (disk full) is covered in disk-full.test.ts, 130 (Ctrl-C, --json) in depth-pipeline.test.ts.
 */
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {stripVTControlCharacters} from 'node:util'
import {before, describe, it} from 'node:test'
import sharp from 'sharp'
import {runCli, type CliResult} from '../helpers/cli.js'
import {fixture, repoRoot} from '../helpers/fixtures.js'
import {H, W, depthValues, makeNyu, writeNpy} from '../eval/datasets/synthetic.js'

const MODEL = fixture('models', 'channel-mean')
let root = ''
const p = (...parts: string[]): string => join(root, ...parts)

interface Case {
  readonly args: readonly string[]
  readonly code: number
  /** Text the error (or summary) names, without --json. */
  readonly says?: RegExp
}

interface Printed {
  readonly exitCode?: number
  readonly error?: {readonly message: string; readonly oclif?: {readonly exit?: number}}
}

/** The code the JSON on stdout carries: a result's exitCode (0 for data that has none: models list), or an error's oclif.exit. */
function jsonCode(json: Printed): number | undefined {
  return json.error === undefined ? (json.exitCode ?? 0) : json.error.oclif?.exit
}

// One process per run (the MALLOC_ARENA_MAX respawn is not what is tested here, and halves the start-up time).
const env = {DPT_NO_RESPAWN: '1', JOB_COMPLETION_INDEX: '', SLURM_ARRAY_TASK_ID: '', GITHUB_STEP_SUMMARY: ''}

async function json(c: Case): Promise<void> {
  const r = await runCli([...c.args, '--json'], {cwd: root, env})
  const what = `dpt ${c.args.join(' ')} --json`
  assert.equal(r.code, c.code, `${what}\n${r.stderr}${r.stdout.slice(0, 400)}`)
  const printed = JSON.parse(r.stdout) as Printed
  assert.equal(jsonCode(printed), c.code, `${what}: ${r.stdout.slice(0, 400)}`)
  if (c.says !== undefined && printed.error !== undefined) assert.match(printed.error.message.replaceAll('\n', ' '), c.says, what)
}

async function plain(c: Case): Promise<void> {
  const r = await runCli(c.args, {cwd: root, env})
  const what = `dpt ${c.args.join(' ')}`
  assert.equal(r.code, c.code, `${what}\n${r.stderr}${r.stdout.slice(0, 400)}`)
  if (c.says !== undefined) assert.match((r.stderr + r.stdout).replace(/\s*\n\s*›\s*/g, ' '), c.says, what)
}

/** Both ways, side by side. */
async function both(c: Case): Promise<void> {
  await Promise.all([plain(c), json(c)])
}

/** Under --json only, a few at a time: the list that covers every command. */
async function allJson(cases: readonly Case[]): Promise<void> {
  for (let i = 0; i < cases.length; i += 3) await Promise.all(cases.slice(i, i + 3).map(json))
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'dpt-exit-'))
  const image = (path: string, width: number, height: number): Promise<unknown> =>
    sharp({create: {width, height, channels: 3, background: {r: 90, g: 140, b: 30}}})
      .png()
      .toFile(path)
  mkdirSync(p('one'))
  await image(p('one', 'a.png'), 40, 30)
  mkdirSync(p('bad'))
  await image(p('bad', 'wide.png'), 400, 24) // maps to a 0-pixel-high network input: that image fails
  mkdirSync(p('text'))
  writeFileSync(p('text', 'notes.txt'), 'no image here')
  mkdirSync(p('empty'))
  await makeNyu(p('nyu'))
  // Relative-model predictions: disparity, scored after the scale-and-shift alignment.
  const disparity = (k: number): Float32Array => depthValues(k).map((d) => 1 / d)
  for (const [k, id] of ['kitchen_0004/rgb_00001', 'kitchen_0004/rgb_00002'].entries()) writeNpy(p('pred', `${id}.npy`), disparity(k), [H, W])
  writeNpy(p('pred-bad', 'kitchen_0004/rgb_00001.npy'), disparity(0), [H, W])
  mkdirSync(p('pred-bad', 'kitchen_0004'), {recursive: true})
  writeFileSync(p('pred-bad', 'kitchen_0004', 'rgb_00002.npy'), 'not an npy file')
  // Outputs of an earlier run, for "outputs exist without --skip-existing".
  const first = await runCli(['depth', 'one', '-o', 'done', '--model', MODEL], {cwd: root, env})
  assert.equal(first.code, 0, first.stderr)
})

const nyu = (pred: string, ...more: string[]): string[] => ['eval', '--dataset', 'nyu', '--data', 'nyu', '--predictions', pred, ...more]

describe('exit codes are the same with and without --json', () => {
  it('0: done', async () => {
    await both({args: ['depth', 'one', '-o', 'out-0', '--model', MODEL, '--overwrite'], code: 0})
    await allJson([
      {args: nyu('pred'), code: 0},
      {args: ['models', 'list'], code: 0},
    ])
  })

  it('1: an internal error (a bug), not a usage error', async () => {
    const run = (json: boolean): Promise<CliResult> =>
      new Promise((resolve, reject) => {
        const args = [join(repoRoot, 'dist', 'test', 'helpers', 'bug-command.js'), ...(json ? ['--json'] : [])]
        const child = spawn(process.execPath, args, {env: {...process.env, DPT_TEST_BUG_COMMAND: '1'}})
        let stdout = ''
        let stderr = ''
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
        child.on('error', reject)
        child.on('close', (code) => {
          resolve({code, stdout, stderr})
        })
      })
    const [text, data] = await Promise.all([run(false), run(true)])
    assert.equal(text.code, 1, text.stderr)
    assert.match(text.stderr, /TypeError: Cannot read properties of null/)
    assert.equal(data.code, 1, data.stderr + data.stdout)
    assert.match((JSON.parse(data.stdout) as {error: {message: string}}).error.message, /Cannot read properties of null/)
  })

  it('2: a bad flag value or argument, for every command', async () => {
    await both({args: ['depth', 'one', '-o', 'o', '--model', MODEL, '--format', 'png16,tiff'], code: 2, says: /Expected --format to be a comma-separated list/})
    await both({args: ['depth', 'one', '-o', 'done', '--model', MODEL], code: 2, says: /already exist.*--skip-existing/})
    await allJson([
      {args: ['depth', 'one', '-o', 'o', '--model', MODEL, '--workers', '0'], code: 2},
      {args: ['depth', 'one', '-o', 'o', '--model', MODEL, '--input-size', '0'], code: 2, says: /Expected --input-size to be a size in pixels/},
      {args: ['depth', 'one', '-o', 'o', '--model', MODEL, '--bogus'], code: 2, says: /Nonexistent flag: --bogus/},
      {args: ['segment', 'one', '-o', 'o', '--model', MODEL, '--alpha', '2'], code: 2, says: /Expected --alpha to be a number from 0 to 1, got `2`/},
      {args: ['bench', '--model', MODEL, '--sizes', '0x0'], code: 2, says: /Expected --sizes/},
      {args: ['bench', '--model', MODEL, '--progress-interval', 'soon'], code: 2, says: /Expected --progress-interval to be a number of seconds/},
      {args: nyu('pred', '--cap', '-1'), code: 2, says: /Expected --cap to be a positive number or none/},
      {args: ['eval', 'merge'], code: 2, says: /Missing 1 required arg/},
      {args: ['models', 'info', 'no-such-model'], code: 2, says: /Unknown model id no-such-model/},
      {args: ['models', 'pull', 'dpt-hybrid', '--dtype', 'fp64'], code: 2, says: /Expected --dtype=fp64 to be one of/},
      {args: ['models', 'rm', 'no-such-model'], code: 2, says: /no-such-model is not in the cache/},
      {args: ['models', 'import', 'no-such-folder'], code: 2},
      {args: ['doctor', '--bogus'], code: 2},
    ])
  })

  it('2: a bad DPT_* variable is a usage error naming the variable', async () => {
    const [text, data] = await Promise.all([
      runCli(['depth', 'one', '-o', 'o', '--model', MODEL], {cwd: root, env: {...env, DPT_WORKERS: 'two'}}),
      runCli(['depth', 'one', '-o', 'o', '--model', MODEL, '--json'], {cwd: root, env: {...env, DPT_WORKERS: 'two'}}),
    ])
    assert.equal(text.code, 2)
    assert.match(text.stderr, /Expected DPT_WORKERS to be a positive integer, got `two`/)
    assert.equal(data.code, 2)
    assert.equal(jsonCode(JSON.parse(data.stdout) as Printed), 2)
  })

  it('3: some images failed', async () => {
    await both({args: ['depth', 'bad', 'one', '-o', 'out-3', '--model', MODEL, '--overwrite'], code: 3, says: /failed: bad\/wide\.png/})
    await json({args: nyu('pred-bad'), code: 3})
  })

  it('4: the model cannot be loaded or is of another task', async () => {
    await both({args: ['depth', 'one', '-o', 'o', '--model', './nope'], code: 4, says: /Model not found: \.\/nope/})
    await allJson([
      {args: ['segment', 'one', '-o', 'o', '--model', MODEL], code: 4, says: /is a depth model; this command needs a segmentation model/},
      {args: ['bench', '--model', './nope'], code: 4},
      {args: ['eval', '--dataset', 'nyu', '--data', 'nyu', '--model', './nope'], code: 4},
    ])
  })

  it('5: no image found', async () => {
    await both({args: ['depth', 'text', '-o', 'out-5', '--model', MODEL], code: 5})
    await allJson([
      {args: ['depth', 'missing', '-o', 'out-5', '--model', MODEL], code: 5, says: /Input not found: missing/},
      {args: ['bench', 'text', '--model', MODEL], code: 5},
    ])
  })

  it('6: a gate failed', async () => {
    await both({args: nyu('pred', '--fail-if', 'delta1<2'), code: 6})
    await json({args: ['bench', '--model', MODEL, '--images', '1', '--sizes', '32x24', '--fail-if', 'images_per_s>0'], code: 6})
  })

  it('7: the dataset folder is not laid out as expected', async () => {
    await both({args: ['eval', '--dataset', 'nyu', '--data', 'empty', '--predictions', 'pred'], code: 7})
  })

  it('127: an unknown command (oclif plugin-not-found)', async () => {
    const r = await runCli(['deph'], {cwd: root, env})
    assert.equal(r.code, 127)
    // The plugin colours its words whenever the variable CI is set (its colour library's rule for CI logs), pipe
    // or not; the words are what is checked.
    assert.match(stripVTControlCharacters(r.stderr), /deph is not a dpt command/)
  })
})
