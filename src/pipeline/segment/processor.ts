import type {ModelCard} from '../../model/card.js'
import {withPixels, type DecodedImage, type ImageInfo} from '../decode.js'
import type {InputFile} from '../discover.js'
import {DptError, ExitCode} from '../errors.js'
import type {InferResult} from '../pool.js'
import {argmaxUpsampled} from '../postprocess/segment-argmax.js'
import {prepareInput} from '../preprocess/prepare.js'
import type {Processor, StageMs, TaskPlan} from '../run.js'
import {writeFileAtomic} from '../write/atomic.js'
import {encodePng8Grey, encodePngRgb, encodePngRgba} from '../write/png.js'
import {ADE20K_CLASSES, ADE20K_PALETTE} from './ade20k.js'
import {segmentOutputPath, type SegmentFormat} from './outputs.js'
import {classShares, colorize, overlay} from './render.js'

export interface SegmentOptions {
  readonly outDir: string
  readonly formats: readonly SegmentFormat[]
  /** Written label = class index + offset: 1 gives ADE ids 1..150 (0 never written), 0 gives 0..149. */
  readonly labelOffset: 0 | 1
  /** Overlay weight of the class colour (the reference blends with 0.5). */
  readonly alpha: number
}

export function segmentPlan(options: SegmentOptions): TaskPlan {
  const path = (file: InputFile, format: SegmentFormat): string => segmentOutputPath(options.outDir, file, format)
  return {
    task: 'segmentation',
    outputPaths: (file) => options.formats.map((f) => path(file, f)),
    create(card) {
      const labels = card.labels ?? ADE20K_CLASSES
      if (labels.length + options.labelOffset > 256) {
        throw new DptError(`${card.name} has ${labels.length} classes: too many for 8-bit label maps`, {exitCode: ExitCode.model})
      }
      if (card.upsample === 'bilinear-align-corners') {
        throw new DptError(`${card.name}: segmentation upsampling must be bicubic or bilinear`, {exitCode: ExitCode.model})
      }
      return new SegmentProcessor(card, labels, options, path)
    },
  }
}

class SegmentProcessor implements Processor {
  constructor(
    private readonly card: ModelCard,
    private readonly labels: readonly string[],
    private readonly options: SegmentOptions,
    private readonly path: (file: InputFile, format: SegmentFormat) => string,
  ) {
    this.keepsPixels = options.formats.includes('overlay')
  }

  /** Only overlays read the image's pixels. */
  readonly keepsPixels: boolean

  prepare(image: DecodedImage) {
    return prepareInput(image, this.card.preprocess)
  }

  async finish(file: InputFile, image: ImageInfo, result: InferResult, ms: StageMs): Promise<string[]> {
    const [, channels, height, width] = result.dims
    if (result.dims.length !== 4 || channels !== this.labels.length || height === undefined || width === undefined) {
      throw new Error(`unexpected logits shape [${result.dims.join(', ')}] for ${this.labels.length} classes`)
    }
    const t0 = performance.now()
    // Upsample every logit, then argmax (first index wins), without holding C×H×W floats.
    const mode = this.card.upsample === 'bilinear' ? 'bilinear' : 'bicubic'
    const indices = argmaxUpsampled(result.data, channels, width, height, image.width, image.height, mode)
    const t1 = performance.now()
    ms.postprocess = t1 - t0
    const written: string[] = []
    let colours: Uint8Array | undefined
    const coloured = (): Uint8Array => (colours ??= colorize(indices, ADE20K_PALETTE))
    for (const format of this.options.formats) {
      const target = this.path(file, format)
      let bytes: Buffer
      switch (format) {
        case 'labels': {
          const ids = this.options.labelOffset === 0 ? indices : Uint8Array.from(indices, (k) => k + 1)
          bytes = await encodePng8Grey(ids, image.width, image.height)
          break
        }
        case 'color':
          bytes = await encodePngRgb(coloured(), image.width, image.height)
          break
        case 'overlay':
          bytes = await encodePngRgba(overlay(withPixels(image), coloured(), this.options.alpha), image.width, image.height)
          break
        case 'json': {
          const classes = classShares(indices, this.labels, this.options.labelOffset)
          const record = {width: image.width, height: image.height, labelOffset: this.options.labelOffset, classes}
          bytes = Buffer.from(JSON.stringify(record, null, 2) + '\n')
          break
        }
      }
      await writeFileAtomic(target, bytes)
      written.push(target)
    }
    ms.write = performance.now() - t1
    return written
  }
}
