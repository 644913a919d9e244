import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {before, describe, it} from 'node:test'
import sharp from 'sharp'
import {decodeVideo, type DecodeOptions, type VideoFrame} from '../../src/video/decode.js'
import type {FfmpegInstall} from '../../src/video/ffmpeg-locate.js'
import {probeVideo} from '../../src/video/probe.js'
import {runTool} from '../../src/video/run-tool.js'
import {makeClip, tempDir, testFfmpeg} from '../helpers/video-clips.js'

let ff: FfmpegInstall
const dir = tempDir('decode')

async function frames(path: string, options: DecodeOptions = {}): Promise<VideoFrame[]> {
  const out: VideoFrame[] = []
  for await (const frame of await decodeVideo(ff, await probeVideo(ff, path), options)) out.push(frame)
  return out
}

/** Frame `k` as ffmpeg itself exports it to PNG (`-vf select=eq(n,k)`), decoded by sharp: RGB bytes or 16-bit values. */
async function pngFrame(path: string, k: number, sixteen = false): Promise<Uint8Array | Uint16Array> {
  const png = join(dir, `frame-${k}-${sixteen}.png`)
  const args = ['-hide_banner', '-loglevel', 'error', '-y', '-i', path, '-vf', `select=eq(n\\,${k})`, '-vsync', '0', '-frames:v', '1']
  await runTool(ff.ffmpeg.path, [...args, ...(sixteen ? ['-pix_fmt', 'rgb48be'] : []), png])
  const image = sharp(readFileSync(png))
  if (!sixteen) return new Uint8Array(await image.raw().toBuffer())
  const raw = await image.toColourspace('rgb16').raw({depth: 'ushort'}).toBuffer()
  return new Uint16Array(raw.buffer, raw.byteOffset, raw.length / 2)
}

/** An RGB24 image turned clockwise by 0/90/180/270 degrees. */
function rotateClockwise(pixels: Uint8Array, width: number, height: number, degrees: number): Uint8Array {
  const swap = degrees === 90 || degrees === 270
  const [w2, h2] = swap ? [height, width] : [width, height]
  const out = new Uint8Array(pixels.length)
  for (let y = 0; y < h2; y++) {
    for (let x = 0; x < w2; x++) {
      // The stored pixel displayed at (x, y).
      const [sx, sy] = degrees === 90 ? [y, height - 1 - x] : degrees === 180 ? [width - 1 - x, height - 1 - y] : degrees === 270 ? [width - 1 - y, x] : [x, y]
      for (let c = 0; c < 3; c++) out[(y * w2 + x) * 3 + c] = pixels[(sy * width + sx) * 3 + c]!
    }
  }
  return out
}

describe('decodeVideo', () => {
  before(async () => {
    ff = await testFfmpeg()
  })

  it('decodes every frame of a constant-rate clip with its index, time and size', async () => {
    const clip = await makeClip(dir, 'cfr', {width: 64, height: 48, frames: 12, rate: 10})
    const got = await frames(clip)
    assert.equal(got.length, 12)
    assert.deepEqual(
      got.map((f) => f.index),
      [...Array(12).keys()],
    )
    for (const f of got) {
      assert.ok(Math.abs(f.time - f.index / 10) < 1e-9, `frame ${f.index} at ${f.time}`)
      assert.deepEqual([f.width, f.height, f.bitDepth, f.channels, f.pixels.length], [64, 48, 8, 3, 64 * 48 * 3])
    }
  })

  it('gives the pixels ffmpeg exports to PNG for the same frame (the exactness the depth path relies on)', async () => {
    const clip = await makeClip(dir, 'png-check', {width: 40, height: 30, frames: 6})
    const got = await frames(clip)
    for (const k of [0, 5]) assert.deepEqual(Buffer.from(got[k]!.pixels), Buffer.from(await pngFrame(clip, k)))
  })

  it('keeps the source timestamps of a variable-frame-rate clip (MP4 and Matroska)', async () => {
    const times = [0, 0.04, 0.1, 0.13, 0.31, 0.32, 0.6, 0.65, 1.2, 1.25]
    for (const container of ['mp4', 'mkv'] as const) {
      const clip = await makeClip(dir, 'vfr', {width: 32, height: 32, frames: times.length, rate: 100, times, container})
      const probe = await probeVideo(ff, clip)
      assert.equal(probe.video.variableFrameRate, true)
      const got = await frames(clip)
      // ffprobe's own frame list is the reference (ffmpeg 4.1 writes an MP4 edit list that hides the last two).
      const listed = (await runTool(ff.ffprobe.path, ['-v', 'error', '-show_entries', 'frame=pts_time', '-of', 'csv=p=0', clip])).stdout
      const reference = listed
        .split(/[\s,]+/)
        .filter((t) => t !== '')
        .map(Number)
      assert.ok(got.length >= 8, `${container}: ${got.length} frames`)
      assert.equal(got.length, reference.length)
      got.forEach((f, i) => {
        assert.ok(Math.abs(f.time - times[i]!) < 1e-6, `${container} frame ${i}: ${f.time} ≠ ${times[i]}`)
        assert.ok(Math.abs(f.time - reference[i]!) < 1e-6)
      })
    }
  })

  it('applies rotation metadata as ffmpeg does, with the displayed size', async () => {
    const plain = await makeClip(dir, 'upright', {width: 48, height: 32, frames: 2, pixelFormat: 'yuv444p'})
    const [upright] = await frames(plain)
    for (const tag of [90, 180] as const) {
      const clip = await makeClip(dir, `rot${tag}`, {width: 48, height: 32, frames: 2, pixelFormat: 'yuv444p', rotate: tag})
      const probe = await probeVideo(ff, clip)
      const {rotation, width, height} = probe.video
      assert.notEqual(rotation, 0)
      assert.deepEqual([width, height], rotation === 180 ? [48, 32] : [32, 48])
      const [rotated] = await frames(clip)
      assert.deepEqual([rotated!.width, rotated!.height], [width, height])
      assert.deepEqual(Buffer.from(rotated!.pixels), Buffer.from(rotateClockwise(upright!.pixels as Uint8Array, 48, 32, rotation)))
    }
  })

  it('decodes odd sizes and keeps non-square pixels as stored unless asked for square ones', async () => {
    const clip = await makeClip(dir, 'odd-sar', {width: 33, height: 25, frames: 3, sampleAspect: '2/1'})
    const probe = await probeVideo(ff, clip)
    assert.deepEqual(probe.video.sampleAspect, {num: 2, den: 1})
    const video = await decodeVideo(ff, probe)
    assert.deepEqual([video.width, video.height, video.sampleAspect], [33, 25, {num: 2, den: 1}])
    await video.close()
    const [square] = await frames(clip, {squarePixels: true})
    assert.deepEqual([square!.width, square!.height], [66, 25])
  })

  it('subsamples with fps and cuts with start and duration', async () => {
    const clip = await makeClip(dir, 'cut', {width: 32, height: 32, frames: 20, rate: 10})
    const sub = await frames(clip, {fps: 5})
    assert.deepEqual(
      sub.map((f) => Math.round(f.time * 100) / 100),
      [0, 0.2, 0.4, 0.6, 0.8, 1, 1.2, 1.4, 1.6, 1.8],
    )
    const cut = await frames(clip, {start: 0.5, duration: 0.8})
    assert.deepEqual(
      cut.map((f) => Math.round(f.time * 100) / 100),
      [0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.2],
    )
    const all = await frames(clip)
    assert.deepEqual(Buffer.from(cut[0]!.pixels), Buffer.from(all[5]!.pixels))
  })

  it('resumes at frame k with exactly the frames of an uninterrupted decode', async () => {
    const times = [0, 0.05, 0.12, 0.2, 0.21, 0.4, 0.41, 0.42, 0.7, 0.9, 1.0, 1.3]
    const clip = await makeClip(dir, 'resume', {width: 24, height: 16, frames: times.length, rate: 100, times})
    for (const options of [{}, {fps: 7}, {start: 0.1}]) {
      const all = await frames(clip, options)
      const tail = await frames(clip, {...options, skipFrames: 4})
      assert.equal(tail.length, all.length - 4)
      tail.forEach((f, i) => {
        const g = all[i + 4]!
        assert.deepEqual([f.index, f.pts, f.time], [g.index, g.pts, g.time])
        assert.deepEqual(Buffer.from(f.pixels), Buffer.from(g.pixels))
      })
    }
  })

  it('decodes sources above 8 bits to 16 bits, equal to ffmpeg’s 16-bit PNG export', async () => {
    const clip = await makeClip(dir, 'ten-bit', {width: 16, height: 12, frames: 2, codec: 'ffv1', pixelFormat: 'yuv420p10le', container: 'mkv'})
    const probe = await probeVideo(ff, clip)
    assert.equal(probe.video.bitsPerComponent, 10)
    const got = await frames(clip)
    assert.equal(got[1]!.bitDepth, 16)
    assert.deepEqual(got[1]!.pixels, await pngFrame(clip, 1, true))
    assert.equal((await frames(clip, {bitDepth: 8}))[0]!.bitDepth, 8)
  })

  it('stops ffmpeg when the consumer stops early', async () => {
    const clip = await makeClip(dir, 'early', {width: 320, height: 240, frames: 60, rate: 25})
    const video = await decodeVideo(ff, await probeVideo(ff, clip))
    let n = 0
    for await (const frame of video) {
      assert.equal(frame.index, n)
      if (++n === 3) break
    }
    assert.equal(video.running(), false)
  })
})
