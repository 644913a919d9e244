/**
 * Progress on stderr: the line CI logs get at a steady interval, the terminal bar fitted to its width (rate and ETA
 * survive a narrow terminal), and both counting as the final summary does.
 */
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {mkdirSync, mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {before, describe, it} from 'node:test'
import {stripVTControlCharacters} from 'node:util'
import sharp from 'sharp'
import type {RunResult} from '../../src/pipeline/images.js'
import {barLine, formatDuration, progressLine} from '../../src/ui/progress-line.js'
import {progressEvents} from '../../src/ui/progress.js'
import {runCli} from '../helpers/cli.js'
import {fixture, repoRoot} from '../helpers/fixtures.js'

/** The escape character that starts terminal control sequences. */
const ESC = String.fromCharCode(0x1b)

const MODEL = fixture('models', 'channel-mean')
const LINE = /^progress: (\d+)\/(\d+) images, (\d+) written, (\d+) failed, (\d+) not images, (\d+\.\d\d) img\/s, elapsed \S+, ETA \S+$/

describe('progress lines', () => {
  it('say done/total, written, failed, not images, rate, elapsed and ETA', () => {
    assert.equal(
      progressLine({total: 100, done: 38, failed: 1, skipped: 1}, 95_000),
      'progress: 40/100 images, 38 written, 1 failed, 1 not images, 0.40 img/s, elapsed 1m35s, ETA 2m23s',
    )
    assert.equal(
      progressLine({total: 5, done: 0, failed: 0, skipped: 0}, 0),
      'progress: 0/5 images, 0 written, 0 failed, 0 not images, 0.00 img/s, elapsed 0s, ETA --',
    )
    assert.deepEqual([formatDuration(59.4), formatDuration(3599), formatDuration(7322), formatDuration(undefined)], ['59s', '59m59s', '2h02m', '--'])
  })

  it('come every interval without a terminal, and stop with the run', async () => {
    const lines: string[] = []
    const events = progressEvents({bar: false, intervalSeconds: 0.02, log: () => undefined, line: (l) => lines.push(l)})
    events.start?.({total: 3, provider: 'cpu', fallbackReason: undefined})
    events.progress?.({total: 3, done: 1, failed: 0, skipped: 0})
    await new Promise((resolve) => setTimeout(resolve, 90))
    events.stop()
    const seen = lines.length
    assert.ok(seen >= 2, `${seen} lines`)
    assert.match(lines.at(-1) ?? '', /^progress: 1\/3 images, 1 written/)
    await new Promise((resolve) => setTimeout(resolve, 60))
    assert.equal(lines.length, seen, 'no line after stop()')
  })
})

describe('the terminal bar', () => {
  const p = {total: 200, done: 37, failed: 2, skipped: 1}
  it('takes up to 40 columns for the bar on a wide terminal, with every figure', () => {
    const line = barLine(p, 20_000, 120)
    assert.equal(line, ` ████████░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ 40/200 | 1.85 img/s | ETA 1m20s | failed 2 | not images 1`)
  })

  it('on a narrow terminal shrinks the bar first, then drops the failure counts, and keeps rate and ETA', () => {
    for (const columns of [80, 60, 45, 36, 20]) {
      const line = barLine(p, 20_000, columns)
      assert.match(line, /40\/200 \| 1\.85 img\/s \| ETA 1m20s/, `${columns} columns: ${line}`)
      if (columns >= 36) assert.ok(line.length <= columns - 1, `${columns} columns: ${line.length} characters`)
    }
    assert.match(barLine(p, 20_000, 80), /█+░+ 40\/200 .* failed 2 \| not images 1$/)
    assert.equal(barLine(p, 20_000, 45), ' 40/200 | 1.85 img/s | ETA 1m20s | failed 2')
    assert.equal(barLine(p, 20_000, 36), ' 40/200 | 1.85 img/s | ETA 1m20s')
  })
})

describe('dpt depth without a terminal', () => {
  let root = ''
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'dpt-progress-'))
    mkdirSync(join(root, 'imgs'))
    for (let i = 0; i < 6; i++) {
      await sharp({create: {width: 320, height: 240, channels: 3, background: {r: 40 * i, g: 90, b: 200}}})
        .png()
        .toFile(join(root, 'imgs', `${i}.png`))
    }
  })

  it('prints a progress line on stderr every DPT_PROGRESS_INTERVAL seconds, beside --json on stdout, agreeing with its counts', async () => {
    const r = await runCli(['depth', 'imgs', '-o', 'out', '--model', MODEL, '--json', '--format', 'png16,npy'], {
      cwd: root,
      env: {DPT_NO_RESPAWN: '1', DPT_PROGRESS_INTERVAL: '0.05'},
    })
    assert.equal(r.code, 0, r.stderr)
    const result = JSON.parse(r.stdout) as RunResult
    const lines = r.stderr.trim().split('\n')
    assert.ok(lines.length >= 1, r.stderr)
    let previous = -1
    for (const line of lines) {
      const m = LINE.exec(line)
      assert.ok(m !== null, line)
      const [finished, total, written, failed, notImages] = m.slice(1, 6).map(Number) as [number, number, number, number, number]
      assert.equal(total, result.counts.files)
      assert.equal(finished, written + failed + notImages)
      assert.ok(finished >= previous && written <= result.counts.processed)
      previous = finished
    }
  })

  it('prints none with --progress-interval 0', async () => {
    const r = await runCli(['depth', 'imgs', '-o', 'out-quiet', '--model', MODEL, '--json', '--progress-interval', '0'], {
      cwd: root,
      env: {DPT_NO_RESPAWN: '1', DPT_PROGRESS_INTERVAL: '0.05'},
    })
    assert.equal(r.code, 0, r.stderr)
    assert.equal(r.stderr, '')
  })

  it('on a 40-column terminal (script(1) gives one) the bar keeps rate and ETA, and the summary matches its last counts', async () => {
    const command = `stty cols 40; exec node ${join(repoRoot, 'bin', 'run.js')} depth imgs -o out-tty --model ${MODEL}`
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn('script', ['-qec', command, '/dev/null'], {cwd: root, env: {...process.env, DPT_NO_RESPAWN: '1'}})
      let text = ''
      child.stdout.on('data', (d: Buffer) => (text += d.toString()))
      child.on('error', reject)
      child.on('close', (code) => {
        if (code === 0) resolve(text)
        else reject(new Error(`script exited ${code}: ${text}`))
      })
    })
    // Frames are redrawn in place: split at the carriage returns / cursor moves, drop the escape sequences.
    const frames = output
      .replaceAll(`${ESC}[1G`, '\r')
      .split('\r')
      .map((f) => stripVTControlCharacters(f.replaceAll(`${ESC}7`, '').replaceAll(`${ESC}8`, '')).trimEnd())
      .filter((f) => / img\/s /.test(f))
    assert.ok(frames.length > 0, output)
    for (const frame of frames) {
      assert.match(frame, /\d+\/6 \| \d+\.\d\d img\/s \| ETA \S+/, frame)
      assert.ok(frame.length <= 39, `${frame.length}: ${frame}`)
    }
    assert.match(frames.at(-1) ?? '', /^ 6\/6 \|/)
    assert.match(output, /6 image\(s\) written to out-tty/)
  })
})
