import {existsSync} from 'node:fs'
import type {ModelCard, Task} from '../model/card.js'
import type {ExitCode} from './errors.js'
import {ExitCode as Codes} from './errors.js'
import {LoadedModel} from './infer/model.js'
import {runPipeline, type PipelineOutcome, type RunEvents} from './run.js'
import type {Size, StageMs} from './sample.js'
import type {RunSettings} from './settings.js'
import type {Sink} from './sink.js'
import {fileSamples, type FileSample} from './sources/files.js'
import {planMedia, type VideoTaskOutputs} from './sources/media.js'
import {isFrame} from './sources/video-job.js'
import {DEFAULT_VIDEO_SETTINGS, type VideoSettings} from './video-settings.js'
import type {Postprocess} from './stages.js'
import type {ValueRange} from '../kernels/depth-scale.js'
import type {DepthNormalization} from './sinks/depth-text.js'
import {display} from './paths.js'
import {percentiles, round, type Percentiles} from './stats.js'

/** What dpt depth / segment / bench do with the model's output: a postprocess and the sinks, once the card is bound. */
export interface ImageTask<P extends Size> {
  readonly task: Task
  /**
   * Every file an image or video frame would get (known before the model loads): --skip-existing, and never
   * writing over an input.
   */
  outputs(sample: Pick<FileSample, 'outStem'>): readonly string[]
  /** What is written once per video (encoded videos) and how videos resume; none for tasks without video formats. */
  readonly video?: VideoTaskOutputs
  create(card: ModelCard): {
    readonly postprocess: Postprocess<P>
    readonly sinks: readonly Sink<FileSample, P>[]
    readonly warnings?: readonly string[]
    readonly report?: TaskReport
  }
}

/** What a task's sinks learnt that belongs in the --json result: per image, and for the run. */
export interface TaskReport {
  image(sample: FileSample): Pick<ImageRecord, 'valueRange'>
  /** `shown` turns a written path into the form records use (relative to the working directory). */
  run(shown: (path: string) => string): Pick<RunResult, 'normalization'>
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
  /** Depth: the finite min and max of this image's model values (what png16 maps to 0..65535 per image). */
  readonly valueRange?: ValueRange
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
  /** Depth: how the normalised formats (png16, png8, color) chose their min and max. */
  readonly normalization?: DepthNormalization
  /** Things worth knowing about the run (video formats skipped for still images, what ffmpeg said about a file). */
  readonly notes?: string[]
  readonly exitCode: ExitCode
}

/** A task's video side when it declares none: no video format, per-frame outputs only. */
const NO_VIDEO_OUTPUTS: VideoTaskOutputs = {
  formats: [],
  finals: () => [],
  segmented: [],
  encoders: [],
  stable: false,
  restart: false,
  normalize: 'image',
  settings: '',
}

/**
 * An image command's run: the file-tree source (still images, and videos as streams of frames), the output check,
 * the model in the worker pool, then the scheduler with the task's postprocess and sinks.
 */
export async function runImages<P extends Size>(
  settings: RunSettings,
  task: ImageTask<P>,
  events: ImageRunEvents = {},
  video: VideoSettings = DEFAULT_VIDEO_SETTINGS,
): Promise<RunResult> {
  const {samples: files, warnings} = await fileSamples(settings)
  for (const warning of warnings) events.warning?.(warning)
  const media = await planMedia(files, settings, video, {outputs: (s) => task.outputs(s), video: task.video ?? NO_VIDEO_OUTPUTS})
  const model = await LoadedModel.load(settings, task.task)
  try {
    const {postprocess, sinks, warnings: taskWarnings = [], report} = task.create(model.card)
    for (const warning of taskWarnings) events.warning?.(warning)
    warnings.push(...taskWarnings)
    const outcome = await runPipeline({
      samples: media.samples,
      total: media.total,
      model: model.stages(postprocess),
      sinks,
      inflight: settings.inflight,
      failFast: settings.failFast,
      events,
    })
    const stills = outcome.records.filter((r) => !isFrame(r.sample)).length
    const videoFormats = task.video?.formats ?? []
    // Once per run, not per image.
    if (videoFormats.length > 0 && stills > 0)
      media.notes.unshift(`--format ${videoFormats.join(',')}: video outputs, not written for the ${stills} still image(s)`)
    const kept = outcome.interrupted ? media.partialDirs.filter((dir) => existsSync(dir)) : []
    if (kept.length > 0)
      media.notes.push(
        `${kept.length} unfinished video(s) keep their finished segments in ${kept.join(', ')}: the same command with --skip-existing resumes them`,
      )
    return runResult(settings, model, outcome, {files: files.length, skippedExisting: media.skippedExisting}, warnings, media.notes, report)
  } finally {
    await model.close()
  }
}

/** Records sorted by input, a video's frames in frame order after one another (their labels would sort 10 before 9). */
function byFile(a: {sample: FileSample}, b: {sample: FileSample}): number {
  const key = (s: FileSample): [string, number] => (isFrame(s) ? [s.frame.job.label, s.frame.index] : [s.label, -1])
  const [[la, ia], [lb, ib]] = [key(a.sample), key(b.sample)]
  return la < lb ? -1 : la > lb ? 1 : ia - ib
}

function runResult(
  settings: RunSettings,
  model: LoadedModel,
  outcome: PipelineOutcome<FileSample>,
  counts: {files: number; skippedExisting: number},
  warnings: string[],
  notes: readonly string[],
  report: TaskReport | undefined,
): RunResult {
  const shown = (path: string): string => display(settings.cwd, path)
  const records: ImageRecord[] = [...outcome.records].sort(byFile).map((r) => ({
    input: r.sample.label,
    outputs: r.outputs.map(shown),
    originalSize: r.size,
    networkSize: r.networkSize ?? r.size,
    ms: r.ms,
    ...report?.image(r.sample),
  }))
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
    ...report?.run(shown),
    ...(notes.length === 0 ? {} : {notes: [...notes]}),
    exitCode,
  }
}
