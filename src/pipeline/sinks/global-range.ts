import {mkdir, readFile, rm, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import type {KernelBackend} from '../../kernels/backend.js'
import {WasmInstancePool} from '../../kernels/wasm/module.js'
import type {DepthPrediction} from '../postprocess/depth.js'
import type {Sample} from '../sample.js'
import type {Sink, SinkItem} from '../sink.js'
import type {FileSink} from './file-sink.js'
import {storageError} from './storage-error.js'

/**
 * `--normalize global`: one min/max over the whole run for the normalised formats, so frames of a clip do not
 * flicker. Each map waits in a spill folder (raw float32) until the last image is known, then the wrapped sinks
 * write it with the run's range.
 */
export class GlobalRangeSink<S extends Sample> implements Sink<S, DepthPrediction> {
  private readonly range = {min: Infinity, max: -Infinity}
  private readonly spilled: {sample: S; spill: string; width: number; height: number}[] = []
  private readonly spillDir: string
  private readonly instances = new WasmInstancePool()

  constructor(
    private readonly targets: readonly FileSink<S, DepthPrediction>[],
    outDir: string,
    private readonly backend: KernelBackend,
  ) {
    this.spillDir = join(outDir, `.dpt-spill-${process.pid}`)
  }

  outputs(sample: S): string[] {
    return this.targets.flatMap((t) => t.outputs(sample))
  }

  async consume({sample, prediction}: SinkItem<S, DepthPrediction>): Promise<string[]> {
    this.range.min = Math.min(this.range.min, prediction.range.min)
    this.range.max = Math.max(this.range.max, prediction.range.max)
    // Reserve the slot before awaiting: images finish concurrently.
    const spill = join(this.spillDir, `${this.spilled.length}.f32`)
    this.spilled.push({sample, spill, width: prediction.width, height: prediction.height})
    try {
      await mkdir(this.spillDir, {recursive: true})
      await writeFile(spill, prediction.values)
    } catch (error) {
      // The spill of a full disk stops the run like an output would; a partial spill file is never read.
      await rm(spill, {force: true}).catch(() => undefined)
      throw storageError(spill, error) ?? error
    }
    return this.outputs(sample)
  }

  /** The second pass: every spilled map with the run's min/max, in the wrapped sinks' order. */
  async complete(): Promise<void> {
    try {
      for (const item of this.spilled) {
        const raw = await readFile(item.spill)
        const values = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4)
        const wasm = this.backend === 'wasm' ? this.instances.take() : undefined
        try {
          const prediction: DepthPrediction = {
            task: 'depth',
            width: item.width,
            height: item.height,
            values,
            range: this.range,
            semantics: 'relative-inverse-depth',
            wasm,
          }
          for (const target of this.targets) await target.consume({sample: item.sample, size: item, image: undefined, prediction})
        } finally {
          if (wasm !== undefined) this.instances.give(wasm)
        }
      }
    } finally {
      await this.dispose()
    }
  }

  async dispose(): Promise<void> {
    await rm(this.spillDir, {recursive: true, force: true})
  }
}
