import type {ModelCard} from '../model/card.js'
import {withPixels, type DecodedImage, type ImageInfo} from '../pipeline/decode.js'
import {depthMap, upsampleDepth} from '../pipeline/depth/processor.js'
import type {InferResult} from '../pipeline/pool.js'
import {argmaxUpsampled} from '../pipeline/postprocess/segment-argmax.js'
import type {Prepared} from '../pipeline/run.js'
import type {DepthPrediction, PredictionKind} from './types.js'
import {argmaxMultiScale, prepareView} from './predict-segment-tta.js'

/** What the card says a depth output is: relative models predict disparity, metric models depth in metres. */
export function predictionKind(card: ModelCard): PredictionKind {
  return card.semantics === 'metric-depth' ? 'depth' : 'disparity'
}

/** The depth prediction at the image's original size, upsampled as `dpt depth` does (the card's kernel). */
export function depthPrediction(card: ModelCard, image: ImageInfo, result: InferResult): DepthPrediction {
  const data = upsampleDepth(card, depthMap(result), image)
  return {width: image.width, height: image.height, data, kind: predictionKind(card)}
}

/** Test-time augmentation of a segmentation run; scales [1] without flip is the reference single-scale path. */
export interface SegmentTta {
  readonly scales: readonly number[]
  readonly flip: boolean
}

export const isSingleScale = (tta: SegmentTta): boolean => !tta.flip && tta.scales.length === 1 && tta.scales[0] === 1

/** The network input of the first view (the one the scheduler runs); further views run from `segmentPrediction`. */
export function firstInput(card: ModelCard, image: DecodedImage, tta: SegmentTta): Prepared {
  return prepareView(image, card, {scale: tta.scales[0] ?? 1, flip: false})
}

/**
 * Class indices 0..C−1 at the image's size. Single scale: the exact upsample-all-logits-then-argmax of
 * `dpt segment`. Otherwise the multi-scale + flip protocol ({@link argmaxMultiScale}).
 */
export async function segmentPrediction(
  card: ModelCard,
  channels: number,
  image: ImageInfo,
  result: InferResult,
  tta: SegmentTta,
  infer: (input: Prepared) => Promise<InferResult>,
): Promise<Uint8Array> {
  if (isSingleScale(tta)) {
    const [, c, h, w] = result.dims
    if (result.dims.length !== 4 || c !== channels || h === undefined || w === undefined) {
      throw new Error(`unexpected logits shape [${result.dims.join(', ')}] for ${channels} classes`)
    }
    return argmaxUpsampled(result.data, channels, w, h, image.width, image.height, card.upsample === 'bilinear' ? 'bilinear' : 'bicubic')
  }
  // Only here are the pixels needed after the first view (the processor keeps them for test-time augmentation).
  return argmaxMultiScale(withPixels(image), card, channels, tta.scales, tta.flip, infer, {view: {scale: tta.scales[0] ?? 1, flip: false}, result})
}
