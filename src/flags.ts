import {availableParallelism} from 'node:os'
import {resolve} from 'node:path'
import {Args, Flags} from '@oclif/core'
import {kernelBackend} from './kernels/backend.js'
import type {RunSettings} from './pipeline/settings.js'
import {DptError} from './pipeline/errors.js'
import {parseShard} from './pipeline/shard.js'
import type {GraphOptimizationLevel} from './pipeline/infer/protocol.js'
import {locateModel, type Dtype} from './model/locate.js'

/** Sharp refuses images over this many pixels before decoding them (decompression bombs). */
export const DEFAULT_MAX_PIXELS = 100_000_000

/** The variadic input argument of the image commands (they set `strict = false`). */
export const inputsArg = {inputs: Args.string({required: true, description: 'image files, folders or glob patterns'})}

/** Documented exit codes (README.md), for --help. */
export const EXIT_CODES_HELP = 'Exit codes: 0 all written; 2 bad usage; 3 some images failed; 4 model error; 5 no images found; 130 interrupted.'

/** A comma-separated output list flag of allowed formats. */
export const formatFlag = (formats: readonly string[], defaultValue: string) =>
  Flags.string({
    summary: `Comma-separated outputs: ${formats.join(', ')}.`,
    default: defaultValue,
    parse: async (value) => parseList('--format', value, formats),
  })

/** Flags every image command shares: one definition, reused by depth and segment. */
export const runFlags = {
  output: Flags.string({char: 'o', summary: 'Output directory; the input tree is mirrored below it.', required: true}),
  model: Flags.string({
    char: 'm',
    summary:
      "Model folder (Hugging Face / transformers.js layout), .onnx file with a dpt model card, or registry id (dpt models list) [default: the task's registry default, downloaded once].",
  }),
  offline: Flags.boolean({summary: 'Never use the network: registry models must already be in the cache (also DPT_OFFLINE=1).', env: 'DPT_OFFLINE'}),
  card: Flags.string({summary: 'Model card JSON to use instead of the one found with the model (see models/card.schema.json).'}),
  dtype: Flags.option({options: ['fp32', 'fp16', 'q8'] as const, default: 'fp32', summary: 'Which ONNX variant of a model folder to run.'})(),
  provider: Flags.option({
    options: ['cpu', 'cuda', 'tensorrt', 'webgpu', 'dml', 'coreml'] as const,
    default: 'cpu',
    summary: 'onnxruntime execution provider; falls back to cpu with a warning when unavailable.',
  })(),
  workers: Flags.integer({min: 1, default: 1, summary: 'Inference worker threads, one onnxruntime session each.'}),
  threads: Flags.integer({min: 1, summary: 'Intra-op threads per worker [default: cores / workers].'}),
  shard: Flags.string({
    summary:
      'Process shard i of n (1-based, e.g. 2/8): a deterministic 1/n of the sorted inputs; auto/n takes i from a Kubernetes Indexed Job or a Slurm array task id.',
  }),
  'max-pixels': Flags.integer({min: 1, default: DEFAULT_MAX_PIXELS, summary: 'Refuse images with more pixels than this.'}),
  'fail-fast': Flags.boolean({summary: 'Stop at the first image that fails.'}),
  'pipeline-nice': Flags.integer({
    min: 0,
    max: 19,
    default: 10,
    summary: 'Nice value of decoding/writing threads, so they fill the gaps inference leaves (Linux; 0 = off).',
    helpGroup: 'TUNING',
  }),
  'graph-optimization': Flags.option({
    options: ['all', 'extended', 'basic', 'disabled'] as const,
    default: 'all' as const,
    summary: "onnxruntime graph optimisation level (measured: README's Speed section).",
    helpGroup: 'TUNING',
  })(),
  'mem-pattern': Flags.boolean({default: true, allowNo: true, summary: "onnxruntime's memory pattern planning per input shape.", helpGroup: 'TUNING'}),
  'mem-arena': Flags.boolean({default: true, allowNo: true, summary: "onnxruntime's CPU memory arena.", helpGroup: 'TUNING'}),
  'skip-existing': Flags.boolean({summary: 'Skip inputs whose outputs all exist (resume a run).', exclusive: ['overwrite']}),
  overwrite: Flags.boolean({summary: 'Replace existing outputs.', exclusive: ['skip-existing']}),
}

export type RunFlagValues = {
  output: string
  model: string | undefined
  offline: boolean
  card: string | undefined
  dtype: Dtype
  provider: string
  workers: number
  threads: number | undefined
  shard: string | undefined
  'max-pixels': number
  'fail-fast': boolean
  'pipeline-nice': number
  'graph-optimization': GraphOptimizationLevel
  'mem-pattern': boolean
  'mem-arena': boolean
  'skip-existing': boolean
  overwrite: boolean
}

/**
 * `--normalize global` scales by the min/max of the whole run; a shard sees only its own images, so each shard
 * would scale by different numbers and the outputs would not fit together. Refused rather than split silently.
 */
export function shardedGlobalNormalization(normalize: string, shard: string | undefined): DptError | undefined {
  if (normalize !== 'global' || shard === undefined) return undefined
  return new DptError(`--normalize global needs the whole run's min/max, and --shard ${shard} sees only part of it`, {
    remedy: 'Give every shard the same fixed range instead: --range MIN,MAX; or run without --shard.',
  })
}

/** A comma-separated list of allowed values, deduplicated, in the given order. */
export function parseList(flag: string, value: string, allowed: readonly string[]): string {
  const items = value
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '')
  if (items.length === 0 || items.some((f) => !allowed.includes(f))) {
    throw new Error(`Expected ${flag} to be a comma-separated list of ${allowed.join(', ')}, got \`${value}\``)
  }
  return [...new Set(items)].join(',')
}

/** Flags once --model has become a path (src/hub/resolve-model.ts: a registry id or default is pulled first). */
export type ResolvedRunFlags = Omit<RunFlagValues, 'model'> & {model: string}

/** Intra-op threads per worker when --threads is not given: the cores shared among the workers. */
export const defaultThreads = (workers: number): number => Math.max(1, Math.floor(availableParallelism() / workers))

/** The one place raw flags become settings; nothing downstream reads flags or guesses defaults. */
export function runSettings(inputs: readonly string[], flags: ResolvedRunFlags): RunSettings {
  const cwd = process.cwd()
  const threads = flags.threads ?? defaultThreads(flags.workers)
  return {
    inputs,
    cwd,
    outDir: resolve(cwd, flags.output),
    model: locateModel(flags.model, {dtype: flags.dtype, ...(flags.card === undefined ? {} : {cardPath: flags.card})}),
    provider: flags.provider,
    workers: flags.workers,
    threads,
    // One image in inference per worker, one queued behind it, one being decoded or written.
    inflight: flags.workers * 2 + 1,
    maxPixels: flags['max-pixels'],
    failFast: flags['fail-fast'],
    existing: flags['skip-existing'] ? 'skip' : flags.overwrite ? 'overwrite' : 'refuse',
    shard: flags.shard === undefined ? undefined : parseShard(flags.shard, process.env),
    pipelineNice: flags['pipeline-nice'],
    kernels: kernelBackend(process.env),
    // Spinning intra-op threads starve decoding and writing (12 DPT-Hybrid photos: 0.390 vs 0.408 images/s).
    ort: {graphOptimizationLevel: flags['graph-optimization'], memArena: flags['mem-arena'], memPattern: flags['mem-pattern'], spin: false},
  }
}
