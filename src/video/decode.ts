import type {Readable} from 'node:stream'
import type {FfmpegInstall} from './ffmpeg-locate.js'
import {FfmpegProcess} from './ffmpeg-process.js'
import {BYTES_PER_PIXEL, type RawPixelFormat, type Rational, reduce, seconds} from './nut-format.js'
import {NutReader} from './nut-read.js'
import {problemOf, VideoInputError, type VideoProbe} from './probe.js'

/** What to decode, normalised by the caller (the command's settings). */
export interface DecodeOptions {
  /** Subsample to this many frames per second (ffmpeg's fps filter); undefined keeps every frame. */
  readonly fps?: number | undefined
  /** Seconds from the start of the file where decoding starts (frames before it are decoded and dropped). */
  readonly start?: number | undefined
  /** Seconds of video to decode from `start`. */
  readonly duration?: number | undefined
  /**
   * 8 → RGB24, 16 → RGB48 (little-endian); 'auto' (default) → 16 for sources with more than 8 bits per
   * component, so 10-bit video keeps its precision as 16-bit PNG frames do in `dpt depth`.
   */
  readonly bitDepth?: 8 | 16 | 'auto'
  /** 3 (default): RGB; 1: grey (e.g. to read back dpt's lossless depth and label videos). */
  readonly channels?: 1 | 3
  /** Resample non-square pixels to square ones (bicubic); by default pixels stay as stored (see README). */
  readonly squarePixels?: boolean
  /**
   * Resume: the first `skipFrames` frames of this decode (after fps/start/duration) are decoded but dropped
   * inside ffmpeg (`select`), never converted or piped; the frames that follow are the same, with the same
   * index and timestamps, as in an uninterrupted decode.
   */
  readonly skipFrames?: number
}

/** One decoded frame: upright (rotation applied), interleaved RGB or grey. */
export interface VideoFrame {
  /** 0-based position in the decoded sequence (after fps/start/duration; counts skipped frames). */
  readonly index: number
  /** Presentation timestamp: an integer in `timeBase` on ffmpeg's output timeline (0 = `start`). */
  readonly pts: number
  /** Seconds from the start of the file, as a player shows it: start + pts × timeBase. */
  readonly time: number
  readonly width: number
  readonly height: number
  readonly bitDepth: 8 | 16
  readonly channels: 1 | 3
  readonly pixels: Uint8Array | Uint16Array
}

/** The frames of one video, from one ffmpeg process; iterate once, close early with `close()` or `break`. */
export interface DecodedVideo extends AsyncIterable<VideoFrame> {
  readonly width: number
  readonly height: number
  readonly bitDepth: 8 | 16
  readonly channels: 1 | 3
  readonly timeBase: Rational
  readonly sampleAspect: Rational
  /** Kills ffmpeg (if still running) and waits for it to exit. */
  close(): Promise<void>
  /** The ffmpeg process id (for measurements). */
  readonly pid: number | undefined
  /** Whether ffmpeg is still running (false once the frames are read or the decode is closed). */
  readonly running: () => boolean
  /** What ffmpeg logged at error level while decoding (damaged packets it decoded around). */
  readonly warnings: () => string[]
}

/**
 * A file cut at a Matroska cluster boundary decodes without a word from ffmpeg: compare the last frame's time
 * with the stream duration the container's header still states. Long last frames (slideshows) are legitimate,
 * so this is a warning, not a failure.
 */
function endsEarly(probe: VideoProbe, options: DecodeOptions, lastTime: number | undefined): string | undefined {
  const stated = probe.video.duration ?? (probe.audio.length === 0 ? probe.duration : undefined)
  if (stated === undefined || options.fps !== undefined) return undefined
  const end = options.duration === undefined ? stated : Math.min(stated, (options.start ?? 0) + options.duration)
  const rate = probe.video.averageFrameRate ?? probe.video.frameRate
  const interval = rate.num > 0 ? rate.den / rate.num : 0
  const last = lastTime ?? options.start ?? 0
  if (end - last <= 1 + 3 * interval) return undefined
  return `decoding ended at ${last.toFixed(3)} s but the container states ${end.toFixed(3)} s: truncated file?`
}

/** A rate given in decimal (`--fps 29.97`) as the rational ffmpeg's fps filter makes of it (to 1/1000). */
export function rationalOf(value: number, what: string): Rational {
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`${what} must be a positive number, got ${value}`)
  return reduce(Number.isInteger(value) ? {num: value, den: 1} : {num: Math.round(value * 1000), den: 1000})
}

/** The ffmpeg command line of a decode: the video stream, cut, filtered, as raw frames in NUT on stdout. */
export function decodeArgs(install: FfmpegInstall, probe: VideoProbe, options: DecodeOptions, format: RawPixelFormat): string[] {
  // The raw frames keep the source's time base (or 1/fps after the fps filter): ffmpeg 4.x would otherwise
  // time them in 1/guessed-frame-rate and round variable timestamps onto that grid.
  const rate = options.fps === undefined ? undefined : rationalOf(options.fps, 'fps')
  const timeBase = rate === undefined ? probe.video.timeBase : {num: rate.den, den: rate.num}
  const input: string[] = []
  if (options.start !== undefined && options.start > 0) input.push('-ss', String(options.start))
  if (options.duration !== undefined) input.push('-t', String(options.duration))
  const filters: string[] = []
  if (options.fps !== undefined) filters.push(`fps=fps=${options.fps}`)
  if ((options.skipFrames ?? 0) > 0) filters.push(`select=gte(n\\,${options.skipFrames})`)
  const sar = probe.video.sampleAspect
  if (options.squarePixels === true && sar.num !== sar.den) filters.push('scale=trunc(iw*sar+0.5):ih:flags=bicubic', 'setsar=1')
  return [
    ...['-hide_banner', '-nostdin', '-loglevel', 'error'],
    ...input,
    ...['-i', probe.path, '-map', `0:${probe.video.index}`, '-an', '-sn', '-dn'],
    ...(filters.length > 0 ? ['-vf', filters.join(',')] : []),
    ...['-c:v', 'rawvideo', '-pix_fmt', format],
    ...install.passthrough,
    ...['-enc_time_base', `${timeBase.num}:${timeBase.den}`],
    ...['-f', 'nut', 'pipe:1'],
  ]
}

/**
 * Decodes a probed video into frames with one ffmpeg process, streamed as raw pixels in NUT through a pipe
 * (NUT carries each frame's exact timestamp next to its pixels; variable frame rates stay variable).
 * Rotation is applied as ffmpeg does by default; the frame size is what ffmpeg reports in the stream
 * header. Memory stays bounded: a frame is read from the pipe only when the consumer asks for it, so ffmpeg
 * blocks on a full pipe instead of running ahead.
 */
export async function decodeVideo(install: FfmpegInstall, probe: VideoProbe, options: DecodeOptions = {}): Promise<DecodedVideo> {
  const bitDepth = options.bitDepth === 8 || options.bitDepth === 16 ? options.bitDepth : probe.video.bitsPerComponent > 8 ? 16 : 8
  const channels = options.channels ?? 3
  const format: RawPixelFormat = channels === 1 ? (bitDepth === 16 ? 'gray16le' : 'gray') : bitDepth === 16 ? 'rgb48le' : 'rgb24'
  const process = new FfmpegProcess(install.ffmpeg.path, decodeArgs(install, probe, options, format), 'ignore')
  const stdout = process.child.stdout as Readable
  const reader = new NutReader(stdout)
  const failure = async (error: unknown): Promise<VideoInputError> => {
    const exit = await process.exited
    const why = exit.code === 0 ? (error as Error).message : process.reason()
    return new VideoInputError(probe.path, problemOf(process.stderr), `ffmpeg could not decode it: ${why}`, error)
  }
  try {
    await reader.readHeaders()
  } catch (error) {
    throw await failure(error)
  }
  const stream = reader.streams[0]
  if (stream?.pixelFormat !== format) {
    await process.stop()
    throw new VideoInputError(probe.path, 'corrupt', 'ffmpeg produced no raw video stream')
  }
  const {width, height, timeBase} = stream
  const frameBytes = width * height * BYTES_PER_PIXEL[stream.pixelFormat]
  const start = options.start ?? 0
  let closed = false
  const close = async (): Promise<void> => {
    closed = true
    stdout.destroy()
    await reader.cancel().catch(() => undefined)
    await process.stop()
  }

  let shortfall: string | undefined
  async function* frames(): AsyncGenerator<VideoFrame> {
    let index = options.skipFrames ?? 0
    let lastTime: number | undefined
    try {
      for (;;) {
        let frame
        try {
          frame = await reader.next()
        } catch (error) {
          if (closed) return
          throw await failure(error)
        }
        if (frame === undefined) break
        if (frame.data.length !== frameBytes)
          throw new VideoInputError(probe.path, 'corrupt', `frame ${index} has ${frame.data.length} bytes, expected ${frameBytes}`)
        const pixels = bitDepth === 16 ? new Uint16Array(frame.data.buffer, frame.data.byteOffset, frame.data.length / 2) : frame.data
        lastTime = start + seconds(frame.pts, timeBase)
        yield {index: index++, pts: frame.pts, time: lastTime, width, height, bitDepth, channels, pixels}
      }
      // ffmpeg exits with an error when the data cannot be decoded, and sometimes (MP4) exits 0 after saying
      // the data ends early ("partial file"): both make the file fail after the frames it had, which have been
      // delivered (a resumed run decodes them again identically). Other errors it decoded around are warnings.
      const exit = await process.exited
      if (!closed && (exit.code !== 0 || problemOf(process.stderr) === 'truncated')) {
        const problem = problemOf(process.stderr)
        throw new VideoInputError(probe.path, problem, `${problem} after ${index} frames: ${process.reason()}`)
      }
      if (!closed) shortfall = endsEarly(probe, options, lastTime)
    } finally {
      if (process.running) await close()
    }
  }

  const iterable = frames()
  return {
    width,
    height,
    bitDepth,
    channels,
    timeBase,
    sampleAspect: stream.sampleAspect.num > 0 ? stream.sampleAspect : {num: 1, den: 1},
    [Symbol.asyncIterator]: () => iterable,
    close: async () => {
      await close()
      await iterable.return(undefined)
    },
    pid: process.child.pid,
    running: () => process.running,
    warnings: () => [...process.stderr.split('\n').filter((l) => l.trim() !== ''), ...(shortfall === undefined ? [] : [shortfall])],
  }
}
