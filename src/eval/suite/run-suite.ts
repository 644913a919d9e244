import {mkdir, readFile} from 'node:fs/promises'
import {join, resolve} from 'node:path'
import {LoadedModel} from '../../pipeline/infer/model.js'
import {DptError, ExitCode} from '../../pipeline/errors.js'
import type {RunEvents} from '../../pipeline/run.js'
import type {RunSettings} from '../../pipeline/settings.js'
import type {Shard} from '../../pipeline/shard.js'
import {writeReportTargets} from '../outputs.js'
import {evaluate} from '../predict-run.js'
import {defaultSegmentProtocol, resolveDepthProtocol} from '../protocol.js'
import {buildReport, reportJson} from '../report/index.js'
import type {GateOutcome} from '../report/gates.js'
import type {EvalReport} from '../types.js'
import {buildSuiteReport, mergeSuiteReports, SUITE_SCHEMA, type SuiteReport} from './combined.js'
import {findZeroShotDatasets, SUITE_LAYOUT, type FoundDataset} from './find.js'
import {evaluateColumnGates, type ColumnGate} from './gates.js'
import {readSuiteReport, suiteJson} from './schema.js'
import {renderZeroShotMarkdown, type SuiteReports} from './table.js'
import type {ZeroShotKey} from './zero-shot.js'

/** Everything `dpt eval suite zero-shot` needs, normalised at the command's edge. */
export interface SuiteSettings {
  readonly cwd: string
  /** --data-root: each dataset in a folder of its name below it. */
  readonly root: string | undefined
  /** --path KEY=DIR: one dataset's folder, wins over the root. */
  readonly paths: Partial<Record<ZeroShotKey, string>>
  /** The model, loaded once for every dataset. */
  readonly run: RunSettings
  /** This run's row of the table, and the registry id whose paper figures it is compared with. */
  readonly label: string
  readonly paperModel: string | null
  readonly shard: Shard | undefined
  readonly gates: readonly ColumnGate[]
  /** --report-dir: one report per dataset (KEY.json); --report: the combined JSON; $GITHUB_STEP_SUMMARY. */
  readonly reportDir: string | undefined
  readonly report: string | undefined
  readonly stepSummary: string | undefined
}

export interface SuiteResult {
  readonly suite: SuiteReport
  readonly gates: GateOutcome
  readonly written: readonly string[]
  readonly exitCode: ExitCode
}

export interface SuiteEvents extends RunEvents {
  /** Before each dataset is scored, and for each one skipped. */
  dataset?(info: {key: ZeroShotKey; status: 'scoring' | 'skipped'; detail: string}): void
}

/**
 * The DPT paper's Table 1 in one run: the six datasets found under the root (missing ones listed and skipped), the
 * model loaded once, each dataset scored by the same evaluate() as `dpt eval --dataset KEY` with that dataset's
 * default protocol, one report per dataset, the combined JSON with the table, and per-column gates. With --shard
 * every dataset is split the same way and the partial suite reports merge exactly (`dpt eval merge`).
 */
export async function runSuite(settings: SuiteSettings, events: SuiteEvents = {}): Promise<SuiteResult> {
  if (settings.shard !== undefined && settings.gates.length > 0) {
    throw new DptError('Gates apply to the whole suite, not to one shard', {remedy: 'Gate the merged report: dpt eval merge parts/*.json --fail-if ….'})
  }
  const found = await findZeroShotDatasets({cwd: settings.cwd, root: settings.root, paths: settings.paths})
  const skipped: Partial<Record<ZeroShotKey, string>> = {}
  for (const s of found.skipped) {
    skipped[s.key] = s.reason
    events.dataset?.({key: s.key, status: 'skipped', detail: s.reason})
  }
  if (found.found.length === 0) {
    throw new DptError(`None of the six zero-shot datasets was found${settings.root === undefined ? '' : ` under ${settings.root}`}`, {
      exitCode: ExitCode.noInputs,
      remedy: `Lay the datasets out as:\n${SUITE_LAYOUT}\nor give a folder per dataset with --path KEY=DIR.`,
    })
  }
  const reports: SuiteReports = {}
  const model = await LoadedModel.load(settings.run, 'depth')
  try {
    for (const entry of found.found) {
      events.dataset?.({key: entry.key, status: 'scoring', detail: `${entry.dataset.samples.length} images in ${entry.data}`})
      reports[entry.key] = await scoreOne(settings, entry, model, events)
    }
  } finally {
    await model.close()
  }
  const suite = buildSuiteReport({label: settings.label, paperModel: settings.paperModel, reports, skipped, shard: settings.shard})
  const gates = evaluateColumnGates(reports, settings.gates)
  const written: string[] = []
  if (settings.reportDir !== undefined) {
    await mkdir(resolve(settings.cwd, settings.reportDir), {recursive: true})
    for (const [key, report] of Object.entries(reports)) {
      const path = join(settings.reportDir, `${key}.json`)
      written.push(...(await writeReportTargets({report: path, csv: undefined, stepSummary: undefined}, settings.cwd, renderings(reportJson(report)))))
    }
  }
  const markdown = suite.table === undefined ? undefined : renderZeroShotMarkdown(suite.table, skipped, gates)
  written.push(
    ...(await writeReportTargets(
      {report: settings.report, csv: undefined, stepSummary: markdown === undefined ? undefined : settings.stepSummary},
      settings.cwd,
      {...renderings(suiteJson(suite)), markdown: () => markdown ?? ''},
    )),
  )
  const failed = Object.values(reports).some((r) => r.counts.failed > 0)
  return {suite, gates, written, exitCode: !gates.passed ? ExitCode.gateFailed : failed ? ExitCode.imagesFailed : ExitCode.ok}
}

const renderings = (json: string): {json: string; csv: () => string; markdown: () => string} => ({json, csv: () => '', markdown: () => ''})

/** One dataset: evaluate() with the loaded model and the dataset's default protocol, then its (partial) report. */
async function scoreOne(settings: SuiteSettings, entry: FoundDataset, model: LoadedModel, events: RunEvents): Promise<EvalReport> {
  const {dataset} = entry
  const outcome = await evaluate(
    {
      dataset,
      shard: settings.shard,
      origin: {kind: 'model', run: settings.run, loaded: model},
      cwd: settings.cwd,
      depthProtocol: (kind) => resolveDepthProtocol(entry.key === 'diw' ? 'folder' : entry.key, kind),
      segmentProtocol: defaultSegmentProtocol,
      allowEmptyShard: true,
    },
    events,
  )
  if (outcome.interrupted) {
    throw new DptError('Interrupted: no report written', {
      exitCode: ExitCode.interrupted,
      remedy: 'Run again; with --shard, only the interrupted shard needs to run.',
    })
  }
  return buildReport({
    dataset: {name: dataset.name, split: dataset.split, root: dataset.root},
    protocol: outcome.scorer.protocol,
    model: outcome.model,
    records: outcome.scorer.records,
    segmentCounts: outcome.scorer.counts,
    classNames: outcome.classNames,
    shard: settings.shard,
  })
}

/** Whether a report file is a suite report (`schema: "dpt-eval-suite"`) rather than one dataset's. */
export async function isSuiteReportFile(path: string): Promise<boolean> {
  try {
    return (JSON.parse(await readFile(path, 'utf8')) as {schema?: unknown}).schema === SUITE_SCHEMA
  } catch {
    // Not JSON, or unreadable: the report reader says why.
    return false
  }
}

/** `dpt eval merge` of suite shards: the single run's suite report, its table, and the column gates on it. */
export async function runSuiteMerge(
  parts: readonly string[],
  options: {readonly cwd: string; readonly gates: readonly ColumnGate[]; readonly report: string | undefined; readonly stepSummary: string | undefined},
): Promise<SuiteResult> {
  const suite = mergeSuiteReports(await Promise.all(parts.map((p) => readSuiteReport(resolve(options.cwd, p)))))
  const reports: SuiteReports = Object.fromEntries(suite.datasets.flatMap((d) => (d.status === 'scored' ? [[d.key, d.report]] : [])))
  const skipped = Object.fromEntries(suite.datasets.flatMap((d) => (d.status === 'skipped' ? [[d.key, d.reason]] : [])))
  const gates = evaluateColumnGates(reports, options.gates)
  const markdown = renderZeroShotMarkdown(suite.table!, skipped, gates)
  const written = await writeReportTargets({report: options.report, csv: undefined, stepSummary: options.stepSummary}, options.cwd, {
    ...renderings(suiteJson(suite)),
    markdown: () => markdown,
  })
  const failed = Object.values(reports).some((r) => r.counts.failed > 0)
  return {suite, gates, written, exitCode: !gates.passed ? ExitCode.gateFailed : failed ? ExitCode.imagesFailed : ExitCode.ok}
}
