import type {KernelBackend} from '../kernels/backend.js'
import type {ModelCard} from '../model/card.js'
import type {DecodedImage} from '../pipeline/decode.js'
import type {InferResult} from '../pipeline/infer/pool.js'
import {upsampleBicubic} from '../kernels/upsample-bicubic.js'
import {upsampleBilinear} from '../kernels/upsample-bilinear.js'
import {prepareInput} from '../pipeline/preprocess/prepare.js'
import {type Prepared} from '../pipeline/stages.js'

/** One test-time view: the network input at `scale` × the card's size, mirrored or not. */
export interface View {
  readonly scale: number
  readonly flip: boolean
}

export function views(scales: readonly number[], flip: boolean): View[] {
  return scales.flatMap((scale) =>
    flip
      ? [
          {scale, flip: false},
          {scale, flip: true},
        ]
      : [{scale, flip: false}],
  )
}

/** The network input of a view: the card's size rule and kernel at the scaled target size, then mirrored. */
export function prepareView(image: DecodedImage, card: ModelCard, view: View, backend: KernelBackend): Prepared {
  const pre = card.preprocess
  const scaled =
    view.scale === 1 ? pre : {...pre, height: Math.max(1, Math.round(pre.height * view.scale)), width: Math.max(1, Math.round(pre.width * view.scale))}
  const prepared = prepareInput(image, scaled, backend)
  return view.flip ? {...prepared, tensor: mirror(prepared.tensor, prepared.dims)} : prepared
}

/** Mirrors an N×C×H×W (or C×H×W) tensor left–right. */
export function mirror(tensor: Float32Array, dims: readonly number[]): Float32Array {
  const width = dims[dims.length - 1]!
  const out = new Float32Array(tensor.length)
  for (let row = 0; row < tensor.length; row += width) {
    for (let x = 0; x < width; x++) out[row + x] = tensor[row + width - 1 - x]!
  }
  return out
}

/**
 * Multi-scale + flip, as PyTorch-Encoding's MultiEvalModule scores an image (the protocol behind the published
 * multi-scale ADE20K numbers): per scale, logits of the image plus the mirrored-back logits of the mirrored image,
 * `exp` of that sum, upsampled to the image size and summed over scales; then argmax (first class wins ties).
 * dpt upsamples with the card's kernel (bicubic for isl-org DPT) where PyTorch-Encoding used bilinear, and the
 * network input of each scale follows the card's size rule. Arithmetic is float32 like PyTorch's.
 * Memory: one C×H×W float32 accumulator at image size (150 × 512 × 683 ≈ 210 MB for a typical ADE20K image).
 */
export async function argmaxMultiScale(
  image: DecodedImage,
  card: ModelCard,
  channels: number,
  scales: readonly number[],
  flip: boolean,
  infer: (input: Prepared) => Promise<InferResult>,
  backend: KernelBackend,
  first?: {view: View; result: InferResult},
): Promise<Uint8Array> {
  const {width: W, height: H} = image
  const plane = W * H
  const sum = new Float32Array(channels * plane)
  for (const scale of scales) {
    let logits: Float32Array | undefined
    let w = 0
    let h = 0
    for (const view of views([scale], flip)) {
      const reused = first !== undefined && first.view.scale === view.scale && first.view.flip === view.flip
      const result = reused ? first.result : await infer(prepareView(image, card, view, backend))
      const [, c, rh, rw] = result.dims
      if (result.dims.length !== 4 || c !== channels || rh === undefined || rw === undefined) {
        throw new Error(`unexpected logits shape [${result.dims.join(', ')}] for ${channels} classes`)
      }
      const data = view.flip ? mirror(result.data, result.dims) : result.data
      if (logits === undefined) {
        logits = Float32Array.from(data)
        w = rw
        h = rh
      } else {
        for (let i = 0; i < logits.length; i++) logits[i] = logits[i]! + data[i]!
      }
    }
    const small = w * h
    for (let k = 0; k < channels; k++) {
      const probs = new Float32Array(small)
      for (let i = 0; i < small; i++) probs[i] = Math.exp(logits![k * small + i]!)
      const up = card.upsample === 'bilinear' ? upsampleBilinear(probs, w, h, W, H) : upsampleBicubic(probs, w, h, W, H)
      const acc = sum.subarray(k * plane, (k + 1) * plane)
      for (let i = 0; i < plane; i++) acc[i] = acc[i]! + up[i]!
    }
  }
  const labels = new Uint8Array(plane)
  for (let i = 0; i < plane; i++) {
    let best = sum[i]!
    let arg = 0
    for (let k = 1; k < channels; k++) {
      const v = sum[k * plane + i]!
      if (v > best || (v !== v && best === best)) {
        best = v
        arg = k
      }
    }
    labels[i] = arg
  }
  return labels
}
