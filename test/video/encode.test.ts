import assert from 'node:assert/strict'
import {existsSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {before, describe, it} from 'node:test'
import {decodeVideo, type VideoFrame} from '../../src/video/decode.js'
import {ptsOf, VideoEncoder} from '../../src/video/encode.js'
import {labelVideo, losslessDepthVideo, sideBySide, viewableVideo} from '../../src/video/encode-specs.js'
import type {FfmpegInstall} from '../../src/video/ffmpeg-locate.js'
import {probeVideo} from '../../src/video/probe.js'
import {pendingVideoTemps} from '../../src/video/temp-output.js'
import {random} from '../helpers/random.js'
import {makeClip, tempDir, testFfmpeg} from '../helpers/video-clips.js'

let ff: FfmpegInstall
const dir = tempDir('encode')

async function readBack(path: string, channels: 1 | 3, bitDepth: 8 | 16): Promise<VideoFrame[]> {
  const out: VideoFrame[] = []
  for await (const frame of await decodeVideo(ff, await probeVideo(ff, path), {channels, bitDepth})) out.push(frame)
  return out
}

const noTemps = (folder: string): void => {
  assert.deepEqual(
    readdirSync(folder).filter((f) => f.endsWith('.tmp')),
    [],
  )
}

describe('video encoders', () => {
  before(async () => {
    ff = await testFfmpeg()
  })

  it('FFV1 gray16le decodes to exactly the pushed 16-bit values, at the pushed (VFR) times', async () => {
    const [width, height] = [37, 23]
    const timeBase = {num: 1, den: 1000}
    const times = [0, 0.033, 0.1, 0.101, 0.5, 0.52]
    const next = random(7)
    const frames = times.map(() => Uint16Array.from({length: width * height}, () => Math.floor(next() * 65536)))
    frames[0]!.fill(65535, 0, 10) // the extremes survive too
    frames[0]!.fill(0, 10, 20)
    const path = join(dir, 'depth.mkv')
    const encoder = new VideoEncoder(ff, losslessDepthVideo({path, width, height, timeBase}))
    for (const [i, frame] of frames.entries()) await encoder.push(frame, ptsOf(times[i]!, timeBase))
    await encoder.finish()
    noTemps(dir)
    const back = await readBack(path, 1, 16)
    assert.equal(back.length, frames.length)
    back.forEach((f, i) => {
      assert.deepEqual([f.width, f.height, f.bitDepth, f.channels], [width, height, 16, 1])
      assert.deepEqual(f.pixels, frames[i])
      assert.ok(Math.abs(f.time - times[i]!) < 1e-9, `frame ${i} at ${f.time}`)
    })
  })

  it('a rotated source goes through at its displayed size: decode → 16-bit map → FFV1 → the same values', async () => {
    const clip = await makeClip(dir, 'rotated', {width: 40, height: 24, frames: 3, rotate: 90})
    const video = await decodeVideo(ff, await probeVideo(ff, clip))
    assert.deepEqual([video.width, video.height], [24, 40])
    const path = join(dir, 'rotated-depth.mkv')
    const encoder = new VideoEncoder(ff, losslessDepthVideo({path, width: video.width, height: video.height, timeBase: video.timeBase}))
    const maps: Uint16Array[] = []
    for await (const frame of video) {
      const map = Uint16Array.from({length: frame.width * frame.height}, (_, i) => frame.pixels[3 * i]! * 257 + i)
      maps.push(map)
      await encoder.push(map, frame.pts)
    }
    await encoder.finish()
    const back = await readBack(path, 1, 16)
    assert.deepEqual(
      back.map((f) => [f.width, f.height]),
      maps.map(() => [24, 40]),
    )
    back.forEach((f, i) => {
      assert.deepEqual(f.pixels, maps[i])
    })
  })

  it('FFV1 gray keeps 8-bit labels exactly', async () => {
    const [width, height] = [15, 9]
    const labels = [0, 1].map((k) => Uint8Array.from({length: width * height}, (_, i) => (i * 7 + k) % 151))
    const path = join(dir, 'labels.mkv')
    const encoder = new VideoEncoder(ff, labelVideo({path, width, height, timeBase: {num: 1, den: 25}}))
    await encoder.push(labels[0]!, 0)
    await encoder.push(labels[1]!, 1)
    await encoder.finish()
    const back = await readBack(path, 1, 8)
    assert.deepEqual(
      back.map((f) => [...f.pixels]),
      labels.map((l) => [...l]),
    )
  })

  it('H.264: decoded frames of a VFR clip re-encoded keep the timestamps, odd sizes are padded, audio is copied', async () => {
    const times = [0, 0.05, 0.1, 0.3, 0.35, 0.8, 1.0, 1.05]
    const source = await makeClip(dir, 'src-vfr', {width: 33, height: 21, frames: times.length, rate: 100, times, audio: true, container: 'mkv'})
    const probe = await probeVideo(ff, source)
    assert.equal(probe.audio.length, 1)
    const video = await decodeVideo(ff, probe)
    const path = join(dir, 'view.mp4')
    const spec = viewableVideo(
      {path, width: video.width, height: video.height, timeBase: video.timeBase},
      {crf: 10, preset: 'ultrafast', audio: {path: source, codecs: probe.audio.map((a) => a.codec)}},
    )
    const encoder = new VideoEncoder(ff, spec)
    const pushed: number[] = []
    for await (const frame of video) {
      await encoder.push(frame.pixels, frame.pts)
      pushed.push(frame.time)
    }
    await encoder.finish()
    const out = await probeVideo(ff, path)
    assert.deepEqual([out.video.codec, out.video.pixelFormat, out.video.width, out.video.height], ['h264', 'yuv420p', 34, 22])
    assert.deepEqual(
      out.audio.map((a) => a.codec),
      ['aac'],
    )
    const back = await readBack(path, 3, 8)
    assert.equal(back.length, pushed.length)
    back.forEach((f, i) => {
      assert.ok(Math.abs(f.time - (pushed[i]! - pushed[0]!)) < 1e-6, `frame ${i}: ${f.time} ≠ ${pushed[i]}`)
    })
  })

  it('H.264 starts at the first frame pushed and keeps the intervals (B-frames, no edit list)', async () => {
    const timeBase = {num: 1, den: 1000}
    const times = [120, 150, 200, 300, 350, 800, 1000, 1050]
    const path = join(dir, 'late-start.mp4')
    const encoder = new VideoEncoder(ff, viewableVideo({path, width: 32, height: 16, timeBase}))
    for (const t of times) await encoder.push(new Uint8Array(32 * 16 * 3).fill(t % 250), t)
    await encoder.finish()
    const back = await readBack(path, 3, 8)
    assert.deepEqual(
      back.map((f) => Math.round(f.time * 1000)),
      times.map((t) => t - 120),
    )
  })

  it('H.264 with crf 0 on grey frames gives the grey values back within a level or two', async () => {
    const [width, height] = [32, 16]
    const grey = new Uint8Array(width * height * 3)
    for (let i = 0; i < width * height; i++) grey.fill(16 + ((i * 3) % 220), i * 3, i * 3 + 3)
    const path = join(dir, 'grey.mp4')
    const encoder = new VideoEncoder(ff, viewableVideo({path, width, height, timeBase: {num: 1, den: 30}}, {crf: 0, preset: 'ultrafast'}))
    await encoder.push(grey, 0)
    await encoder.finish()
    const [back] = await readBack(path, 3, 8)
    let worst = 0
    for (let i = 0; i < grey.length; i++) worst = Math.max(worst, Math.abs(back!.pixels[i]! - grey[i]!))
    assert.ok(worst <= 2, `largest difference ${worst}`)
  })

  it('abort and failures leave nothing under the final name, and no temp file', async () => {
    const path = join(dir, 'aborted.mkv')
    const encoder = new VideoEncoder(ff, losslessDepthVideo({path, width: 8, height: 8, timeBase: {num: 1, den: 10}}))
    await encoder.push(new Uint16Array(64), 0)
    assert.equal(pendingVideoTemps().length, 1)
    await encoder.abort()
    assert.equal(existsSync(path), false)
    assert.deepEqual(pendingVideoTemps(), [])
    // ffmpeg refuses the arguments: the push or finish rejects with its reason, and nothing is left behind.
    const broken = join(dir, 'broken.mp4')
    const bad = new VideoEncoder(ff, {
      ...viewableVideo({path: broken, width: 8, height: 8, timeBase: {num: 1, den: 10}}),
      outputArgs: ['-c:v', 'no-such-codec'],
    })
    await assert.rejects(async () => {
      await bad.push(new Uint8Array(8 * 8 * 3), 0)
      await bad.finish()
    }, /ffmpeg could not encode .*broken\.mp4/)
    assert.equal(existsSync(broken), false)
    noTemps(dir)
  })

  it('rejects timestamps that do not increase', async () => {
    const encoder = new VideoEncoder(ff, labelVideo({path: join(dir, 'ts.mkv'), width: 2, height: 2, timeBase: {num: 1, den: 10}}))
    await encoder.push(new Uint8Array(4), 5)
    await assert.rejects(encoder.push(new Uint8Array(4), 5), /timestamps must increase/)
    await encoder.abort()
  })

  it('composes side by side with a white gap, taking 16-bit frames to 8 bits', () => {
    const left = Uint8Array.from([1, 2, 3, 4, 5, 6])
    const right = Uint16Array.from([257, 514, 771, 65535, 0, 1000])
    assert.deepEqual([...sideBySide(left, right, 1, 2, 1)], [1, 2, 3, 255, 255, 255, 1, 2, 3, 4, 5, 6, 255, 255, 255, 255, 0, 4])
  })
})
