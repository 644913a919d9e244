import {mkdir, readFile, rm, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import type {ModelCard} from '../../model/card.js'
import type {DecodedImage, ImageInfo} from '../decode.js'
import type {InputFile} from '../discover.js'
import {DptError, ExitCode} from '../errors.js'
import {upsampleBicubic, upsampleBilinearAlignCorners} from '../postprocess/upsample.js'
import {prepareInput} from '../preprocess/prepare.js'
import type {Processor, StageMs, TaskPlan} from '../run.js'
import {floatScratch, uint16Scratch} from '../scratch.js'
import {writeFileAtomic} from '../write/atomic.js'
import {applyColormap, type ColormapName} from '../write/colormap.js'
import {minMaxFinite, toMetricUint16, toUint16Reference, toUint8DepthAnything, toUint8Reference} from '../write/depth-scale.js'
import {encodeNpy} from '../write/npy.js'
import {encodePfm} from '../write/pfm.js'
import {encodePng8Grey, encodePngRgb} from '../write/png.js'
import {encodePng16} from '../write/png16.js'
import {DepthKernelPool, type DepthKernels} from '../wasm/kernels.js'
import type {InferResult} from '../pool.js'
import {depthOutputPath, type DepthFormat} from './outputs.js'

export interface DepthOptions {
  readonly outDir: string
  readonly formats: readonly DepthFormat[]
  readonly colormap: ColormapName
  /** image: min/max per image (the reference); global: one min/max over the whole run. */
  readonly normalize: 'image' | 'global'
  /** Metric models: 16-bit PNG = depth × this (KITTI 256, NYU 1000); defaults to the card's. */
  readonly metricScale: number | undefined
}

interface Range {
  min: number
  max: number
}

/** The network output at network size, as one float map. */
export function depthMap(result: InferResult): {data: Float32Array; width: number; height: number} {
  const dims = result.dims
  const width = dims[dims.length - 1] ?? 0
  const height = dims[dims.length - 2] ?? 0
  if (width * height !== result.data.length) throw new Error(`unexpected depth output shape [${dims.join(', ')}]`)
  return {data: result.data, width, height}
}

/** Back to the original size, as the model's reference does (REFERENCE §3); into `out` when given. */
export function upsampleDepth(card: ModelCard, map: {data: Float32Array; width: number; height: number}, image: ImageInfo, out?: Float32Array): Float32Array {
  if (card.upsample === 'bilinear-align-corners') return upsampleBilinearAlignCorners(map.data, map.width, map.height, image.width, image.height, out)
  return upsampleBicubic(map.data, map.width, map.height, image.width, image.height, out)
}

const NORMALISED: ReadonlySet<DepthFormat> = new Set(['png16', 'png8', 'color'])

export function depthPlan(options: DepthOptions): TaskPlan {
  const path = (file: InputFile, format: DepthFormat): string => depthOutputPath(options.outDir, file, format, options.colormap)
  return {
    task: 'depth',
    outputPaths: (file) => options.formats.map((f) => path(file, f)),
    create(card) {
      if (card.upsample === 'bilinear') {
        throw new DptError(`${card.name}: depth upsampling "bilinear" is not supported (use bicubic or bilinear-align-corners)`, {exitCode: ExitCode.model})
      }
      const metricScale = card.semantics === 'metric-depth' ? (options.metricScale ?? card.metricPngScale) : undefined
      return new DepthProcessor(card, options, path, metricScale)
    },
  }
}

class DepthProcessor implements Processor {
  /** Global mode: one min/max over the run; images wait in a spill folder until it is known. */
  private readonly global: Range = {min: Infinity, max: -Infinity}
  private readonly spilled: {file: InputFile; spill: string; width: number; height: number}[] = []
  private readonly spillDir: string
  /** The full-size map and its 16-bit values, reused from image to image (see ScratchArrays). */
  private readonly depthScratch = floatScratch()
  private readonly valueScratch = uint16Scratch()
  /** Bicubic models: the upsample, min/max and 16-bit PNG rows in WebAssembly (its memory replaces the arrays above). */
  private readonly kernels = new DepthKernelPool()

  constructor(
    private readonly card: ModelCard,
    private readonly options: DepthOptions,
    private readonly path: (file: InputFile, format: DepthFormat) => string,
    private readonly metricScale: number | undefined,
  ) {
    this.spillDir = join(options.outDir, `.dpt-spill-${process.pid}`)
  }

  readonly keepsPixels = false

  prepare(image: DecodedImage) {
    return prepareInput(image, this.card.preprocess)
  }

  async finish(file: InputFile, image: ImageInfo, result: InferResult, ms: StageMs): Promise<string[]> {
    const t0 = performance.now()
    const {width, height} = image
    const kernels = this.card.upsample === 'bicubic' ? this.kernels.take() : undefined
    const scratch = kernels === undefined ? this.depthScratch.take(width * height) : undefined
    const deferred = this.options.normalize === 'global' && this.metricScale === undefined
    try {
      let depth: Float32Array
      let range: Range
      if (kernels !== undefined) {
        const map = depthMap(result)
        // Room for the PNG rows next to the map when this call writes the reference-scaled png16.
        const pngRows = this.options.formats.includes('png16') && this.metricScale === undefined && !deferred
        ;({depth, range} = kernels.upsampleBicubic(map.data, map.width, map.height, width, height, pngRows))
      } else {
        depth = upsampleDepth(this.card, depthMap(result), image, scratch)
        range = minMaxFinite(depth)
      }
      const t1 = performance.now()
      ms.postprocess = t1 - t0
      const written: string[] = []
      for (const format of this.options.formats) {
        if (deferred && NORMALISED.has(format)) continue
        written.push(await this.write(file, format, depth, width, height, range, kernels))
      }
      if (deferred && this.options.formats.some((f) => NORMALISED.has(f))) {
        this.global.min = Math.min(this.global.min, range.min)
        this.global.max = Math.max(this.global.max, range.max)
        // Reserve the slot before awaiting: images finish concurrently.
        const spill = join(this.spillDir, `${this.spilled.length}.f32`)
        this.spilled.push({file, spill, width, height})
        await mkdir(this.spillDir, {recursive: true})
        await writeFile(spill, depth)
        written.push(...this.options.formats.filter((f) => NORMALISED.has(f)).map((f) => this.path(file, f)))
      }
      ms.write = performance.now() - t1
      return written
    } finally {
      if (kernels !== undefined) this.kernels.give(kernels)
      if (scratch !== undefined) this.depthScratch.give(scratch)
    }
  }

  /** With `kernels` (holding `depth` or not), the 16-bit PNG rows come from WebAssembly. */
  private async write(
    file: InputFile,
    format: DepthFormat,
    depth: Float32Array,
    width: number,
    height: number,
    range: Range,
    kernels?: DepthKernels,
  ): Promise<string> {
    const target = this.path(file, format)
    let bytes: Uint8Array | Uint8Array[]
    switch (format) {
      case 'png16': {
        if (this.metricScale !== undefined) {
          bytes = await encodePng16(toMetricUint16(depth, this.metricScale), width, height)
          break
        }
        if (kernels !== undefined) {
          bytes = kernels.png16(depth, width, height, range)
          break
        }
        const values = this.valueScratch.take(depth.length)
        try {
          bytes = await encodePng16(toUint16Reference(depth, range.min, range.max, values), width, height)
        } finally {
          this.valueScratch.give(values)
        }
        break
      }
      case 'png8':
        bytes = await encodePng8Grey(toUint8Reference(depth, range.min, range.max), width, height)
        break
      case 'color': {
        // Spectral_r is Depth Anything's colouring, whose 8-bit scaling divides first (a few pixels differ).
        const toUint8 = this.options.colormap === 'spectral_r' ? toUint8DepthAnything : toUint8Reference
        bytes = await encodePngRgb(applyColormap(toUint8(depth, range.min, range.max), this.options.colormap), width, height)
        break
      }
      case 'pfm':
        bytes = encodePfm(depth, width, height)
        break
      case 'npy':
        bytes = encodeNpy(depth, [height, width])
        break
    }
    await writeFileAtomic(target, bytes)
    return target
  }

  /** Global normalisation's second pass: every deferred image with the run's min/max. */
  async complete(): Promise<void> {
    try {
      for (const item of this.spilled) {
        const raw = await readFile(item.spill)
        const depth = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4)
        const kernels = this.kernels.take()
        try {
          for (const format of this.options.formats) {
            if (NORMALISED.has(format)) await this.write(item.file, format, depth, item.width, item.height, this.global, kernels)
          }
        } finally {
          if (kernels !== undefined) this.kernels.give(kernels)
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
