import pLimit from 'p-limit'
import type {ModelCard} from '../model/card.js'
import {display} from '../pipeline/existing-outputs.js'
import type {InputFile} from '../pipeline/discover.js'
import {takeShard, type Shard} from '../pipeline/shard.js'
import {DptError, ExitCode} from '../pipeline/errors.js'
import {runImages, type RunEvents, type RunResult, type TaskPlan} from '../pipeline/run.js'
import type {RunSettings} from '../pipeline/settings.js'
import {ADE20K_CLASSES} from '../pipeline/segment/ade20k.js'
import type {EvalDataset, EvalSample} from './datasets/dataset.js'
import {stem} from './datasets/layout.js'
import {depthPrediction, firstInput, isSingleScale, predictionKind, segmentPrediction, type SegmentTta} from './predict-model.js'
import {expectedPrediction, loadDepthPrediction, loadLabelPrediction, type PredictionSource} from './predict-files.js'
import {Scorer} from './predict-score.js'
import type {DepthProtocol, ImageStatus, ModelInfo, PredictionKind, SegmentProtocol} from './types.js'

/** Where predictions come from: a model run through the scheduler, or files saved earlier. */
export type PredictionOrigin = {readonly kind: 'model'; readonly run: RunSettings} | {readonly kind: 'predictions'; readonly source: PredictionSource}

export interface EvalRunSettings {
  readonly dataset: EvalDataset
  readonly shard: Shard | undefined
  readonly origin: PredictionOrigin
  readonly cwd: string
  /** The depth protocol once the prediction kind is known (from the card, or --prediction-kind). */
  readonly depthProtocol: (kind: PredictionKind) => DepthProtocol
  /** The segmentation protocol for the model's (or dataset's) class count. */
  readonly segmentProtocol: (numClasses: number) => SegmentProtocol
}

export interface EvalOutcome {
  readonly dataset: EvalDataset
  readonly scorer: Scorer
  readonly model: ModelInfo
  readonly classNames: readonly string[] | undefined
  readonly interrupted: boolean
  /** The scheduler's result when a model ran (timing, provider). */
  readonly run?: RunResult
}

/**
 * Scores a dataset (or one shard of it): samples without ground truth are recorded as missing and never run;
 * the others are predicted (model or files) and scored one at a time.
 */
export async function evaluate(settings: EvalRunSettings, events: RunEvents = {}): Promise<EvalOutcome> {
  const samples = takeShard(settings.dataset.samples, settings.shard)
  const runnable = samples.filter((s) => s.gt !== null)
  const missing = samples.filter((s) => s.gt === null)
  if (runnable.length === 0) {
    throw new DptError(
      `${settings.dataset.name}: no image with ground truth${settings.shard ? ` in shard ${settings.shard.index}/${settings.shard.count}` : ''} (${missing.length} without)`,
      {
        exitCode: ExitCode.noInputs,
        remedy: `e.g. ${missing[0]?.id ?? '(no image)'}: ${missing[0]?.missing ?? 'the dataset folder is empty'}`,
      },
    )
  }
  const outcome =
    settings.origin.kind === 'model'
      ? await withModel(settings, settings.origin.run, runnable, events)
      : await withFiles(settings, settings.origin.source, runnable, events)
  for (const sample of missing) outcome.scorer.missing(sample)
  return outcome
}

function protocolFor(settings: EvalRunSettings, card: ModelCard | undefined, kind: PredictionKind): DepthProtocol | SegmentProtocol {
  if (settings.dataset.task === 'depth') return settings.depthProtocol(kind)
  return settings.segmentProtocol(card?.labels?.length ?? settings.dataset.classNames.length)
}

async function withModel(settings: EvalRunSettings, run: RunSettings, runnable: EvalSample[], events: RunEvents): Promise<EvalOutcome> {
  const dataset = settings.dataset
  const byId = new Map(runnable.map((s) => [s.id, s]))
  const files: InputFile[] = runnable.map((s) => ({path: s.image, relPath: s.id, outStem: stem(s.id)}))
  let scorer: Scorer | undefined
  let card: ModelCard | undefined
  // Depth and single-scale segmentation run one view; the protocol may ask for more once the card is known.
  let tta: SegmentTta = {scales: [1], flip: false}
  const plan: TaskPlan = {
    task: dataset.task === 'segment' ? 'segmentation' : 'depth',
    outputPaths: () => [],
    create(bound) {
      card = bound
      const protocol = protocolFor(settings, bound, predictionKind(bound))
      if (protocol.task === 'segment') tta = {scales: protocol.scales, flip: protocol.flip}
      const active = new Scorer(dataset, protocol)
      scorer = active
      const channels = bound.labels?.length ?? ADE20K_CLASSES.length
      return {
        // Test-time augmentation prepares the image again at other scales; a single view needs only the size.
        keepsPixels: !isSingleScale(tta),
        prepare: (image) => firstInput(bound, image, tta),
        async finish(file, image, result, ms, infer) {
          const sample = byId.get(file.relPath)!
          const t0 = performance.now()
          let status
          if (dataset.task === 'depth') {
            const prediction = depthPrediction(bound, image, result)
            ms.postprocess = performance.now() - t0
            status = await active.depth(sample, prediction, image)
          } else {
            const classes = await segmentPrediction(bound, channels, image, result, tta, infer)
            ms.postprocess = performance.now() - t0
            status = await active.segment(sample, classes, image)
          }
          // The stage the scheduler calls "write" is scoring here.
          ms.write = performance.now() - t0 - ms.postprocess
          // Already recorded; thrown so the scheduler's progress counts it as failed too.
          if (status === 'failed') throw new ScoredFailure()
          return []
        },
      }
    },
  }
  const result = await runImages(run, plan, events, files)
  if (scorer === undefined || card === undefined) throw new Error('the model was never bound')
  // Images that never reached scoring (unreadable, undecodable, inference errors) are failed records.
  const recorded = new Set(scorer.records.map((r) => r.id))
  const byDisplay = new Map(runnable.filter((s) => !recorded.has(s.id)).map((s) => [display(run.cwd, s.image), s]))
  for (const f of result.failures) {
    const sample = byDisplay.get(f.input)
    if (sample !== undefined) scorer.failed(sample, f.reason)
  }
  for (const input of result.notImages) {
    const sample = byDisplay.get(input)
    if (sample !== undefined) scorer.failed(sample, 'not an image')
  }
  const kind = dataset.task === 'depth' ? predictionKind(card) : null
  return {
    dataset,
    scorer,
    model: {path: result.model.path, name: result.model.name, predictions: null, predictionKind: kind},
    // The dataset names its classes (objectInfo150.txt) unless the model has another number of them.
    classNames:
      dataset.task === 'segment'
        ? card.labels === undefined || card.labels.length === dataset.classNames.length
          ? dataset.classNames
          : card.labels
        : undefined,
    interrupted: result.interrupted,
    run: result,
  }
}

/** A scoring failure the Scorer has recorded already. */
class ScoredFailure extends Error {
  constructor() {
    super('scoring failed')
  }
}

/** Files are read and scored a few at a time: I/O-bound, and each holds one prediction and one GT. */
const FILE_CONCURRENCY = 4

async function withFiles(settings: EvalRunSettings, source: PredictionSource, runnable: EvalSample[], events: RunEvents): Promise<EvalOutcome> {
  const dataset = settings.dataset
  const protocol = protocolFor(settings, undefined, source.kind)
  const scorer = new Scorer(dataset, protocol)
  const limit = pLimit(FILE_CONCURRENCY)
  let done = 0
  let failed = 0
  events.start?.({total: runnable.length, provider: 'files', fallbackReason: undefined})
  const one = async (sample: EvalSample): Promise<void> => {
    let status: ImageStatus
    if (dataset.task === 'depth') {
      const loaded = await loadDepthPrediction(source, sample.id).catch((e: unknown) => e as Error)
      if (loaded instanceof Error) status = scorer.failed(sample, `prediction: ${loaded.message}`)
      else if (loaded === undefined) status = scorer.failed(sample, `no prediction at ${expectedPrediction(source, sample.id)}`)
      else {
        if (loaded.format === 'png16' && source.kind === 'disparity' && protocol.task === 'depth' && !protocol.alignment.startsWith('scale-shift')) {
          throw new DptError(`${sample.id}: 16-bit PNG predictions are min-max normalised disparity; they only make sense with a scale-and-shift alignment`, {
            remedy: 'Use --alignment scale-shift-disparity, or save raw predictions with dpt depth --format pfm or npy.',
          })
        }
        status = await scorer.depth(sample, loaded.prediction, loaded.prediction)
      }
    } else {
      const loaded = await loadLabelPrediction(source, sample.id).catch((e: unknown) => e as Error)
      if (loaded instanceof Error) status = scorer.failed(sample, `prediction: ${loaded.message}`)
      else if (loaded === undefined) status = scorer.failed(sample, `no prediction at ${expectedPrediction(source, sample.id).replace('{pfm,npy,png}', 'png')}`)
      else status = await scorer.segment(sample, loaded.classes, loaded)
    }
    if (status === 'failed') failed++
    else done++
    events.progress?.({total: runnable.length, done, failed, skipped: 0})
  }
  await Promise.all(runnable.map((s) => limit(() => one(s))))
  return {
    dataset,
    scorer,
    model: {path: null, name: null, predictions: source.dir, predictionKind: dataset.task === 'depth' ? source.kind : null},
    classNames: dataset.task === 'segment' ? dataset.classNames : undefined,
    interrupted: false,
  }
}
