import type {PreprocessCard} from '../../model/card.js'
import type {DecodedImage} from '../decode.js'
import type {Prepared} from '../run.js'
import {toNchw} from './normalize.js'
import {resizeCubic} from './resize-cubic.js'
import {resizePil} from './resize-pil.js'
import {networkSize} from './size-rule.js'

/** 16-bit samples to 8 bits for the uint8 (PIL) path: the nearest 8-bit value, as 65535 ↔ 255 scales by 257. */
function to8bit(pixels: Uint16Array): Uint8Array {
  const out = new Uint8Array(pixels.length)
  for (let i = 0; i < pixels.length; i++) out[i] = Math.round((pixels[i] ?? 0) / 257)
  return out
}

/**
 * The network input for one image, as the model's family prepares it:
 * - cv2-cubic (isl-org reference): the image as float in [0, 1] (16-bit inputs keep their precision),
 *   OpenCV INTER_CUBIC to the size rule's size, then (x − mean) / std;
 * - pil-* (Hugging Face processors): resize the uint8 image with Pillow's antialiased filter, then
 *   rescale by 1/255 and normalise.
 */
export function prepareInput(image: DecodedImage, pre: PreprocessCard): Prepared {
  const size = networkSize(image, pre)
  let tensor: Float32Array
  if (pre.resize === 'cv2-cubic') {
    const scale = image.bitDepth === 16 ? 1 / 65535 : 1 / 255
    const unit = new Float64Array(image.pixels.length)
    for (let i = 0; i < unit.length; i++) unit[i] = (image.pixels[i] ?? 0) * scale
    const resized = resizeCubic(unit, image.width, image.height, 3, size.width, size.height)
    tensor = toNchw(resized, size.width, size.height, pre.mean, pre.std, 1)
  } else {
    const bytes = image.bitDepth === 16 ? to8bit(image.pixels as Uint16Array) : (image.pixels as Uint8Array)
    const filter = pre.resize === 'pil-bilinear' ? 'bilinear' : 'bicubic'
    const resized = resizePil(bytes, image.width, image.height, 3, size.width, size.height, filter)
    tensor = toNchw(resized, size.width, size.height, pre.mean, pre.std, 1 / 255)
  }
  return {tensor, dims: [1, 3, size.height, size.width], size}
}
