import type {ModelCard} from '../../model/card.js'
import type {ImageInfo} from '../decode.js'
import type {InferResult} from '../infer/pool.js'
import type {Size} from '../sample.js'
import type {Postprocess} from '../stages.js'
import {argmaxUpsampled} from './segment-argmax.js'

/** A class map at the image's size. */
export interface SegmentPrediction extends Size {
  readonly task: 'segmentation'
  /** Class index 0..C−1 of each pixel (the network's order; ADE20K id = index + 1). */
  readonly classes: Uint8Array
  /** Class names, index = class index. */
  readonly labels: readonly string[]
}

/** The logits' shape [1, C, h, w], checked against the card's class count. */
export function logitsShape(result: InferResult, classes: number): {channels: number; width: number; height: number} {
  const [, channels, height, width] = result.dims
  if (result.dims.length !== 4 || channels !== classes || height === undefined || width === undefined) {
    throw new Error(`unexpected logits shape [${result.dims.join(', ')}] for ${classes} classes`)
  }
  return {channels, width, height}
}

/**
 * Every logit upsampled to the image size with the card's kernel (bicubic for isl-org, bilinear for the Hugging
 * Face ports), then argmax with the first index winning ties — exactly the reference, without holding C×H×W floats.
 */
export function segmentPostprocess(card: ModelCard, labels: readonly string[]): Postprocess<SegmentPrediction> {
  const mode = card.upsample === 'bilinear' ? 'bilinear' : 'bicubic'
  return {
    needsPixels: false,
    run(image: ImageInfo, result: InferResult) {
      const {channels, width, height} = logitsShape(result, labels.length)
      const classes = argmaxUpsampled(result.data, channels, width, height, image.width, image.height, mode)
      return Promise.resolve({prediction: {task: 'segmentation', width: image.width, height: image.height, classes, labels}})
    },
  }
}
