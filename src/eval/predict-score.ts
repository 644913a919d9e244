import {DptError, ExitCode, messageOf} from '../pipeline/errors.js'
import type {Sample} from '../pipeline/sample.js'
import type {Sink} from '../pipeline/sink.js'
import {ConfusionMatrix} from './analysis/confusion.js'
import {DepthAccumulator} from './analysis/depth-accumulator.js'
import {depthBinsFor} from './analysis/depth-bins.js'
import {classOverlaps} from './analysis/image-classes.js'
import type {EvalDataset, EvalSample, ImageSize, LabelMap} from './datasets/dataset.js'
import {scoreDepthImage} from './metrics/depth-image.js'
import {SegmentCounts} from './metrics/segment-counts.js'
import {scoreSegmentImage} from './metrics/segment-image.js'
import {TemporalPairs} from './metrics/temporal.js'
import {scoreOrdinalImage} from './metrics/whdr.js'
import type {DepthGt, DepthImageRecord, DepthPrediction, EvalProtocol, ImageRecord, ImageStatus, SegmentImageRecord} from './types.js'

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
 * image, so memory does not grow with the dataset. A scoring error is thrown (the scheduler fails that sample);
 * dpt eval then records every failure once, by sample, with {@link Scorer.failed}.
 */
export class Scorer {
  readonly records: ImageRecord[] = []
  readonly counts: SegmentCounts | undefined
  /** What the HTML report draws (report.analysis): the confusion matrix, the depth histograms. */
  readonly confusion: ConfusionMatrix | undefined
  readonly depthAnalysis: DepthAccumulator | undefined
  /**
   * Called after each scored image (not for failures), awaited. Its errors are the run's, not the image's: a
   * report that cannot be written fails every image after it too.
   */
  onScored: ((image: ScoredImage) => Promise<void>) | undefined
  /** dpt eval --temporal: consecutive frames of a sequence dataset paired as they are scored. */
  readonly temporal: TemporalPairs | undefined

  constructor(
    readonly dataset: EvalDataset,
    readonly protocol: EvalProtocol,
    options: {temporal?: boolean} = {},
  ) {
    this.temporal = options.temporal === true && protocol.task === 'depth' ? new TemporalPairs(dataset.samples, protocol) : undefined
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

  /** Depth: GT read, sizes checked, the protocol applied (scoreDepthImage). */
  async depth(sample: EvalSample, prediction: DepthPrediction, image: ImageSize): Promise<ImageStatus> {
    const protocol = this.protocol
    if (this.dataset.task !== 'depth' || protocol.task !== 'depth') throw new Error('depth scoring of a segmentation dataset')
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
    if (record.status === 'scored') this.temporal?.add(sample.id, prediction, gt, score)
    else this.temporal?.skip(sample.id)
    await this.report({task: 'depth', sample, record, gt, prediction})
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
    await this.report({task: 'segment', sample, record, gt, prediction: classes})
    return record.status
  }

  /** Ordinal: the sample's point pairs read at the prediction, which is at the image's size (metrics/whdr.ts). */
  async ordinal(sample: EvalSample, prediction: DepthPrediction): Promise<ImageStatus> {
    if (this.dataset.task !== 'ordinal') throw new Error('ordinal scoring of a dataset without point pairs')
    const counts = scoreOrdinalImage(prediction, await this.dataset.readGt(sample))
    this.records.push({id: sample.id, status: 'scored', ...counts})
    return 'scored'
  }

  /** Hands a scored image to the report; a report error stops the run (see onScored). */
  private async report(image: ScoredImage): Promise<void> {
    try {
      await this.onScored?.(image)
    } catch (error) {
      throw new DptError(`Could not write the HTML report: ${messageOf(error)}`, {exitCode: ExitCode.internal, cause: error, abortsRun: true})
    }
  }

  private push(sample: EvalSample, status: 'missing-gt' | 'failed', error: string): ImageStatus {
    this.temporal?.skip(sample.id)
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
