/** How videos among the inputs are read and resumed, normalised once at the command boundary (flags-video.ts). */
export interface VideoSettings {
  /** Subsample to this many frames per second (ffmpeg's fps filter); undefined keeps every frame. */
  readonly fps: number | undefined
  /** Seconds from the start of each video where frames start. */
  readonly start: number | undefined
  /** Seconds of each video to read from `start`. */
  readonly duration: number | undefined
  /** `--ffmpeg`, and the environment the search reads (DPT_FFMPEG, DPT_FFPROBE, PATH), read once. */
  readonly ffmpeg: {readonly path: string | undefined; readonly env: Readonly<Record<string, string | undefined>>}
  /**
   * Frames per segment of an encoded video and between saved states of the one-pass normalisation: what an
   * interrupted run redoes at most per video when it resumes.
   */
  readonly segmentFrames: number
}

/** Frames per segment by default: at 30 frames/s, 8.5 s of video; about 1 GB of 4K FFV1 per segment. */
export const DEFAULT_SEGMENT_FRAMES = 256

/** For callers that never read videos (dpt bench, dpt eval): every video option at its default. */
export const DEFAULT_VIDEO_SETTINGS: VideoSettings = {
  fps: undefined,
  start: undefined,
  duration: undefined,
  ffmpeg: {path: undefined, env: {}},
  segmentFrames: DEFAULT_SEGMENT_FRAMES,
}
