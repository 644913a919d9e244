/**
 * The eval contract shared by the metric/report side (src/eval/metrics, src/eval/report, src/eval/protocol.ts)
 * and the dataset/command side (src/eval/datasets, src/eval/gt, src/eval/predict*, src/commands/eval).
 * Types only: the functions named in the comments live in the modules listed there.
 */

// ---------------------------------------------------------------------------------------------------------
// Depth inputs

/**
 * Ground-truth depth at its native size, in metres (or the dataset's unit after its scale).
 * A pixel is invalid when its depth is 0, NaN or ±inf, or when `valid` is given and holds 0 there (DIODE mask).
 */
export interface DepthGt {
  readonly width: number
  readonly height: number
  readonly depth: Float32Array
  readonly valid?: Uint8Array
}

/**
 * What a depth model predicted, already resized to the GT size. Relative models (DPT, MiDaS, Depth Anything)
 * output `disparity` (relative inverse depth, affine-invariant); metric models output `depth` in metres.
 */
export type PredictionKind = 'disparity' | 'depth'
export interface DepthPrediction {
  readonly width: number
  readonly height: number
  readonly data: Float32Array
  readonly kind: PredictionKind
}

// ---------------------------------------------------------------------------------------------------------
// Ordinal inputs

/**
 * One annotated point pair as DIW stores it (src/eval/datasets/point-pairs.ts): 1-based pixel coordinates, row y
 * first, and the relation of A to B: `>` = A is farther than B, `<` = A is closer.
 */
export interface PointPair {
  readonly yA: number
  readonly xA: number
  readonly yB: number
  readonly xB: number
  readonly relation: '>' | '<'
}

/** The point pairs of one image and, when the annotation states it (DIW does), the image size they refer to. */
export interface OrdinalGt {
  readonly pairs: readonly PointPair[]
  readonly size?: {readonly width: number; readonly height: number}
}

// ---------------------------------------------------------------------------------------------------------
// Protocols (built and defaulted per dataset by src/eval/protocol.ts)

/**
 * - `none`: the prediction is used as it is (disparity is inverted to depth first).
 * - `scale`: least-squares scale only, in the prediction's own space (disparity or depth).
 * - `scale-shift-disparity`: least-squares scale and shift of predicted disparity to GT disparity 1/d on the
 *   valid mask (closed-form 2×2, determinant ≤ 0 → s = t = 0), the MiDaS/DPT zero-shot protocol.
 * - `scale-shift-depth`: the same in depth space (Marigold), for affine-invariant depth predictions.
 */
export type DepthAlignment = 'none' | 'scale' | 'scale-shift-disparity' | 'scale-shift-depth'
export const DEPTH_ALIGNMENTS: readonly DepthAlignment[] = ['none', 'scale', 'scale-shift-disparity', 'scale-shift-depth']

/**
 * Evaluation regions, intersected when several are given:
 * - `eigen`: rows 45:471, cols 41:601 of a 480×640 NYU frame (BTS `eigen_crop` for NYU).
 * - `garg`: rows int(0.40810811·H):int(0.99189189·H), cols int(0.03594771·W):int(0.96405229·W) of the full GT.
 * - `kitti-bench`: the bottom-centre 352×1216 window (top = H − 352, left = floor((W − 1216) / 2)).
 */
export type DepthCrop = 'eigen' | 'garg' | 'kitti-bench'
export const DEPTH_CROPS: readonly DepthCrop[] = ['eigen', 'garg', 'kitti-bench']

export interface DepthProtocol {
  readonly task: 'depth'
  readonly alignment: DepthAlignment
  /** Valid GT range, strict on both sides like BTS: minDepth < gt < maxDepth (maxDepth may be Infinity). */
  readonly minDepth: number
  readonly maxDepth: number
  /**
   * Depth cap in metres, or null. With disparity alignment the aligned disparity is clamped below at 1/cap
   * before inverting (MiDaS/DPT); otherwise predicted depth is clamped above at cap.
   */
  readonly cap: number | null
  /** Regions intersected with the valid mask; empty = the whole frame. */
  readonly crops: readonly DepthCrop[]
  /** Clip (aligned) predicted depth to [minDepth, maxDepth] before scoring (BTS metric protocol). */
  readonly clip: boolean
}

export interface SegmentProtocol {
  readonly task: 'segment'
  readonly numClasses: number
  /** Label value excluded from every count (255 for ADE20K after reduce-zero-label). */
  readonly ignoreIndex: number
  /** ADE20K: label id 0 ("other") → ignoreIndex, id k → k − 1 (mmseg `reduce_zero_label`). */
  readonly reduceZeroLabel: boolean
  /** Test-time augmentation: relative input scales (1 = the model's size) and horizontal flip. */
  readonly scales: readonly number[]
  readonly flip: boolean
}

/**
 * Ordinal ground truth (DIW, point-pair files): the order of two points is compared, not a depth map, so there
 * is nothing to align or cap. `ties: 'disagree'`: a prediction that ranks both points equal (or NaN) counts as a
 * disagreement whatever the annotation, as Chen et al.'s Torch evaluation of DIW does (a pair is correct only when
 * (z_A − z_B)·r > 0, r = +1 for `>`, −1 for `<`).
 */
export interface OrdinalProtocol {
  readonly task: 'ordinal'
  readonly ties: 'disagree'
}

export type EvalProtocol = DepthProtocol | SegmentProtocol | OrdinalProtocol
/** depth: a depth map per image; segment: a label map; ordinal: point pairs with their order (DIW). */
export type EvalTask = EvalProtocol['task']

// ---------------------------------------------------------------------------------------------------------
// Metrics

/**
 * Per-image depth metrics (src/eval/metrics/depth-metrics.ts, `scoreDepthImage(pred, gt, protocol)`).
 * δ thresholds are fractions with strict `max(p/g, g/p) < 1.25^k`; deltaAbove125Pct is 100 · fraction with
 * strict `> 1.25` (the DPT table metric, in %). silogBts = 100·sqrt(mean d² − (mean d)²) (BTS, Marigold);
 * silogDa = sqrt(mean d² − 0.5·(mean d)²) (Depth Anything metric eval), d = ln p − ln g.
 */
export interface DepthMetrics {
  readonly absRel: number
  readonly sqRel: number
  readonly rmse: number
  readonly rmseLog: number
  readonly log10: number
  readonly silogBts: number
  readonly silogDa: number
  readonly delta1: number
  readonly delta2: number
  readonly delta3: number
  readonly deltaAbove125Pct: number
}
export type DepthMetricName = keyof DepthMetrics

/** One image scored: pixels = valid pixels used; metrics null when there was none (reported, not averaged). */
export interface DepthImageScore {
  readonly pixels: number
  readonly metrics: DepthMetrics | null
  /** The fitted alignment, when the protocol aligns. */
  readonly scale?: number
  readonly shift?: number
}

/**
 * Dataset-level segmentation counts as JSON (src/eval/metrics/segment-counts.ts, class `SegmentCounts` with
 * `add(pred, label)` on class indices with the ignore index (see `labelsForProtocol` for ADE's
 * reduce-zero-label), `merge(other)`, `toJSON()`, `SegmentCounts.fromJSON(json)`). Arrays of length numClasses;
 * all values are integers held exactly in float64. union = predicted + label − intersection.
 */
export interface SegmentCountsJson {
  readonly numClasses: number
  readonly ignoreIndex: number
  readonly intersection: readonly number[]
  readonly union: readonly number[]
  readonly predicted: readonly number[]
  readonly label: readonly number[]
  /** Non-ignored label pixels, and how many of them were predicted right. */
  readonly totalLabeled: number
  readonly totalCorrect: number
}

/** Segmentation metrics in % (src/eval/metrics/segment-metrics.ts, `segmentMetrics(counts, names)`). */
export interface SegmentMetrics {
  readonly pixAcc: number
  /** mmsegmentation: classes with union 0 are NaN and excluded (null in JSON). */
  readonly mIoU: number
  /** PyTorch-Encoding / CSAIL: IoU = I / (eps + U), mean over all classes. */
  readonly mIoUAll: number
  /** mmsegmentation: classes without label pixels excluded. */
  readonly mAcc: number
}
export type SegmentMetricName = keyof SegmentMetrics

export interface ClassRow {
  readonly index: number
  readonly name: string
  /** % ; null where mmsegmentation gives NaN (no union / no label pixel). */
  readonly iou: number | null
  readonly acc: number | null
}

// ---------------------------------------------------------------------------------------------------------
// Per-image records and the report (src/eval/report/*)

/** What happened to one image. Only `scored` images enter the means. */
export type ImageStatus = 'scored' | 'no-valid-pixels' | 'missing-gt' | 'failed'

export interface DepthImageRecord {
  /** Relative path of the image inside the dataset (POSIX separators): the sort key of every mean. */
  readonly id: string
  readonly status: ImageStatus
  readonly pixels: number
  readonly metrics: DepthMetrics | null
  readonly scale?: number
  readonly shift?: number
  /** For missing-gt / failed: what went wrong. */
  readonly error?: string
}

export interface SegmentImageRecord {
  readonly id: string
  readonly status: ImageStatus
  /** Non-ignored label pixels of the image. */
  readonly pixels: number
  /** Per-image pixel accuracy and mmseg mIoU in %, informational (CSV); dataset metrics come from counts. */
  readonly pixAcc: number | null
  readonly mIoU: number | null
  /** The image's own counts for every class present in its labels or predictions (HTML report: where a class does worst). */
  readonly classes?: readonly ClassOverlap[]
  readonly error?: string
}

/**
 * Ordinal (src/eval/metrics/whdr.ts): integer counts, so shards merge exactly. `fartherPairs` are the pairs
 * annotated `>` (A farther), with `fartherDisagreements` of them predicted otherwise; `<` pairs are the rest.
 */
export interface OrdinalCounts {
  readonly pairs: number
  readonly disagreements: number
  readonly fartherPairs: number
  readonly fartherDisagreements: number
}

export interface OrdinalImageRecord extends OrdinalCounts {
  readonly id: string
  readonly status: ImageStatus
  readonly error?: string
}

export type ImageRecord = DepthImageRecord | SegmentImageRecord | OrdinalImageRecord

/** [class index, intersection, union] pixels of one class in one image (union > 0), by class index. */
export type ClassOverlap = readonly [classIndex: number, intersection: number, union: number]

export interface ReportCounts {
  /** Images listed for this run (or shard): scored + noValidPixels + missingGt + failed. */
  readonly images: number
  readonly scored: number
  readonly noValidPixels: number
  readonly missingGt: number
  readonly failed: number
}

export interface DatasetInfo {
  /** ade20k | nyu | kitti | diode | eth3d | sintel | tum | diw | folder */
  readonly name: string
  readonly split: string | null
  /** The --data directory as given. */
  readonly root: string
}

export interface ModelInfo {
  /** Model folder/file, or null in predictions mode. */
  readonly path: string | null
  readonly name: string | null
  /** --predictions directory, or null when a model ran. */
  readonly predictions: string | null
  readonly predictionKind: PredictionKind | null
  /** --input-size, when a model ran with another target size than its card's (absent otherwise). */
  readonly inputSize?: {readonly width: number; readonly height: number}
}

export interface ShardInfo {
  /** 1-based, like --shard i/n. */
  readonly index: number
  readonly count: number
}

export const REPORT_SCHEMA = 'dpt-eval-report' as const
export const REPORT_VERSION = 1 as const

/**
 * The versioned report (JSON schema: models/eval-report.schema.json). metrics: depth → DepthMetrics means
 * over scored images sorted by id; segment → SegmentMetrics from the dataset counts; ordinal → WHDR from the
 * pair counts summed over the dataset. A partial report
 * (from --shard) carries `partial` with the raw accumulators; `mergeReports(parts)` turns parts into exactly
 * the report a single run would have written.
 */
export interface EvalReport {
  readonly schema: typeof REPORT_SCHEMA
  readonly version: typeof REPORT_VERSION
  readonly task: EvalTask
  readonly dataset: DatasetInfo
  readonly protocol: EvalProtocol
  readonly model: ModelInfo
  readonly counts: ReportCounts
  /** null where a metric is undefined (no scored image, NaN). */
  readonly metrics: Readonly<Record<string, number | null>>
  readonly perClass?: readonly ClassRow[]
  /** What the HTML report plots beyond the metrics, accumulated without per-pixel data (src/eval/analysis). */
  readonly analysis?: ReportAnalysis
  readonly images: readonly ImageRecord[]
  readonly partial?: {readonly shard: ShardInfo; readonly accumulators: PartialAccumulators}
}

// ---------------------------------------------------------------------------------------------------------
// Analysis (optional in version 1: reports written before it, or merged from parts without it, lack it)

export interface ReportAnalysis {
  readonly segment?: SegmentAnalysis
  readonly depth?: DepthAnalysis
}

/** [label class, predicted class, pixels]: one non-zero cell of the confusion matrix. */
export type ConfusionCell = readonly [label: number, predicted: number, pixels: number]

export interface SegmentAnalysis {
  /** Non-ignored pixels labelled as each class (its pixel frequency), and predicted as it; length numClasses. */
  readonly labelPixels: readonly number[]
  readonly predictedPixels: readonly number[]
  /**
   * The confusion matrix over non-ignored pixels whose label and prediction are both classes 0..n−1, as its
   * non-zero cells sorted by label then prediction. The diagonal is the per-class intersection.
   */
  readonly confusion: readonly ConfusionCell[]
}

/** Log-spaced depth bins: bin k covers min·(max/min)^(k/count) .. min·(max/min)^((k+1)/count); outside values go to the end bins. */
export interface DepthBins {
  readonly min: number
  readonly max: number
  readonly count: number
}

/** [ground-truth bin, prediction bin, pixels]: one non-zero cell of the 2-D histogram. */
export type DepthCell = readonly [gtBin: number, predBin: number, pixels: number]

export interface DepthAnalysis {
  readonly bins: DepthBins
  /** Valid pixels by ground truth × aligned prediction (the depth the metrics see: aligned, capped, clipped). */
  readonly joint: readonly DepthCell[]
  /** Per ground-truth bin: valid pixels, Σ AbsRel and pixels with max(p/g, g/p) > 1.25. */
  readonly pixels: readonly number[]
  /** Each image's per-bin sum is rounded to a multiple of 2^-16 before it is added: sums are exact in any order. */
  readonly absRelSum: readonly number[]
  readonly above125: readonly number[]
}

/** Depth and ordinal: the per-image records are the accumulator (report.images). Segment: the dataset counts. */
export interface PartialAccumulators {
  readonly segmentCounts?: SegmentCountsJson
  readonly classNames?: readonly string[]
}

// ---------------------------------------------------------------------------------------------------------
// Gates (src/eval/report/gates.ts: `parseGate`, `parseMaxRegression`, `evaluateGates`)

export type GateOperator = '<' | '<=' | '>' | '>='

/** `--fail-if "mIoU<47.5"`: the run fails when `value op threshold` holds. */
export interface ThresholdGate {
  readonly kind: 'fail-if'
  readonly source: string
  /** Canonical metric name as it appears in report.metrics. */
  readonly metric: string
  readonly operator: GateOperator
  readonly threshold: number
}

/** `--max-regression absRel=0.005` against `--baseline OLD.json`, direction-aware. */
export interface RegressionGate {
  readonly kind: 'max-regression'
  readonly source: string
  readonly metric: string
  readonly maxDelta: number
}

export type Gate = ThresholdGate | RegressionGate

export interface GateResult {
  readonly gate: string
  readonly kind: Gate['kind']
  readonly metric: string
  /** This run's value (null when undefined: the gate fails). */
  readonly value: number | null
  /** fail-if: its threshold; max-regression: the worst allowed value (baseline ± maxDelta). */
  readonly threshold: number | null
  readonly baseline?: number | null
  readonly passed: boolean
  /** One human sentence: why it passed or failed. */
  readonly message: string
}
