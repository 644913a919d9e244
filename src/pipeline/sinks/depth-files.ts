import {toMetricUint16, toUint8DepthAnything, toUint8Reference} from '../../kernels/depth-scale.js'
import {encodeNpy} from '../../formats/npy.js'
import {encodePfm} from '../../formats/pfm.js'
import {encodePng8Grey, encodePngRgb} from '../../formats/png.js'
import {encodeDepthPng16, encodePng16} from '../../formats/png16.js'
import type {DepthPrediction} from '../postprocess/depth.js'
import {applyColormap, type ColormapName} from '../render/colormap.js'
import type {Sample} from '../sample.js'
import {FileSink, type FileFormat} from './file-sink.js'
import {joinOutput} from '../paths.js'

export const DEPTH_FORMATS = ['png16', 'pfm', 'npy', 'png8', 'color'] as const
export type DepthFormat = (typeof DEPTH_FORMATS)[number]

/** Formats whose values are normalised by a min/max (per image, or one over the run). */
export const NORMALISED: ReadonlySet<DepthFormat> = new Set(['png16', 'png8', 'color'])

/**
 * File names below the output directory: the reference's names for the 16-bit PNG and PFM (input stem + .png /
 * .pfm), and suffixes that keep the other formats apart.
 */
export function depthOutputPath(outDir: string, stem: string, format: DepthFormat, colormap: ColormapName): string {
  switch (format) {
    case 'png16':
      return joinOutput(outDir, stem, '.png')
    case 'pfm':
      return joinOutput(outDir, stem, '.pfm')
    case 'npy':
      return joinOutput(outDir, stem, '.npy')
    case 'png8':
      return joinOutput(outDir, stem, '.8bit.png')
    case 'color':
      return joinOutput(outDir, stem, `.${colormap}.png`)
  }
}

export interface DepthFileOptions {
  readonly outDir: string
  readonly colormap: ColormapName
  /** Metric models: 16-bit PNG = depth × this (KITTI 256, NYU 1000); undefined for relative models. */
  readonly metricScale: number | undefined
}

/** The file sink of one depth format, with the range the prediction carries (the image's, or the run's). */
export function depthFileSink<S extends Sample>(format: DepthFormat, options: DepthFileOptions): FileSink<S, DepthPrediction> {
  const path = (sample: S): string => depthOutputPath(options.outDir, sample.outStem, format, options.colormap)
  const encoders: Record<DepthFormat, FileFormat<S, DepthPrediction>['encode']> = {
    png16: ({prediction: {values, width, height, range, wasm}}) =>
      options.metricScale === undefined
        ? encodeDepthPng16(values, width, height, range, wasm)
        : encodePng16(toMetricUint16(values, options.metricScale), width, height),
    pfm: ({prediction: {values, width, height}}) => encodePfm(values, width, height),
    npy: ({prediction: {values, width, height}}) => encodeNpy(values, [height, width]),
    png8: ({prediction: {values, width, height, range}}) => encodePng8Grey(toUint8Reference(values, range.min, range.max), width, height),
    color: ({prediction: {values, width, height, range}}) => {
      // Spectral_r is Depth Anything's colouring, whose 8-bit scaling divides first (a few pixels differ).
      const toUint8 = options.colormap === 'spectral_r' ? toUint8DepthAnything : toUint8Reference
      return encodePngRgb(applyColormap(toUint8(values, range.min, range.max), options.colormap), width, height)
    },
  }
  return new FileSink({path, encode: encoders[format]})
}
