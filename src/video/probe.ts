import {stat} from 'node:fs/promises'
import type {FfmpegInstall} from './ffmpeg-locate.js'
import {reduce, type Rational} from './nut-format.js'
import {lastLines, runTool, ToolFailed} from './run-tool.js'

/** Why a file cannot be read as a video; the pipeline reports it for that file and goes on with the rest. */
export type VideoProblem = 'empty' | 'corrupt' | 'no-video' | 'audio-only' | 'truncated'

/** ffmpeg's words for a file that ends early (MP4 index missing, Matroska or MP4 data cut off). */
const TRUNCATED = /partial file|ended prematurely|moov atom not found|unexpected end|end of file/i

/** 'truncated' when ffmpeg's messages say the data stops early, else 'corrupt'. */
export const problemOf = (stderr: string): VideoProblem => (TRUNCATED.test(stderr) ? 'truncated' : 'corrupt')

export class VideoInputError extends Error {
  readonly problem: VideoProblem
  constructor(path: string, problem: VideoProblem, detail: string, cause?: unknown) {
    super(`${path}: ${detail}`, cause === undefined ? undefined : {cause})
    this.name = 'VideoInputError'
    this.problem = problem
  }
}

export interface AudioStreamInfo {
  readonly index: number
  readonly codec: string
  readonly sampleRate: number
  readonly channels: number
}

export interface VideoStreamInfo {
  /** The stream's index in the file (ffmpeg's `0:index`). */
  readonly index: number
  readonly codec: string
  readonly pixelFormat: string
  /** Bits per colour component of the decoded pixels (8 for yuv420p, 10 for yuv420p10le, …). */
  readonly bitsPerComponent: number
  /** Size as stored. */
  readonly codedWidth: number
  readonly codedHeight: number
  /** Clockwise rotation to display it (display matrix side data, or the older `rotate` tag): 0, 90, 180, 270. */
  readonly rotation: 0 | 90 | 180 | 270
  /** Size as displayed: coded size with 90°/270° rotations swapping width and height. */
  readonly width: number
  readonly height: number
  /** Sample (pixel) aspect ratio; 1/1 when the file says nothing. */
  readonly sampleAspect: Rational
  /** ffprobe's r_frame_rate: the lowest rate at which every timestamp falls on a frame. */
  readonly frameRate: Rational
  /** Frames over duration; undefined when the file does not say. */
  readonly averageFrameRate: Rational | undefined
  readonly timeBase: Rational
  /** Seconds, from the stream (or Matroska's DURATION tag); undefined when only the file's is known. */
  readonly duration: number | undefined
  /** Frame count from the container's header (MP4 has it, Matroska does not), or counted on request. */
  readonly frameCount: number | undefined
  /** True when the frame durations of the first packets differ by more than timestamp rounding. */
  readonly variableFrameRate: boolean
}

export interface VideoProbe {
  readonly path: string
  /** ffprobe's format name, e.g. `mov,mp4,m4a,3gp,3g2,mj2`, `matroska,webm`, `gif`. */
  readonly format: string
  /** Seconds; undefined when unknown (a live stream, some raw formats). */
  readonly duration: number | undefined
  /** The file's start time, which ffmpeg subtracts from every timestamp when decoding. */
  readonly startTime: number
  readonly video: VideoStreamInfo
  readonly audio: readonly AudioStreamInfo[]
}

export interface ProbeOptions {
  /** Count the video packets when the header has no frame count (reads the whole file, decodes nothing). */
  readonly countFrames?: boolean
}

interface RawStream {
  index: number
  codec_type?: string
  codec_name?: string
  pix_fmt?: string
  width?: number
  height?: number
  coded_width?: number
  sample_aspect_ratio?: string
  r_frame_rate?: string
  avg_frame_rate?: string
  time_base?: string
  nb_frames?: string
  duration?: string
  nb_read_packets?: string
  bits_per_raw_sample?: string
  sample_rate?: string
  channels?: number
  tags?: Record<string, string>
  disposition?: Record<string, number>
  side_data_list?: {side_data_type?: string; rotation?: number}[]
}

interface RawProbe {
  streams?: RawStream[]
  format?: {format_name?: string; duration?: string; start_time?: string}
}

function rational(text: string | undefined): Rational | undefined {
  const match = /^(\d+)[/:](\d+)$/.exec(text ?? '')
  if (match === null || match[2] === '0' || match[1] === '0') return undefined
  return reduce({num: Number(match[1]), den: Number(match[2])})
}

/** `3.5` or Matroska's `00:00:03.500000000`. */
function secondsOf(text: string | undefined): number | undefined {
  const hms = /^(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(text ?? '')
  const value = hms === null ? Number(text) : Number(hms[1]) * 3600 + Number(hms[2]) * 60 + Number(hms[3])
  return text !== undefined && Number.isFinite(value) ? value : undefined
}

function bitsOf(pixelFormat: string, rawBits: string | undefined): number {
  if (/^(rgb|bgr)(48|64)|^(rgba|bgra)64/.test(pixelFormat)) return 16
  const match = /(?:p|gray|gbrp|gbrap|y)(\d+)(?:le|be)$|^gray(\d+)/.exec(pixelFormat)
  const bits = Number(match?.[1] ?? match?.[2] ?? rawBits ?? 8)
  return Number.isFinite(bits) && bits > 0 ? bits : 8
}

/** Clockwise display rotation: ffmpeg's display matrix angle is counter-clockwise; the old tag is clockwise. */
function rotationOf(stream: RawStream): 0 | 90 | 180 | 270 {
  const matrix = stream.side_data_list?.find((d) => d.rotation !== undefined)
  const degrees = matrix?.rotation !== undefined ? -matrix.rotation : Number(stream.tags?.rotate ?? 0)
  const r = (((Math.round(degrees / 90) * 90) % 360) + 360) % 360
  return r as 0 | 90 | 180 | 270
}

/** Whether the first packets' durations differ by more than the ±1 tick of timestamp rounding. */
async function isVariable(install: FfmpegInstall, path: string, index: number): Promise<boolean> {
  const args = ['-v', 'error', '-select_streams', String(index), '-read_intervals', '%+#600', '-show_entries', 'packet=pts', '-of', 'csv=p=0', path]
  const {stdout} = await runTool(install.ffprobe.path, args)
  const pts = [
    ...new Set(
      stdout
        .split(/\s+/)
        .filter((l) => /^-?\d+$/.test(l))
        .map(Number),
    ),
  ].sort((a, b) => a - b)
  if (pts.length < 3) return false
  let [min, max] = [Infinity, -Infinity]
  for (let i = 1; i < pts.length; i++) {
    const d = pts[i]! - pts[i - 1]!
    min = Math.min(min, d)
    max = Math.max(max, d)
  }
  return (max - 1) / (min + 1) > 1.01
}

/**
 * Describes a video file with ffprobe: its first video stream (cover art excluded) and its audio streams.
 * Problems are VideoInputErrors with a reason: empty file, not readable as media (corrupt, truncated header,
 * not a video), audio only, no video stream.
 */
export async function probeVideo(install: FfmpegInstall, path: string, options: ProbeOptions = {}): Promise<VideoProbe> {
  if ((await stat(path)).size === 0) throw new VideoInputError(path, 'empty', 'empty file')
  const args = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams']
  if (options.countFrames === true) args.push('-count_packets')
  let raw: RawProbe
  try {
    raw = JSON.parse((await runTool(install.ffprobe.path, [...args, path])).stdout) as RawProbe
  } catch (error) {
    const stderr = error instanceof ToolFailed ? error.stderr : (error as Error).message
    const problem = problemOf(stderr)
    throw new VideoInputError(path, problem, `not readable as a video (${problem}): ${lastLines(stderr, 2)}`, error)
  }
  const streams = raw.streams ?? []
  const audio = streams
    .filter((s) => s.codec_type === 'audio')
    .map((s) => ({index: s.index, codec: s.codec_name ?? 'unknown', sampleRate: Number(s.sample_rate ?? 0), channels: s.channels ?? 0}))
  const stream = streams.find((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1 && (s.width ?? 0) > 0)
  if (stream === undefined) {
    if (audio.length > 0) throw new VideoInputError(path, 'audio-only', `audio only (${audio.map((a) => a.codec).join(', ')}), no video stream`)
    throw new VideoInputError(path, 'no-video', 'no video stream')
  }
  const rotation = rotationOf(stream)
  const [codedWidth, codedHeight] = [stream.width ?? 0, stream.height ?? 0]
  const swap = rotation === 90 || rotation === 270
  const frames = Number(stream.nb_frames ?? (options.countFrames === true ? stream.nb_read_packets : undefined))
  const duration = Number(raw.format?.duration)
  return {
    path,
    format: raw.format?.format_name ?? 'unknown',
    duration: Number.isFinite(duration) ? duration : undefined,
    startTime: Number(raw.format?.start_time ?? 0) || 0,
    audio,
    video: {
      index: stream.index,
      codec: stream.codec_name ?? 'unknown',
      pixelFormat: stream.pix_fmt ?? 'unknown',
      bitsPerComponent: bitsOf(stream.pix_fmt ?? '', stream.bits_per_raw_sample),
      codedWidth,
      codedHeight,
      rotation,
      width: swap ? codedHeight : codedWidth,
      height: swap ? codedWidth : codedHeight,
      sampleAspect: rational(stream.sample_aspect_ratio) ?? {num: 1, den: 1},
      frameRate: rational(stream.r_frame_rate) ?? {num: 0, den: 1},
      averageFrameRate: rational(stream.avg_frame_rate),
      timeBase: rational(stream.time_base) ?? {num: 1, den: 1000},
      duration: secondsOf(stream.duration) ?? secondsOf(stream.tags?.DURATION),
      frameCount: Number.isInteger(frames) && frames > 0 ? frames : undefined,
      variableFrameRate: await isVariable(install, path, stream.index),
    },
  }
}
