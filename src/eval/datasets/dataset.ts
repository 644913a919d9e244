import type {DepthGt, OrdinalGt} from '../types.js'

/** One image of a dataset and where its ground truth is. */
export interface EvalSample {
  /** The image's path relative to the dataset's image root (POSIX): the report key and the predictions-mode match. */
  readonly id: string
  /** Absolute image path. */
  readonly image: string
  /** Absolute ground-truth path(s); null when the dataset has none for this image (counted as missing). */
  readonly gt: readonly string[] | null
  /** Why the ground truth is missing, when it is. */
  readonly missing?: string
}

export interface ImageSize {
  readonly width: number
  readonly height: number
}

/** A class-index map as the dataset stores it (ADE20K: 0 = other, 1..150 = classes). */
export interface LabelMap {
  readonly width: number
  readonly height: number
  readonly labels: Uint8Array
}

interface DatasetBase {
  /** ade20k | nyu | kitti | diode | eth3d | sintel | tum | diw | folder */
  readonly name: string
  readonly split: string | null
  /** The --data directory as given. */
  readonly root: string
  /** Sorted by id. */
  readonly samples: readonly EvalSample[]
  /** How many images the full standard split has, when it is a standard split (a subset is not comparable with papers). */
  readonly standardSize?: number
}

export interface DepthDataset extends DatasetBase {
  readonly task: 'depth'
  /** Reads one sample's ground truth in metres; the image size is for formats that do not store theirs (ETH3D). */
  readGt(sample: EvalSample, image: ImageSize): Promise<DepthGt>
}

export interface SegmentDataset extends DatasetBase {
  readonly task: 'segment'
  /** Class names of the dataset's label ids after its protocol's reduction (ADE20K: 150 names for ids 1..150). */
  readonly classNames: readonly string[]
  readGt(sample: EvalSample, image: ImageSize): Promise<LabelMap>
}

/** Point pairs with their annotated order (DIW, point-pair files): scored with a depth model's output. */
export interface OrdinalDataset extends DatasetBase {
  readonly task: 'ordinal'
  readGt(sample: EvalSample): Promise<OrdinalGt>
}

export type EvalDataset = DepthDataset | SegmentDataset | OrdinalDataset

/** Sorts samples by id, the order every mean and every shard is taken in. */
export function byId(samples: EvalSample[]): EvalSample[] {
  return samples.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}
