import type {KernelBackend} from '../../kernels/backend.js'
import type {ValueRange} from '../../kernels/depth-scale.js'
import {DEFAULT_CRF, encoderOf, segmentExtension} from '../../video/segments.js'
import {DEFAULT_EMA} from '../../video/stabilize.js'
import type {ColormapName} from '../render/colormap.js'
import type {ImageTask} from '../images.js'
import {depthPostprocess, type DepthPrediction} from '../postprocess/depth.js'
import type {Sink} from '../sink.js'
import {ColourBarSink} from '../sinks/colour-bar.js'
import {depthFileSink, depthOutputPath, NORMALISED, type DepthFormat} from '../sinks/depth-files.js'
import type {DepthNormalize} from '../sinks/depth-text.js'
import {depthVideoFormat, depthVideoPath, isDepthVideoFormat, type DepthVideoFormat} from '../sinks/depth-video.js'
import {FrameOrderSink} from '../sinks/frame-order.js'
import {GlobalRangeSink} from '../sinks/global-range.js'
import {StableRangeSink} from '../sinks/stable-range.js'
import {ValueRangeSink} from '../sinks/value-ranges.js'
import {VideoDoneSink} from '../sinks/video-done.js'
import {VideoEncodeSink} from '../sinks/video-encode.js'
import type {FileSample} from '../sources/files.js'

export interface DepthOptions {
  readonly outDir: string
  /** File formats (one file per image or frame) and video formats (one file per video), in the order given. */
  readonly formats: readonly (DepthFormat | DepthVideoFormat)[]
  readonly colormap: ColormapName
  /**
   * image: min/max per image or frame (the reference); global: one min/max over the whole run; stable: the
   * one-pass temporal normalisation of each video (stable-range.ts), per image for still images.
   */
  readonly normalize: 'image' | 'global' | 'stable'
  /** --ema: the one-pass normalisation's EMA weight (default DEFAULT_EMA). */
  readonly emaWeight?: number
  /** --range: one fixed min/max for the normalised file formats (values outside clamp); wins over `normalize`. */
  readonly range?: ValueRange | undefined
  /** Metric models: 16-bit PNG = depth × this (KITTI 256, NYU 1000); defaults to the card's. */
  readonly metricScale: number | undefined
  readonly kernels: KernelBackend
  /** Viewable videos: x264's constant rate factor (default 18), and the input beside the depth (default no). */
  readonly crf?: number
  readonly sideBySide?: boolean
}

/**
 * dpt depth: the depth postprocess, then the sinks, in the order the formats were given within each group:
 * - each image's (or frame's) value range for its record;
 * - file formats that are written right away (raw npy/pfm always; the normalised ones per image or by --range);
 * - under --normalize global, the normalised formats of relative models behind a GlobalRangeSink (after the
 *   last image); under --normalize stable, behind a StableRangeSink (frame by frame, in order per video);
 * - the video formats (mkv16, mp4), normalised like the PNGs, behind a FrameOrderSink;
 * - with videos among the inputs, a VideoDoneSink that clears each finished video's partial folder;
 * - the color format's colour bar, written at the end of the run.
 * Still images get exactly the sinks and pixels they always did.
 */
export function depthTask(options: DepthOptions): ImageTask<DepthPrediction> {
  const files = options.formats.filter((f): f is DepthFormat => !isDepthVideoFormat(f))
  const videos = options.formats.filter(isDepthVideoFormat)
  const emaWeight = options.emaWeight ?? DEFAULT_EMA
  const sideBySide = options.sideBySide ?? false
  return {
    task: 'depth',
    outputs: (sample) => files.map((f) => depthOutputPath(options.outDir, sample.outStem, f, options.colormap)),
    video: {
      formats: videos,
      finals: (stem) => videos.map((f) => depthVideoPath(options.outDir, stem, f)),
      segmented: videos.map((f) => ({name: f, extension: segmentExtension(f === 'mkv16' ? 'ffv1-gray16' : 'h264')})),
      encoders: [...new Set(videos.map((f) => encoderOf(f === 'mkv16' ? 'ffv1-gray16' : 'h264')))],
      stable: options.normalize === 'stable',
      restart: options.normalize === 'global',
      normalize: options.normalize === 'stable' ? `stable ema ${emaWeight}` : options.normalize,
      settings: [
        `colormap ${options.colormap}`,
        `crf ${options.crf ?? DEFAULT_CRF}`,
        `side by side ${sideBySide ? 'yes' : 'no'}`,
        `range ${options.range === undefined ? 'none' : `${options.range.min}..${options.range.max}`}`,
        `metric scale ${options.metricScale ?? 'of the card'}`,
      ].join(', '),
    },
    create(card) {
      const metricScale = card.semantics === 'metric-depth' ? (options.metricScale ?? card.metricPngScale) : undefined
      const mode: DepthNormalize = metricScale !== undefined ? 'image' : options.range !== undefined ? 'range' : options.normalize
      const fileSink = (format: DepthFormat): Sink<FileSample, DepthPrediction> =>
        depthFileSink(format, {outDir: options.outDir, colormap: options.colormap, metricScale, fixedRange: options.range, normalize: mode})
      const videoSink = (format: DepthVideoFormat): Sink<FileSample, DepthPrediction> =>
        new VideoEncodeSink(depthVideoFormat(format, {outDir: options.outDir, colormap: options.colormap, metricScale, sideBySide, kernels: options.kernels}), {
          crf: options.crf ?? DEFAULT_CRF,
        })
      const deferred = mode === 'global' || mode === 'stable'
      const direct = files.filter((f) => !(deferred && NORMALISED.has(f))).map(fileSink)
      const normalised = [...(deferred ? files.filter((f) => NORMALISED.has(f)).map(fileSink) : []), ...videos.map(videoSink)]
      const done = new VideoDoneSink()
      const ordered = (sinks: Sink<FileSample, DepthPrediction>[]): Sink<FileSample, DepthPrediction>[] =>
        videos.length === 0 ? sinks : [new FrameOrderSink(sinks)]
      const global = mode === 'global' ? new GlobalRangeSink([...normalised, done], options.outDir, options.kernels) : undefined
      let sinks: Sink<FileSample, DepthPrediction>[]
      if (global !== undefined) sinks = [...direct, ...ordered([global])]
      else if (mode === 'stable') sinks = [...direct, new FrameOrderSink([new StableRangeSink(normalised, {emaWeight, backend: options.kernels})]), done]
      else sinks = [...direct, ...(normalised.length > 0 ? [new FrameOrderSink(normalised)] : []), done]
      const values = new ValueRangeSink<FileSample>()
      const bar = files.includes('color')
        ? new ColourBarSink<FileSample>({
            outDir: options.outDir,
            colormap: options.colormap,
            semantics: card.semantics ?? 'relative-inverse-depth',
            // Under stable each frame maps its own (smoothed) range, written in its PNG's text: per image, for the bar.
            normalize: mode === 'stable' ? 'image' : mode,
            range: () => options.range ?? global?.runRange(),
          })
        : undefined
      const warnings =
        options.metricScale !== undefined && card.semantics !== 'metric-depth'
          ? [`--metric-scale has no effect: ${card.name} predicts relative depth, written min-max normalised`]
          : []
      return {
        warnings,
        // The reference-scaled 16-bit PNG is written from the upsampled map in place when it is written right away
        // (per image, by --range, and still images under --normalize stable).
        postprocess: depthPostprocess(card, options.kernels, {reservePng16: files.includes('png16') && metricScale === undefined && mode !== 'global'}),
        sinks: [values, ...sinks, ...(bar === undefined ? [] : [bar])],
        report: {
          image: (sample) => {
            const r = values.of(sample)
            return r === undefined ? {} : {valueRange: r}
          },
          run: (shown) => ({
            normalization: {
              mode,
              range: mode === 'range' ? (options.range ?? null) : mode === 'global' ? (global?.runRange() ?? null) : null,
              colorbar: bar?.path === undefined ? null : shown(bar.path),
            },
          }),
        },
      }
    },
  }
}
