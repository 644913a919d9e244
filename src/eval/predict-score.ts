import {messageOf} from '../pipeline/errors.js'
import {ConfusionMatrix} from './analysis/confusion.js'
import {DepthAccumulator} from './analysis/depth-accumulator.js'
import {depthBinsFor} from './analysis/depth-bins.js'
import {classOverlaps} from './analysis/image-classes.js'
import type {EvalDataset, EvalSample, ImageSize, LabelMap} from './datasets/dataset.js'
import {scoreDepthImage} from './metrics/depth-image.js'
import {SegmentCounts} from './metrics/segment-counts.js'
import {scoreSegmentImage} from './metrics/segment-image.js'
import type {DepthGt, DepthImageRecord, DepthPrediction, DepthProtocol, ImageRecord, ImageStatus, SegmentImageRecord, SegmentProtocol} from './types.js'

/** One image just scored, with what it was scored on: what a report sink (the HTML report's image panels) looks at. */
export type ScoredImage =
  | {readonly task: 'depth'; readonly sample: EvalSample; readonly record: DepthImageRecord; readonly gt: DepthGt; readonly prediction: DepthPrediction}
  | {
      readonly task: 'segment'
      readonly sample: EvalSample
      readonly record: SegmentImageRecord
      /** As the dataset stores them (ADE20K ids 0..150), before the protocol's reduction. */
      readonly gt: LabelMap
      /** Class indices 0..n−1. */
      readonly prediction: Uint8Array | Int32Array
    }

/**
 * Scores images one at a time against their ground truth and keeps only what the report needs: one small
 * record per image and, for segmentation, the dataset-wide counts. Predictions and GT are dropped after each
 * image, so memory does not grow with the dataset.
 */
export class Scorer {
  readonly records: ImageRecord[] = []
  readonly counts: SegmentCounts | undefined
  /** The report's `analysis` accumulators (confusion matrix; depth histogram and error by depth). */
  readonly confusion: ConfusionMatrix | undefined
  readonly depthAnalysis: DepthAccumulator | undefined
  /** Called after each scored image (not for failures), awaited; its errors are the run's, not the image's. */
  onScored: ((image: ScoredImage) => Promise<void>) | undefined

  constructor(
    readonly dataset: EvalDataset,
    readonly protocol: DepthProtocol | SegmentProtocol,
  ) {
    this.counts = protocol.task === 'segment' ? new SegmentCounts(protocol.numClasses, protocol.ignoreIndex) : undefined
    this.confusion = protocol.task === 'segment' ? new ConfusionMatrix(protocol.numClasses, protocol.ignoreIndex) : undefined
    this.depthAnalysis = protocol.task === 'depth' ? new DepthAccumulator(depthBinsFor(protocol)) : undefined
  }

  missing(sample: EvalSample): ImageStatus {
    return this.push(sample, 'missing-gt', sample.missing ?? 'no ground truth')
  }

  failed(sample: EvalSample, reason: string): ImageStatus {
    return this.push(sample, 'failed', reason)
  }

  /** Depth: GT read, sizes checked, the protocol applied (scoreDepthImage). Errors become a failed record. */
  async depth(sample: EvalSample, prediction: DepthPrediction, image: ImageSize): Promise<ImageStatus> {
    const protocol = this.protocol
    if (this.dataset.task !== 'depth' || protocol.task !== 'depth') throw new Error('depth scoring of a segmentation dataset')
    let scored: ScoredImage
    try {
      const gt = await this.dataset.readGt(sample, image)
      const score = scoreDepthImage(prediction, gt, protocol, (depth, g) => this.depthAnalysis?.add(depth, g))
      const record: DepthImageRecord = {
        id: sample.id,
        status: score.metrics === null ? 'no-valid-pixels' : 'scored',
        pixels: score.pixels,
        metrics: score.metrics,
        ...(score.scale === undefined ? {} : {scale: score.scale}),
        ...(score.shift === undefined ? {} : {shift: score.shift}),
      }
      this.records.push(record)
      scored = {task: 'depth', sample, record, gt, prediction}
    } catch (error) {
      return this.failed(sample, messageOf(error))
    }
    await this.onScored?.(scored)
    return scored.record.status
  }

  /** Segmentation: class indices 0..n−1 against the dataset's labels after the protocol's reduction. */
  async segment(sample: EvalSample, classes: Uint8Array | Int32Array, size: ImageSize): Promise<ImageStatus> {
    const protocol = this.protocol
    if (this.dataset.task !== 'segment' || protocol.task !== 'segment' || this.counts === undefined) throw new Error('segmentation scoring of a depth dataset')
    let scored: ScoredImage
    try {
      const gt = await this.dataset.readGt(sample, size)
      if (gt.width !== size.width || gt.height !== size.height) {
        throw new Error(`prediction is ${size.width}×${size.height} but the label map is ${gt.width}×${gt.height}`)
      }
      const score = scoreSegmentImage(classes, gt.labels, protocol, (pred, label) => this.confusion?.add(pred, label))
      this.counts.merge(score.counts)
      const record: SegmentImageRecord = {
        id: sample.id,
        status: score.pixels === 0 ? 'no-valid-pixels' : 'scored',
        pixels: score.pixels,
        pixAcc: score.pixAcc,
        mIoU: score.mIoU,
        classes: classOverlaps(score.counts),
      }
      this.records.push(record)
      scored = {task: 'segment', sample, record, gt, prediction: classes}
    } catch (error) {
      return this.failed(sample, messageOf(error))
    }
    await this.onScored?.(scored)
    return scored.record.status
  }

  private push(sample: EvalSample, status: 'missing-gt' | 'failed', error: string): ImageStatus {
    if (this.protocol.task === 'depth') this.records.push({id: sample.id, status, pixels: 0, metrics: null, error})
    else this.records.push({id: sample.id, status, pixels: 0, pixAcc: null, mIoU: null, error})
    return status
  }
}
