/**
 * The DPT paper's Table 1 (zero-shot relative depth, lower is better everywhere): its six columns, the metric
 * dpt reports for each, and the paper's figures for the models it compares (REFERENCE §5). Each column is
 * scored by `dpt eval --dataset <key>` with that dataset's default (paper) protocol and split.
 */
export const ZERO_SHOT_KEYS = ['diw', 'eth3d', 'sintel', 'kitti', 'nyu', 'tum'] as const
export type ZeroShotKey = (typeof ZERO_SHOT_KEYS)[number]

export interface ZeroShotColumn {
  /** The column, and the `--dataset` it is scored with. */
  readonly key: ZeroShotKey
  /** Metric name in the report (src/eval/report/metric-catalog.ts). */
  readonly metric: string
  /** Column heading as the paper has it. */
  readonly label: string
  readonly unit: '' | '%'
  /** Decimals as the paper prints them. */
  readonly decimals: number
  /** Folder names a suite root may use for it, compared lower-case without spaces, '-', '_' and '.'. */
  readonly folders: readonly string[]
}

export const ZERO_SHOT_COLUMNS: readonly ZeroShotColumn[] = [
  {key: 'diw', metric: 'whdr', label: 'DIW WHDR', unit: '%', decimals: 2, folders: ['diw', 'depthinthewild']},
  {key: 'eth3d', metric: 'absRel', label: 'ETH3D AbsRel', unit: '', decimals: 3, folders: ['eth3d']},
  {key: 'sintel', metric: 'absRel', label: 'Sintel AbsRel', unit: '', decimals: 3, folders: ['sintel', 'mpisintel']},
  {key: 'kitti', metric: 'deltaAbove125Pct', label: 'KITTI δ>1.25', unit: '%', decimals: 2, folders: ['kitti']},
  {key: 'nyu', metric: 'deltaAbove125Pct', label: 'NYU δ>1.25', unit: '%', decimals: 2, folders: ['nyu', 'nyuv2', 'nyudepthv2']},
  {key: 'tum', metric: 'deltaAbove125Pct', label: 'TUM δ>1.25', unit: '%', decimals: 2, folders: ['tum', 'tumrgbd']},
]

export const columnOf = (key: ZeroShotKey): ZeroShotColumn => ZERO_SHOT_COLUMNS.find((c) => c.key === key)!

export interface PaperRow {
  /** The registry id of the model (models/registry.json), or, for MiDaS v2.1 (not in the registry), `midas-v2.1`. */
  readonly model: string
  readonly label: string
  readonly values: Readonly<Record<ZeroShotKey, number>>
}

/** Table 1 of the DPT paper, in its row order (REFERENCE §5). */
export const PAPER_ROWS: readonly PaperRow[] = [
  {model: 'midas-v2.1', label: 'MiDaS v2.1', values: {diw: 12.95, eth3d: 0.116, sintel: 0.329, kitti: 16.08, nyu: 8.71, tum: 12.51}},
  {model: 'dpt-large', label: 'DPT-Large', values: {diw: 10.82, eth3d: 0.089, sintel: 0.27, kitti: 8.46, nyu: 8.32, tum: 9.97}},
  {model: 'dpt-hybrid', label: 'DPT-Hybrid', values: {diw: 11.06, eth3d: 0.093, sintel: 0.274, kitti: 11.56, nyu: 8.69, tum: 10.89}},
]

export const paperRow = (model: string | null | undefined): PaperRow | undefined => PAPER_ROWS.find((r) => r.model === model)
