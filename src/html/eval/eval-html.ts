import {relative, resolve} from 'node:path'
import type {Scorer} from '../../eval/predict-score.js'
import type {HtmlFlagValues} from '../flags.js'
import type {EvalReport} from '../../eval/types.js'
import {loadRegistry} from '../../hub/registry.js'
import {ADE20K_PALETTE} from '../../pipeline/render/ade20k.js'
import {writeComparePage} from './compare-page.js'
import {EVAL_PAGE, writeEvalSite} from './eval-page.js'
import {EvalImagesSink} from './images-sink.js'
import {mergeShardAssets} from './merge-assets.js'
import {paperFigures, registryEntryFor} from './paper.js'

export interface EvalHtmlOptions {
  /** The site folder (--html), absolute. */
  readonly dir: string
  /** Worst and best images with panels (--html-images); 0 writes no panels. */
  readonly count: number
  /** A merge: the shards' --html folders (absolute), whose panels are merged into this site. */
  readonly parts?: readonly string[]
}

/** The comparison page of a run with --baseline, next to index.html. */
export const COMPARE_PAGE = 'compare.html'

/**
 * `--html DIR` of dpt eval: `watch` hands the scorer's images to the panels' sink while the run scores (worst and
 * best N chosen in one pass), `write` finishes them and writes the report page (with the paper's figures of a
 * registry model and the baseline's columns) and, with a baseline, the comparison page. Without `watch` (a merge,
 * a saved report) the page is written from the report alone; panels saved earlier in the same folder by the same
 * run are found through their manifest, otherwise the page says the images were not saved.
 */
export class EvalHtml {
  private sink: EvalImagesSink | undefined

  constructor(readonly options: EvalHtmlOptions) {}

  /** Called by the run once the protocol is known, before any image is scored. Point pairs (DIW) get no panels. */
  watch(scorer: Scorer, classNames: readonly string[] | undefined): void {
    if (this.options.count === 0 || scorer.protocol.task === 'ordinal') return
    const sink = new EvalImagesSink({
      siteDir: this.options.dir,
      protocol: scorer.protocol,
      count: this.options.count,
      ...(classNames === undefined ? {} : {classNames, palette: ADE20K_PALETTE}),
    })
    this.sink = sink
    scorer.onScored = (image) => sink.offer(image)
  }

  /** Writes the pages; returns their paths, the report page first. */
  async write(report: EvalReport, baseline?: EvalReport): Promise<string[]> {
    const {dir} = this.options
    await this.sink?.finish(report)
    if (this.options.parts !== undefined && this.options.parts.length > 0) await mergeShardAssets(dir, this.options.parts, report)
    const paper = paperFigures(registryEntryFor(loadRegistry(), report.model), report)
    const page = await writeEvalSite(dir, {report, paper, ...(baseline === undefined ? {} : {baseline})})
    if (baseline === undefined) return [page]
    const compare = await writeComparePage(dir, {before: baseline, after: report, afterPage: EVAL_PAGE}, COMPARE_PAGE)
    return [page, compare]
  }
}

/** --html as the run sees it: the folder resolved against the working folder; undefined without --html. */
export function evalHtmlOf(flags: HtmlFlagValues, cwd: string): EvalHtml | undefined {
  if (flags.html === undefined) return undefined
  const parts = (flags['html-parts'] ?? []).map((d) => resolve(cwd, d))
  return new EvalHtml({dir: resolve(cwd, flags.html), count: flags['html-images'] ?? 8, parts})
}

/** A page's path as the job summary names it: relative to the working folder when inside it. */
export function shownPath(cwd: string, path: string): string {
  const rel = relative(cwd, path)
  return rel.startsWith('..') ? path : rel
}
