import type {ImageInfo} from './decode.js'
import type {Sample, Size} from './sample.js'

/** One sample's prediction as sinks receive it. */
export interface SinkItem<S extends Sample, P> {
  readonly sample: S
  /** The size of the image the prediction belongs to (the prediction's own size for loaded predictions). */
  readonly size: Size
  /** The decoded image of an image sample; its pixels are there when a sink says it needs them. */
  readonly image: ImageInfo | undefined
  readonly prediction: P
}

/**
 * Where predictions go: file writers (one per format), dpt eval's scorer, bench's scratch writes, later a video
 * encoder or an HTML report. A sink is added to a run, never written into the scheduler.
 */
export interface Sink<S extends Sample = Sample, P = unknown> {
  /** Whether consume reads the decoded pixels (overlays, side by side); otherwise they are dropped after preprocessing. */
  readonly needsPixels?: boolean
  /** Every file consume would write for a sample: for --skip-existing, refusing to overwrite, never writing over an input. */
  outputs?(sample: S): readonly string[]
  /**
   * Takes one sample's prediction (valid only until consume returns) and returns the files it wrote or will write
   * in complete(). Throwing fails that sample; a DptError with abortsRun stops the run.
   */
  consume(item: SinkItem<S, P>): Promise<readonly string[]>
  /**
   * A sample that will not reach consume after all (it failed, here or in another sink, or the run was
   * interrupted while it was in flight). Sinks that put samples in order (the frames of a video) must not wait
   * for it. Synchronous; it must not throw.
   */
  dropped?(sample: S): void
  /** After the last sample, unless the run was interrupted (global normalisation's second pass). */
  complete?(): Promise<void>
  /** Always last, after an interruption too: scratch files go. */
  dispose?(): Promise<void>
}
