import type {DecodedImage, ImageInfo} from './decode.js'
import type {InferResult} from './infer/pool.js'
import type {Size} from './sample.js'

/** The network input of one image. */
export interface Prepared {
  readonly tensor: Float32Array
  readonly dims: number[]
  readonly size: Size
}

/** Runs further network inputs of the same image through the pool (test-time augmentation in dpt eval). */
export type InferMore = (input: Prepared) => Promise<InferResult>

/** A prediction and, when it lends memory (a WebAssembly instance, a reused array), how to give it back after the sinks. */
export interface Postprocessed<P> {
  readonly prediction: P
  readonly release?: () => void
}

/** Network output → a typed, full-size prediction (depth map with its range; class map). */
export interface Postprocess<P> {
  /** Whether it reads the image's pixels (test-time augmentation prepares the image again at other scales). */
  readonly needsPixels: boolean
  run(image: ImageInfo, result: InferResult, inferMore: InferMore): Promise<Postprocessed<P>>
}

/** A loaded model's stages of an image sample: prepare → infer (the one worker pool) → postprocess. */
export interface ModelStages<P> {
  /** The execution provider sessions run on, and why it is not the one asked for when it fell back. */
  readonly provider: string
  readonly fallbackReason: string | undefined
  readonly postprocess: Postprocess<P>
  prepare(image: DecodedImage): Prepared
  infer(input: Prepared): Promise<InferResult>
  /** Ctrl-C: ends inference at once; pending runs are rejected. */
  interrupt(): void
}
