import {mkdir} from 'node:fs/promises'
import {isDeepStrictEqual} from 'node:util'
import {dirname, join} from 'node:path'
import {formatMetric, metricsOf} from '../../eval/report/metric-catalog.js'
import {describeDataset, describeModel} from '../../eval/report/describe.js'
import type {EvalReport} from '../../eval/types.js'
import {DptError} from '../../pipeline/errors.js'
import {writeFileAtomic} from '../../pipeline/sinks/atomic.js'
import {deltaChart} from '../charts/compare.js'
import {histogram} from '../charts/distribution.js'
import {renderSvg} from '../charts/render.js'
import {esc, href} from '../page/escape.js'
import {figure, htmlPage, section, table, type PageSection} from '../page/layout.js'
import {imageAnchor} from './image-cards.js'
import {findManifest} from './manifest.js'
import {badness, rankingMetric} from './rank.js'
import {formatDelta, verdictOf} from './verdict.js'

export interface ComparePageInput {
  /** The earlier run (baseline) and the later one. */
  readonly before: EvalReport
  readonly after: EvalReport
  /** Relative links from the page to each run's report page (`…/index.html`), when they exist: image ids link to their cards there. */
  readonly beforePage?: string
  readonly afterPage?: string
  /** How many of the images that got most worse are listed (default 25). */
  readonly worst?: number
  /** Ids with an image card on each run's page (its site's saved images); others are not linked. */
  readonly beforeCards?: ReadonlySet<string>
  readonly afterCards?: ReadonlySet<string>
}

/**
 * Two reports side by side: every metric with its difference, per-class IoU differences (segmentation), the
 * distribution of per-image changes and the images that got most worse by the ranking metric (per-image AbsRel
 * for depth, mIoU for segmentation), joined by image id.
 */
export async function renderComparePage(input: ComparePageInput): Promise<string> {
  const {before, after} = input
  if (before.task !== after.task) {
    throw new DptError(`Cannot compare a ${before.task} report with a ${after.task} report.`, {remedy: 'Compare two reports of the same task and dataset.'})
  }
  const differ = [
    isDeepStrictEqual([before.dataset.name, before.dataset.split], [after.dataset.name, after.dataset.split]) ? null : 'datasets',
    isDeepStrictEqual(JSON.parse(JSON.stringify(before.protocol)), JSON.parse(JSON.stringify(after.protocol))) ? null : 'protocols',
  ].filter((w) => w !== null)
  const warning = differ.length === 0 ? '' : `<p class="worse">The two reports have different ${differ.join(' and ')}: their numbers are not comparable.</p>`
  const metric = rankingMetric(after.protocol)
  const metricRows = metricsOf(after.task).map((info) => {
    const a = before.metrics[info.name] ?? null
    const b = after.metrics[info.name] ?? null
    const delta = a === null || b === null ? null : b - a
    return [
      `<strong>${esc(info.label)}</strong>`,
      esc(formatMetric(info, a)),
      esc(formatMetric(info, b)),
      delta === null ? '—' : `<span class="${verdictOf(delta, info.better)}">${esc(formatDelta(info, delta))}</span>`,
      info.better === 'lower' ? 'lower ↓' : 'higher ↑',
    ]
  })
  const sections: PageSection[] = [
    section(
      'metrics',
      'Metrics',
      warning +
        table(
          [{label: 'metric'}, {label: 'before', numeric: true}, {label: 'after', numeric: true}, {label: 'Δ', numeric: true}, {label: 'better'}],
          metricRows,
        ),
    ),
  ]

  if (after.perClass !== undefined && before.perClass !== undefined) {
    const old = new Map(before.perClass.map((r) => [r.index, r]))
    const rows = after.perClass
      .flatMap((r) => {
        const a = old.get(r.index)?.iou ?? null
        return a === null || r.iou === null ? [] : [{name: r.name, delta: r.iou - a, before: a, after: r.iou}]
      })
      .sort((x, y) => x.delta - y.delta || (x.name < y.name ? -1 : 1))
    const svg = await renderSvg(
      deltaChart(
        'deltas',
        rows.map((r) => ({name: r.name, delta: r.delta, verdict: verdictOf(r.delta, 'higher')})),
        'Δ IoU (pp), after − before',
      ),
    )
    sections.push(
      section(
        'classes',
        `Per-class IoU (${rows.length} classes in both)`,
        `<p class="note">Most worse first. Classes without an IoU in either run are left out.</p>${figure('class-deltas', svg)}`,
      ),
    )
  }

  const beforeById = new Map(before.images.map((r) => [r.id, r]))
  const changes = after.images.flatMap((r) => {
    const old = beforeById.get(r.id)
    const b = badness(r, metric)
    const a = old === undefined ? null : badness(old, metric)
    // badness is the metric, negated when higher is better: b − a > 0 means worse.
    return a === null || b === null ? [] : [{id: r.id, worse: b - a, before: metric.better === 'lower' ? a : -a, after: metric.better === 'lower' ? b : -b}]
  })
  const deltas = changes.map((c) => (metric.better === 'lower' ? c.worse : -c.worse))
  const hist = await renderSvg(histogram('image-deltas', deltas, `per-image Δ ${metric.label} (after − before)`))
  const most = [...changes].sort((x, y) => y.worse - x.worse || (x.id < y.id ? -1 : 1)).slice(0, input.worst ?? 25)
  const cardLink = (page: string | undefined, cards: ReadonlySet<string> | undefined, id: string, text: string): string =>
    page === undefined || cards?.has(id) !== true ? esc(text) : `<a href="${href(page)}#${imageAnchor(id)}">${esc(text)}</a>`
  const rows = most.map((c) => [
    esc(c.id),
    cardLink(input.beforePage, input.beforeCards, c.id, formatMetric(metric, c.before)),
    cardLink(input.afterPage, input.afterCards, c.id, formatMetric(metric, c.after)),
    `<span class="${c.worse > 0 ? 'worse' : c.worse < 0 ? 'better' : 'same'}">${esc(formatDelta(metric, c.after - c.before))}</span>`,
  ])
  sections.push(
    section(
      'images',
      'Images that got most worse',
      `<p class="note">${changes.length} images scored in both runs, by per-image ${esc(metric.label)} (${metric.better} is better).</p>${figure('image-deltas', hist)}${table(
        [{label: 'image'}, {label: 'before', numeric: true}, {label: 'after', numeric: true}, {label: 'Δ', numeric: true}],
        rows,
      )}`,
    ),
  )
  return htmlPage({
    title: `dpt eval comparison · ${describeDataset(after)}`,
    subtitle: [`before: ${esc(describeModel(before))}`, `after: ${esc(describeModel(after))}`],
    links: [
      ...(input.beforePage === undefined ? [] : [{href: input.beforePage, label: 'before: report'}]),
      ...(input.afterPage === undefined ? [] : [{href: input.afterPage, label: 'after: report'}]),
    ],
    sections,
  })
}

/**
 * Writes the comparison page as `file` inside `dir` (created if needed); returns its path. With `beforePage` /
 * `afterPage` (relative to `dir`), the images that got worse link to their cards in those runs' pages when the
 * sites saved them (their `assets/manifest.json`).
 */
export async function writeComparePage(dir: string, input: ComparePageInput, file = 'compare.html'): Promise<string> {
  await mkdir(dir, {recursive: true})
  const cards = async (page: string | undefined, report: EvalReport): Promise<ReadonlySet<string> | undefined> => {
    if (page === undefined) return undefined
    const lookup = await findManifest(join(dir, dirname(page)), report)
    return new Set('manifest' in lookup ? lookup.manifest.images.map((im) => im.id) : [])
  }
  const [beforeCards, afterCards] = await Promise.all([cards(input.beforePage, input.before), cards(input.afterPage, input.after)])
  const path = join(dir, file)
  await writeFileAtomic(path, Buffer.from(await renderComparePage({...input, beforeCards, afterCards})))
  return path
}
