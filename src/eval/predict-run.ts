import {readFile} from 'node:fs/promises'
import type {ModelCard} from '../model/card.js'
import {decodeImage} from '../pipeline/decode.js'
import {DptError, ExitCode} from '../pipeline/errors.js'
import {LoadedModel} from '../pipeline/infer/model.js'
import {display} from '../pipeline/paths.js'
import {runPipeline, type PipelineOutcome, type RunEvents} from '../pipeline/run.js'
import type {ImageSample} from '../pipeline/sample.js'
import type {RunSettings} from '../pipeline/settings.js'
import {takeShard, type Shard} from '../pipeline/shard.js'
import type {EvalDataset, EvalSample} from './datasets/dataset.js'
import {stem} from './datasets/layout.js'
import {depthEvalStages, predictionKind, segmentEvalStages, type EvalStages} from './predict-model.js'
import {savedPredictionSamples, type PredictionSource, type SavedPredictionSample} from './predict-files.js'
import {Scorer, scoreSink, type EvalRunSample, type Scorable} from './predict-score.js'
import {ORDINAL_PROTOCOL} from './protocol.js'
import type {DepthProtocol, EvalProtocol, ModelInfo, PredictionKind, SegmentProtocol} from './types.js'

/**
 * Where predictions come from: a model run through the scheduler (loaded for this run, or `loaded` already, as a
 * suite of datasets shares one), or files saved earlier.
 */
export type PredictionOrigin =
  {readonly kind: 'model'; readonly run: RunSettings; readonly loaded?: LoadedModel} | {readonly kind: 'predictions'; readonly source: PredictionSource}

export interface EvalRunSettings {
  readonly dataset: EvalDataset
  readonly shard: Shard | undefined
  readonly origin: PredictionOrigin
  readonly cwd: string
  /** The depth protocol once the prediction kind is known (from the card, or --prediction-kind). */
  readonly depthProtocol: (kind: PredictionKind) => DepthProtocol
  /** The segmentation protocol for the model's (or dataset's) class count. */
  readonly segmentProtocol: (numClasses: number) => SegmentProtocol
  /**
   * A shard without an image that has ground truth is scored as empty instead of refused (exit 5): a suite splits
   * every dataset the same way, and a small one may leave a shard nothing, yet the merge needs every shard's report.
   */
  readonly allowEmptyShard?: boolean
  /** Also the temporal consistency error of consecutive frames (dpt eval --temporal, sequence datasets). */
  readonly temporal?: boolean
  /**
   * Called once the scorer exists (the protocol is known), before any image is scored, with the class names the
   * report will carry: the HTML report sets `scorer.onScored` here to see every scored image.
   */
  readonly watch?: (scorer: Scorer, classNames: readonly string[] | undefined) => void
}

export interface EvalOutcome {
  readonly dataset: EvalDataset
  readonly scorer: Scorer
  readonly model: ModelInfo
  readonly classNames: readonly string[] | undefined
  readonly interrupted: boolean
}

/** Saved predictions are read and scored a few at a time: I/O-bound, and each holds one prediction and one GT. */
const FILE_INFLIGHT = 4

/**
 * Scores a dataset (or one shard of it) through the one scheduler: samples without ground truth are recorded as
 * missing and never run; the others are predicted (model stages, or saved files as a source) and go to the
 * scorer sink. Failures come back keyed by sample and are recorded once.
 */
export async function evaluate(settings: EvalRunSettings, events: RunEvents = {}): Promise<EvalOutcome> {
  const samples = takeShard(settings.dataset.samples, settings.shard)
  const runnable = samples.filter((s) => s.gt !== null)
  const missing = samples.filter((s) => s.gt === null)
  if (runnable.length === 0 && !(settings.allowEmptyShard === true && settings.shard !== undefined)) {
    throw new DptError(
      `${settings.dataset.name}: no image with ground truth${settings.shard ? ` in shard ${settings.shard.index}/${settings.shard.count}` : ''} (${missing.length} without)`,
      {exitCode: ExitCode.noInputs, remedy: `e.g. ${missing[0]?.id ?? '(no image)'}: ${missing[0]?.missing ?? 'the dataset folder is empty'}`},
    )
  }
  const origin = settings.origin
  const outcome =
    origin.kind === 'model'
      ? await withModel(settings, origin.run, origin.loaded, runnable, events)
      : await withFiles(settings, origin.source, runnable, events)
  for (const sample of missing) outcome.scorer.missing(sample)
  return outcome
}

function protocolFor(settings: EvalRunSettings, card: ModelCard | undefined, kind: PredictionKind): EvalProtocol {
  if (settings.dataset.task === 'depth') return settings.depthProtocol(kind)
  if (settings.dataset.task === 'ordinal') return ORDINAL_PROTOCOL
  return settings.segmentProtocol(card?.labels?.length ?? settings.dataset.classNames.length)
}

/** Every failure the scheduler reported, and every file that was no image, as failed records. */
function recordFailures<S extends EvalRunSample>(scorer: Scorer, outcome: PipelineOutcome<S>): void {
  for (const f of outcome.failures) scorer.failed(f.sample.evalSample, f.reason)
  for (const sample of outcome.notImages) scorer.failed(sample.evalSample, 'not an image')
}

type EvalImageSample = ImageSample & EvalRunSample

async function withModel(
  settings: EvalRunSettings,
  run: RunSettings,
  loaded: LoadedModel | undefined,
  runnable: EvalSample[],
  events: RunEvents,
): Promise<EvalOutcome> {
  const dataset = settings.dataset
  const task = dataset.task === 'segment' ? 'segmentation' : 'depth'
  const model = loaded ?? (await LoadedModel.load(run, task))
  try {
    model.expectTask(task)
    const card = model.card
    const kind = predictionKind(card)
    const protocol = protocolFor(settings, card, kind)
    const scorer = new Scorer(dataset, protocol, {temporal: settings.temporal})
    // The dataset names its classes (objectInfo150.txt) unless the model has another number of them.
    const classNames =
      dataset.task === 'segment'
        ? card.labels === undefined || card.labels.length === dataset.classNames.length
          ? dataset.classNames
          : card.labels
        : undefined
    settings.watch?.(scorer, classNames)
    const stages: EvalStages<Scorable> =
      protocol.task === 'segment' ? segmentEvalStages(card, {scales: protocol.scales, flip: protocol.flip}, run.kernels) : depthEvalStages(card, run.kernels)
    const samples: EvalImageSample[] = runnable.map((s) => ({
      kind: 'image',
      id: s.id,
      label: display(run.cwd, s.image),
      outStem: stem(s.id),
      evalSample: s,
      read: () => readFile(s.image),
      decode: (data) => decodeImage(s.image, data, run.maxPixels, run.sixteenBit),
    }))
    const outcome = await runPipeline({
      samples,
      total: samples.length,
      model: model.stages(stages.postprocess, stages.prepare),
      sinks: [scoreSink<EvalImageSample>(scorer, kind)],
      inflight: run.inflight,
      failFast: run.failFast,
      events,
    })
    recordFailures(scorer, outcome)
    return {
      dataset,
      scorer,
      model: {
        path: display(run.cwd, run.model.onnxPath),
        name: card.name,
        predictions: null,
        predictionKind: dataset.task === 'segment' ? null : kind,
        ...(run.inputSize === undefined ? {} : {inputSize: run.inputSize}),
      },
      classNames,
      interrupted: outcome.interrupted,
    }
  } finally {
    // A model the caller loaded stays loaded for its next dataset.
    if (loaded === undefined) await model.close()
  }
}

async function withFiles(settings: EvalRunSettings, source: PredictionSource, runnable: EvalSample[], events: RunEvents): Promise<EvalOutcome> {
  const dataset = settings.dataset
  const protocol = protocolFor(settings, undefined, source.kind)
  const scorer = new Scorer(dataset, protocol, {temporal: settings.temporal})
  settings.watch?.(scorer, dataset.task === 'segment' ? dataset.classNames : undefined)
  const samples = savedPredictionSamples(source, runnable, protocol)
  const outcome = await runPipeline({
    samples,
    total: samples.length,
    model: undefined,
    sinks: [scoreSink<SavedPredictionSample>(scorer, source.kind)],
    inflight: FILE_INFLIGHT,
    failFast: false,
    events,
  })
  recordFailures(scorer, outcome)
  return {
    dataset,
    scorer,
    model: {path: null, name: null, predictions: source.dir, predictionKind: dataset.task === 'segment' ? null : source.kind},
    classNames: dataset.task === 'segment' ? dataset.classNames : undefined,
    interrupted: outcome.interrupted,
  }
}
