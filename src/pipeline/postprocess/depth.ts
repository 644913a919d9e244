import type {KernelBackend} from '../../kernels/backend.js'
import {minMaxFinite, type ValueRange} from '../../kernels/depth-scale.js'
import {upsampleBicubic} from '../../kernels/upsample-bicubic.js'
import {upsampleBicubicWasm} from '../../kernels/upsample-bicubic.wasm.js'
import {upsampleBilinearAlignCorners} from '../../kernels/upsample-bilinear.js'
import {WasmInstancePool, type WasmInstance} from '../../kernels/wasm/module.js'
import type {DepthSemantics, ModelCard} from '../../model/card.js'
import type {ImageInfo} from '../decode.js'
import {DptError, ExitCode} from '../errors.js'
import type {InferResult} from '../infer/pool.js'
import type {Size} from '../sample.js'
import {floatScratch} from '../scratch.js'
import type {Postprocess} from '../stages.js'

/** A depth map at the image's size, as the model's reference returns it there. */
export interface DepthPrediction extends Size {
  readonly task: 'depth'
  /** The model's values (relative inverse depth, or metres for metric models); valid while the sinks run. */
  readonly values: Float32Array
  /** Finite min and max of the values ({0, 0} when none is finite); the normalised formats map it to 0..max level. */
  readonly range: ValueRange
  /** This map's own finite min and max, when `range` is another one (the run's, under --normalize global). */
  readonly imageRange?: ValueRange
  readonly semantics: DepthSemantics
  /**
   * The WebAssembly instance whose memory holds `values` (bicubic models on the wasm backend), with room after
   * them for their 16-bit PNG rows when asked for: the PNG is then written from there without a copy.
   */
  readonly wasm: WasmInstance | undefined
}

/** The network output at network size, as one float map. */
export function depthMap(result: InferResult): {data: Float32Array; width: number; height: number} {
  const dims = result.dims
  const width = dims[dims.length - 1] ?? 0
  const height = dims[dims.length - 2] ?? 0
  if (width * height !== result.data.length) throw new Error(`unexpected depth output shape [${dims.join(', ')}]`)
  return {data: result.data, width, height}
}

/**
 * Back to the original size as the model's reference does (REFERENCE §3): bicubic, align_corners=False for DPT and
 * MiDaS, bilinear align_corners=True for the original Depth Anything V2 — with the map's min/max. The full-size map
 * is reused from image to image (a WebAssembly instance, or a scratch array): a fresh array of tens of megabytes
 * faults in page by page next to inference. `reservePng16` leaves room for the reference 16-bit PNG's rows.
 */
export function depthPostprocess(card: ModelCard, backend: KernelBackend, options: {readonly reservePng16: boolean}): Postprocess<DepthPrediction> {
  if (card.upsample === 'bilinear') {
    throw new DptError(`${card.name}: depth upsampling "bilinear" is not supported (use bicubic or bilinear-align-corners)`, {exitCode: ExitCode.model})
  }
  const semantics: DepthSemantics = card.semantics === 'metric-depth' ? 'metric-depth' : 'relative-inverse-depth'
  const instances = new WasmInstancePool()
  const scratch = floatScratch()
  const useWasm = card.upsample === 'bicubic' && backend === 'wasm'
  return {
    needsPixels: false,
    run(image: ImageInfo, result: InferResult) {
      const map = depthMap(result)
      const {width, height} = image
      if (useWasm) {
        const wasm = instances.take()
        try {
          const {depth, range} = upsampleBicubicWasm(wasm, map.data, map.width, map.height, width, height, options.reservePng16)
          return Promise.resolve({
            prediction: {task: 'depth', width, height, values: depth, range, semantics, wasm},
            release: () => {
              instances.give(wasm)
            },
          })
        } catch (error) {
          instances.give(wasm)
          throw error
        }
      }
      const out = scratch.take(width * height)
      try {
        const values =
          card.upsample === 'bilinear-align-corners'
            ? upsampleBilinearAlignCorners(map.data, map.width, map.height, width, height, out)
            : upsampleBicubic(map.data, map.width, map.height, width, height, out)
        const prediction: DepthPrediction = {task: 'depth', width, height, values, range: minMaxFinite(values), semantics, wasm: undefined}
        return Promise.resolve({
          prediction,
          release: () => {
            scratch.give(out)
          },
        })
      } catch (error) {
        scratch.give(out)
        throw error
      }
    },
  }
}
