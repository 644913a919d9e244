import {stat} from 'node:fs/promises'
import sharp, {type Metadata} from 'sharp'
import type {DecodedVideo, DecodeOptions, VideoFrame} from './decode.js'
import {VideoInputError, type VideoProbe} from './probe.js'

/**
 * Animated WebP, which no ffmpeg release dpt supports can decode (its WebP decoder reads still images only:
 * "image data not found"), is read with sharp (libvips + libwebp's animation decoder, which composites each
 * frame onto the canvas). Frames are RGB with alpha dropped, as the image pipeline drops it; timestamps are
 * the sums of the frame delays, in milliseconds.
 */

/** Milliseconds: WebP frame delays are whole milliseconds. */
const TIME_BASE = {num: 1, den: 1000}

/** Pages decoded per sharp call: libvips walks the animation from its start for each call, so batches keep the total linear. */
const BATCH_BYTES = 64 * 1024 * 1024

/** A VideoProbe for an animated WebP (the fields ffprobe would give). */
export async function probeAnimatedWebp(path: string): Promise<VideoProbe> {
  if ((await stat(path)).size === 0) throw new VideoInputError(path, 'empty', 'empty file')
  let meta: Metadata
  try {
    meta = await sharp(path, {animated: true}).metadata()
  } catch (error) {
    throw new VideoInputError(path, 'corrupt', `not readable as an animated WebP: ${(error as Error).message}`, error)
  }
  const pages = meta.pages ?? 1
  const height = meta.pageHeight ?? meta.height
  const delays = meta.delay ?? []
  const total = delays.reduce((a, b) => a + b, 0)
  const average = total > 0 ? {num: 1000 * pages, den: total} : {num: 0, den: 1}
  return {
    path,
    format: 'webp',
    duration: total / 1000,
    startTime: 0,
    audio: [],
    video: {
      index: 0,
      codec: 'webp',
      pixelFormat: meta.hasAlpha ? 'rgba' : 'rgb24',
      bitsPerComponent: 8,
      codedWidth: meta.width,
      codedHeight: height,
      rotation: 0,
      width: meta.width,
      height,
      sampleAspect: {num: 1, den: 1},
      frameRate: average,
      averageFrameRate: total > 0 ? average : undefined,
      timeBase: TIME_BASE,
      duration: total / 1000,
      frameCount: pages,
      variableFrameRate: new Set(delays).size > 1,
    },
  }
}

/**
 * The frames of an animated WebP with the options of decodeVideo: `start`/`duration` select frames by time,
 * `fps` keeps for each tick k/fps the last frame shown at that time (as ffmpeg's fps filter does), and
 * `skipFrames` drops the first frames of that sequence. 8-bit RGB only (`bitDepth`, `channels` are ignored
 * beyond that: WebP is 8-bit).
 */
export function decodeAnimatedWebp(probe: VideoProbe, options: DecodeOptions = {}): DecodedVideo {
  const {width, height, frameCount} = probe.video
  const pages = frameCount ?? 1
  const meta = sharp(probe.path, {animated: true}).metadata()
  const start = options.start ?? 0
  const end = options.duration === undefined ? Infinity : start + options.duration
  const frameBytes = width * height * 3
  const batch = Math.max(1, Math.floor(BATCH_BYTES / frameBytes))

  async function* shown(): AsyncGenerator<{time: number; pixels: Uint8Array}> {
    const delays = (await meta).delay ?? []
    let time = 0
    for (let first = 0; first < pages; first += batch) {
      const n = Math.min(batch, pages - first)
      const raw = await sharp(probe.path, {page: first, pages: n}).removeAlpha().raw().toBuffer()
      for (let k = 0; k < n; k++) {
        yield {time, pixels: new Uint8Array(raw.subarray(k * frameBytes, (k + 1) * frameBytes))}
        time += (delays[first + k] ?? 100) / 1000
      }
    }
  }

  async function* frames(): AsyncGenerator<VideoFrame> {
    let index = 0
    const skip = options.skipFrames ?? 0
    const emit = (time: number, pixels: Uint8Array): VideoFrame | undefined =>
      index++ < skip ? undefined : {index: index - 1, pts: Math.round(time * 1000), time, width, height, bitDepth: 8, channels: 3, pixels}
    if (options.fps === undefined) {
      for await (const f of shown()) {
        if (f.time >= end) return
        const out = f.time >= start ? emit(f.time, f.pixels) : undefined
        if (out !== undefined) yield out
      }
      return
    }
    // fps: tick k at start + k / fps shows the last frame whose time is at or before it.
    let tick = 0
    let previous: {time: number; pixels: Uint8Array} | undefined
    const at = (): number => start + tick / options.fps!
    for await (const f of shown()) {
      while (previous !== undefined && at() < f.time && at() < end) {
        if (at() >= previous.time) {
          const out = emit(at(), previous.pixels)
          if (out !== undefined) yield out
        }
        tick++
      }
      previous = f
    }
    while (previous !== undefined && at() < Math.min(end, probe.duration ?? 0)) {
      const out = emit(at(), previous.pixels)
      if (out !== undefined) yield out
      tick++
    }
  }

  const iterable = frames()
  return {
    width,
    height,
    bitDepth: 8,
    channels: 3,
    timeBase: TIME_BASE,
    sampleAspect: {num: 1, den: 1},
    pid: undefined,
    [Symbol.asyncIterator]: () => iterable,
    // Returning the generator ends the page walk at its current frame.
    close: async () => {
      await iterable.return(undefined)
    },
    running: () => false,
    warnings: () => [],
  }
}
