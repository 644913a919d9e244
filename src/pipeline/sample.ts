import type {DecodedImage} from './decode.js'

export interface Size {
  readonly width: number
  readonly height: number
}

/** Milliseconds one sample spent in each stage, as the scheduler (run.ts) timed them. */
export interface StageMs {
  read: number
  decode: number
  preprocess: number
  queue: number
  infer: number
  postprocess: number
  write: number
  total: number
}

export const STAGES = ['read', 'decode', 'preprocess', 'queue', 'infer', 'postprocess', 'write', 'total'] as const satisfies readonly (keyof StageMs)[]

/** What every sample has, whatever its source. */
interface SampleBase {
  /** Unique within a run and the same from run to run: records, failures and resumed runs are keyed by it. */
  readonly id: string
  /** The input as the user names it (a path relative to the working directory), for messages and records. */
  readonly label: string
  /** Where its outputs go below the output folder: POSIX path without extension. */
  readonly outStem: string
}

/** A sample the model predicts: an image read, then decoded (two stages, timed apart). */
export interface ImageSample extends SampleBase {
  readonly kind: 'image'
  /**
   * Milliseconds the source already spent decoding this sample before handing it over (a video frame comes
   * decoded from ffmpeg through the source's iterator): the scheduler adds them to the sample's decode and total
   * times, which would otherwise miss the decoding.
   */
  readonly decodedMs?: number
  read(): Promise<Uint8Array>
  /** NotAnImage (decode.ts) when the bytes are no image and the name does not claim one: skipped, not failed. */
  decode(data: Uint8Array): Promise<DecodedImage>
}

/** A sample whose prediction exists already (saved files in `dpt eval --predictions`): loaded, never inferred. */
export interface PredictionSample<P> extends SampleBase {
  readonly kind: 'prediction'
  load(): Promise<P>
}

export type Sample<P = unknown> = ImageSample | PredictionSample<P>
