/** dpt segment on a video: the lossless label video is the label PNGs, frame for frame; colour and overlay videos. */
import assert from 'node:assert/strict'
import {mkdirSync} from 'node:fs'
import {join} from 'node:path'
import {before, describe, it} from 'node:test'
import sharp from 'sharp'
import {decodeVideo, type VideoFrame} from '../../src/video/decode.js'
import type {FfmpegInstall} from '../../src/video/ffmpeg-locate.js'
import {probeVideo} from '../../src/video/probe.js'
import {runCli} from '../helpers/cli.js'
import {fixture} from '../helpers/fixtures.js'
import {makeClip, tempDir, testFfmpeg} from '../helpers/video-clips.js'

let ff: FfmpegInstall
const dir = tempDir('video-segment')

async function frames(path: string, channels: 1 | 3): Promise<VideoFrame[]> {
  const out: VideoFrame[] = []
  for await (const frame of await decodeVideo(ff, await probeVideo(ff, path), {channels, bitDepth: 8})) out.push(frame)
  return out
}

describe('dpt segment on videos', () => {
  before(async () => {
    ff = await testFfmpeg()
  })

  it('writes a lossless label video equal to the label PNGs, and colour (side by side) and overlay videos', async () => {
    const input = join(dir, 'in')
    mkdirSync(input)
    await makeClip(input, 'street', {width: 41, height: 30, frames: 4, audio: true})
    const out = join(dir, 'out')
    const args = ['segment', input, '-o', out, '--model', fixture('models', 'dpt-hybrid-ade-tiny'), '--format', 'labels,labels-mkv,color-mp4,overlay-mp4']
    const r = await runCli([...args, '--side-by-side', '--segment-frames', '2'])
    assert.equal(r.code, 0, r.stderr)
    const labels = await frames(join(out, 'street.labels.mkv'), 1)
    assert.equal(labels.length, 4)
    for (const [k, frame] of labels.entries()) {
      const png = await sharp(join(out, 'street', `00000${k}.png`))
        .toColourspace('b-w')
        .raw()
        .toBuffer({resolveWithObject: true})
      assert.equal(png.info.channels, 1)
      assert.ok(png.data.equals(Buffer.from(frame.pixels.buffer, frame.pixels.byteOffset, frame.pixels.byteLength)), `frame ${k}`)
    }
    const colour = await probeVideo(ff, join(out, 'street.color.mp4'))
    const overlay = await probeVideo(ff, join(out, 'street.overlay.mp4'))
    // Side by side: 2 × 41 wide (even already); the overlay alone is padded from 41×30 to 42×30.
    assert.deepEqual([colour.video.width, colour.video.height, colour.video.frameCount], [82, 30, 4])
    assert.deepEqual([overlay.video.width, overlay.video.height, overlay.video.frameCount], [42, 30, 4])
    assert.deepEqual(
      overlay.audio.map((a) => a.codec),
      ['aac'],
    )
  })
})
