import type {KernelBackend} from '../../kernels/backend.js'
import {toMetricUint16, toUint16Reference, toUint8DepthAnything, toUint8Reference, type ValueRange} from '../../kernels/depth-scale.js'
import {colormapReferenceWasm, toUint16ReferenceWasm} from '../../kernels/depth-scale.wasm.js'
import {WasmInstance} from '../../kernels/wasm/module.js'
import {sideBySide} from '../../video/encode-specs.js'
import {withPixels, type ImageInfo} from '../decode.js'
import {joinOutput} from '../paths.js'
import type {DepthPrediction} from '../postprocess/depth.js'
import {applyColormap, colormapLut, type ColormapName} from '../render/colormap.js'
import type {VideoFormat} from './video-encode.js'

export const DEPTH_VIDEO_FORMATS = ['mkv16', 'mp4'] as const
export type DepthVideoFormat = (typeof DEPTH_VIDEO_FORMATS)[number]

export const isDepthVideoFormat = (format: string): format is DepthVideoFormat => (DEPTH_VIDEO_FORMATS as readonly string[]).includes(format)

/** Encoded videos sit next to the video's frame folder: `out/clip.depth.mkv`, `out/clip.depth.mp4`. */
export function depthVideoPath(outDir: string, stem: string, format: DepthVideoFormat): string {
  return joinOutput(outDir, stem, format === 'mkv16' ? '.depth.mkv' : '.depth.mp4')
}

export interface DepthVideoOptions {
  readonly outDir: string
  readonly colormap: ColormapName
  /** Metric models: the 16-bit values are depth × this, as in their 16-bit PNGs. */
  readonly metricScale: number | undefined
  /** mp4: the input frame on the left, the depth on the right. */
  readonly sideBySide: boolean
  /** Which implementation scales the reference's levels (the same values either way). */
  readonly kernels: KernelBackend
}

/** The decoded frame as 8-bit RGB (16-bit samples to the nearest 8-bit value, as the PNG and overlay paths do). */
export function rgb8Of(image: ImageInfo | undefined): Uint8Array {
  if (image === undefined) throw new Error('side by side needs the decoded frame')
  const {pixels, bitDepth} = withPixels(image)
  return bitDepth === 8 ? Uint8Array.from(pixels) : Uint8Array.from(pixels, (v) => Math.round(v / 257))
}

/**
 * The depth video formats:
 * - `mkv16`: FFV1 gray16le in Matroska, lossless: each frame decodes to exactly the values of its 16-bit PNG
 *   (the same reference scaling with the same range, or depth × the metric scale);
 * - `mp4`: H.264 yuv420p for viewing: the frame's 8-bit values through --colormap, as the `color` PNGs, optionally
 *   beside the input frame; the input's timestamps and audio are kept (--crf sets the quality).
 */
export function depthVideoFormat(format: DepthVideoFormat, options: DepthVideoOptions): VideoFormat<DepthPrediction> {
  const path = (stem: string): string => depthVideoPath(options.outDir, stem, format)
  // One instance per format, made at its first frame: render() is synchronous, so frames never share it at once.
  let instance: WasmInstance | undefined
  const wasm = (): WasmInstance | undefined => (options.kernels === 'wasm' ? (instance ??= new WasmInstance()) : undefined)
  if (format === 'mkv16') {
    const reference = (values: Float32Array, {min, max}: ValueRange): Uint16Array => {
      const w = wasm()
      return w === undefined ? toUint16Reference(values, min, max) : toUint16ReferenceWasm(w, values, min, max)
    }
    return {
      name: format,
      codec: 'ffv1-gray16',
      needsPixels: false,
      path,
      size: ({width, height}) => ({width, height}),
      render: ({prediction: {values, range}}) => (options.metricScale === undefined ? reference(values, range) : toMetricUint16(values, options.metricScale)),
    }
  }
  // Spectral_r is Depth Anything's colouring, whose 8-bit scaling divides first (as the color PNGs).
  const colours = (values: Float32Array, {min, max}: ValueRange): Uint8Array => {
    if (options.colormap === 'spectral_r') return applyColormap(toUint8DepthAnything(values, min, max), options.colormap)
    const w = wasm()
    return w === undefined
      ? applyColormap(toUint8Reference(values, min, max), options.colormap)
      : colormapReferenceWasm(w, values, min, max, colormapLut(options.colormap))
  }
  return {
    name: format,
    codec: 'h264',
    needsPixels: options.sideBySide,
    path,
    size: ({width, height}) => ({width: options.sideBySide ? 2 * width : width, height}),
    render: ({prediction: {values, width, height, range}, image}) => {
      const rgb = colours(values, range)
      return options.sideBySide ? sideBySide(rgb8Of(image), rgb, width, height) : rgb
    },
  }
}
