import {sideBySide} from '../../video/encode-specs.js'
import {withPixels} from '../decode.js'
import {joinOutput} from '../paths.js'
import type {SegmentPrediction} from '../postprocess/segment.js'
import {ADE20K_PALETTE} from '../render/ade20k.js'
import {colorize, overlay} from '../render/segment-colours.js'
import {rgb8Of} from './depth-video.js'
import type {VideoFormat} from './video-encode.js'

export const SEGMENT_VIDEO_FORMATS = ['labels-mkv', 'color-mp4', 'overlay-mp4'] as const
export type SegmentVideoFormat = (typeof SEGMENT_VIDEO_FORMATS)[number]

export const isSegmentVideoFormat = (format: string): format is SegmentVideoFormat => (SEGMENT_VIDEO_FORMATS as readonly string[]).includes(format)

const SUFFIX: Record<SegmentVideoFormat, string> = {'labels-mkv': '.labels.mkv', 'color-mp4': '.color.mp4', 'overlay-mp4': '.overlay.mp4'}

export const segmentVideoPath = (outDir: string, stem: string, format: SegmentVideoFormat): string => joinOutput(outDir, stem, SUFFIX[format])

export interface SegmentVideoOptions {
  readonly outDir: string
  /** As the label PNGs: written value = class index + offset. */
  readonly labelOffset: 0 | 1
  readonly alpha: number
  /** color-mp4: the input frame on the left. */
  readonly sideBySide: boolean
}

/** RGBA (the overlay PNG's pixels) without its alpha. */
function rgbOf(rgba: Uint8Array): Uint8Array {
  const out = new Uint8Array((rgba.length / 4) * 3)
  for (let i = 0, o = 0; i < rgba.length; i += 4, o += 3) {
    out[o] = rgba[i]!
    out[o + 1] = rgba[i + 1]!
    out[o + 2] = rgba[i + 2]!
  }
  return out
}

/**
 * The segmentation video formats: `labels-mkv` (FFV1 8-bit grey, lossless: each frame decodes to its label PNG),
 * `color-mp4` (the ADE20K palette colours, as the color PNGs; optionally beside the input) and `overlay-mp4` (the
 * reference blend of the overlay PNGs), both H.264 with the input's timestamps and audio.
 */
export function segmentVideoFormat(format: SegmentVideoFormat, options: SegmentVideoOptions): VideoFormat<SegmentPrediction> {
  const path = (stem: string): string => segmentVideoPath(options.outDir, stem, format)
  switch (format) {
    case 'labels-mkv':
      return {
        name: format,
        codec: 'ffv1-gray8',
        needsPixels: false,
        path,
        size: ({width, height}) => ({width, height}),
        render: ({prediction: {classes}}) => (options.labelOffset === 0 ? Uint8Array.from(classes) : Uint8Array.from(classes, (k) => k + 1)),
      }
    case 'color-mp4':
      return {
        name: format,
        codec: 'h264',
        needsPixels: options.sideBySide,
        path,
        size: ({width, height}) => ({width: options.sideBySide ? 2 * width : width, height}),
        render: ({prediction: {classes, width, height}, image}) => {
          const rgb = colorize(classes, ADE20K_PALETTE)
          return options.sideBySide ? sideBySide(rgb8Of(image), rgb, width, height) : rgb
        },
      }
    case 'overlay-mp4':
      return {
        name: format,
        codec: 'h264',
        needsPixels: true,
        path,
        size: ({width, height}) => ({width, height}),
        render: ({prediction: {classes}, image}) => {
          if (image === undefined) throw new Error('an overlay needs the decoded frame')
          return rgbOf(overlay(withPixels(image), colorize(classes, ADE20K_PALETTE), options.alpha))
        },
      }
  }
}
