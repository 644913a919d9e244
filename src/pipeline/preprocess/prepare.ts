import type {PreprocessCard} from '../../model/card.js'
import type {DecodedImage} from '../decode.js'
import type {KernelBackend} from '../../kernels/backend.js'
import {cubicInputKernels} from '../../kernels/resize-cubic.wasm.js'
import {toNchw} from './normalize.js'
import {resizeCubicInto, resizeCubicUnitInto} from '../../kernels/resize-cubic.js'
import {resizePil} from '../../kernels/resize-pil.js'
import {networkSize} from './size-rule.js'
import {type Prepared} from '../stages.js'

/**
 * 16-bit samples (read in full: --keep-16bit) to 8 bits for the uint8 (PIL) path: the nearest 8-bit value
 * (65535 ↔ 255 is a factor 257). By default 16-bit images arrive as their high byte already (decode.ts).
 */
function to8bit(pixels: Uint16Array): Uint8Array {
  const out = new Uint8Array(pixels.length)
  for (let i = 0; i < pixels.length; i++) out[i] = Math.round(pixels[i]! / 257)
  return out
}

/** 16-bit samples as float64 in [0, 1], divided as MiDaS divides 8-bit ones by 255.0. */
function unit16(pixels: Uint16Array): Float64Array {
  const out = new Float64Array(pixels.length)
  for (let i = 0; i < pixels.length; i++) out[i] = pixels[i]! / 65535
  return out
}

/**
 * The network input for one image, as the model's family prepares it:
 * - cv2-cubic (isl-org MiDaS/DPT): image / 255.0 in float64, OpenCV INTER_CUBIC (float64 sums), (x − mean) / std
 *   in float64, one cast to float32 (16-bit inputs read in full keep their precision: / 65535); for 8-bit images this runs
 *   in WebAssembly (kernels/resize-cubic.wasm.ts, the same bits) when that is the kernel backend;
 * - pil-* (Hugging Face DPTImageProcessor): Pillow's antialiased filter on the uint8 image, then rescale and
 *   normalise in float32.
 */
export function prepareInput(image: DecodedImage, pre: PreprocessCard, backend: KernelBackend): Prepared {
  const size = networkSize(image, pre)
  const {width, height} = size
  let tensor: Float32Array
  const kernels = pre.resize === 'cv2-cubic' && image.bitDepth === 8 && backend === 'wasm' ? cubicInputKernels() : undefined
  if (kernels !== undefined) {
    tensor = kernels.resizeNormalize(image.pixels as Uint8Array, image.width, image.height, width, height, pre.mean, pre.std)
  } else if (pre.resize === 'cv2-cubic') {
    const resized = new Float64Array(width * height * 3)
    if (image.bitDepth === 8) resizeCubicUnitInto(image.pixels as Uint8Array, image.width, image.height, 3, width, height, resized)
    else resizeCubicInto(unit16(image.pixels as Uint16Array), image.width, image.height, 3, width, height, resized)
    tensor = toNchw(resized, width, height, pre.mean, pre.std, 1, 'float64')
  } else {
    const bytes = image.bitDepth === 16 ? to8bit(image.pixels as Uint16Array) : (image.pixels as Uint8Array)
    const resized = resizePil(bytes, image.width, image.height, 3, width, height, pre.resize === 'pil-bilinear' ? 'bilinear' : 'bicubic')
    tensor = toNchw(resized, width, height, pre.mean, pre.std, 1 / 255, 'float32')
  }
  return {tensor, dims: [1, 3, height, width], size}
}
