import {readFile} from 'node:fs/promises'
import pLimit from 'p-limit'
import type {ModelCard} from '../model/card.js'
import {bindCard} from '../model/bind.js'
import {decodeImage, NotAnImage, type DecodedImage, type ImageInfo} from './decode.js'
import {discover, type InputFile} from './discover.js'
import {DptError, ExitCode, messageOf} from './errors.js'
import {checkOutputs, display} from './existing-outputs.js'
import {InferencePool, type InferResult, type PoolInfo} from './pool.js'
import type {RunSettings} from './settings.js'
import {percentiles, round, type Percentiles} from './stats.js'
import {removePendingTempFiles, removePendingTempFilesSync} from './write/atomic.js'

export interface Size {
  readonly width: number
  readonly height: number
}

/** Milliseconds spent on one image, per stage. */
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

export interface ImageRecord {
  readonly input: string
  readonly outputs: string[]
  readonly originalSize: Size
  readonly networkSize: Size
  readonly ms: StageMs
}

export interface Failure {
  readonly input: string
  readonly reason: string
}

/** The network input of one image. */
export interface Prepared {
  readonly tensor: Float32Array
  readonly dims: number[]
  readonly size: Size
}

/** What a task (depth, segmentation) does with an image around inference. */
export interface Processor {
  /**
   * finish needs the decoded pixels (overlays). Otherwise they are dropped right after prepare, so that an image
   * waiting for or in inference holds only its network tensor (a 12-megapixel photo's pixels are 36 MB).
   */
  readonly keepsPixels: boolean
  prepare(image: DecodedImage): Prepared
  /**
   * Post-processes and writes; returns the written paths. `image.pixels` is there when keepsPixels. `infer`
   * runs further network inputs of the same image through the pool (test-time augmentation in dpt eval); the
   * image stays within the in-flight bound meanwhile.
   */
  finish(file: InputFile, image: ImageInfo, result: InferResult, ms: StageMs, infer: (input: Prepared) => Promise<InferResult>): Promise<string[]>
  /** Runs once after the last image unless the run was interrupted (global normalisation's second pass). */
  complete?(): Promise<void>
  /** Always runs last, also after an interruption: removes the processor's scratch files. */
  dispose?(): Promise<void>
}

export interface TaskPlan {
  readonly task: ModelCard['task']
  /** Every output path an input would get: for --skip-existing, refusing to overwrite, and never writing over an input. */
  outputPaths(file: InputFile): string[]
  create(card: ModelCard, files: readonly InputFile[]): Processor
}

export interface Progress {
  readonly total: number
  readonly done: number
  readonly failed: number
  readonly skipped: number
}

export interface RunEvents {
  /** After the model is loaded and inputs are listed. */
  start?(info: {total: number; provider: string; fallbackReason: string | undefined}): void
  progress?(progress: Progress): void
}

export interface RunResult {
  readonly model: {readonly name: string; readonly path: string; readonly dtype: string; readonly card: ModelCard}
  readonly executionProvider: string
  readonly requestedProvider: string
  readonly providerFallbackReason?: string
  readonly workers: number
  readonly threads: number
  readonly counts: {
    readonly files: number
    readonly processed: number
    readonly failed: number
    readonly skippedExisting: number
    readonly notImages: number
    readonly notStarted: number
  }
  readonly failures: Failure[]
  readonly notImages: string[]
  readonly interrupted: boolean
  readonly timing: {
    readonly modelLoadMs: number
    readonly wallMs: number
    readonly imagesPerSecond: number
    readonly latencyMs: Percentiles
    readonly stageMs: Record<keyof StageMs, Percentiles>
    /** Peak resident memory of the whole process (all threads), MiB. */
    readonly peakRssMb: number
  }
  readonly images: ImageRecord[]
  readonly exitCode: ExitCode
}

/**
 * The one scheduler: lists inputs, loads the model into the worker pool, and streams images through
 * read → decode → prepare → infer → finish with at most `settings.inflight` images held at once.
 * `listed` replaces discovery when the caller already knows its files (dpt eval's dataset samples).
 */
export async function runImages(settings: RunSettings, plan: TaskPlan, events: RunEvents = {}, listed?: readonly InputFile[]): Promise<RunResult> {
  const files = listed ?? (await discover(settings.inputs, settings.cwd, {exclude: settings.outDir, shard: settings.shard}))
  if (files.length === 0) {
    throw new DptError(`No files found in ${settings.inputs.join(', ')}${settings.shard ? ` (shard ${settings.shard.index}/${settings.shard.count})` : ''}`, {
      exitCode: ExitCode.noInputs,
      remedy: 'Check the paths and glob patterns (quote globs so the shell leaves them to dpt).',
    })
  }
  const skipped = await checkOutputs(files, plan, settings)

  const loadStarted = performance.now()
  const pool = await InferencePool.start(
    {modelPath: settings.model.onnxPath, provider: settings.provider, threads: settings.threads, ...settings.ort},
    settings.workers,
    settings.pipelineNice,
  )
  const failures: Failure[] = []
  const notImages: string[] = []
  const records: ImageRecord[] = []
  // Set by the signal handler and --fail-fast while images are in flight.
  const state = {interrupted: false, stopped: false}
  const isInterrupted = (): boolean => state.stopped && state.interrupted
  let notStarted = 0
  let processor: Processor | undefined
  const onSignal = (): void => {
    if (state.interrupted) {
      // A second Ctrl-C: leave now, but still without partial files.
      removePendingTempFilesSync()
      process.exit(ExitCode.interrupted)
    }
    state.interrupted = true
    state.stopped = true
    void pool.close()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  try {
    const card = bindCard(settings.model, pool.info)
    if (card.task !== plan.task) {
      throw new DptError(`${settings.model.name} is a ${card.task} model; this command needs a ${plan.task} model`, {exitCode: ExitCode.model})
    }
    const info: PoolInfo = pool.info
    const modelLoadMs = performance.now() - loadStarted
    const work = files.filter((f) => !skipped.has(f))
    processor = plan.create(card, work)
    const active = processor
    events.start?.({total: work.length, provider: info.provider, fallbackReason: info.fallbackReason})
    let done = 0
    const report = (): void => events.progress?.({total: work.length, done, failed: failures.length, skipped: notImages.length})
    const limit = pLimit(settings.inflight)
    const started = performance.now()
    const processOne = async (file: InputFile): Promise<void> => {
      if (state.stopped) {
        notStarted++
        return
      }
      const ms: StageMs = {read: 0, decode: 0, preprocess: 0, queue: 0, infer: 0, postprocess: 0, write: 0, total: 0}
      const t0 = performance.now()
      try {
        const data = await readFile(file.path)
        const t1 = performance.now()
        const decoded = await decodeImage(file.path, data, settings.maxPixels)
        const t2 = performance.now()
        const prepared = active.prepare(decoded)
        const t3 = performance.now()
        // From here on only what finish needs stays referenced (see Processor.keepsPixels).
        const {pixels, ...info} = decoded
        const image: ImageInfo = active.keepsPixels ? decoded : info
        const result = await pool.infer(card.input.name, card.output.name, prepared.tensor, prepared.dims)
        Object.assign(ms, {read: t1 - t0, decode: t2 - t1, preprocess: t3 - t2, queue: result.queueMs, infer: result.runMs})
        if (isInterrupted()) throw new Error('interrupted')
        const more = (input: Prepared): Promise<InferResult> => pool.infer(card.input.name, card.output.name, input.tensor, input.dims)
        const outputs = await active.finish(file, image, result, ms, more)
        ms.total = performance.now() - t0
        for (const key of Object.keys(ms) as (keyof StageMs)[]) ms[key] = round(ms[key])
        records.push({
          input: display(settings.cwd, file.path),
          outputs: outputs.map((o) => display(settings.cwd, o)),
          originalSize: {width: image.width, height: image.height},
          networkSize: prepared.size,
          ms,
        })
        done++
      } catch (error) {
        if (error instanceof NotAnImage) notImages.push(display(settings.cwd, file.path))
        else if (state.interrupted) notStarted++
        else {
          failures.push({input: display(settings.cwd, file.path), reason: messageOf(error)})
          if (settings.failFast) state.stopped = true
        }
      }
      report()
    }
    await Promise.all(work.map((file) => limit(() => processOne(file))))
    if (!state.interrupted && active.complete !== undefined) await active.complete()
    const wallMs = performance.now() - started
    records.sort((a, b) => (a.input < b.input ? -1 : a.input > b.input ? 1 : 0))
    failures.sort((a, b) => (a.input < b.input ? -1 : 1))
    const stage = (key: keyof StageMs): Percentiles => percentiles(records.map((r) => r.ms[key]))
    const exitCode = state.interrupted
      ? ExitCode.interrupted
      : failures.length > 0
        ? ExitCode.imagesFailed
        : records.length + skipped.size === 0
          ? ExitCode.noInputs
          : ExitCode.ok
    return {
      model: {name: card.name, path: display(settings.cwd, settings.model.onnxPath), dtype: settings.model.dtype, card},
      executionProvider: info.provider,
      requestedProvider: settings.provider,
      ...(info.fallbackReason === undefined ? {} : {providerFallbackReason: info.fallbackReason}),
      workers: settings.workers,
      threads: settings.threads,
      counts: {
        files: files.length,
        processed: records.length,
        failed: failures.length,
        skippedExisting: skipped.size,
        notImages: notImages.length,
        notStarted,
      },
      failures,
      notImages: notImages.sort(),
      interrupted: state.interrupted,
      timing: {
        modelLoadMs: round(modelLoadMs),
        wallMs: round(wallMs),
        imagesPerSecond: Math.round((records.length / (wallMs / 1000)) * 1000) / 1000,
        latencyMs: stage('total'),
        stageMs: {
          read: stage('read'),
          decode: stage('decode'),
          preprocess: stage('preprocess'),
          queue: stage('queue'),
          infer: stage('infer'),
          postprocess: stage('postprocess'),
          write: stage('write'),
          total: stage('total'),
        },
        peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      },
      images: records,
      exitCode,
    }
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    await pool.close()
    await processor?.dispose?.()
    await removePendingTempFiles()
  }
}
