import {messageOf} from '../pipeline/errors.js'
import type {EvalDataset, EvalSample, ImageSize} from './datasets/dataset.js'
import {scoreDepthImage} from './metrics/depth-image.js'
import {SegmentCounts} from './metrics/segment-counts.js'
import {scoreSegmentImage} from './metrics/segment-image.js'
import type {DepthImageRecord, DepthPrediction, DepthProtocol, ImageRecord, ImageStatus, SegmentImageRecord, SegmentProtocol} from './types.js'

/**
 * Scores images one at a time against their ground truth and keeps only what the report needs: one small
 * record per image and, for segmentation, the dataset-wide counts. Predictions and GT are dropped after each
 * image, so memory does not grow with the dataset.
 */
export class Scorer {
  readonly records: ImageRecord[] = []
  readonly counts: SegmentCounts | undefined

  constructor(
    readonly dataset: EvalDataset,
    readonly protocol: DepthProtocol | SegmentProtocol,
  ) {
    this.counts = protocol.task === 'segment' ? new SegmentCounts(protocol.numClasses, protocol.ignoreIndex) : undefined
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
    try {
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
    } catch (error) {
      return this.failed(sample, messageOf(error))
    }
  }

  /** Segmentation: class indices 0..n−1 against the dataset's labels after the protocol's reduction. */
  async segment(sample: EvalSample, classes: Uint8Array | Int32Array, size: ImageSize): Promise<ImageStatus> {
    const protocol = this.protocol
    if (this.dataset.task !== 'segment' || protocol.task !== 'segment' || this.counts === undefined) throw new Error('segmentation scoring of a depth dataset')
    try {
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
    } catch (error) {
      return this.failed(sample, messageOf(error))
    }
  }

  private push(sample: EvalSample, status: 'missing-gt' | 'failed', error: string): ImageStatus {
    if (this.protocol.task === 'depth') this.records.push({id: sample.id, status, pixels: 0, metrics: null, error})
    else this.records.push({id: sample.id, status, pixels: 0, pixAcc: null, mIoU: null, error})
    return status
  }
}
