import {DptError, ExitCode, messageOf} from './errors.js'
import {NotAnImage, type DecodedImage, type ImageInfo} from './decode.js'
import type {InferResult} from './infer/pool.js'
import {round} from './stats.js'
import {STAGES, type Sample, type Size, type StageMs} from './sample.js'
import type {Sink} from './sink.js'
import type {ModelStages, Prepared} from './stages.js'
import {removePendingTempFiles, removePendingTempFilesSync} from './sinks/atomic.js'

export interface Progress {
  readonly total: number
  readonly done: number
  readonly failed: number
  readonly skipped: number
}

export interface RunEvents {
  /** Once the model is loaded and the samples are known. */
  start?(info: {total: number; provider: string; fallbackReason: string | undefined}): void
  progress?(progress: Progress): void
}

/** One run of the scheduler: samples from a source, the model's stages for image samples, and the sinks. */
export interface Pipeline<S extends Sample<P>, P extends Size> {
  readonly samples: Iterable<S> | AsyncIterable<S>
  /** How many samples there are, for progress, when the source knows. */
  readonly total: number
  /** Required when the source yields image samples. */
  readonly model: ModelStages<P> | undefined
  readonly sinks: readonly Sink<S, P>[]
  /** Samples held between reading and the last sink at once: the back-pressure bound. */
  readonly inflight: number
  readonly failFast: boolean
  readonly events?: RunEvents
}

export interface SampleRecord<S> {
  readonly sample: S
  readonly outputs: readonly string[]
  readonly size: Size
  /** The network input's size; none for loaded predictions. */
  readonly networkSize: Size | undefined
  readonly ms: StageMs
}

export interface PipelineOutcome<S> {
  /** In the order samples finished. */
  readonly records: SampleRecord<S>[]
  readonly failures: {readonly sample: S; readonly reason: string}[]
  /** Files that turned out not to be images (skipped, not failed). */
  readonly notImages: S[]
  /** Samples never processed because the run was interrupted or stopped by --fail-fast. */
  readonly notStarted: number
  readonly interrupted: boolean
  readonly wallMs: number
}

const noMs = (): StageMs => ({read: 0, decode: 0, preprocess: 0, queue: 0, infer: 0, postprocess: 0, write: 0, total: 0})

/** An interrupted run's samples still in flight are not written: the run reports them as not processed. */
class Interrupted extends Error {}

/**
 * The one scheduler: pulls samples from the source and streams each through read → decode → prepare → infer →
 * postprocess (the model's stages; loaded predictions skip them) → every sink, with at most `inflight` samples
 * held at once. It times every stage of every sample, keys records and failures by sample, owns Ctrl-C (the
 * first stops taking samples and ends inference, the second leaves at once), and runs the sinks' complete and
 * dispose hooks.
 */
export async function runPipeline<S extends Sample<P>, P extends Size>(pipeline: Pipeline<S, P>): Promise<PipelineOutcome<S>> {
  const {model, sinks, events} = pipeline
  const keepPixels = sinks.some((s) => s.needsPixels === true) || model?.postprocess.needsPixels === true
  const records: SampleRecord<S>[] = []
  const failures: {sample: S; reason: string}[] = []
  const notImages: S[] = []
  // Set by the signal handler, --fail-fast and run-stopping errors while samples are in flight.
  const state: {interrupted: boolean; stopped: boolean; fatal: DptError | undefined} = {interrupted: false, stopped: false, fatal: undefined}
  const stopped = (): boolean => state.stopped
  let notStarted = 0
  const onSignal = (): void => {
    if (state.interrupted) {
      // A second Ctrl-C: leave now, but still without partial files.
      removePendingTempFilesSync()
      process.exit(ExitCode.interrupted)
    }
    state.interrupted = true
    state.stopped = true
    model?.interrupt()
  }
  const report = (): void => events?.progress?.({total: pipeline.total, done: records.length, failed: failures.length, skipped: notImages.length})

  /** The stages of one sample, each timed; the prediction's memory goes back once every sink has it. */
  const processOne = async (sample: S): Promise<void> => {
    const ms = noMs()
    const t0 = performance.now()
    try {
      let prediction: P
      let size: Size
      let image: ImageInfo | undefined
      let networkSize: Size | undefined
      let release: (() => void) | undefined
      if (sample.kind === 'image') {
        if (model === undefined) throw new Error('image samples need a model')
        const data = await sample.read()
        const t1 = performance.now()
        const decoded = await sample.decode(data)
        const t2 = performance.now()
        const input = model.prepare(decoded)
        const t3 = performance.now()
        // From here on only what postprocess and the sinks need stays referenced: a 12-megapixel photo is 36 MB.
        image = keepPixels ? decoded : withoutPixels(decoded)
        const result = await model.infer(input)
        Object.assign(ms, {read: t1 - t0, decode: t2 - t1 + (sample.decodedMs ?? 0), preprocess: t3 - t2, queue: result.queueMs, infer: result.runMs})
        if (state.interrupted) throw new Interrupted()
        const t4 = performance.now()
        const more = (next: Prepared): Promise<InferResult> => model.infer(next)
        ;({prediction, release} = await model.postprocess.run(image, result, more))
        ms.postprocess = performance.now() - t4
        size = image
        networkSize = input.size
      } else {
        prediction = await sample.load()
        ms.read = performance.now() - t0
        size = prediction
      }
      const t5 = performance.now()
      const outputs: string[] = []
      try {
        for (const sink of sinks) outputs.push(...(await sink.consume({sample, size, image, prediction})))
      } finally {
        release?.()
      }
      ms.write = performance.now() - t5
      ms.total = performance.now() - t0 + (sample.kind === 'image' ? (sample.decodedMs ?? 0) : 0)
      for (const key of STAGES) ms[key] = round(ms[key])
      records.push({sample, outputs, size: {width: size.width, height: size.height}, networkSize, ms})
    } catch (error) {
      if (error instanceof NotAnImage) notImages.push(sample)
      else if (state.interrupted) notStarted++
      else if (error instanceof DptError && error.abortsRun) {
        state.fatal ??= error
        state.stopped = true
      } else {
        failures.push({sample, reason: messageOf(error)})
        if (pipeline.failFast) state.stopped = true
      }
      for (const sink of sinks) sink.dropped?.(sample)
    }
    report()
  }

  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  const started = performance.now()
  try {
    events?.start?.({total: pipeline.total, provider: model?.provider ?? 'files', fallbackReason: model?.fallbackReason})
    const running = new Set<Promise<void>>()
    let sourceError: Error | undefined
    try {
      for await (const sample of pipeline.samples) {
        // A stopped run pulls no more samples (a lazy source, such as a video's frames, would decode them all
        // just to be counted); those left are counted from the total below.
        if (state.stopped) break
        while (running.size >= pipeline.inflight) await Promise.race(running)
        // Waiting for room may have seen --fail-fast, Ctrl-C or a run-stopping error.
        if (stopped()) break
        const task = processOne(sample).finally(() => running.delete(task))
        running.add(task)
      }
    } catch (error) {
      // A source that fails (a stream that breaks) ends the run, but only once the samples in flight are done.
      sourceError = error instanceof Error ? error : new Error(String(error))
    }
    await Promise.all(running)
    if (state.stopped) notStarted = Math.max(0, pipeline.total - records.length - failures.length - notImages.length)
    if (sourceError !== undefined) throw sourceError
    if (state.fatal !== undefined) throw state.fatal
    if (!state.interrupted) for (const sink of sinks) await sink.complete?.()
    return {records, failures, notImages, notStarted, interrupted: state.interrupted, wallMs: performance.now() - started}
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    for (const sink of sinks) await sink.dispose?.()
    await removePendingTempFiles()
  }
}

function withoutPixels(image: DecodedImage): ImageInfo {
  const {pixels: _pixels, ...info} = image
  return info
}
