/**
 * The inputs of dpt depth as a user pipes them in: `find … | dpt depth -`, `find … -print0 | dpt depth -0 -`,
 * `@FILE`, --base with --skip-existing across subsets, symlink cycles, and -o set to the input folder.
 */
import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, readdirSync, symlinkSync, unlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {before, describe, it} from 'node:test'
import sharp from 'sharp'
import type {RunResult} from '../../src/pipeline/images.js'
import {runCli} from '../helpers/cli.js'
import {fixture} from '../helpers/fixtures.js'

const MODEL = fixture('models', 'channel-mean')
const env = {DPT_NO_RESPAWN: '1'}
let root = ''

const image = (path: string, shade: number): Promise<unknown> => {
  mkdirSync(join(path, '..'), {recursive: true})
  return sharp({create: {width: 24, height: 16, channels: 3, background: {r: shade, g: 255 - shade, b: 90}}})
    .png()
    .toFile(path)
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, {recursive: true, withFileTypes: true})
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort()
}

const depth = async (args: string[], input?: string | Buffer): Promise<RunResult> => {
  const r = await runCli(['depth', ...args, '--model', MODEL, '--json'], {cwd: root, env, ...(input === undefined ? {} : {input})})
  assert.equal(r.code, 0, r.stderr + r.stdout.slice(0, 500))
  return JSON.parse(r.stdout) as RunResult
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'dpt-inputs-cli-'))
  await image(join(root, 'shots', 'day1', 'a.png'), 10)
  await image(join(root, 'shots', 'day1', 'b.png'), 60)
  await image(join(root, 'shots', 'day2', 'c.png'), 110)
  await image(join(root, 'odd', 'two\nlines.png'), 160)
})

describe('dpt depth inputs', () => {
  it('- reads newline-separated paths from stdin; -0 NUL-separated ones, newlines in names and all', async () => {
    const lines = await depth(['-', '-o', 'out-stdin'], 'shots/day1/a.png\nshots/day2/c.png\n')
    assert.deepEqual(listFiles(join(root, 'out-stdin')), ['day1/a.png', 'day2/c.png'])
    assert.equal(lines.counts.processed, 2)
    const nul = await depth(['-0', '-', '-o', 'out-nul'], Buffer.from('odd/two\nlines.png\0shots/day1/b.png\0'))
    assert.deepEqual(listFiles(join(root, 'out-nul')), ['odd/two\nlines.png', 'shots/day1/b.png'])
    assert.equal(nul.counts.processed, 2)
  })

  it('@FILE reads a list file', async () => {
    writeFileSync(join(root, 'todo.txt'), 'shots/day2/c.png\r\n')
    await depth(['@todo.txt', '-o', 'out-list'])
    assert.deepEqual(listFiles(join(root, 'out-list')), ['c.png'])
  })

  it('--base puts a subset where the whole run puts it, so --skip-existing resumes across subsets', async () => {
    await depth(['shots/day1', '-o', 'out-base', '--base', 'shots'])
    assert.deepEqual(listFiles(join(root, 'out-base')), ['day1/a.png', 'day1/b.png'])
    const whole = await depth(['shots', '-o', 'out-base', '--skip-existing'])
    assert.deepEqual([whole.counts.skippedExisting, whole.counts.processed], [2, 1])
    assert.deepEqual(listFiles(join(root, 'out-base')), ['day1/a.png', 'day1/b.png', 'day2/c.png'])
  })

  it('a symlink cycle in the inputs ends the walk, is reported, and each image is written once', async () => {
    symlinkSync('..', join(root, 'shots', 'day2', 'back'))
    try {
      const r = await runCli(['depth', 'shots', '-o', 'out-cycle', '--model', MODEL], {cwd: root, env})
      assert.equal(r.code, 0, r.stderr)
      assert.match(r.stderr, /warning: symlink cycle: shots\/day2\/back leads back to a folder above it; not followed/)
      assert.deepEqual(listFiles(join(root, 'out-cycle')), ['day1/a.png', 'day1/b.png', 'day2/c.png'])
      const json = await depth(['shots', '-o', 'out-cycle-json'])
      assert.deepEqual(json.warnings, ['symlink cycle: shots/day2/back leads back to a folder above it; not followed'])
    } finally {
      // The other tests read shots/ too.
      unlinkSync(join(root, 'shots', 'day2', 'back'))
    }
  })

  it('-o equal to the input folder says so (usage error) instead of finding nothing', async () => {
    const r = await runCli(['depth', 'shots/day2', '-o', 'shots/day2', '--model', MODEL], {cwd: root, env})
    assert.equal(r.code, 2)
    assert.match(r.stderr.replace(/\s*\n\s*›\s*/g, ' '), /The output folder \(-o shots\/day2\) is the input folder shots\/day2/)
    assert.deepEqual(listFiles(join(root, 'shots', 'day2')), ['c.png'])
  })
})
