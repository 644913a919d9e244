import type {ModelCard, Task} from '../model/card.js'
import type {ExitCode} from './errors.js'
import {ExitCode as Codes} from './errors.js'
import {LoadedModel} from './infer/model.js'
import {runPipeline, type PipelineOutcome, type RunEvents} from './run.js'
import type {Size, StageMs} from './sample.js'
import type {RunSettings} from './settings.js'
import type {Sink} from './sink.js'
import {checkOutputs} from './sources/existing-outputs.js'
import {fileSamples, type FileSample} from './sources/files.js'
import type {Postprocess} from './stages.js'
import {display} from './paths.js'
import {percentiles, round, type Percentiles} from './stats.js'

/** What dpt depth / segment / bench do with the model's output: a postprocess and the sinks, once the card is bound. */
export interface ImageTask<P extends Size> {
  readonly task: Task
  /** Every file a sample would get (known before the model loads): --skip-existing, and never writing over an input. */
  outputs(sample: FileSample): readonly string[]
  create(card: ModelCard): {readonly postprocess: Postprocess<P>; readonly sinks: readonly Sink<FileSample, P>[]; readonly warnings?: readonly string[]}
}

/** The scheduler's events, and warnings as they arise (symlink cycles in the inputs, flags the model makes moot). */
export interface ImageRunEvents extends RunEvents {
  warning?(text: string): void
}

/** The `schema` and `version` of dpt depth's and dpt segment's --json result (models/run-result.schema.json). */
export const RUN_RESULT_SCHEMA = 'dpt-run-result' as const
export const RUN_RESULT_VERSION = 1 as const

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

/** The result of dpt depth and dpt segment (their --json; JSON schema: models/run-result.schema.json). */
export interface RunResult {
  readonly schema: typeof RUN_RESULT_SCHEMA
  readonly version: typeof RUN_RESULT_VERSION
  readonly model: {readonly name: string; readonly path: string; readonly dtype: string; readonly card: ModelCard}
  readonly executionProvider: string
  readonly requestedProvider: string
  readonly providerFallbackReason?: string
  readonly workers: number
  readonly threads: number
  /** --input-size, when it replaced the card's target size (model.card shows the size in force). */
  readonly inputSize: Size | null
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
  /** Every warning of the run (stderr says them as they come): flags without effect, symlink cycles, … */
  readonly warnings: string[]
  readonly exitCode: ExitCode
}

/**
 * An image command's run: the file-tree source, the output check, the model in the worker pool, then the
 * scheduler with the task's postprocess and sinks.
 */
export async function runImages<P extends Size>(settings: RunSettings, task: ImageTask<P>, events: ImageRunEvents = {}): Promise<RunResult> {
  const {samples, warnings} = await fileSamples(settings)
  for (const warning of warnings) events.warning?.(warning)
  const skipped = await checkOutputs(samples, (s) => task.outputs(s), settings)
  const model = await LoadedModel.load(settings, task.task)
  try {
    const {postprocess, sinks, warnings: taskWarnings = []} = task.create(model.card)
    for (const warning of taskWarnings) events.warning?.(warning)
    warnings.push(...taskWarnings)
    const work = samples.filter((s) => !skipped.has(s))
    const outcome = await runPipeline({
      samples: work,
      total: work.length,
      model: model.stages(postprocess),
      sinks,
      inflight: settings.inflight,
      failFast: settings.failFast,
      events,
    })
    return runResult(settings, model, outcome, {files: samples.length, skippedExisting: skipped.size}, warnings)
  } finally {
    await model.close()
  }
}

const byInput = (a: {input: string}, b: {input: string}): number => (a.input < b.input ? -1 : a.input > b.input ? 1 : 0)

function runResult(
  settings: RunSettings,
  model: LoadedModel,
  outcome: PipelineOutcome<FileSample>,
  counts: {files: number; skippedExisting: number},
  warnings: string[],
): RunResult {
  const shown = (path: string): string => display(settings.cwd, path)
  const records: ImageRecord[] = outcome.records
    .map((r) => ({input: r.sample.label, outputs: r.outputs.map(shown), originalSize: r.size, networkSize: r.networkSize ?? r.size, ms: r.ms}))
    .sort(byInput)
  const failures = outcome.failures.map((f) => ({input: f.sample.label, reason: f.reason})).sort((a, b) => (a.input < b.input ? -1 : 1))
  const stage = (key: keyof StageMs): Percentiles => percentiles(records.map((r) => r.ms[key]))
  const exitCode = outcome.interrupted
    ? Codes.interrupted
    : failures.length > 0
      ? Codes.imagesFailed
      : records.length + counts.skippedExisting === 0
        ? Codes.noInputs
        : Codes.ok
  return {
    schema: RUN_RESULT_SCHEMA,
    version: RUN_RESULT_VERSION,
    model: {name: model.card.name, path: shown(settings.model.onnxPath), dtype: settings.model.dtype, card: model.card},
    executionProvider: model.provider,
    requestedProvider: settings.provider,
    ...(model.fallbackReason === undefined ? {} : {providerFallbackReason: model.fallbackReason}),
    workers: settings.workers,
    threads: settings.threads,
    inputSize: settings.inputSize ?? null,
    counts: {
      files: counts.files,
      processed: records.length,
      failed: failures.length,
      skippedExisting: counts.skippedExisting,
      notImages: outcome.notImages.length,
      notStarted: outcome.notStarted,
    },
    failures,
    notImages: outcome.notImages.map((s) => s.label).sort(),
    interrupted: outcome.interrupted,
    timing: {
      modelLoadMs: round(model.loadMs),
      wallMs: round(outcome.wallMs),
      imagesPerSecond: Math.round((records.length / (outcome.wallMs / 1000)) * 1000) / 1000,
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
    warnings,
    exitCode,
  }
}
