import {mkdir} from 'node:fs/promises'
import {join} from 'node:path'
import {describeCounts, describeDataset, describeModel, describeProtocol} from '../../eval/report/describe.js'
import type {EvalReport} from '../../eval/types.js'
import {writeFileAtomic} from '../../pipeline/sinks/atomic.js'
import {esc} from '../page/escape.js'
import {htmlPage, section, table} from '../page/layout.js'
import {depthSections} from './depth-sections.js'
import {headlineTable} from './headline.js'
import {imageAnchor, imageSections} from './image-cards.js'
import {findManifest, type ManifestLookup} from './manifest.js'
import type {PaperFigure} from './paper.js'
import {segmentSections} from './segment-sections.js'

export interface EvalPageInput {
  readonly report: EvalReport
  /** --baseline: its metrics are shown next to this run's, with the difference. */
  readonly baseline?: EvalReport
  /** The paper's figures for this model and dataset (`paperFigures`). */
  readonly paper?: ReadonlyMap<string, PaperFigure>
}

/** Unscored images listed on the page (all of them are in the JSON report). */
const PROBLEMS_SHOWN = 200

/** The evaluation report page. `images` is what `findManifest` found for the site folder. */
export async function renderEvalPage(input: EvalPageInput, images: ManifestLookup): Promise<string> {
  const {report} = input
  const saved = 'manifest' in images ? new Set(images.manifest.images.map((im) => im.id)) : new Set<string>()
  const link = (id: string): string | undefined => (saved.has(id) ? `#${imageAnchor(id)}` : undefined)
  // Point pairs (DIW) have one pair per image: the headline WHDR and the per-image records say it all.
  const taskSections = report.task === 'segment' ? await segmentSections(report, link) : report.task === 'depth' ? await depthSections(report) : []
  const cards = imageSections(report, images)
  const problems = report.images.filter((r) => r.status !== 'scored')
  const problemRows = problems.slice(0, PROBLEMS_SHOWN).map((r) => [esc(r.id), esc(r.status), esc(r.error ?? '')])
  const sections = [
    section('metrics', 'Metrics', headlineTable(report, input.paper ?? new Map(), input.baseline)),
    section(
      'protocol',
      'Protocol',
      `<ul>${describeProtocol(report.protocol)
        .map((l) => `<li>${esc(l)}</li>`)
        .join('')}</ul>`,
    ),
    ...taskSections,
    section('worst', 'Worst images', cards.worst),
    section('best', 'Best images', cards.best),
    ...(problems.length === 0
      ? []
      : [
          section(
            'not-scored',
            `Images not scored (${problems.length})`,
            table([{label: 'image'}, {label: 'status'}, {label: 'reason'}], problemRows) +
              (problems.length > PROBLEMS_SHOWN ? `<p class="note">… and ${problems.length - PROBLEMS_SHOWN} more: all are in the JSON report.</p>` : ''),
          ),
        ]),
  ]
  return htmlPage({
    title: `dpt eval · ${describeDataset(report)}`,
    subtitle: [
      esc(describeModel(report)),
      esc(describeCounts(report)),
      ...(input.baseline === undefined ? [] : [`baseline: ${esc(describeModel(input.baseline))}`]),
    ],
    sections,
  })
}

/** The page file inside a site folder. */
export const EVAL_PAGE = 'index.html'

/**
 * Writes the report page into `siteDir` (created if needed): from the report alone, with the worst and best
 * images' panels when the folder holds this run's `assets/manifest.json` (written by EvalImagesSink).
 * Returns the page's path.
 */
export async function writeEvalSite(siteDir: string, input: EvalPageInput): Promise<string> {
  await mkdir(siteDir, {recursive: true})
  const page = await renderEvalPage(input, await findManifest(siteDir, input.report))
  const path = join(siteDir, EVAL_PAGE)
  await writeFileAtomic(path, Buffer.from(page))
  return path
}
