/**
 * node dist/bench/video-memory.js [-- --width 1280 --height 720 --short 150 --long 1500]
 *
 * Memory of the video path over a short and a 10× longer generated clip: decode (raw RGB frames in NUT
 * through a pipe) → a stand-in per-frame step (grey of the frame as 16 bits) → FFV1 gray16le encode. Prints
 * the peak RSS of this process (VmHWM) and of the two ffmpeg processes (their VmHWM read just before they
 * exit), per clip. Flat figures from short to long clip = bounded memory. Linux only (reads /proc).
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {parseArgs} from 'node:util'
import {decodeVideo} from '../src/video/decode.js'
import {VideoEncoder} from '../src/video/encode.js'
import {losslessDepthVideo} from '../src/video/encode-specs.js'
import {locateFfmpeg} from '../src/video/ffmpeg-locate.js'
import {probeVideo} from '../src/video/probe.js'
import {runTool} from '../src/video/run-tool.js'
import {tempDir} from '../test/helpers/video-clips.js'
import {resetPeakRss, rss} from './lib/memory.js'

const {values} = parseArgs({
  options: {
    width: {type: 'string', default: '1280'},
    height: {type: 'string', default: '720'},
    short: {type: 'string', default: '150'},
    long: {type: 'string', default: '1500'},
  },
})
const [width, height] = [Number(values.width), Number(values.height)]
const ff = await locateFfmpeg({env: process.env})
const dir = tempDir('video-memory')
const MiB = 1024 * 1024

/** Peak RSS of a running process, from /proc (0 once it is gone). */
function peakOf(pid: number | undefined): number {
  try {
    return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024
  } catch {
    return 0
  }
}

for (const frames of [Number(values.short), Number(values.long)]) {
  const clip = join(dir, `clip-${frames}.mp4`)
  const source = `testsrc2=size=${width}x${height}:rate=30`
  await runTool(
    ff.ffmpeg.path,
    ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', source, '-frames:v', String(frames), '-c:v', 'libx264', '-preset', 'ultrafast', clip],
    {timeoutMs: 600_000},
  )
  resetPeakRss()
  const started = performance.now()
  const video = await decodeVideo(ff, await probeVideo(ff, clip))
  const encoder = new VideoEncoder(
    ff,
    losslessDepthVideo({path: join(dir, `depth-${frames}.mkv`), width: video.width, height: video.height, timeBase: video.timeBase}),
  )
  const grey = new Uint16Array(video.width * video.height)
  let [decoderPeak, encoderPeak, n] = [0, 0, 0]
  for await (const frame of video) {
    const px = frame.pixels
    for (let i = 0; i < grey.length; i++) grey[i] = (px[3 * i]! + px[3 * i + 1]! + px[3 * i + 2]!) * 85
    await encoder.push(grey, frame.pts)
    n++
    // Sampled every frame while they run (the last sample before exit is the peak they reached).
    decoderPeak = Math.max(decoderPeak, peakOf(video.pid))
    encoderPeak = Math.max(encoderPeak, peakOf(encoder.pid))
  }
  await encoder.finish()
  const seconds = (performance.now() - started) / 1000
  const node = rss().peak
  console.log(
    `${frames} frames ${width}×${height}: ${(n / seconds).toFixed(1)} frames/s; peak RSS node ${(node / MiB).toFixed(0)} MiB, ` +
      `ffmpeg decoder ${(decoderPeak / MiB).toFixed(0)} MiB, ffmpeg encoder ${(encoderPeak / MiB).toFixed(0)} MiB`,
  )
}
