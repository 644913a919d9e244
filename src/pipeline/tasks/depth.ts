import type {KernelBackend} from '../../kernels/backend.js'
import type {ValueRange} from '../../kernels/depth-scale.js'
import type {ColormapName} from '../render/colormap.js'
import type {ImageTask} from '../images.js'
import {depthPostprocess, type DepthPrediction} from '../postprocess/depth.js'
import {ColourBarSink} from '../sinks/colour-bar.js'
import {depthFileSink, depthOutputPath, NORMALISED, type DepthFormat} from '../sinks/depth-files.js'
import type {DepthNormalize} from '../sinks/depth-text.js'
import type {FileSink} from '../sinks/file-sink.js'
import {GlobalRangeSink} from '../sinks/global-range.js'
import {ValueRangeSink} from '../sinks/value-ranges.js'
import type {FileSample} from '../sources/files.js'

export interface DepthOptions {
  readonly outDir: string
  readonly formats: readonly DepthFormat[]
  readonly colormap: ColormapName
  /** image: min/max per image (the reference); global: one min/max over the whole run. */
  readonly normalize: 'image' | 'global'
  /** --range: one fixed min/max for the normalised formats (values outside clamp); wins over `normalize`. */
  readonly range: ValueRange | undefined
  /** Metric models: 16-bit PNG = depth × this (KITTI 256, NYU 1000); defaults to the card's. */
  readonly metricScale: number | undefined
  readonly kernels: KernelBackend
}

/**
 * dpt depth: the depth postprocess, then one file sink per format in the order given. Under --normalize global the
 * normalised formats of relative models wait behind a GlobalRangeSink and come after the others. Each image's value
 * range is kept for its record, and the color format gets the run's colour bar.
 */
export function depthTask(options: DepthOptions): ImageTask<DepthPrediction> {
  return {
    task: 'depth',
    outputs: (sample) => options.formats.map((f) => depthOutputPath(options.outDir, sample.outStem, f, options.colormap)),
    create(card) {
      const metricScale = card.semantics === 'metric-depth' ? (options.metricScale ?? card.metricPngScale) : undefined
      const deferred = options.range === undefined && options.normalize === 'global' && metricScale === undefined
      const normalize: DepthNormalize = options.range !== undefined ? 'range' : deferred ? 'global' : 'image'
      const sink = (format: DepthFormat): FileSink<FileSample, DepthPrediction> =>
        depthFileSink(format, {outDir: options.outDir, colormap: options.colormap, metricScale, fixedRange: options.range, normalize})
      const direct = options.formats.filter((f) => !(deferred && NORMALISED.has(f))).map(sink)
      const later = deferred ? options.formats.filter((f) => NORMALISED.has(f)).map(sink) : []
      const warnings =
        options.metricScale !== undefined && card.semantics !== 'metric-depth'
          ? [`--metric-scale has no effect: ${card.name} predicts relative depth, written min-max normalised`]
          : []
      const global = later.length === 0 ? undefined : new GlobalRangeSink(later, options.outDir, options.kernels)
      const values = new ValueRangeSink<FileSample>()
      const bar = options.formats.includes('color')
        ? new ColourBarSink<FileSample>({
            outDir: options.outDir,
            colormap: options.colormap,
            semantics: card.semantics ?? 'relative-inverse-depth',
            normalize,
            range: () => options.range ?? global?.runRange(),
          })
        : undefined
      return {
        warnings,
        // The reference-scaled 16-bit PNG is written from the upsampled map in place when it is written right away.
        postprocess: depthPostprocess(card, options.kernels, {reservePng16: options.formats.includes('png16') && metricScale === undefined && !deferred}),
        sinks: [values, ...direct, ...(global === undefined ? [] : [global]), ...(bar === undefined ? [] : [bar])],
        report: {
          image: (sample) => {
            const r = values.of(sample)
            return r === undefined ? {} : {valueRange: r}
          },
          run: (shown) => ({
            normalization: {
              mode: normalize,
              range: normalize === 'range' ? (options.range ?? null) : normalize === 'global' ? (global?.runRange() ?? null) : null,
              colorbar: bar?.path === undefined ? null : shown(bar.path),
            },
          }),
        },
      }
    },
  }
}
