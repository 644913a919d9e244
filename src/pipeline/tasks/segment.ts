import type {ImageTask} from '../images.js'
import {DEFAULT_CRF, encoderOf, segmentExtension} from '../../video/segments.js'
import {DptError, ExitCode} from '../errors.js'
import {segmentPostprocess, type SegmentPrediction} from '../postprocess/segment.js'
import {ADE20K_CLASSES} from '../render/ade20k.js'
import type {Sink} from '../sink.js'
import {FrameOrderSink} from '../sinks/frame-order.js'
import {segmentFileSink, segmentOutputPath, type SegmentFileOptions, type SegmentFormat} from '../sinks/segment-files.js'
import {isSegmentVideoFormat, segmentVideoFormat, segmentVideoPath, type SegmentVideoFormat} from '../sinks/segment-video.js'
import {VideoDoneSink} from '../sinks/video-done.js'
import {VideoEncodeSink} from '../sinks/video-encode.js'
import type {FileSample} from '../sources/files.js'

export interface SegmentOptions extends SegmentFileOptions {
  /** File formats (per image or frame) and video formats (per video), in the order given. */
  readonly formats: readonly (SegmentFormat | SegmentVideoFormat)[]
  /** Viewable videos: x264's constant rate factor (default 18), and the input beside the colours (default no). */
  readonly crf?: number
  readonly sideBySide?: boolean
}

/**
 * dpt segment: the class map (every logit upsampled, then argmax), then one file sink per file format in the order
 * given, the video formats behind a FrameOrderSink, and (for videos) the VideoDoneSink.
 */
export function segmentTask(options: SegmentOptions): ImageTask<SegmentPrediction> {
  const files = options.formats.filter((f): f is SegmentFormat => !isSegmentVideoFormat(f))
  const videos = options.formats.filter(isSegmentVideoFormat)
  return {
    task: 'segmentation',
    outputs: (sample) => files.map((f) => segmentOutputPath(options.outDir, sample.outStem, f)),
    video: {
      formats: videos,
      finals: (stem) => videos.map((f) => segmentVideoPath(options.outDir, stem, f)),
      segmented: videos.map((f) => ({name: f, extension: segmentExtension(f === 'labels-mkv' ? 'ffv1-gray8' : 'h264')})),
      encoders: [...new Set(videos.map((f) => encoderOf(f === 'labels-mkv' ? 'ffv1-gray8' : 'h264')))],
      stable: false,
      restart: false,
      normalize: 'labels',
      settings: [
        `label offset ${options.labelOffset}`,
        `alpha ${options.alpha}`,
        `crf ${options.crf ?? DEFAULT_CRF}`,
        `side by side ${options.sideBySide === true ? 'yes' : 'no'}`,
      ].join(', '),
    },
    create(card) {
      const labels = card.labels ?? ADE20K_CLASSES
      if (labels.length + options.labelOffset > 256) {
        throw new DptError(`${card.name} has ${labels.length} classes: too many for 8-bit label maps`, {exitCode: ExitCode.model})
      }
      if (card.upsample === 'bilinear-align-corners') {
        throw new DptError(`${card.name}: segmentation upsampling must be bicubic or bilinear`, {exitCode: ExitCode.model})
      }
      const encoders = videos.map(
        (f): Sink<FileSample, SegmentPrediction> =>
          new VideoEncodeSink(segmentVideoFormat(f, {...options, sideBySide: options.sideBySide ?? false}), {crf: options.crf ?? DEFAULT_CRF}),
      )
      const sinks: Sink<FileSample, SegmentPrediction>[] = [
        ...files.map((f) => segmentFileSink<FileSample>(f, options)),
        ...(encoders.length > 0 ? [new FrameOrderSink(encoders)] : []),
        new VideoDoneSink(),
      ]
      return {postprocess: segmentPostprocess(card, labels), sinks}
    },
  }
}
