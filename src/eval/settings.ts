import type {GraphOptimizationLevel} from '../pipeline/infer/protocol.js'
import {resolve} from 'node:path'
import {modelRunSettings} from '../flags.js'
import type {Dtype} from '../model/locate.js'
import type {Provider} from '../pipeline/infer/providers.js'
import type {Size} from '../pipeline/sample.js'
import {argumentInputs} from '../pipeline/sources/inputs.js'
import {parseShard, type Shard} from '../pipeline/shard.js'
import {DptError} from '../pipeline/errors.js'
import type {DatasetName, DatasetOptions} from './datasets/index.js'
import type {FolderGtFormat} from './datasets/folder.js'
import type {PredictionOrigin} from './predict-run.js'
import {resolveDepthProtocol, defaultSegmentProtocol, type DepthDataset as ProtocolDataset} from './protocol.js'
import {parseGate, parseMaxRegression} from './report/index.js'
import type {DepthAlignment, DepthCrop, DepthProtocol, EvalTask, Gate, PredictionKind, SegmentProtocol} from './types.js'

/** The raw values of `dpt eval`'s flags (src/eval/flags.ts). */
export interface EvalFlagValues {
  dataset: DatasetName
  data: string
  split: string | undefined
  gt: string | undefined
  'gt-format': FolderGtFormat | undefined
  'gt-scale': number | undefined
  model: string | undefined
  card: string | undefined
  dtype: Dtype
  provider: Provider | undefined
  workers: number | undefined
  threads: number | undefined
  'input-size': Size | undefined
  'strict-provider': boolean | undefined
  'progress-interval': number | undefined
  'max-pixels': number
  'keep-16bit': boolean
  'fail-fast': boolean
  'pipeline-nice': number
  offline: boolean
  'graph-optimization': GraphOptimizationLevel
  'mem-pattern': boolean
  'mem-arena': boolean
  predictions: string | undefined
  'prediction-kind': PredictionKind
  'prediction-scale': number | undefined
  'label-offset': '0' | '1'
  alignment: DepthAlignment | undefined
  'min-depth': number | undefined
  'max-depth': number | undefined
  cap: number | null | undefined
  crop: DepthCrop[] | undefined
  clip: boolean | undefined
  scales: number[] | undefined
  flip: boolean
  'reduce-zero-label': boolean | undefined
  'ignore-index': number | undefined
  temporal: boolean
  shard: string | undefined
  report: string | undefined
  csv: string | undefined
  'fail-if': string[] | undefined
  baseline: string | undefined
  'max-regression': string[] | undefined
}

/** Where the report goes besides stdout. */
export interface ReportTargets {
  readonly report: string | undefined
  readonly csv: string | undefined
  /** $GITHUB_STEP_SUMMARY when set: the Markdown summary is appended to it. */
  readonly stepSummary: string | undefined
}

/** Gates parsed at the boundary, so a misspelt metric fails before the model runs. */
export interface GateSettings {
  readonly gates: readonly Gate[]
  /** --baseline path, for the --max-regression gates. */
  readonly baseline: string | undefined
}

/** --fail-if and --max-regression flags → gates (shared by `dpt eval` and `dpt eval merge`). */
export function gateSettings(flags: {'fail-if': string[] | undefined; baseline: string | undefined; 'max-regression': string[] | undefined}): GateSettings {
  const gates: Gate[] = [...(flags['fail-if'] ?? []).map((gate) => parseGate(gate)), ...(flags['max-regression'] ?? []).map(parseMaxRegression)]
  return {gates, baseline: flags.baseline}
}

/** Where the report goes, from flags and the environment (GitHub Actions' $GITHUB_STEP_SUMMARY). */
export function reportTargets(flags: {report: string | undefined; csv: string | undefined}, env: NodeJS.ProcessEnv): ReportTargets {
  return {report: flags.report, csv: flags.csv, stepSummary: env.GITHUB_STEP_SUMMARY === '' ? undefined : env.GITHUB_STEP_SUMMARY}
}

/** Everything `dpt eval` needs, normalised once from flags and environment. */
export interface EvalSettings {
  readonly cwd: string
  readonly dataset: DatasetOptions
  readonly shard: Shard | undefined
  readonly origin: PredictionOrigin
  readonly depthProtocol: (kind: PredictionKind) => DepthProtocol
  readonly segmentProtocol: (numClasses: number) => SegmentProtocol
  readonly targets: ReportTargets
  readonly gates: GateSettings
  /** --temporal: the temporal consistency error of consecutive frames too (sequence datasets). */
  readonly temporal: boolean
}

/** Datasets whose images are frames of sequences, in time order by id (src/eval/metrics/temporal.ts). */
const SEQUENCE_DATASETS: ReadonlySet<DatasetName> = new Set(['sintel', 'tum'])

const SPLIT_DATASETS: ReadonlySet<DatasetName> = new Set(['ade20k', 'kitti', 'diode', 'sintel'])
const SEGMENT_ONLY = ['scales', 'flip', 'reduce-zero-label', 'ignore-index'] as const
const DEPTH_ONLY = ['alignment', 'min-depth', 'max-depth', 'cap', 'crop', 'clip'] as const

function refuse(message: string, remedy: string): never {
  throw new DptError(message, {remedy})
}

/** ADE20K and label folders are scored as segmentation, DIW and point-pair folders as ordinal, the rest as depth. */
export function evalTask(flags: Pick<EvalFlagValues, 'dataset' | 'gt-format'>): EvalTask {
  if (flags.dataset === 'ade20k' || (flags.dataset === 'folder' && flags['gt-format'] === 'labels')) return 'segment'
  if (flags.dataset === 'diw' || (flags.dataset === 'folder' && flags['gt-format'] === 'pairs')) return 'ordinal'
  return 'depth'
}

export const isSegmentation = (flags: Pick<EvalFlagValues, 'dataset' | 'gt-format'>): boolean => evalTask(flags) === 'segment'

const TASK_WORDS: Record<EvalTask, string> = {depth: 'depth', segment: 'segmentation', ordinal: 'point pairs (WHDR)'}

export function evalSettings(flags: EvalFlagValues, env: NodeJS.ProcessEnv, cwd = process.cwd()): EvalSettings {
  const task = evalTask(flags)
  if (flags.split !== undefined && !SPLIT_DATASETS.has(flags.dataset))
    refuse(`--split does not apply to --dataset ${flags.dataset}`, 'Only ade20k, kitti, diode and sintel have splits.')
  if (flags.dataset === 'folder' && (flags.gt === undefined || flags['gt-format'] === undefined)) {
    refuse('--dataset folder needs --gt DIR and --gt-format', 'e.g. --dataset folder --data imgs --gt depth --gt-format png16 --gt-scale 1000')
  }
  if (flags.dataset !== 'folder' && (flags.gt !== undefined || flags['gt-format'] !== undefined || flags['gt-scale'] !== undefined)) {
    refuse(`--gt, --gt-format and --gt-scale only apply to --dataset folder`, `--dataset ${flags.dataset} reads its ground truth from its own layout.`)
  }
  if (flags['gt-format'] === 'pairs' && flags['gt-scale'] !== undefined) refuse('--gt-scale does not apply to --gt-format pairs', 'Point pairs have no unit.')
  // Point pairs compare two values of one prediction: no depth protocol (alignment, cap, range) and no segmentation one.
  const inapplicable = task === 'segment' ? DEPTH_ONLY : task === 'depth' ? SEGMENT_ONLY : [...DEPTH_ONLY, ...SEGMENT_ONLY]
  const misplaced = inapplicable.filter((f) => flags[f] !== undefined && flags[f] !== false)
  if (misplaced.length > 0)
    refuse(`--${misplaced.join(', --')} do${misplaced.length === 1 ? 'es' : ''} not apply to ${TASK_WORDS[task]}`, 'See dpt eval --help (PROTOCOL flags).')
  if (flags.shard !== undefined && ((flags['fail-if'] ?? []).length > 0 || flags.baseline !== undefined)) {
    refuse('Gates apply to the whole dataset, not to one shard', 'Gate the merged report: dpt eval merge parts/*.json --fail-if … / --baseline ….')
  }
  if (flags.temporal && !SEQUENCE_DATASETS.has(flags.dataset))
    refuse(`--temporal needs a sequence dataset, and --dataset ${flags.dataset} is not one`, 'Use it with --dataset sintel or --dataset tum.')
  // A shard takes every n-th frame (src/pipeline/shard.ts), so no two consecutive frames are in one shard.
  if (flags.temporal && flags.shard !== undefined)
    refuse('--temporal pairs consecutive frames, and a shard holds every n-th frame only', 'Run --temporal without --shard.')
  if (flags.model === undefined && flags.predictions === undefined)
    refuse('dpt eval needs --model (run a model) or --predictions DIR (score saved outputs)', 'e.g. --model ./dpt-hybrid or --predictions out/')

  const origin: PredictionOrigin =
    flags.predictions !== undefined
      ? {
          kind: 'predictions',
          source: {
            dir: flags.predictions,
            dirAbs: resolve(cwd, flags.predictions),
            kind: flags['prediction-kind'],
            png16Scale: flags['prediction-scale'] ?? 1,
            labelOffset: flags['label-offset'] === '0' ? 0 : 1,
          },
        }
      : {
          kind: 'model',
          // The model flags go through the same runSettings as depth/segment (model resolution, threads, provider).
          run: modelRunSettings(argumentInputs([flags.data]), {...flags, model: flags.model!}),
        }
  const depthDataset = flags.dataset as ProtocolDataset
  const overrides = {
    alignment: flags.alignment,
    minDepth: flags['min-depth'],
    maxDepth: flags['max-depth'],
    cap: flags.cap,
    crops: flags.crop,
    clip: flags.clip,
  }
  const segmentOverrides = {
    ...(flags.scales === undefined ? {} : {scales: flags.scales}),
    ...(flags.flip ? {flip: true} : {}),
    ...(flags['reduce-zero-label'] === undefined ? {} : {reduceZeroLabel: flags['reduce-zero-label']}),
    ...(flags['ignore-index'] === undefined ? {} : {ignoreIndex: flags['ignore-index']}),
  }
  return {
    cwd,
    dataset: {
      name: flags.dataset,
      data: flags.data,
      cwd,
      ...(flags.split === undefined ? {} : {split: flags.split}),
      ...(flags.gt === undefined ? {} : {gt: flags.gt}),
      ...(flags['gt-format'] === undefined ? {} : {gtFormat: flags['gt-format']}),
      ...(flags['gt-scale'] === undefined ? {} : {gtScale: flags['gt-scale']}),
    },
    shard: flags.shard === undefined ? undefined : parseShard(flags.shard, env),
    origin,
    depthProtocol: (kind) => resolveDepthProtocol(depthDataset, kind, overrides),
    segmentProtocol: (numClasses) => ({...defaultSegmentProtocol(numClasses), ...segmentOverrides}),
    targets: reportTargets(flags, env),
    gates: gateSettings(flags),
    temporal: flags.temporal,
  }
}
