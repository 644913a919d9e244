import assert from 'node:assert/strict'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {before, describe, it} from 'node:test'
import {decodeVideo} from '../../src/video/decode.js'
import type {FfmpegInstall} from '../../src/video/ffmpeg-locate.js'
import {probeVideo, VideoInputError, type VideoProblem} from '../../src/video/probe.js'
import {runTool} from '../../src/video/run-tool.js'
import {random} from '../helpers/random.js'
import {makeClip, tempDir, testFfmpeg} from '../helpers/video-clips.js'

let ff: FfmpegInstall
const dir = tempDir('probe')

const problem =
  (expected: VideoProblem, message: RegExp) =>
  (error: unknown): boolean => {
    assert.ok(error instanceof VideoInputError, String(error))
    assert.equal(error.problem, expected)
    assert.match(error.message, message)
    return true
  }

async function drain(path: string): Promise<number> {
  let n = 0
  for await (const frame of await decodeVideo(ff, await probeVideo(ff, path))) n = frame.index + 1
  return n
}

describe('probeVideo', () => {
  before(async () => {
    ff = await testFfmpeg()
  })

  it('describes the video stream and the audio streams', async () => {
    const clip = await makeClip(dir, 'av', {width: 64, height: 48, frames: 15, rate: 15, audio: true})
    const probe = await probeVideo(ff, clip)
    assert.match(probe.format, /mp4/)
    assert.ok(probe.duration !== undefined && Math.abs(probe.duration - 1) < 0.1, `duration ${probe.duration}`)
    const v = probe.video
    assert.deepEqual(
      [v.codec, v.pixelFormat, v.bitsPerComponent, v.codedWidth, v.codedHeight, v.rotation, v.width, v.height],
      ['h264', 'yuv420p', 8, 64, 48, 0, 64, 48],
    )
    assert.deepEqual(
      [v.frameRate, v.averageFrameRate, v.sampleAspect, v.frameCount, v.variableFrameRate],
      [{num: 15, den: 1}, {num: 15, den: 1}, {num: 1, den: 1}, 15, false],
    )
    assert.ok(v.timeBase.num === 1 && v.timeBase.den > 0)
    assert.deepEqual(
      probe.audio.map((a) => [a.codec, a.sampleRate, a.channels]),
      [['aac', 48000, 1]],
    )
  })

  it('counts frames on request when the container does not say (Matroska)', async () => {
    const clip = await makeClip(dir, 'count', {width: 16, height: 16, frames: 7, container: 'mkv'})
    assert.equal((await probeVideo(ff, clip)).video.frameCount, undefined)
    assert.equal((await probeVideo(ff, clip, {countFrames: true})).video.frameCount, 7)
  })

  it('reports an empty file, a corrupt one, audio only and no video stream, each with its reason', async () => {
    const empty = join(dir, 'empty.mp4')
    writeFileSync(empty, '')
    await assert.rejects(probeVideo(ff, empty), problem('empty', /empty file/))
    // Random bytes (text would pass for a tty art file), named .dat: with an .mp4 name ffmpeg reads any junk
    // as an MP4 that lost its index, i.e. truncated.
    const junk = join(dir, 'junk.dat')
    const next = random(3)
    writeFileSync(
      junk,
      Uint8Array.from({length: 4000}, () => Math.floor(next() * 256)),
    )
    await assert.rejects(probeVideo(ff, junk), problem('corrupt', /junk\.dat: not readable as a video \(corrupt\)/))
    const audio = join(dir, 'tone.m4a')
    await runTool(ff.ffmpeg.path, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'sine=duration=0.5', '-c:a', 'aac', audio])
    await assert.rejects(probeVideo(ff, audio), problem('audio-only', /audio only \(aac\), no video stream/))
    const srt = join(dir, 'subs.srt')
    writeFileSync(srt, '1\n00:00:00,000 --> 00:00:01,000\nhello\n')
    const subtitles = join(dir, 'subs.mkv')
    await runTool(ff.ffmpeg.path, ['-hide_banner', '-loglevel', 'error', '-y', '-i', srt, subtitles])
    await assert.rejects(probeVideo(ff, subtitles), problem('no-video', /no video stream/))
  })

  it('reports a truncated file: at probe time when the MP4 index is lost, after its frames otherwise', async () => {
    const cut = async (path: string, fraction: number): Promise<string> => {
      const bytes = readFileSync(path)
      const out = path.replace(/(\.\w+)$/, `.cut$1`)
      writeFileSync(out, bytes.subarray(0, Math.floor(bytes.length * fraction)))
      return out
    }
    // ffmpeg writes the MP4 index (moov) last by default: without it nothing is readable.
    const mp4 = await makeClip(dir, 'whole', {width: 320, height: 240, frames: 30})
    await assert.rejects(probeVideo(ff, await cut(mp4, 0.6)), problem('truncated', /moov atom not found/))
    // With the index first (faststart), the frames before the cut decode, then ffmpeg fails on the rest.
    const fast = join(dir, 'fast.mp4')
    await runTool(ff.ffmpeg.path, ['-hide_banner', '-loglevel', 'error', '-y', '-i', mp4, '-c', 'copy', '-movflags', '+faststart', fast])
    await assert.rejects(drain(await cut(fast, 0.6)), problem('truncated', /truncated after \d+ frames: .*partial file/))
    // Matroska cut short: ffmpeg 5.1 says "File ended prematurely" (the file fails as truncated); 4.1 decodes
    // what is there without a word, and the duration the header still states gives it away (a warning).
    const mkv = await makeClip(dir, 'whole', {width: 64, height: 48, frames: 30, container: 'mkv'})
    const video = await decodeVideo(ff, await probeVideo(ff, await cut(mkv, 0.8)))
    let n = 0
    try {
      for await (const frame of video) n = frame.index + 1
      assert.match(video.warnings().join('\n'), /decoding ended at .* but the container states 3\.000 s: truncated file\?/)
    } catch (error) {
      problem('truncated', /truncated after \d+ frames: .*ended prematurely/)(error)
    }
    assert.ok(n > 0 && n < 30, `${n} frames`)
  })
})
