import {Worker} from 'node:worker_threads'
import {DptError, ExitCode} from '../errors.js'
import {providerRemedy} from './providers.js'
import {lowerPriority, threadIds} from './thread-priority.js'
import type {TensorMeta, WorkerInit, WorkerReply, WorkerRequest} from './protocol.js'

export interface InferResult {
  readonly data: Float32Array
  readonly dims: number[]
  /** Time inside session.run. */
  readonly runMs: number
  /** Time waiting for a free worker. */
  readonly queueMs: number
}

interface Job {
  readonly request: Extract<WorkerRequest, {kind: 'run'}>
  readonly queuedAt: number
  startedAt: number
  resolve(result: InferResult): void
  reject(error: Error): void
}

interface Slot {
  readonly worker: Worker
  job: Job | undefined
}

export interface PoolInfo {
  readonly provider: string
  readonly fallbackReason: string | undefined
  readonly inputs: readonly TensorMeta[]
  readonly outputs: readonly TensorMeta[]
}

const WORKER_URL = new URL('./worker.js', import.meta.url)

/**
 * The only owner of inference concurrency: N worker threads, one session each, a FIFO of pending runs.
 * Callers bound how many images are in flight; the pool only hands each run to the next idle worker.
 */
export class InferencePool {
  private readonly slots: Slot[]
  private readonly queue: Job[] = []
  private nextId = 0
  private broken: Error | undefined
  private closed = false

  private constructor(
    slots: Slot[],
    readonly info: PoolInfo,
  ) {
    this.slots = slots
    for (const slot of slots) {
      slot.worker.on('message', (reply: WorkerReply) => {
        this.onReply(slot, reply)
      })
      slot.worker.on('error', (error) => {
        this.fail(slot, error)
      })
      slot.worker.on('exit', (code) => {
        if (!this.closed) this.fail(slot, new Error(`inference worker exited unexpectedly (code ${code})`))
      })
    }
  }

  /**
   * Starts the workers and waits until every session is created. With `pipelineNice` > 0 the threads that
   * existed before the workers (the main thread, libuv's pool) and all they create later run at that nice value,
   * below the inference threads.
   */
  static async start(init: WorkerInit, count: number, pipelineNice = 0): Promise<InferencePool> {
    const pipelineThreads = threadIds()
    const workers = Array.from({length: count}, () => new Worker(WORKER_URL, {workerData: init}))
    try {
      const ready = await Promise.all(workers.map((worker) => waitReady(worker)))
      if (pipelineNice > 0 && pipelineThreads !== undefined) lowerPriority(pipelineThreads, pipelineNice)
      const first = ready[0]
      if (first === undefined) throw new Error('no workers')
      return new InferencePool(
        workers.map((worker) => ({worker, job: undefined})),
        {provider: first.provider, fallbackReason: first.fallbackReason, inputs: first.inputs, outputs: first.outputs},
      )
    } catch (error) {
      await Promise.all(workers.map((w) => w.terminate()))
      if (error instanceof ProviderUnavailable) {
        throw new DptError(
          `Execution provider ${error.provider} is unavailable (${error.message.split('\n')[0]}), and strict mode (--strict-provider, DPT_STRICT_PROVIDER) forbids running on cpu`,
          {exitCode: ExitCode.model, cause: error, remedy: `${providerRemedy(error.provider)}. \`dpt doctor\` tries every provider.`.trimStart()},
        )
      }
      throw new DptError(`Could not load the model ${init.modelPath}: ${(error as Error).message}`, {
        exitCode: ExitCode.model,
        remedy: 'Check that the file is a complete ONNX model (re-export or re-download it).',
        cause: error,
      })
    }
  }

  infer(inputName: string, outputName: string, data: Float32Array, dims: number[]): Promise<InferResult> {
    if (this.broken !== undefined) return Promise.reject(this.broken)
    // An image that was being decoded when Ctrl-C closed the pool: queued now, it would wait for ever on a
    // worker that is gone, and with nothing else pending the process would end without its summary.
    if (this.closed) return Promise.reject(new Error('inference pool closed'))
    return new Promise((resolve, reject) => {
      const request = {kind: 'run' as const, id: this.nextId++, inputName, outputName, data, dims}
      this.queue.push({request, queuedAt: performance.now(), startedAt: 0, resolve, reject})
      this.dispatch()
    })
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.job !== undefined) continue
      const job = this.queue.shift()
      if (job === undefined) return
      slot.job = job
      job.startedAt = performance.now()
      slot.worker.postMessage(job.request, [job.request.data.buffer as ArrayBuffer])
    }
  }

  private onReply(slot: Slot, reply: WorkerReply): void {
    const job = slot.job
    if (job === undefined || reply.kind === 'ready') return
    slot.job = undefined
    if (reply.kind === 'result') job.resolve({data: reply.data, dims: reply.dims, runMs: reply.ms, queueMs: job.startedAt - job.queuedAt})
    else job.reject(new Error(`inference failed: ${reply.message}`))
    this.dispatch()
  }

  private fail(slot: Slot, error: Error): void {
    this.broken ??= error
    slot.job?.reject(error)
    slot.job = undefined
    for (const job of this.queue.splice(0)) job.reject(error)
  }

  /** Releases every session and ends the workers; pending runs are rejected. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    for (const job of this.queue.splice(0)) job.reject(new Error('inference pool closed'))
    await Promise.all(
      this.slots.map(async (slot) => {
        const {worker} = slot
        const exited = new Promise<void>((resolve) =>
          worker.once('exit', () => {
            resolve()
          }),
        )
        worker.postMessage({kind: 'close'} satisfies WorkerRequest)
        // A worker inside a long session.run cannot read the close message: do not wait for it forever.
        const timer = setTimeout(() => void worker.terminate(), 2000)
        await exited
        clearTimeout(timer)
        // A run the worker took but never answered ends here.
        slot.job?.reject(new Error('inference pool closed'))
        slot.job = undefined
      }),
    )
  }
}

/** A worker's session could not start on the requested provider, and strict mode keeps it from falling back. */
class ProviderUnavailable extends Error {
  constructor(
    message: string,
    readonly provider: string,
  ) {
    super(message)
  }
}

function waitReady(worker: Worker): Promise<Extract<WorkerReply, {kind: 'ready'}>> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: WorkerReply): void => {
      cleanup()
      if (reply.kind === 'ready') resolve(reply)
      else if (reply.kind === 'error' && reply.provider !== undefined) reject(new ProviderUnavailable(reply.message, reply.provider))
      else reject(new Error(reply.kind === 'error' ? reply.message : 'unexpected reply'))
    }
    const onError = (error: Error): void => {
      cleanup()
      reject(error)
    }
    const onExit = (code: number): void => {
      cleanup()
      reject(new Error(`worker exited with code ${code} while loading the model`))
    }
    const cleanup = (): void => {
      worker.off('message', onMessage)
      worker.off('error', onError)
      worker.off('exit', onExit)
    }
    worker.on('message', onMessage)
    worker.on('error', onError)
    worker.on('exit', onExit)
  })
}
