import {availableParallelism} from 'node:os'
import {resolve} from 'node:path'
import {Args, Flags} from '@oclif/core'
import type {EnvDefaults} from './cli/environment.js'
import {invalidFlag} from './cli/invalid.js'
import {kernelBackend} from './kernels/backend.js'
import {parseInputSize} from './model/input-size.js'
import {PROVIDERS, type Provider} from './pipeline/infer/providers.js'
import type {Size} from './pipeline/sample.js'
import type {RunSettings} from './pipeline/settings.js'
import {DptError} from './pipeline/errors.js'
import {parseShard} from './pipeline/shard.js'
import type {InputSpec} from './pipeline/sources/inputs.js'
import type {GraphOptimizationLevel} from './pipeline/infer/protocol.js'
import {locateModel, type Dtype} from './model/locate.js'

/** Sharp refuses images over this many pixels before decoding them (decompression bombs). */
export const DEFAULT_MAX_PIXELS = 100_000_000

/** The variadic input argument of the image commands (they set `strict = false`). */
export const inputsArg = {
  inputs: Args.string({
    required: true,
    description: 'image files, folders or glob patterns; - reads paths from stdin, @FILE from a list file (one per line)',
  }),
}

/** Documented exit codes (README.md), for --help. */
export const EXIT_CODES_HELP =
  'Exit codes: 0 all written; 1 internal error; 2 bad usage; 3 some images failed; 4 model error; 5 no images found; 8 disk full or read-only; 130 interrupted.'

/** A comma-separated output list flag of allowed formats. */
export const formatFlag = (formats: readonly string[], defaultValue: string) =>
  Flags.string({
    summary: `Comma-separated outputs: ${formats.join(', ')}.`,
    default: defaultValue,
    parse: async (value) => parseList('--format', value, formats),
  })

/** Seconds between progress lines without a terminal: one flag for depth, segment, bench and eval. */
export const progressIntervalFlag = Flags.custom<number>({
  summary: 'Seconds between progress lines on stderr when it is not a terminal (CI logs); 0 turns them off [default: 30, or DPT_PROGRESS_INTERVAL].',
  parse: async (value) => {
    const seconds = Number(value)
    if (value.trim() === '' || !(seconds >= 0)) throw invalidFlag('progress-interval', 'a number of seconds (0: no progress lines)', value)
    return seconds
  },
})

/** Flags of every command that runs a model (depth, segment, bench, eval). */
export const modelRunFlags = {
  'input-size': Flags.custom<Size>({
    summary: "Network target size for this run, N or WxH; the card's size rule and multiple still apply [default: the card's].",
    parse: async (value) => parseInputSize(value),
  })(),
  'strict-provider': Flags.boolean({
    allowNo: true,
    summary: 'Fail (exit 4) when --provider cannot start instead of falling back to cpu [default: off, or DPT_STRICT_PROVIDER=1].',
  }),
  'progress-interval': progressIntervalFlag(),
}

/** Flags every image command shares: one definition, reused by depth and segment. */
export const runFlags = {
  output: Flags.string({char: 'o', summary: 'Output directory; the input tree is mirrored below it.', required: true}),
  model: Flags.string({
    char: 'm',
    summary:
      "Model folder (Hugging Face / transformers.js layout), .onnx file with a dpt model card, or registry id (dpt models list) [default: DPT_MODEL, else the task's registry default, downloaded once].",
  }),
  offline: Flags.boolean({summary: 'Never use the network: registry models must already be in the cache (also DPT_OFFLINE=1).', env: 'DPT_OFFLINE'}),
  card: Flags.string({summary: 'Model card JSON to use instead of the one found with the model (see models/card.schema.json).'}),
  dtype: Flags.option({options: ['fp32', 'fp16', 'q8'] as const, default: 'fp32', summary: 'Which ONNX variant of a model folder to run.'})(),
  provider: Flags.option({
    options: PROVIDERS,
    summary: 'onnxruntime execution provider; falls back to cpu with a warning when unavailable (see --strict-provider) [default: cpu, or DPT_PROVIDER].',
  })(),
  workers: Flags.integer({min: 1, summary: 'Inference worker threads, one onnxruntime session each [default: 1, or DPT_WORKERS].'}),
  threads: Flags.integer({min: 1, summary: 'Intra-op threads per worker [default: cores / workers, or DPT_THREADS].'}),
  ...modelRunFlags,
  base: Flags.string({
    summary: 'Folder the output tree mirrors: an input at BASE/a/x.jpg is written to OUTPUT/a/x.png [default: the deepest folder holding every input].',
  }),
  null: Flags.boolean({
    // No -0 alias (xargs' spelling): oclif would then read any value starting with -0 (--range -0.5,2) as that flag.
    summary: 'Lists (- and @FILE) are NUL-separated, as find -print0 writes them, instead of one path per line.',
  }),
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
  'keep-16bit': Flags.boolean({
    summary: 'Read 16-bit images with all 16 bits [default: their high byte, as cv2.imread and Pillow read them].',
  }),
}

export type RunFlagValues = {
  output: string
  model: string | undefined
  offline: boolean
  card: string | undefined
  dtype: Dtype
  provider: Provider | undefined
  workers: number | undefined
  threads: number | undefined
  'input-size': Size | undefined
  'strict-provider': boolean | undefined
  'progress-interval': number | undefined
  base: string | undefined
  null: boolean
  shard: string | undefined
  'max-pixels': number
  'fail-fast': boolean
  'pipeline-nice': number
  'graph-optimization': GraphOptimizationLevel
  'mem-pattern': boolean
  'mem-arena': boolean
  'skip-existing': boolean
  overwrite: boolean
  'keep-16bit': boolean
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
  if (items.length === 0 || items.some((f) => !allowed.includes(f))) throw invalidFlag(flag, `a comma-separated list of ${allowed.join(', ')}`, value)
  return [...new Set(items)].join(',')
}

/** Flags once --model has become a path (src/hub/resolve-model.ts: a registry id or default is pulled first). */
export type ResolvedRunFlags = Omit<RunFlagValues, 'model'> & {model: string}

/** Intra-op threads per worker when --threads is not given: the cores shared among the workers. */
export const defaultThreads = (workers: number): number => Math.max(1, Math.floor(availableParallelism() / workers))

/** The flags DPT_* variables give defaults for, as every model-running command has them. */
type EnvFlags = Pick<RunFlagValues, 'model' | 'provider' | 'workers' | 'threads' | 'strict-provider' | 'progress-interval'>

/** A flag typed on the command line wins over its DPT_* variable (cli/environment.ts), read once. */
export function withEnvDefaults<F extends EnvFlags>(flags: F, env: EnvDefaults): F {
  return {
    ...flags,
    model: flags.model ?? env.model,
    provider: flags.provider ?? env.provider,
    workers: flags.workers ?? env.workers,
    threads: flags.threads ?? env.threads,
    'strict-provider': flags['strict-provider'] ?? env.strictProvider,
    'progress-interval': flags['progress-interval'] ?? env.progressInterval,
  }
}

/** The flags modelRunSettings sets itself. */
type OwnFileFlags = 'output' | 'shard' | 'skip-existing' | 'overwrite' | 'base' | 'null'

/**
 * The run settings of a command that runs a model over what it reads itself (dpt eval, dpt eval suite): the model
 * flags as depth and segment take them (model, threads, provider, …), and none of the file source's own (output
 * folder, sharding of files, existing outputs, input lists).
 */
export function modelRunSettings(inputs: InputSpec, flags: Omit<ResolvedRunFlags, OwnFileFlags>): RunSettings {
  return runSettings(inputs, {...flags, output: '.', shard: undefined, 'skip-existing': false, overwrite: false, base: undefined, null: false})
}

/** The one place raw flags become settings; nothing downstream reads flags or guesses defaults. */
export function runSettings(inputs: InputSpec, flags: ResolvedRunFlags): RunSettings {
  const cwd = process.cwd()
  const workers = flags.workers ?? 1
  const threads = flags.threads ?? defaultThreads(workers)
  return {
    inputs,
    cwd,
    outDir: resolve(cwd, flags.output),
    model: locateModel(flags.model, {dtype: flags.dtype, ...(flags.card === undefined ? {} : {cardPath: flags.card})}),
    provider: flags.provider ?? 'cpu',
    strictProvider: flags['strict-provider'] ?? false,
    inputSize: flags['input-size'],
    workers,
    threads,
    // One image in inference per worker, one queued behind it, one being decoded or written.
    inflight: workers * 2 + 1,
    maxPixels: flags['max-pixels'],
    sixteenBit: flags['keep-16bit'] ? 'full' : 'high-byte',
    failFast: flags['fail-fast'],
    existing: flags['skip-existing'] ? 'skip' : flags.overwrite ? 'overwrite' : 'refuse',
    shard: flags.shard === undefined ? undefined : parseShard(flags.shard, process.env),
    pipelineNice: flags['pipeline-nice'],
    kernels: kernelBackend(process.env),
    // Spinning intra-op threads starve decoding and writing (12 DPT-Hybrid photos: 0.390 vs 0.408 images/s).
    ort: {graphOptimizationLevel: flags['graph-optimization'], memArena: flags['mem-arena'], memPattern: flags['mem-pattern'], spin: false},
  }
}
