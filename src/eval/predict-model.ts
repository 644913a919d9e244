import type {KernelBackend} from '../kernels/backend.js'
import type {ModelCard} from '../model/card.js'
import {withPixels, type DecodedImage} from '../pipeline/decode.js'
import {depthPostprocess, type DepthPrediction} from '../pipeline/postprocess/depth.js'
import {logitsShape, segmentPostprocess, type SegmentPrediction} from '../pipeline/postprocess/segment.js'
import {ADE20K_CLASSES} from '../pipeline/render/ade20k.js'
import type {Postprocess, Prepared} from '../pipeline/stages.js'
import {argmaxMultiScale, prepareView} from './predict-segment-tta.js'
import type {PredictionKind} from './types.js'

/** What the card says a depth output is: relative models predict disparity, metric models depth in metres. */
export function predictionKind(card: ModelCard): PredictionKind {
  return card.semantics === 'metric-depth' ? 'depth' : 'disparity'
}

/** Test-time augmentation of a segmentation run; scales [1] without flip is the reference single-scale path. */
export interface SegmentTta {
  readonly scales: readonly number[]
  readonly flip: boolean
}

export const isSingleScale = (tta: SegmentTta): boolean => !tta.flip && tta.scales.length === 1 && tta.scales[0] === 1

/** How dpt eval prepares and post-processes with a model: the network input of the first view, and the full-size prediction. */
export interface EvalStages<P> {
  /** Replaces the card's own preparation when the first test-time view is not the card's input. */
  readonly prepare: ((image: DecodedImage) => Prepared) | undefined
  readonly postprocess: Postprocess<P>
}

/** Depth: exactly `dpt depth`'s postprocess (the card's upsampling, WebAssembly when that is the backend). */
export function depthEvalStages(card: ModelCard, backend: KernelBackend): EvalStages<DepthPrediction> {
  return {prepare: undefined, postprocess: depthPostprocess(card, backend, {reservePng16: false})}
}

/**
 * Segmentation: single scale is `dpt segment`'s exact upsample-all-logits-then-argmax; otherwise the multi-scale +
 * flip protocol ({@link argmaxMultiScale}), which prepares the image again at other scales (its pixels are kept).
 */
export function segmentEvalStages(card: ModelCard, tta: SegmentTta, backend: KernelBackend): EvalStages<SegmentPrediction> {
  const labels = card.labels ?? ADE20K_CLASSES
  if (isSingleScale(tta)) return {prepare: undefined, postprocess: segmentPostprocess(card, labels)}
  const first = {scale: tta.scales[0] ?? 1, flip: false}
  return {
    prepare: (image) => prepareView(image, card, first, backend),
    postprocess: {
      needsPixels: true,
      async run(image, result, inferMore) {
        logitsShape(result, labels.length)
        const classes = await argmaxMultiScale(withPixels(image), card, labels.length, tta.scales, tta.flip, inferMore, backend, {view: first, result})
        return {prediction: {task: 'segmentation', width: image.width, height: image.height, classes, labels}}
      },
    },
  }
}
