import type {ModelCard, Task} from '../../model/card.js'
import {bindCard} from '../../model/bind.js'
import {DptError, ExitCode} from '../errors.js'
import {prepareInput} from '../preprocess/prepare.js'
import type {RunSettings} from '../settings.js'
import type {DecodedImage} from '../decode.js'
import type {ModelStages, Postprocess, Prepared} from '../stages.js'
import {InferencePool} from './pool.js'

/**
 * A model loaded into the worker pool, its card bound to the graph's own metadata: what every image run starts
 * with (dpt depth, segment, bench, eval). Close it when done.
 */
export class LoadedModel {
  private constructor(
    readonly card: ModelCard,
    private readonly pool: InferencePool,
    private readonly settings: RunSettings,
    /** Milliseconds spent creating the sessions. */
    readonly loadMs: number,
  ) {}

  /** Starts the workers and binds the card; a model of another task is refused (exit code 4). */
  static async load(settings: RunSettings, task: Task): Promise<LoadedModel> {
    const started = performance.now()
    const pool = await InferencePool.start(
      {modelPath: settings.model.onnxPath, provider: settings.provider, strict: settings.strictProvider, threads: settings.threads, ...settings.ort},
      settings.workers,
      settings.pipelineNice,
    )
    try {
      const model = new LoadedModel(bindCard(settings.model, pool.info, settings.inputSize), pool, settings, performance.now() - started)
      model.expectTask(task)
      return model
    } catch (error) {
      await pool.close()
      throw error
    }
  }

  /** A model of another task is refused (exit code 4). */
  expectTask(task: Task): void {
    if (this.card.task !== task) {
      throw new DptError(`${this.settings.model.name} is a ${this.card.task} model; this command needs a ${task} model`, {exitCode: ExitCode.model})
    }
  }

  get provider(): string {
    return this.pool.info.provider
  }

  get fallbackReason(): string | undefined {
    return this.pool.info.fallbackReason
  }

  /** The model's stages for the scheduler: the card's preprocessing (unless `prepare` replaces it), the pool, and this postprocess. */
  stages<P>(postprocess: Postprocess<P>, prepare?: (image: DecodedImage) => Prepared): ModelStages<P> {
    const {card, pool} = this
    const backend = this.settings.kernels
    return {
      provider: this.provider,
      fallbackReason: this.fallbackReason,
      postprocess,
      prepare: prepare ?? ((image) => prepareInput(image, card.preprocess, backend)),
      infer: (input) => pool.infer(card.input.name, card.output.name, input.tensor, input.dims),
      interrupt: () => void pool.close(),
    }
  }

  close(): Promise<void> {
    return this.pool.close()
  }
}
