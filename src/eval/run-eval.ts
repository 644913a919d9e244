import {resolve} from 'node:path'
import {DptError, ExitCode} from '../pipeline/errors.js'
import type {RunEvents} from '../pipeline/run.js'
import {appendHtmlSummary} from '../html/summary.js'
import type {EvalHtml} from '../html/eval/eval-html.js'
import {shownPath} from '../html/eval/eval-html.js'
import {openDataset} from './datasets/index.js'
import {writeReportTargets} from './outputs.js'
import {evaluate} from './predict-run.js'
import {buildReport, evaluateGates, mergeReports, readReport, renderCsv, renderMarkdown, reportJson, type GateOutcome} from './report/index.js'
import type {EvalSettings, GateSettings, ReportTargets} from './settings.js'
import type {EvalReport} from './types.js'

/** Documented exit codes of dpt eval (README.md "Evaluation"), for --help. */
export const EVAL_EXIT_CODES_HELP =
  'Exit codes: 0 scored, gates passed; 6 a gate failed; 3 some images could not be scored; 1 internal error; 2 bad usage; 4 model error; 5 no image with ground truth; 7 dataset layout not as expected; 8 disk full or read-only (--report, --csv); 130 interrupted.'

/** What `dpt eval` and `dpt eval merge` return (and print with --json). */
export interface EvalResult {
  readonly report: EvalReport
  readonly gates: GateOutcome
  /** Files written: --report, --csv, $GITHUB_STEP_SUMMARY. */
  readonly written: readonly string[]
  /** Things worth knowing about the numbers (a dataset smaller than its standard split). */
  readonly notes: readonly string[]
  /** Flags without effect in this run (dpt eval; stderr says them too). */
  readonly warnings: readonly string[]
  readonly exitCode: ExitCode
}

/** Gate failures first (the CI signal), then images that could not be scored; missing GT is not a failure. */
function exitCodeOf(report: EvalReport, gates: GateOutcome): ExitCode {
  if (!gates.passed) return ExitCode.gateFailed
  if (report.counts.failed > 0) return ExitCode.imagesFailed
  return ExitCode.ok
}

/** --html: the pages (and their line in the job summary); the run's images were handed to it while scoring. */
export interface HtmlTarget {
  readonly html: EvalHtml
  /** --html-artifact. */
  readonly artifact: string | undefined
  readonly env: Readonly<Record<string, string | undefined>>
}

async function finish(
  report: EvalReport,
  gateSettings: GateSettings,
  targets: ReportTargets,
  cwd: string,
  notes: string[] = [],
  html?: HtmlTarget,
): Promise<EvalResult> {
  const baseline = gateSettings.baseline === undefined ? undefined : await readReport(resolve(cwd, gateSettings.baseline))
  const gates = evaluateGates(report, gateSettings.gates, baseline)
  const written = await writeReportTargets(targets, cwd, {
    json: reportJson(report),
    csv: () => renderCsv(report),
    markdown: () => renderMarkdown(report, gates),
  })
  if (html !== undefined) {
    const pages = await html.html.write(report, baseline)
    written.push(...pages.map((p) => shownPath(cwd, p)))
    const page = shownPath(cwd, pages[0]!)
    await appendHtmlSummary(html.env, {kind: 'evaluation report', page, ...(html.artifact === undefined ? {} : {artifact: html.artifact})})
  }
  return {report, gates, written, notes, warnings: [], exitCode: exitCodeOf(report, gates)}
}

/** dpt eval: dataset → predictions → scores → report, gates and files. */
export async function runEval(settings: EvalSettings, events: RunEvents = {}, html?: HtmlTarget): Promise<EvalResult> {
  const dataset = await openDataset(settings.dataset)
  // Read the baseline before the (long) run: a wrong path should not cost an evaluation.
  if (settings.gates.baseline !== undefined) await readReport(resolve(settings.cwd, settings.gates.baseline))
  const outcome = await evaluate(
    {
      dataset,
      shard: settings.shard,
      origin: settings.origin,
      cwd: settings.cwd,
      depthProtocol: settings.depthProtocol,
      segmentProtocol: settings.segmentProtocol,
      temporal: settings.temporal,
      ...(html === undefined
        ? {}
        : {
            watch: (scorer, classNames) => {
              html.html.watch(scorer, classNames)
            },
          }),
    },
    events,
  )
  if (outcome.interrupted) {
    throw new DptError('Interrupted: no report written', {
      exitCode: ExitCode.interrupted,
      remedy: 'Run again; with --shard, only the interrupted shard needs to run.',
    })
  }
  const report = buildReport({
    dataset: {name: dataset.name, split: dataset.split, root: dataset.root},
    protocol: outcome.scorer.protocol,
    model: outcome.model,
    records: outcome.scorer.records,
    segmentCounts: outcome.scorer.counts,
    classNames: outcome.classNames,
    shard: settings.shard,
    analysis: {confusion: outcome.scorer.confusion, depth: outcome.scorer.depthAnalysis},
    temporal: outcome.scorer.temporal?.result(),
  })
  const notes =
    dataset.standardSize !== undefined && dataset.samples.length !== dataset.standardSize
      ? [
          `${dataset.name}${dataset.split === null ? '' : ` ${dataset.split}`} has ${dataset.standardSize} images in its standard split; this folder lists ${dataset.samples.length}, so the numbers are not comparable with published ones.`,
        ]
      : []
  return finish(report, settings.gates, settings.targets, settings.cwd, notes, html)
}

/** dpt eval merge: the partial reports of every shard → the report the single run would have written. */
export async function runMerge(parts: readonly string[], gates: GateSettings, targets: ReportTargets, cwd: string, html?: HtmlTarget): Promise<EvalResult> {
  const reports = await Promise.all(parts.map((p) => readReport(resolve(cwd, p))))
  return finish(mergeReports(reports), gates, targets, cwd, [], html)
}

/** dpt eval report: a saved report's pages (and gates, files), without scoring again. */
export async function runSavedReport(path: string, gates: GateSettings, targets: ReportTargets, cwd: string, html?: HtmlTarget): Promise<EvalResult> {
  return finish(await readReport(resolve(cwd, path)), gates, targets, cwd, [], html)
}
