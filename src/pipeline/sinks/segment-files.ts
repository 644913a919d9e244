import {basename} from 'node:path'
import {legendSvg} from '../../formats/legend-svg.js'
import {encodePng8Grey, encodePngRgb, encodePngRgba} from '../../formats/png.js'
import {withPixels} from '../decode.js'
import type {SegmentPrediction} from '../postprocess/segment.js'
import {ADE20K_PALETTE} from '../render/ade20k.js'
import {classShares, colorize, overlay} from '../render/segment-colours.js'
import type {Sample} from '../sample.js'
import {FileSink, type FileFormat} from './file-sink.js'
import {joinOutput} from '../paths.js'

export const SEGMENT_FORMATS = ['labels', 'color', 'overlay', 'json', 'legend'] as const
export type SegmentFormat = (typeof SEGMENT_FORMATS)[number]

/**
 * Label maps keep the input's stem (x.png, as ADE20K's annotations are named, so eval can match them); the
 * other outputs carry a suffix.
 */
export function segmentOutputPath(outDir: string, stem: string, format: SegmentFormat): string {
  switch (format) {
    case 'labels':
      return joinOutput(outDir, stem, '.png')
    case 'color':
      return joinOutput(outDir, stem, '.color.png')
    case 'overlay':
      return joinOutput(outDir, stem, '.overlay.png')
    case 'json':
      return joinOutput(outDir, stem, '.json')
    case 'legend':
      return joinOutput(outDir, stem, '.legend.svg')
  }
}

export interface SegmentFileOptions {
  readonly outDir: string
  /** Written label = class index + offset: 1 gives ADE ids 1..150 (0 never written), 0 gives 0..149. */
  readonly labelOffset: 0 | 1
  /** Overlay weight of the class colour (the reference blends with 0.5). */
  readonly alpha: number
}

/** The palette colours of a prediction, computed once for the color and overlay formats. */
const colourCache = new WeakMap<SegmentPrediction, Uint8Array>()
function colours(prediction: SegmentPrediction): Uint8Array {
  let rgb = colourCache.get(prediction)
  if (rgb === undefined) {
    rgb = colorize(prediction.classes, ADE20K_PALETTE)
    colourCache.set(prediction, rgb)
  }
  return rgb
}

/**
 * Every class present with its pixel count, share and the colour the color and overlay formats give it (the
 * palette entry of ADE id index + 1, whatever the label offset), largest first.
 */
function classLegend(classes: Uint8Array, labels: readonly string[], offset: number) {
  return classShares(classes, labels, offset).map((c) => ({...c, color: ADE20K_PALETTE[c.id - offset + 1] ?? ([0, 0, 0] as const)}))
}

/** The file sink of one segmentation format. */
export function segmentFileSink<S extends Sample>(format: SegmentFormat, options: SegmentFileOptions): FileSink<S, SegmentPrediction> {
  const path = (sample: S): string => segmentOutputPath(options.outDir, sample.outStem, format)
  const formats: Record<SegmentFormat, FileFormat<S, SegmentPrediction>> = {
    labels: {
      path,
      encode: ({prediction: {classes, width, height}}) =>
        encodePng8Grey(options.labelOffset === 0 ? classes : Uint8Array.from(classes, (k) => k + 1), width, height),
    },
    color: {path, encode: ({prediction}) => encodePngRgb(colours(prediction), prediction.width, prediction.height)},
    overlay: {
      path,
      needsPixels: true,
      encode: ({prediction, image}) => {
        if (image === undefined) throw new Error('an overlay needs the decoded image')
        return encodePngRgba(overlay(withPixels(image), colours(prediction), options.alpha), prediction.width, prediction.height)
      },
    },
    json: {
      path,
      encode: ({prediction: {classes, labels, width, height}}) => {
        const record = {width, height, labelOffset: options.labelOffset, classes: classLegend(classes, labels, options.labelOffset)}
        return Buffer.from(JSON.stringify(record, null, 2) + '\n')
      },
    },
    legend: {
      path,
      encode: ({sample, prediction: {classes, labels}}) => {
        const present = classLegend(classes, labels, options.labelOffset)
        const entries = present.map((c) => ({colour: c.color, label: `${c.id} ${c.name} (${c.share < 0.0005 ? '< 0.1' : (c.share * 100).toFixed(1)} %)`}))
        return Buffer.from(legendSvg(`${basename(sample.outStem)}: ${present.length} classes`, entries))
      },
    },
  }
  return new FileSink(formats[format])
}
