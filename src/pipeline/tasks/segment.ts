import type {ImageTask} from '../images.js'
import {DptError, ExitCode} from '../errors.js'
import {segmentPostprocess, type SegmentPrediction} from '../postprocess/segment.js'
import {ADE20K_CLASSES} from '../render/ade20k.js'
import {segmentFileSink, segmentOutputPath, type SegmentFileOptions, type SegmentFormat} from '../sinks/segment-files.js'

export interface SegmentOptions extends SegmentFileOptions {
  readonly formats: readonly SegmentFormat[]
}

/** dpt segment: the class map (every logit upsampled, then argmax), then one file sink per format in the order given. */
export function segmentTask(options: SegmentOptions): ImageTask<SegmentPrediction> {
  return {
    task: 'segmentation',
    outputs: (sample) => options.formats.map((f) => segmentOutputPath(options.outDir, sample.outStem, f)),
    create(card) {
      const labels = card.labels ?? ADE20K_CLASSES
      if (labels.length + options.labelOffset > 256) {
        throw new DptError(`${card.name} has ${labels.length} classes: too many for 8-bit label maps`, {exitCode: ExitCode.model})
      }
      if (card.upsample === 'bilinear-align-corners') {
        throw new DptError(`${card.name}: segmentation upsampling must be bicubic or bilinear`, {exitCode: ExitCode.model})
      }
      return {postprocess: segmentPostprocess(card, labels), sinks: options.formats.map((f) => segmentFileSink(f, options))}
    },
  }
}
