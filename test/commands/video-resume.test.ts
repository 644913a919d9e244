/**
 * Videos under Ctrl-C, --skip-existing and bad files (issue 17 point 6): an interrupted run leaves no video under
 * its final name and resumes to exactly the bytes of an uninterrupted one; broken, truncated, empty, audio-only
 * and video-less files are each reported while the rest is written.
 */
import assert from 'node:assert/strict'
import {existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {before, describe, it} from 'node:test'
import sharp from 'sharp'
import type {RunResult} from '../../src/pipeline/images.js'
import type {FfmpegInstall} from '../../src/video/ffmpeg-locate.js'
import {runTool} from '../../src/video/run-tool.js'
import {runCli} from '../helpers/cli.js'
import {fixture} from '../helpers/fixtures.js'
import {random} from '../helpers/random.js'
import {makeClip, tempDir, testFfmpeg} from '../helpers/video-clips.js'

const MODEL = fixture('models', 'channel-mean')
let ff: FfmpegInstall
const dir = tempDir('video-resume')

/** Every file below a folder, dot files and folders included, relative and sorted. */
function allFiles(root: string): string[] {
  return readdirSync(root, {recursive: true, withFileTypes: true})
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(root.length + 1))
    .sort()
}

const json = (stdout: string): RunResult => JSON.parse(stdout) as RunResult
const oneLine = (text: string): string => text.replace(/\n ›\s+/g, ' ').replace(/\s+/g, ' ')

describe('dpt depth on videos: resume and faults', () => {
  before(async () => {
    ff = await testFfmpeg()
  })

  it('Ctrl-C leaves no video under its final name, and --skip-existing resumes to the bytes of an uninterrupted run', async () => {
    const input = join(dir, 'in')
    mkdirSync(input)
    await makeClip(input, 'clip', {width: 64, height: 48, frames: 64, rate: 25, audio: true})
    const run = (out: string, ...more: string[]): string[] => [
      'depth',
      input,
      '-o',
      out,
      '--model',
      MODEL,
      '--format',
      'png16,npy,mkv16,mp4',
      '--normalize',
      'stable',
      '--segment-frames',
      '8',
      '--json',
      ...more,
    ]
    const full = join(dir, 'full')
    const whole = await runCli(run(full))
    assert.equal(whole.code, 0, whole.stderr)
    assert.equal(json(whole.stdout).counts.processed, 64)

    const part = join(dir, 'part')
    const frames = join(part, 'clip')
    const stopped = await runCli(run(part), {interruptWhen: () => existsSync(frames) && readdirSync(frames).filter((f) => f.endsWith('.png')).length >= 20})
    assert.ok(stopped.interrupted)
    assert.equal(stopped.code, 130, stopped.stderr)
    const left = allFiles(part)
    assert.ok(!left.includes('clip.depth.mkv') && !left.includes('clip.depth.mp4'), left.join(' '))
    assert.deepEqual(
      left.filter((f) => f.endsWith('.tmp')),
      [],
    )
    assert.ok(
      left.some((f) => f.startsWith('.clip.dpt-partial/mkv16/')),
      'finished segments are kept',
    )
    assert.deepEqual(json(stopped.stdout).notes, [
      `1 unfinished video(s) keep their finished segments in ${join(part, '.clip.dpt-partial')}: the same command with --skip-existing resumes them`,
    ])

    // (Without --json: oclif's JSON error path exits 1 whatever the error's code.)
    const refused = await runCli(run(part).filter((a) => a !== '--json'))
    assert.equal(refused.code, 2)
    assert.match(oneLine(refused.stderr), /already exist.*--skip-existing/)

    const resumed = await runCli(run(part, '--skip-existing'))
    assert.equal(resumed.code, 0, resumed.stderr)
    const processed = json(resumed.stdout).counts.processed
    assert.ok(processed < 64 && processed % 8 === 0, `resumed at a segment boundary: ${processed} frames done again`)
    assert.deepEqual(allFiles(part), allFiles(full))
    for (const file of allFiles(full)) assert.ok(readFileSync(join(part, file)).equals(readFileSync(join(full, file))), `${file} differs`)

    const again = await runCli(run(part, '--skip-existing'))
    assert.equal(again.code, 0, again.stderr)
    assert.deepEqual([json(again.stdout).counts.processed, json(again.stdout).counts.skippedExisting], [0, 1])
  })

  it('reports a corrupt, a truncated, an empty, an audio-only and a video-less file, and writes the rest', async () => {
    const input = join(dir, 'faults')
    mkdirSync(input)
    await makeClip(input, 'good', {width: 32, height: 24, frames: 5})
    await sharp({create: {width: 20, height: 10, channels: 3, background: {r: 9, g: 99, b: 199}}})
      .png()
      .toFile(join(input, 'still.png'))
    const next = random(11)
    writeFileSync(
      join(input, 'junk.mkv'),
      Uint8Array.from({length: 4000}, () => Math.floor(next() * 256)),
    )
    writeFileSync(join(input, 'empty.mp4'), '')
    const quiet = ['-hide_banner', '-loglevel', 'error', '-y']
    await runTool(ff.ffmpeg.path, [...quiet, '-f', 'lavfi', '-i', 'sine=duration=0.5', '-c:a', 'aac', join(input, 'tone.m4a')])
    writeFileSync(join(dir, 'subs.srt'), '1\n00:00:00,000 --> 00:00:01,000\nhello\n')
    await runTool(ff.ffmpeg.path, [...quiet, '-i', join(dir, 'subs.srt'), join(input, 'subs.mkv')])
    // With its index first (faststart), a cut MP4 decodes its first frames, then fails.
    const whole = await makeClip(dir, 'long', {width: 320, height: 240, frames: 30})
    await runTool(ff.ffmpeg.path, [...quiet, '-i', whole, '-c', 'copy', '-movflags', '+faststart', join(dir, 'fast.mp4')])
    const bytes = readFileSync(join(dir, 'fast.mp4'))
    writeFileSync(join(input, 'cut.mp4'), bytes.subarray(0, Math.floor(bytes.length * 0.6)))

    const out = join(dir, 'faults-out')
    const r = await runCli(['depth', input, '-o', out, '--model', MODEL, '--format', 'png16,mkv16', '--json'])
    assert.equal(r.code, 3, r.stderr)
    const summary = json(r.stdout)
    const reasons = Object.fromEntries(summary.failures.map((f) => [f.input.replace(/^.*\//, ''), f.reason]))
    assert.deepEqual(Object.keys(reasons).sort(), ['cut.mp4', 'empty.mp4', 'junk.mkv', 'subs.mkv', 'tone.m4a'])
    assert.match(reasons['empty.mp4']!, /empty file/)
    assert.match(reasons['junk.mkv']!, /not readable as a video \(corrupt\)/)
    assert.match(reasons['tone.m4a']!, /audio only \(aac\)/)
    assert.match(reasons['subs.mkv']!, /no video stream/)
    assert.match(reasons['cut.mp4']!, /truncated after \d+ frames/)
    // The rest is written: the good clip's frames and video, the still image (without a video: noted once).
    const written = allFiles(out)
    assert.ok(written.includes('good.depth.mkv') && written.includes('good/000004.png') && written.includes('still.png'), written.join(' '))
    assert.deepEqual(summary.notes, ['--format mkv16: video outputs, not written for the 1 still image(s)'])
    // The truncated file's frames before the cut are written; it gets no video, and stays unfinished.
    assert.ok(written.includes('cut/000000.png') && !written.includes('cut.depth.mkv'))
    assert.ok(written.some((f) => f.startsWith('.cut.dpt-partial/')))
    assert.ok(!written.some((f) => f.startsWith('.good.dpt-partial/')))
  })
})
