import type {EvalTask} from '../types.js'

/** What every reported metric is: its label, unit, which direction is better, how it prints, its aliases. */
export interface MetricInfo {
  readonly name: string
  readonly task: EvalTask
  /** Column/row label, as the papers print it. */
  readonly label: string
  /** '' for ratios and fractions, 'm' for metres, '%' for percent (and SILog BTS, which is ×100). */
  readonly unit: '' | 'm' | '%' | '×100'
  readonly better: 'lower' | 'higher'
  readonly decimals: number
  /** Accepted in --fail-if / --max-regression, case-insensitive, with spaces, '_' and '-' ignored. */
  readonly aliases: readonly string[]
  readonly description: string
}

const m = (info: MetricInfo): MetricInfo => info

export const METRICS: readonly MetricInfo[] = [
  m({name: 'absRel', task: 'depth', label: 'AbsRel', unit: '', better: 'lower', decimals: 4, aliases: ['abs_rel', 'rel'], description: 'mean |p − g| / g'}),
  m({name: 'sqRel', task: 'depth', label: 'SqRel', unit: 'm', better: 'lower', decimals: 4, aliases: ['sq_rel'], description: 'mean (p − g)² / g'}),
  m({name: 'rmse', task: 'depth', label: 'RMSE', unit: 'm', better: 'lower', decimals: 4, aliases: ['rms'], description: 'sqrt(mean (p − g)²)'}),
  m({
    name: 'rmseLog',
    task: 'depth',
    label: 'RMSE log',
    unit: '',
    better: 'lower',
    decimals: 4,
    aliases: ['rmse_log', 'log_rms'],
    description: 'sqrt(mean (ln p − ln g)²)',
  }),
  m({name: 'log10', task: 'depth', label: 'log10', unit: '', better: 'lower', decimals: 4, aliases: ['log_10'], description: 'mean |log10 p − log10 g|'}),
  m({
    name: 'silogBts',
    task: 'depth',
    label: 'SILog (BTS)',
    unit: '×100',
    better: 'lower',
    decimals: 4,
    aliases: ['silog_bts'],
    description: '100·sqrt(mean d² − (mean d)²), d = ln p − ln g (BTS, Marigold)',
  }),
  m({
    name: 'silogDa',
    task: 'depth',
    label: 'SILog (DA)',
    unit: '',
    better: 'lower',
    decimals: 4,
    aliases: ['silog_da'],
    description: 'sqrt(mean d² − 0.5·(mean d)²) (Depth Anything metric eval)',
  }),
  m({
    name: 'delta1',
    task: 'depth',
    label: 'δ<1.25',
    unit: '',
    better: 'higher',
    decimals: 4,
    aliases: ['d1', 'a1', 'δ1', 'δ<1.25', 'delta<1.25'],
    description: 'fraction with max(p/g, g/p) < 1.25',
  }),
  m({
    name: 'delta2',
    task: 'depth',
    label: 'δ<1.25²',
    unit: '',
    better: 'higher',
    decimals: 4,
    aliases: ['d2', 'a2', 'δ2', 'δ<1.25²', 'δ<1.25^2', 'delta<1.25^2'],
    description: 'fraction with max(p/g, g/p) < 1.25²',
  }),
  m({
    name: 'delta3',
    task: 'depth',
    label: 'δ<1.25³',
    unit: '',
    better: 'higher',
    decimals: 4,
    aliases: ['d3', 'a3', 'δ3', 'δ<1.25³', 'δ<1.25^3', 'delta<1.25^3'],
    description: 'fraction with max(p/g, g/p) < 1.25³',
  }),
  m({
    name: 'deltaAbove125Pct',
    task: 'depth',
    label: 'δ>1.25',
    unit: '%',
    better: 'lower',
    decimals: 2,
    aliases: ['δ>1.25', 'delta>1.25', 'deltaAbove125', 'badPixel'],
    description: '% with max(p/g, g/p) > 1.25 (the DPT/MiDaS table metric)',
  }),
  m({
    name: 'pixAcc',
    task: 'segment',
    label: 'pixAcc',
    unit: '%',
    better: 'higher',
    decimals: 2,
    aliases: ['aAcc', 'pixel_accuracy', 'allAcc'],
    description: 'correct / labelled pixels over the dataset',
  }),
  m({
    name: 'mIoU',
    task: 'segment',
    label: 'mIoU',
    unit: '%',
    better: 'higher',
    decimals: 2,
    aliases: ['miou_mmseg'],
    description: 'mean IoU over classes present in prediction or label (mmsegmentation)',
  }),
  m({
    name: 'mIoUAll',
    task: 'segment',
    label: 'mIoU (all classes)',
    unit: '%',
    better: 'higher',
    decimals: 2,
    aliases: ['miou_all', 'miou_encoding'],
    description: 'mean IoU over all classes, empty ones as 0 (PyTorch-Encoding / CSAIL)',
  }),
  m({
    name: 'mAcc',
    task: 'segment',
    label: 'mAcc',
    unit: '%',
    better: 'higher',
    decimals: 2,
    aliases: ['mean_accuracy'],
    description: 'mean per-class accuracy over labelled classes (mmsegmentation)',
  }),
  // WHDR in % as the DPT/MiDaS tables print it (DPT-Hybrid 11.06 on DIW), lower is better.
  m({
    name: 'whdr',
    task: 'ordinal',
    label: 'WHDR',
    unit: '%',
    better: 'lower',
    decimals: 2,
    aliases: ['wkdr', 'ordinalError', 'ordinal_error'],
    description: '% of point pairs whose predicted order disagrees with the annotation (a tie disagrees), over all pairs of the dataset',
  }),
  m({
    name: 'whdrFarther',
    task: 'ordinal',
    label: 'WHDR (>)',
    unit: '%',
    better: 'lower',
    decimals: 2,
    aliases: ['whdr>', 'whdr_farther'],
    description: 'the same over the pairs annotated > (A farther than B)',
  }),
  m({
    name: 'whdrCloser',
    task: 'ordinal',
    label: 'WHDR (<)',
    unit: '%',
    better: 'lower',
    decimals: 2,
    aliases: ['whdr<', 'whdr_closer'],
    description: 'the same over the pairs annotated < (A closer than B)',
  }),
]

const key = (s: string): string => s.toLowerCase().replace(/[\s_-]/g, '')

const BY_KEY = new Map<string, MetricInfo>()
for (const info of METRICS) for (const alias of [info.name, info.label, ...info.aliases]) BY_KEY.set(key(alias), info)

/** The metric a user's spelling names, or undefined. */
export function findMetric(spelling: string): MetricInfo | undefined {
  return BY_KEY.get(key(spelling))
}

/** Every accepted spelling, longest first (a gate's metric may itself contain '<' or '>', like δ>1.25). */
export const METRIC_SPELLINGS: readonly string[] = [...new Set(METRICS.flatMap((i) => [i.name, i.label, ...i.aliases]))].sort((a, b) => b.length - a.length)

export function metricsOf(task: EvalTask): readonly MetricInfo[] {
  return METRICS.filter((i) => i.task === task)
}

/** A value as the table prints it: fixed decimals, with its unit; '—' when undefined. */
export function formatMetric(info: MetricInfo, value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—'
  const text = value.toFixed(info.decimals)
  return info.unit === '%' ? `${text} %` : info.unit === 'm' ? `${text} m` : text
}
