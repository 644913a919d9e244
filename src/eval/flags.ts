import {Flags} from '@oclif/core'
import {invalidFlag} from '../cli/invalid.js'
import {modelRunFlags, runFlags} from '../flags.js'
import {DATASET_NAMES} from './datasets/index.js'
import {DEPTH_FILE_FORMATS} from '../formats/depth-file.js'
import {DEPTH_ALIGNMENTS, DEPTH_CROPS, type DepthCrop} from './types.js'

const number = (flag: string, check: (v: number) => boolean, expected: string) =>
  Flags.custom<number>({
    parse: async (value) => {
      const v = Number(value)
      if (value.trim() === '' || !check(v)) throw invalidFlag(flag, expected, value)
      return v
    },
  })

/** The model flags of depth/segment, reused as they are (resolution goes through the same runSettings); --model is optional here. */
const {model, card, dtype, provider, workers, threads, 'max-pixels': maxPixels, 'fail-fast': failFast, 'pipeline-nice': pipelineNice} = runFlags
const {'graph-optimization': graphOptimization, 'mem-pattern': memPattern, 'mem-arena': memArena, offline, 'keep-16bit': keep16bit} = runFlags

/** Gates and report outputs: shared by `dpt eval` and `dpt eval merge`. */
export const reportFlags = {
  report: Flags.string({summary: 'Write the JSON report (versioned schema) to this file; with --shard, the partial report to merge.'}),
  csv: Flags.string({summary: 'Write one CSV row per image to this file.'}),
  'fail-if': Flags.string({
    multiple: true,
    multipleNonGreedy: true,
    summary: 'Fail (exit 6) when a metric crosses a threshold, e.g. "mIoU<47.5" or "absRel>0.1" (repeatable; < <= > >=).',
    helpGroup: 'GATES',
  }),
  baseline: Flags.string({
    summary: 'An earlier report to compare with: --max-regression gates it, --html shows the deltas and a comparison page.',
    helpGroup: 'GATES',
    relationships: [{type: 'some', flags: ['max-regression', 'html']}],
  }),
  'max-regression': Flags.string({
    multiple: true,
    multipleNonGreedy: true,
    summary: 'Fail (exit 6) when METRIC got worse than --baseline by more than DELTA, e.g. mIoU=0.5 (repeatable).',
    helpGroup: 'GATES',
    dependsOn: ['baseline'],
  }),
}

export const evalFlags = {
  dataset: Flags.option({options: DATASET_NAMES, required: true, summary: 'Dataset layout of --data.'})(),
  data: Flags.string({char: 'd', required: true, summary: 'Dataset folder (see README "Evaluation" for each layout).'}),
  split: Flags.string({summary: 'ade20k: validation | training; kitti: eigen | selection; diode: all | indoors | outdoor; sintel: final | clean.'}),
  gt: Flags.string({summary: '--dataset folder: ground-truth folder mirroring --data by relative path.', helpGroup: 'FOLDER'}),
  'gt-format': Flags.option({
    options: [...DEPTH_FILE_FORMATS, 'labels', 'pairs'] as const,
    summary: '--dataset folder: ground-truth file format (pairs: one CSV of DIW-style point pairs per image, scored by WHDR).',
    helpGroup: 'FOLDER',
  })(),
  'gt-scale': number(
    'gt-scale',
    (v) => v > 0 && Number.isFinite(v),
    'a positive number',
  )({
    summary: '--dataset folder: stored value ÷ this = metres (16-bit mm PNGs: 1000).',
    helpGroup: 'FOLDER',
  }),
  model: Flags.string({...model, required: false, exclusive: ['predictions']}),
  offline,
  card,
  dtype,
  provider,
  workers,
  threads,
  'max-pixels': maxPixels,
  'keep-16bit': keep16bit,
  'fail-fast': failFast,
  'pipeline-nice': pipelineNice,
  'graph-optimization': graphOptimization,
  'mem-pattern': memPattern,
  'mem-arena': memArena,
  ...modelRunFlags,
  predictions: Flags.string({summary: 'Score saved outputs in this folder (matched by relative path) instead of running a model.', exclusive: ['model']}),
  'prediction-kind': Flags.option({
    options: ['disparity', 'depth'] as const,
    default: 'disparity' as const,
    summary: '--predictions: saved depth values are disparity (relative models) or metres (metric models).',
  })(),
  'prediction-scale': number(
    'prediction-scale',
    (v) => v > 0 && Number.isFinite(v),
    'a positive number',
  )({
    summary: '--predictions: 16-bit PNG value ÷ this = metres (dpt depth writes metric models × 256 for KITTI, × 1000 for NYU) [default: 1].',
  }),
  'label-offset': Flags.option({
    options: ['1', '0'] as const,
    default: '1' as const,
    summary: '--predictions: saved label = class index + this (dpt segment writes 1).',
  })(),
  alignment: Flags.option({
    options: DEPTH_ALIGNMENTS,
    summary: 'Depth alignment [default: scale-shift-disparity for relative models, none for metric ones].',
    helpGroup: 'PROTOCOL',
  })(),
  'min-depth': number('min-depth', (v) => v >= 0, 'a non-negative number')({summary: 'Valid GT depth above this (metres).', helpGroup: 'PROTOCOL'}),
  'max-depth': number('max-depth', (v) => v > 0, 'a positive number or Infinity')({summary: 'Valid GT depth below this (metres).', helpGroup: 'PROTOCOL'}),
  cap: Flags.custom<number | null>({
    summary: 'Depth cap in metres, or "none".',
    helpGroup: 'PROTOCOL',
    parse: async (value) => {
      if (value === 'none') return null
      const v = Number(value)
      if (value.trim() === '' || !(v > 0)) throw invalidFlag('cap', 'a positive number or none', value)
      return v
    },
  })(),
  crop: Flags.custom<DepthCrop[]>({
    summary: `Evaluation crops, comma-separated (${DEPTH_CROPS.join(', ')}), or "none".`,
    helpGroup: 'PROTOCOL',
    parse: async (value) => {
      if (value === 'none') return []
      const items = value.split(',').map((v) => v.trim())
      if (items.some((c) => !(DEPTH_CROPS as readonly string[]).includes(c))) throw invalidFlag('crop', `none or a list of ${DEPTH_CROPS.join(', ')}`, value)
      return [...new Set(items)] as DepthCrop[]
    },
  })(),
  clip: Flags.boolean({
    allowNo: true,
    summary: 'Clip predicted depth to [min, max] (BTS metric protocol) [default: on for metric models].',
    helpGroup: 'PROTOCOL',
  }),
  scales: Flags.custom<number[]>({
    summary: 'Segmentation test-time scales, e.g. 0.5,0.75,1,1.25,1.5,1.75 [default: 1].',
    helpGroup: 'PROTOCOL',
    parse: async (value) => {
      const items = value.split(',').map((v) => (v.trim() === '' ? NaN : Number(v)))
      if (items.some((v) => !(v > 0 && v <= 4))) throw invalidFlag('scales', 'a comma-separated list of numbers in (0, 4]', value)
      return items
    },
  })(),
  flip: Flags.boolean({summary: 'Segmentation: add horizontally mirrored inputs (multi-scale + flip protocol).', helpGroup: 'PROTOCOL'}),
  'reduce-zero-label': Flags.boolean({
    allowNo: true,
    summary: 'Segmentation: label 0 is "other" and ignored, k → class k−1 (ADE20K) [default: on].',
    helpGroup: 'PROTOCOL',
  }),
  'ignore-index': Flags.integer({min: 0, max: 255, summary: 'Segmentation: label value left out of every count [default: 255].', helpGroup: 'PROTOCOL'}),
  temporal: Flags.boolean({
    summary:
      'Sintel, TUM: also the temporal consistency error of consecutive frames (|Δ prediction − Δ ground truth| / ground truth over static pixels, one fit per pair).',
    helpGroup: 'PROTOCOL',
  }),
  shard: Flags.string({summary: 'Score shard i of n (e.g. 2/8), or auto/n with the index from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID.'}),
  ...reportFlags,
}

/**
 * `i/n` (1-based), or `auto/n` with the index from the environment: a Kubernetes Indexed Job's
 * JOB_COMPLETION_INDEX (0-based) or a Slurm array's SLURM_ARRAY_TASK_ID (minus SLURM_ARRAY_TASK_MIN, so any
 * --array range works).
 */
