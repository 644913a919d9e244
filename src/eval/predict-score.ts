import type {Sample} from '../pipeline/sample.js'
import type {Sink} from '../pipeline/sink.js'
import type {EvalDataset, EvalSample, ImageSize} from './datasets/dataset.js'
import {scoreDepthImage} from './metrics/depth-image.js'
import {SegmentCounts} from './metrics/segment-counts.js'
import {scoreSegmentImage} from './metrics/segment-image.js'
import {scoreOrdinalImage} from './metrics/whdr.js'
import type {DepthImageRecord, DepthPrediction, EvalProtocol, ImageRecord, ImageStatus, SegmentImageRecord} from './types.js'

/**
 * Scores images one at a time against their ground truth and keeps only what the report needs: one small
 * record per image and, for segmentation, the dataset-wide counts. Predictions and GT are dropped after each
 * image, so memory does not grow with the dataset. A scoring error is thrown (the scheduler fails that sample);
 * dpt eval then records every failure once, by sample, with {@link Scorer.failed}.
 */
export class Scorer {
  readonly records: ImageRecord[] = []
  readonly counts: SegmentCounts | undefined

  constructor(
    readonly dataset: EvalDataset,
    readonly protocol: EvalProtocol,
  ) {
    this.counts = protocol.task === 'segment' ? new SegmentCounts(protocol.numClasses, protocol.ignoreIndex) : undefined
  }

  missing(sample: EvalSample): ImageStatus {
    return this.push(sample, 'missing-gt', sample.missing ?? 'no ground truth')
  }

  failed(sample: EvalSample, reason: string): ImageStatus {
    return this.push(sample, 'failed', reason)
  }

  /** Depth: GT read, sizes checked, the protocol applied (scoreDepthImage). */
  async depth(sample: EvalSample, prediction: DepthPrediction, image: ImageSize): Promise<ImageStatus> {
    const protocol = this.protocol
    if (this.dataset.task !== 'depth' || protocol.task !== 'depth') throw new Error('depth scoring of a segmentation dataset')
    const gt = await this.dataset.readGt(sample, image)
    const score = scoreDepthImage(prediction, gt, protocol)
    const record: DepthImageRecord = {
      id: sample.id,
      status: score.metrics === null ? 'no-valid-pixels' : 'scored',
      pixels: score.pixels,
      metrics: score.metrics,
      ...(score.scale === undefined ? {} : {scale: score.scale}),
      ...(score.shift === undefined ? {} : {shift: score.shift}),
    }
    this.records.push(record)
    return record.status
  }

  /** Segmentation: class indices 0..n−1 against the dataset's labels after the protocol's reduction. */
  async segment(sample: EvalSample, classes: Uint8Array | Int32Array, size: ImageSize): Promise<ImageStatus> {
    const protocol = this.protocol
    if (this.dataset.task !== 'segment' || protocol.task !== 'segment' || this.counts === undefined) throw new Error('segmentation scoring of a depth dataset')
    const gt = await this.dataset.readGt(sample, size)
    if (gt.width !== size.width || gt.height !== size.height) {
      throw new Error(`prediction is ${size.width}×${size.height} but the label map is ${gt.width}×${gt.height}`)
    }
    const score = scoreSegmentImage(classes, gt.labels, protocol)
    this.counts.merge(score.counts)
    const record: SegmentImageRecord = {
      id: sample.id,
      status: score.pixels === 0 ? 'no-valid-pixels' : 'scored',
      pixels: score.pixels,
      pixAcc: score.pixAcc,
      mIoU: score.mIoU,
    }
    this.records.push(record)
    return record.status
  }

  /** Ordinal: the sample's point pairs read at the prediction, which is at the image's size (metrics/whdr.ts). */
  async ordinal(sample: EvalSample, prediction: DepthPrediction): Promise<ImageStatus> {
    if (this.dataset.task !== 'ordinal') throw new Error('ordinal scoring of a dataset without point pairs')
    const counts = scoreOrdinalImage(prediction, await this.dataset.readGt(sample))
    this.records.push({id: sample.id, status: 'scored', ...counts})
    return 'scored'
  }

  private push(sample: EvalSample, status: 'missing-gt' | 'failed', error: string): ImageStatus {
    if (this.protocol.task === 'depth') this.records.push({id: sample.id, status, pixels: 0, metrics: null, error})
    else if (this.protocol.task === 'ordinal')
      this.records.push({id: sample.id, status, pairs: 0, disagreements: 0, fartherPairs: 0, fartherDisagreements: 0, error})
    else this.records.push({id: sample.id, status, pixels: 0, pixAcc: null, mIoU: null, error})
    return status
  }
}

/** A sample of a dataset as the scheduler carries it. */
export type EvalRunSample = Sample & {readonly evalSample: EvalSample}

/** What the scorer sink takes: a depth map (model values) or a class map, at the image's size. */
export type Scorable = ImageSize & ({readonly values: Float32Array} | {readonly classes: Uint8Array | Int32Array})

/** dpt eval's sink: each prediction scored against its ground truth; depth values are `kind` (the card's, or --prediction-kind). */
export function scoreSink<S extends EvalRunSample>(scorer: Scorer, kind: DepthPrediction['kind']): Sink<S, Scorable> {
  return {
    async consume({sample, size, prediction}) {
      if ('values' in prediction) {
        const depth = {width: prediction.width, height: prediction.height, data: prediction.values, kind}
        // Point pairs are read at the same prediction a depth map is scored on (the image's size).
        if (scorer.protocol.task === 'ordinal') await scorer.ordinal(sample.evalSample, depth)
        else await scorer.depth(sample.evalSample, depth, size)
      } else await scorer.segment(sample.evalSample, prediction.classes, size)
      return []
    },
  }
}
