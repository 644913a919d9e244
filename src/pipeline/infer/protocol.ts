/** Messages between the pool (main thread) and infer/worker.ts. Tensors travel as transferred Float32Arrays. */
export type GraphOptimizationLevel = 'disabled' | 'basic' | 'extended' | 'all'

export interface WorkerInit {
  readonly modelPath: string
  readonly provider: string
  /** Fail instead of falling back to cpu when the provider cannot start (--strict-provider). */
  readonly strict?: boolean
  readonly threads: number
  readonly graphOptimizationLevel: GraphOptimizationLevel
  readonly memArena: boolean
  readonly memPattern: boolean
  readonly spin: boolean
}

export interface TensorMeta {
  readonly name: string
  readonly type: string
  readonly shape: ReadonlyArray<number | string>
}

export type WorkerRequest = {kind: 'run'; id: number; inputName: string; outputName: string; data: Float32Array; dims: number[]} | {kind: 'close'}

export type WorkerReply =
  | {kind: 'ready'; provider: string; fallbackReason: string | undefined; inputs: TensorMeta[]; outputs: TensorMeta[]}
  | {kind: 'result'; id: number; data: Float32Array; dims: number[]; ms: number}
  | {kind: 'error'; id: number; message: string; /** The requested provider could not start (strict mode). */ provider?: string}
