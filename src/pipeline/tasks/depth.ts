import type {KernelBackend} from '../../kernels/backend.js'
import type {ColormapName} from '../render/colormap.js'
import type {ImageTask} from '../images.js'
import {depthPostprocess, type DepthPrediction} from '../postprocess/depth.js'
import {depthFileSink, depthOutputPath, NORMALISED, type DepthFormat} from '../sinks/depth-files.js'
import type {FileSink} from '../sinks/file-sink.js'
import {GlobalRangeSink} from '../sinks/global-range.js'
import type {FileSample} from '../sources/files.js'

export interface DepthOptions {
  readonly outDir: string
  readonly formats: readonly DepthFormat[]
  readonly colormap: ColormapName
  /** image: min/max per image (the reference); global: one min/max over the whole run. */
  readonly normalize: 'image' | 'global'
  /** Metric models: 16-bit PNG = depth × this (KITTI 256, NYU 1000); defaults to the card's. */
  readonly metricScale: number | undefined
  readonly kernels: KernelBackend
}

/**
 * dpt depth: the depth postprocess, then one file sink per format in the order given. Under --normalize global the
 * normalised formats of relative models wait behind a GlobalRangeSink and come after the others.
 */
export function depthTask(options: DepthOptions): ImageTask<DepthPrediction> {
  return {
    task: 'depth',
    outputs: (sample) => options.formats.map((f) => depthOutputPath(options.outDir, sample.outStem, f, options.colormap)),
    create(card) {
      const metricScale = card.semantics === 'metric-depth' ? (options.metricScale ?? card.metricPngScale) : undefined
      const deferred = options.normalize === 'global' && metricScale === undefined
      const sink = (format: DepthFormat): FileSink<FileSample, DepthPrediction> =>
        depthFileSink(format, {outDir: options.outDir, colormap: options.colormap, metricScale})
      const direct = options.formats.filter((f) => !(deferred && NORMALISED.has(f))).map(sink)
      const later = deferred ? options.formats.filter((f) => NORMALISED.has(f)).map(sink) : []
      const warnings =
        options.metricScale !== undefined && card.semantics !== 'metric-depth'
          ? [`--metric-scale has no effect: ${card.name} predicts relative depth, written min-max normalised`]
          : []
      return {
        warnings,
        // The reference-scaled 16-bit PNG is written from the upsampled map in place when it is written right away.
        postprocess: depthPostprocess(card, options.kernels, {reservePng16: options.formats.includes('png16') && metricScale === undefined && !deferred}),
        sinks: later.length === 0 ? direct : [...direct, new GlobalRangeSink(later, options.outDir, options.kernels)],
      }
    },
  }
}
