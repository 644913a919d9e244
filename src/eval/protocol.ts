import {DptError} from '../pipeline/errors.js'
import {
  DEPTH_ALIGNMENTS,
  DEPTH_CROPS,
  type DepthAlignment,
  type DepthCrop,
  type DepthProtocol,
  type OrdinalProtocol,
  type PredictionKind,
  type SegmentProtocol,
} from './types.js'

export const DEPTH_DATASETS = ['nyu', 'kitti', 'diode', 'eth3d', 'sintel', 'tum', 'folder'] as const
export type DepthDataset = (typeof DEPTH_DATASETS)[number]

/**
 * Per-dataset depth ranges in metres. NYU 10 m and KITTI 80 m with 1e-3 minimum are the BTS/DPT values
 * (REFERENCE §4), also the zero-shot caps of MiDaS/DPT; TUM is indoor like NYU. ETH3D, Sintel and DIODE
 * have no cap stated by the DPT paper: dpt uses the datasets' far limits (Marigold's DIODE range 0.6–350 m)
 * and prints them with every result so they can be overridden.
 */
const RANGES: Record<DepthDataset, {min: number; max: number; cap: number}> = {
  nyu: {min: 1e-3, max: 10, cap: 10},
  kitti: {min: 1e-3, max: 80, cap: 80},
  tum: {min: 1e-3, max: 10, cap: 10},
  eth3d: {min: 1e-3, max: 80, cap: 80},
  sintel: {min: 1e-3, max: 72, cap: 72},
  diode: {min: 0.6, max: 350, cap: 350},
  folder: {min: 1e-3, max: 80, cap: 80},
}

/** Metric-model crops of the BTS protocol: Eigen on NYU, Garg on KITTI (Eigen split at full size). */
const METRIC_CROPS: Record<DepthDataset, readonly DepthCrop[]> = {
  nyu: ['eigen'],
  kitti: ['garg'],
  tum: [],
  eth3d: [],
  sintel: [],
  diode: [],
  folder: [],
}

/**
 * The reference protocol for a dataset and the kind of prediction: relative (disparity) models get the
 * MiDaS/DPT zero-shot protocol (scale-shift in disparity, cap, no clip); metric (depth) models get the BTS
 * protocol (no alignment, clip to the range, Eigen/Garg crop). Whether the zero-shot NYU/KITTI numbers used a
 * crop is not stated by the DPT paper or the MiDaS evaluation gist as we could read them: the default is the
 * whole frame (valid range only), and `--crop eigen|garg` reproduces the cropped variants.
 */
export function defaultDepthProtocol(dataset: DepthDataset, kind: PredictionKind): DepthProtocol {
  const range = RANGES[dataset]
  if (kind === 'disparity') {
    return {task: 'depth', alignment: 'scale-shift-disparity', minDepth: range.min, maxDepth: range.max, cap: range.cap, crops: [], clip: false}
  }
  return {task: 'depth', alignment: 'none', minDepth: range.min, maxDepth: range.max, cap: null, crops: METRIC_CROPS[dataset], clip: true}
}

export interface DepthProtocolOverrides {
  readonly alignment?: DepthAlignment | undefined
  readonly minDepth?: number | undefined
  readonly maxDepth?: number | undefined
  /** null = no cap. */
  readonly cap?: number | null | undefined
  readonly crops?: readonly DepthCrop[] | undefined
  readonly clip?: boolean | undefined
}

/** Defaults for the dataset, then each given override, validated once. */
export function resolveDepthProtocol(dataset: DepthDataset, kind: PredictionKind, overrides: DepthProtocolOverrides = {}): DepthProtocol {
  const base = defaultDepthProtocol(dataset, kind)
  const protocol: DepthProtocol = {
    task: 'depth',
    alignment: overrides.alignment ?? base.alignment,
    minDepth: overrides.minDepth ?? base.minDepth,
    maxDepth: overrides.maxDepth ?? base.maxDepth,
    cap: overrides.cap === undefined ? base.cap : overrides.cap,
    crops: overrides.crops ?? base.crops,
    clip: overrides.clip ?? base.clip,
  }
  validateDepthProtocol(protocol, kind)
  return protocol
}

export function validateDepthProtocol(p: DepthProtocol, kind: PredictionKind): void {
  if (!DEPTH_ALIGNMENTS.includes(p.alignment)) fail(`Unknown alignment \`${p.alignment}\`.`, `Use one of ${DEPTH_ALIGNMENTS.join(', ')}.`)
  for (const crop of p.crops) if (!DEPTH_CROPS.includes(crop)) fail(`Unknown crop \`${crop}\`.`, `Use ${DEPTH_CROPS.join(', ')}.`)
  if (!(p.minDepth >= 0) || !(p.maxDepth > p.minDepth)) {
    fail(`Expected 0 ≤ min depth < max depth, got ${p.minDepth} and ${p.maxDepth}.`, 'Fix --min-depth / --max-depth.')
  }
  if (p.cap !== null && !(p.cap > 0)) fail(`Expected a positive depth cap, got ${p.cap}.`, 'Fix --cap.')
  if (kind === 'disparity' && p.alignment === 'scale-shift-depth') {
    fail(
      'Affine-invariant disparity cannot be aligned by scale and shift in depth space.',
      'Use --alignment scale-shift-disparity for relative (disparity) models.',
    )
  }
  const invertsDisparity = kind === 'disparity' || p.alignment === 'scale-shift-disparity'
  if (invertsDisparity && p.cap === null) {
    fail('Disparity is inverted to depth, which needs a depth cap (aligned disparity is clamped at 1/cap).', 'Give --cap in metres.')
  }
  if (p.clip && !Number.isFinite(p.maxDepth)) fail('--clip needs a finite max depth.', 'Give --max-depth.')
}

/** ADE20K SceneParsing: 150 classes, id 0 ignored via reduce-zero-label, single scale without flip by default. */
export function defaultSegmentProtocol(numClasses = 150): SegmentProtocol {
  return {task: 'segment', numClasses, ignoreIndex: 255, reduceZeroLabel: true, scales: [1], flip: false}
}

/** Point pairs (DIW): nothing to choose; the tie rule of Chen et al.'s evaluation is recorded with the result. */
export const ORDINAL_PROTOCOL: OrdinalProtocol = {task: 'ordinal', ties: 'disagree'}

function fail(message: string, remedy: string): never {
  throw new DptError(message, {remedy})
}
