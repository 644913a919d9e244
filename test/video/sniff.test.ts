import assert from 'node:assert/strict'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import sharp from 'sharp'
import type {VideoFrame} from '../../src/video/decode.js'
import {openFrames, probeMedia} from '../../src/video/open.js'
import {runTool} from '../../src/video/run-tool.js'
import {sniffHead, sniffVideo} from '../../src/video/sniff.js'
import {makeClip, tempDir, testFfmpeg} from '../helpers/video-clips.js'

const dir = tempDir('sniff')

/** An ISO-BMFF head: a 24-byte ftyp box with this major brand. */
const ftyp = (brand: string): Uint8Array => Uint8Array.from(Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from(`ftyp${brand}\0\0\0\0isom`)]))

async function ffmpegFile(name: string, args: string[]): Promise<string> {
  const path = join(dir, name)
  await runTool((await testFfmpeg()).ffmpeg.path, [
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=32x24:rate=10',
    ...args,
    path,
  ])
  return path
}

describe('sniffVideo', () => {
  it('tells containers from their first bytes, and HEIF/AVIF images from MP4 by the brand', () => {
    assert.equal(sniffHead(ftyp('isom')), 'mp4')
    assert.equal(sniffHead(ftyp('qt  ')), 'quicktime')
    assert.equal(sniffHead(ftyp('heic')), undefined)
    assert.equal(sniffHead(ftyp('avif')), undefined)
    const ts = new Uint8Array(188 * 3).fill(0xff)
    for (let i = 0; i < 3; i++) ts[i * 188] = 0x47
    assert.equal(sniffHead(ts), 'mpegts')
    ts[188] = 0
    assert.equal(sniffHead(ts), undefined)
    assert.equal(sniffHead(Uint8Array.from(Buffer.from('RIFF\x10\0\0\0AVI LIST'))), 'avi')
    assert.equal(sniffHead(Uint8Array.from(Buffer.from('hello, world, this is text'))), undefined)
  })

  it('recognises generated videos, and animated GIF/WebP/PNG but not still ones', async () => {
    const videos: [string, string][] = [
      [await makeClip(dir, 'clip', {width: 32, height: 24, frames: 3}), 'mp4'],
      [await makeClip(dir, 'clip', {width: 32, height: 24, frames: 3, container: 'mkv'}), 'matroska'],
      [await makeClip(dir, 'clip', {width: 32, height: 24, frames: 3, container: 'avi', codec: 'mpeg4'}), 'avi'],
      [await ffmpegFile('clip.ts', ['-frames:v', '3', '-c:v', 'mpeg2video', '-f', 'mpegts']), 'mpegts'],
      [await ffmpegFile('anim.gif', ['-frames:v', '3']), 'gif'],
      [await ffmpegFile('anim.webp', ['-frames:v', '10', '-c:v', 'libwebp_anim', '-loop', '0']), 'webp'],
      [await ffmpegFile('anim.png', ['-frames:v', '3', '-f', 'apng']), 'apng'],
    ]
    for (const [path, container] of videos) assert.equal(await sniffVideo(path), container, path)

    const pixel = sharp({create: {width: 4, height: 3, channels: 3, background: {r: 10, g: 20, b: 30}}})
    const stills: string[] = []
    for (const format of ['gif', 'webp', 'png', 'jpeg'] as const) {
      const path = join(dir, `still.${format}`)
      writeFileSync(path, await pixel.clone().toFormat(format).toBuffer())
      stills.push(path)
    }
    stills.push(await ffmpegFile('one.gif', ['-frames:v', '1']))
    const text = join(dir, 'notes.txt')
    writeFileSync(text, 'not a video')
    stills.push(text)
    for (const path of stills) assert.equal(await sniffVideo(path), undefined, path)
  })
})

describe('animated WebP (through sharp)', () => {
  it('gives every composited frame with its time from the frame delays, and honours start, fps and skipFrames', async () => {
    const ff = await testFfmpeg()
    const path = await ffmpegFile('frames.webp', ['-frames:v', '10', '-c:v', 'libwebp_anim', '-loop', '0', '-lossless', '1'])
    const probe = await probeMedia(ff, path, 'webp')
    const pages = probe.video.frameCount!
    assert.ok(pages > 1)
    assert.deepEqual([probe.video.width, probe.video.height, probe.format], [32, 24, 'webp'])
    const meta = await sharp(path, {animated: true}).metadata()
    const all: VideoFrame[] = []
    for await (const f of await openFrames(ff, probe)) all.push(f)
    assert.equal(all.length, pages)
    let t = 0
    for (const [k, f] of all.entries()) {
      assert.ok(Math.abs(f.time - t) < 1e-9, `frame ${k} at ${f.time}, expected ${t}`)
      const page = await sharp(path, {page: k}).removeAlpha().raw().toBuffer()
      assert.deepEqual(Buffer.from(f.pixels), page)
      t += meta.delay![k]! / 1000
    }
    const tail: VideoFrame[] = []
    for await (const f of await openFrames(ff, probe, {skipFrames: 2})) tail.push(f)
    assert.deepEqual(
      tail.map((f) => [f.index, f.time]),
      all.slice(2).map((f) => [f.index, f.time]),
    )
    const ticks: number[] = []
    for await (const f of await openFrames(ff, probe, {fps: 5, start: 0.1})) ticks.push(Math.round(f.time * 1000))
    assert.deepEqual(ticks.slice(0, 3), [100, 300, 500])
  })
})
