import {toMetricUint16, toUint8DepthAnything, toUint8Reference, type ValueRange} from '../../kernels/depth-scale.js'
import {encodeNpy} from '../../formats/npy.js'
import {encodePfm} from '../../formats/pfm.js'
import {encodePng8Grey, encodePngRgb} from '../../formats/png.js'
import {encodeDepthPng16, encodePng16} from '../../formats/png16.js'
import {withText} from '../../formats/png-text.js'
import type {DepthPrediction} from '../postprocess/depth.js'
import {applyColormap, type ColormapName} from '../render/colormap.js'
import type {Sample} from '../sample.js'
import {FileSink, type FileFormat} from './file-sink.js'
import {joinOutput} from '../paths.js'
import {depthText, type DepthNormalize} from './depth-text.js'

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
  /** --range: the min/max of the normalised formats instead of the prediction's; values outside clamp. */
  readonly fixedRange: ValueRange | undefined
  /** How the normalised formats' min/max was chosen, for the files' text (depth-text.ts). */
  readonly normalize: DepthNormalize
}

/**
 * The file sink of one depth format, with the range the prediction carries (the image's, or the run's) or the fixed
 * one, and PNG text that maps its pixels back to the model's values (depth-text.ts).
 */
export function depthFileSink<S extends Sample>(format: DepthFormat, options: DepthFileOptions): FileSink<S, DepthPrediction> {
  const path = (sample: S): string => depthOutputPath(options.outDir, sample.outStem, format, options.colormap)
  const scaleOf = (p: DepthPrediction): ValueRange => options.fixedRange ?? p.range
  const text = (p: DepthPrediction, levels: 65535 | 255, colormap?: ColormapName) =>
    depthText(p.semantics, p.imageRange ?? p.range, {
      kind: 'normalised',
      levels,
      normalize: options.normalize,
      range: scaleOf(p),
      ...(colormap === undefined ? {} : {colormap}),
    })
  const encoders: Record<DepthFormat, FileFormat<S, DepthPrediction>['encode']> = {
    png16: ({prediction: p}) =>
      options.metricScale === undefined
        ? encodeDepthPng16(p.values, p.width, p.height, scaleOf(p), p.wasm, text(p, 65535))
        : encodePng16(
            toMetricUint16(p.values, options.metricScale),
            p.width,
            p.height,
            depthText(p.semantics, p.imageRange ?? p.range, {kind: 'metric', scale: options.metricScale}),
          ),
    pfm: ({prediction: {values, width, height}}) => encodePfm(values, width, height),
    npy: ({prediction: {values, width, height}}) => encodeNpy(values, [height, width]),
    png8: async ({prediction: p}) => {
      const {min, max} = scaleOf(p)
      return withText(await encodePng8Grey(toUint8Reference(p.values, min, max), p.width, p.height), text(p, 255))
    },
    color: async ({prediction: p}) => {
      const {min, max} = scaleOf(p)
      // Spectral_r is Depth Anything's colouring, whose 8-bit scaling divides first (a few pixels differ).
      const toUint8 = options.colormap === 'spectral_r' ? toUint8DepthAnything : toUint8Reference
      return withText(await encodePngRgb(applyColormap(toUint8(p.values, min, max), options.colormap), p.width, p.height), text(p, 255, options.colormap))
    },
  }
  return new FileSink({path, encode: encoders[format]})
}
