import type {FfmpegInstall} from '../../video/ffmpeg-locate.js'
import type {AudioSource} from '../../video/encode-specs.js'
import type {Rational} from '../../video/nut-format.js'
import type {VideoProbe} from '../../video/probe.js'
import type {Sample} from '../sample.js'
import type {FileSample} from './files.js'

/**
 * One video of a run, shared by all its frame samples: what the sinks need to encode, order and resume it. The
 * source creates it (after probing and planning the resume); sinks only set `broken`.
 */
export interface VideoJob {
  /** The file's sample id (its path below the common base); frames are `<id>#<index>`. */
  readonly id: string
  readonly label: string
  readonly path: string
  /** The file's output stem: frames go below it (`<stem>/000123.png`), encoded videos next to it. */
  readonly outStem: string
  readonly probe: VideoProbe
  readonly install: FfmpegInstall
  /** Segments, stabiliser states and the run's settings of an unfinished video (video-partial.ts). */
  readonly partialDir: string
  /** The first frame this run decodes (0, or where an interrupted run resumes). */
  readonly resumeFrom: number
  readonly segmentFrames: number
  /** The source's audio for viewable videos, cut like the frames. */
  readonly audio: AudioSource | undefined
  /** Known once decoding has started: the frames' size, time base and pixel aspect. */
  stream: VideoStream | undefined
  /**
   * Why this video's ordered outputs (encoded videos, the one-pass normalisation) stopped: a frame that
   * failed, decoding that failed. Its partial folder then stays, for a run with --skip-existing to redo.
   */
  broken: string | undefined
}

export interface VideoStream {
  readonly width: number
  readonly height: number
  readonly timeBase: Rational
  readonly sampleAspect: Rational
}

/** Where a frame sample sits in its video. */
export interface FrameRef {
  readonly job: VideoJob
  readonly index: number
  /** Source timestamp in the stream's time base (decode.ts). */
  readonly pts: number
  /** The video's last frame: encoded videos are finished after it. */
  readonly last: boolean
  /** Set on the last frame when decoding failed after it: the video is reported, its videos not finished. */
  readonly failed?: string
}

/** A frame of a video as the scheduler carries it: an image sample of the file, decoded already. */
export interface FrameSample extends FileSample {
  readonly frame: FrameRef
}

export const isFrame = (sample: Sample): sample is FrameSample => 'frame' in sample

/** Frame k's output stem: a folder named after the video, frames numbered from 0 on six digits. */
export const frameStem = (videoStem: string, index: number): string => `${videoStem}/${String(index).padStart(6, '0')}`
