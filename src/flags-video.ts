import {Flags} from '@oclif/core'
import {DEFAULT_SEGMENT_FRAMES, type VideoSettings} from './pipeline/video-settings.js'
import {DEFAULT_CRF} from './video/segments.js'

/** `12.5`, `1:02.5` or `01:02:03.5` as seconds. */
export function parseSeconds(flag: string, value: string): number {
  const parts = value.trim().split(':')
  const numbers = parts.map(Number)
  const valid = parts.length <= 3 && parts.every((p) => /^\d+(\.\d+)?$/.test(p)) && numbers.slice(1).every((n) => n < 60)
  if (!valid) throw new Error(`Expected ${flag} to be seconds (12.5) or [hh:]mm:ss[.s] (1:02.5), got \`${value}\``)
  return numbers.reduce((total, n) => total * 60 + n, 0)
}

const positiveNumber = (flag: string, value: string): number => {
  const n = Number(value)
  if (!(n > 0) || !Number.isFinite(n)) throw new Error(`Expected ${flag} to be a positive number, got \`${value}\``)
  return n
}

/** Flags of dpt depth and dpt segment for videos among the inputs: one definition, reused by both. */
export const videoFlags = {
  fps: Flags.custom<number>({
    summary: 'Videos: take this many frames per second (ffmpeg fps filter) [default: every frame].',
    helpGroup: 'VIDEO',
    parse: async (value) => positiveNumber('--fps', value),
  })(),
  start: Flags.custom<number>({
    summary: 'Videos: start this far in (seconds, or [hh:]mm:ss).',
    helpGroup: 'VIDEO',
    parse: async (value) => parseSeconds('--start', value),
  })(),
  duration: Flags.custom<number>({
    summary: 'Videos: read this much from --start (seconds, or [hh:]mm:ss).',
    helpGroup: 'VIDEO',
    parse: async (value) => {
      const seconds = parseSeconds('--duration', value)
      if (!(seconds > 0)) throw new Error(`Expected --duration to be more than 0 seconds, got \`${value}\``)
      return seconds
    },
  })(),
  crf: Flags.integer({
    min: 0,
    max: 51,
    default: DEFAULT_CRF,
    summary: 'Viewable (mp4) videos: x264 quality, 0 (lossless) … 51; 18 looks lossless.',
    helpGroup: 'VIDEO',
  }),
  'side-by-side': Flags.boolean({summary: 'Viewable (mp4) videos: the input frame on the left, the prediction on the right.', helpGroup: 'VIDEO'}),
  ffmpeg: Flags.string({summary: 'The ffmpeg binary for videos [default: DPT_FFMPEG, else ffmpeg on PATH, else the one npm installed].', helpGroup: 'VIDEO'}),
  'segment-frames': Flags.integer({
    min: 1,
    default: DEFAULT_SEGMENT_FRAMES,
    summary: 'Videos: frames per encoded segment and per saved normalisation state (what a resumed run redoes at most).',
    helpGroup: 'VIDEO',
  }),
}

export interface VideoFlagValues {
  fps: number | undefined
  start: number | undefined
  duration: number | undefined
  crf: number
  'side-by-side': boolean
  ffmpeg: string | undefined
  'segment-frames': number
}

/** The one place video flags and the environment become settings. */
export function videoSettings(flags: VideoFlagValues, env: NodeJS.ProcessEnv): VideoSettings {
  return {
    fps: flags.fps,
    start: flags.start,
    duration: flags.duration,
    ffmpeg: {path: flags.ffmpeg, env: {DPT_FFMPEG: env.DPT_FFMPEG, DPT_FFPROBE: env.DPT_FFPROBE, PATH: env.PATH}},
    segmentFrames: flags['segment-frames'],
  }
}
