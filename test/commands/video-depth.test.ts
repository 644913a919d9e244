/**
 * Videos through dpt depth end to end (issue 17), on clips ffmpeg generates here: the depth of frame k through the
 * video path against `dpt depth` on that frame saved as a PNG (odd size, rotation metadata, variable frame rate,
 * 10 bits), the lossless video against the 16-bit PNGs, the viewable video's timestamps and audio, and global
 * normalisation through the encoders. Resume and faults are in video-resume.test.ts.
 */
import assert from 'node:assert/strict'
import {mkdirSync, readFileSync, readdirSync, renameSync} from 'node:fs'
import {join} from 'node:path'
import {before, describe, it} from 'node:test'
import {readPng16} from '../../src/formats/png16.js'
import type {RunResult} from '../../src/pipeline/images.js'
import {decodeVideo, type VideoFrame} from '../../src/video/decode.js'
import type {FfmpegInstall} from '../../src/video/ffmpeg-locate.js'
import {probeVideo} from '../../src/video/probe.js'
import {runTool} from '../../src/video/run-tool.js'
import {runCli} from '../helpers/cli.js'
import {fixture} from '../helpers/fixtures.js'
import {makeClip, tempDir, testFfmpeg} from '../helpers/video-clips.js'

const TINY = fixture('models', 'dpt-hybrid-tiny')
const CHANNEL_MEAN = fixture('models', 'channel-mean')

let ff: FfmpegInstall
const dir = tempDir('video-depth')

async function frames(path: string, channels: 1 | 3 = 3, bitDepth: 8 | 16 | 'auto' = 'auto'): Promise<VideoFrame[]> {
  const out: VideoFrame[] = []
  for await (const frame of await decodeVideo(ff, await probeVideo(ff, path), {channels, bitDepth})) out.push(frame)
  return out
}

/** Frame k of a clip as ffmpeg itself exports it to PNG (rotation applied; 16-bit RGB for sources of more than 8 bits). */
async function exportFrame(clip: string, k: number, png: string, sixteen: boolean): Promise<void> {
  const args = ['-hide_banner', '-loglevel', 'error', '-y', '-i', clip, '-vf', `select=eq(n\\,${k})`, '-vsync', '0', '-frames:v', '1']
  await runTool(ff.ffmpeg.path, [...args, ...(sixteen ? ['-pix_fmt', 'rgb48be'] : []), png])
}

const frameFile = (out: string, video: string, k: number, ext: string): string => join(out, video, `${String(k).padStart(6, '0')}${ext}`)

describe('dpt depth on videos', () => {
  const clips = join(dir, 'clips')
  const times = [0, 0.04, 0.1, 0.13, 0.31, 0.32, 0.6]
  before(async () => {
    ff = await testFfmpeg()
    mkdirSync(clips, {recursive: true})
    const made = join(dir, 'made')
    mkdirSync(made)
    const keep = (path: string, name: string): void => {
      renameSync(path, join(clips, name))
    }
    keep(await makeClip(made, 'odd', {width: 33, height: 25, frames: 4}), 'odd.mp4')
    keep(await makeClip(made, 'turned', {width: 40, height: 24, frames: 3, rotate: 90}), 'turned.rotated.mp4')
    keep(await makeClip(made, 'vfr', {width: 48, height: 32, frames: times.length, rate: 100, times, audio: true, container: 'mkv'}), 'vfr.mkv')
    keep(await makeClip(made, 'deep', {width: 32, height: 24, frames: 2, codec: 'ffv1', pixelFormat: 'yuv420p10le', container: 'mkv'}), 'deep.mkv')
  })

  it("gives each frame the depth dpt depth gives the frame saved as a PNG, and a lossless video of its 16-bit PNGs' values", async () => {
    const out = join(dir, 'out')
    // Segments of 3 frames: every encoded video is joined from several (the VFR clip's timestamps across joins).
    const r = await runCli(['depth', clips, '-o', out, '--model', TINY, '--format', 'npy,png16,mkv16,mp4', '--segment-frames', '3', '--json'])
    assert.equal(r.code, 0, r.stderr)
    const summary = JSON.parse(r.stdout) as RunResult
    assert.equal(summary.counts.files, 4)
    assert.equal(summary.counts.processed, 4 + 3 + times.length + 2)
    const videos = ['deep', 'odd', 'turned.rotated', 'vfr']
    assert.deepEqual(
      summary.images.map((i) => i.input.replace(/^.*clips\//, '')),
      videos.flatMap((v) => {
        const n = {deep: 2, odd: 4, 'turned.rotated': 3, vfr: times.length}[v]!
        const ext = v === 'odd' || v === 'turned.rotated' ? 'mp4' : 'mkv'
        return Array.from({length: n}, (_, k) => `${v}.${ext} [frame ${k}]`)
      }),
    )
    // The last frame's record lists the encoded videos.
    assert.ok(summary.images.find((i) => i.input.endsWith('odd.mp4 [frame 3]'))!.outputs.some((o) => o.endsWith('odd.depth.mkv')))

    // Frames exported by ffmpeg as PNGs (16-bit for the 10-bit clip), then dpt depth on them.
    const stills = join(dir, 'stills')
    mkdirSync(stills, {recursive: true})
    const picks: [string, string, number][] = [
      ['odd', 'odd.mp4', 0],
      ['odd', 'odd.mp4', 3],
      ['turned.rotated', 'turned.rotated.mp4', 2],
      ['vfr', 'vfr.mkv', 5],
      ['deep', 'deep.mkv', 1],
    ]
    for (const [video, file, k] of picks) await exportFrame(join(clips, file), k, join(stills, `${video}-${k}.png`), video === 'deep')
    const still = await runCli(['depth', stills, '-o', join(dir, 'stills-out'), '--model', TINY, '--format', 'npy,png16'])
    assert.equal(still.code, 0, still.stderr)
    for (const [video, , k] of picks) {
      for (const ext of ['.npy', '.png']) {
        const fromVideo = readFileSync(frameFile(out, video, k, ext))
        const fromPng = readFileSync(join(dir, 'stills-out', `${video}-${k}${ext}`))
        assert.ok(fromVideo.equals(fromPng), `${video} frame ${k}${ext}: the video path and the PNG differ`)
      }
    }

    // mkv16 decodes to exactly the 16-bit PNGs' values, frame for frame.
    for (const video of videos) {
      const decoded = await frames(join(out, `${video}.depth.mkv`), 1, 16)
      const pngs = readdirSync(join(out, video)).filter((f) => f.endsWith('.png'))
      assert.equal(decoded.length, pngs.length, video)
      for (const [k, frame] of decoded.entries()) {
        const png = await readPng16(frameFile(out, video, k, '.png'))
        assert.deepEqual([frame.width, frame.height], [png.width, png.height])
        assert.ok(
          Buffer.from(png.values.buffer, png.values.byteOffset, png.values.byteLength).equals(
            Buffer.from(frame.pixels.buffer, frame.pixels.byteOffset, frame.pixels.byteLength),
          ),
          `${video} frame ${k}`,
        )
      }
    }
  })

  it('keeps the timestamps (variable frame rate) and the audio in the viewable video, and the displayed size', async () => {
    const out = join(dir, 'out')
    const source = await frames(join(clips, 'vfr.mkv'))
    const viewable = await frames(join(out, 'vfr.depth.mp4'))
    assert.equal(viewable.length, source.length)
    viewable.forEach((f, k) => {
      assert.ok(Math.abs(f.time - (source[k]!.time - source[0]!.time)) < 1e-6, `frame ${k}: ${f.time}`)
    })
    const probe = await probeVideo(ff, join(out, 'vfr.depth.mp4'))
    assert.deepEqual([probe.video.codec, probe.video.pixelFormat], ['h264', 'yuv420p'])
    assert.deepEqual(
      probe.audio.map((a) => a.codec),
      ['aac'],
    )
    // Rotation applied: the depth of a 40×24 clip turned by 90° is 24×40; odd sizes are padded to even ones.
    assert.deepEqual((await probeVideo(ff, join(out, 'turned.rotated.depth.mkv'))).video.width, 24)
    const odd = await probeVideo(ff, join(out, 'odd.depth.mp4'))
    assert.deepEqual([odd.video.width, odd.video.height], [34, 26])
  })

  it('--normalize global writes the frames and their lossless video with one range over the run', async () => {
    const out = join(dir, 'global')
    const r = await runCli([
      'depth',
      join(clips, 'odd.mp4'),
      join(clips, 'vfr.mkv'),
      '-o',
      out,
      '--model',
      CHANNEL_MEAN,
      '--format',
      'png16,mkv16',
      '--normalize',
      'global',
    ])
    assert.equal(r.code, 0, r.stderr)
    let [min, max] = [65535, 0]
    for (const video of ['odd', 'vfr']) {
      const decoded = await frames(join(out, `${video}.depth.mkv`), 1, 16)
      for (const [k, frame] of decoded.entries()) {
        const png = await readPng16(frameFile(out, video, k, '.png'))
        assert.deepEqual([...png.values], [...frame.pixels], `${video} frame ${k}`)
        for (const v of png.values) [min, max] = [Math.min(min, v), Math.max(max, v)]
      }
    }
    // One range over both videos: its ends are reached once, not in every frame.
    assert.deepEqual([min, max], [0, 65535])
    assert.deepEqual(readdirSync(out).sort(), ['odd', 'odd.depth.mkv', 'vfr', 'vfr.depth.mkv'])
  })
})
