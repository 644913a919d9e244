import type {KernelBackend} from '../kernels/backend.js'
import type {Shard} from './shard.js'
import type {LocatedModel} from '../model/locate.js'
import type {GraphOptimizationLevel} from './infer/protocol.js'
import type {Size} from './sample.js'
import type {InputSpec} from './sources/inputs.js'

/** What to do with outputs that already exist. */
export type ExistingPolicy = 'refuse' | 'skip' | 'overwrite'

/** Settings every image command shares, normalised once at the command boundary (see flags.ts). */
export interface RunSettings {
  /** Arguments and lists of paths, with --base (sources/inputs.ts). */
  readonly inputs: InputSpec
  readonly cwd: string
  /** Absolute output directory. */
  readonly outDir: string
  readonly model: LocatedModel
  readonly provider: string
  /** --strict-provider: a provider that cannot start fails the run (exit 4) instead of falling back to cpu. */
  readonly strictProvider: boolean
  /** --input-size: the card's target network size for this run (its size rule and multiple stay). */
  readonly inputSize: Size | undefined
  readonly workers: number
  readonly threads: number
  /** Images held between decoding and writing at once: the back-pressure bound. */
  readonly inflight: number
  readonly maxPixels: number
  readonly failFast: boolean
  readonly existing: ExistingPolicy
  readonly shard: Shard | undefined
  /** Nice value of the pipeline threads relative to inference (0: same priority). */
  readonly pipelineNice: number
  /** Which implementation runs the numeric kernels (DPT_WASM=0: the TypeScript reference), decided once here. */
  readonly kernels: KernelBackend
  readonly ort: {
    readonly graphOptimizationLevel: GraphOptimizationLevel
    readonly memArena: boolean
    readonly memPattern: boolean
    readonly spin: boolean
  }
}
