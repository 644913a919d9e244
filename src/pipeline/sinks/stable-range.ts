import type {KernelBackend} from '../../kernels/backend.js'
import {WasmInstancePool} from '../../kernels/wasm/module.js'
import {type AffineMap, OnePassStabilizer} from '../../video/stabilize.js'
import type {DepthPrediction} from '../postprocess/depth.js'
import type {Sink, SinkItem} from '../sink.js'
import type {FileSample} from '../sources/files.js'
import {isFrame, type VideoJob} from '../sources/video-job.js'
import {readStableState, writeStableState} from '../sources/video-partial.js'

/**
 * The values of a frame as the normalised sinks should scale them under the one-pass map n = scale·raw + offset:
 * a copy clamped into the raw range the map sends onto [0, 1], with that range as the prediction's. The sinks'
 * reference scaling 65535·(d − min)/(max − min) (kernels/depth-scale.ts) then gives exactly 0 and 65535 at the
 * ends, because min and max are float32 values and the clamped values lie between them; inside, it is the map up
 * to float32 rounding. Non-finite values are left as they are (the sinks write 0 for them, as per image).
 */
export function mappedPrediction(prediction: DepthPrediction, map: AffineMap): DepthPrediction {
  const values = new Float32Array(prediction.values.length)
  // The frame's own min/max stays its imageRange (its PNG text); range is what the normalised formats map.
  const imageRange = prediction.imageRange ?? prediction.range
  if (!(map.scale > 0)) return {...prediction, values, range: {min: 0, max: 0}, imageRange, wasm: undefined}
  const min = Math.fround(-map.offset / map.scale)
  const max = Math.fround((1 - map.offset) / map.scale)
  const raw = prediction.values
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i]!
    values[i] = v - v !== 0 ? v : v < min ? min : v > max ? max : v
  }
  return {...prediction, values, range: {min, max}, imageRange, wasm: undefined}
}

export interface StableOptions {
  /** EMA weight of the newest frame's range, in (0, 1] (--ema). */
  readonly emaWeight: number
  readonly backend: KernelBackend
}

/**
 * `--normalize stable`: the one-pass temporal normalisation of relative depth (video/stabilize.ts: each frame
 * aligned to the previous one by a trimmed least-squares scale and shift on cell means, the range smoothed by an
 * EMA) in front of the normalised sinks. Frames must come in order per video (a FrameOrderSink in front); each is
 * handed on at once with its mapped values (mappedPrediction), so nothing waits for the end of the video. The
 * stabiliser's state is saved at every segment boundary in the video's partial folder, and a resumed video
 * restores it there: its frames get exactly the maps of an uninterrupted run. Still images are each their own
 * sequence: their own min and max, as per image. Raw formats (npy, pfm) never come here.
 */
export class StableRangeSink<S extends FileSample> implements Sink<S, DepthPrediction> {
  readonly needsPixels: boolean
  readonly #videos = new Map<VideoJob, OnePassStabilizer>()
  readonly #instances = new WasmInstancePool()

  constructor(
    private readonly targets: readonly Sink<S, DepthPrediction>[],
    private readonly options: StableOptions,
  ) {
    this.needsPixels = targets.some((t) => t.needsPixels === true)
  }

  outputs(sample: S): string[] {
    return this.targets.flatMap((t) => t.outputs?.(sample) ?? [])
  }

  async consume(item: SinkItem<S, DepthPrediction>): Promise<string[]> {
    const {sample, prediction} = item
    if (!isFrame(sample)) return this.#pass(item)
    const {job, index} = sample.frame
    if (job.broken !== undefined) return []
    const stabilizer = await this.#stabilizer(job, prediction)
    const {map} = stabilizer.next(prediction.values)
    if ((index + 1) % job.segmentFrames === 0) await writeStableState(job.partialDir, index + 1, stabilizer.state())
    // The mapped copy goes through the WebAssembly PNG writer like global normalisation's second pass.
    const wasm = this.options.backend === 'wasm' ? this.#instances.take() : undefined
    try {
      return await this.#pass({...item, prediction: {...mappedPrediction(prediction, map), wasm}})
    } finally {
      if (wasm !== undefined) this.#instances.give(wasm)
    }
  }

  dropped(sample: S): void {
    for (const target of this.targets) target.dropped?.(sample)
  }

  async complete(): Promise<void> {
    for (const target of this.targets) await target.complete?.()
  }

  async dispose(): Promise<void> {
    for (const target of this.targets) await target.dispose?.()
  }

  /** The video's stabiliser: new at its first frame, or restored from the state saved where this run resumes. */
  async #stabilizer(job: VideoJob, prediction: DepthPrediction): Promise<OnePassStabilizer> {
    let stabilizer = this.#videos.get(job)
    if (stabilizer === undefined) {
      stabilizer = new OnePassStabilizer(prediction.width, prediction.height, {emaWeight: this.options.emaWeight})
      if (job.resumeFrom > 0) {
        const state = await readStableState(job.partialDir, job.resumeFrom)
        if (state === undefined) throw new Error(`the state of the one-pass normalisation at frame ${job.resumeFrom} is missing from ${job.partialDir}`)
        stabilizer.restore(state)
      }
      this.#videos.set(job, stabilizer)
    }
    return stabilizer
  }

  async #pass(item: SinkItem<S, DepthPrediction>): Promise<string[]> {
    const outputs: string[] = []
    for (const target of this.targets) outputs.push(...(await target.consume(item)))
    return outputs
  }
}
