import {isDeepStrictEqual} from 'node:util'
import {DptError} from '../../pipeline/errors.js'
import {mergeReports} from '../report/merge.js'
import type {EvalReport, ShardInfo} from '../types.js'
import {zeroShotTable, type SuiteReports, type ZeroShotTable} from './table.js'
import {ZERO_SHOT_KEYS, type ZeroShotKey} from './zero-shot.js'

export const SUITE_SCHEMA = 'dpt-eval-suite' as const
export const SUITE_VERSION = 1 as const

export type SuiteEntry =
  | {readonly key: ZeroShotKey; readonly status: 'scored'; readonly report: EvalReport}
  | {readonly key: ZeroShotKey; readonly status: 'skipped'; readonly reason: string}

/**
 * The combined JSON of a zero-shot suite run (JSON schema: models/eval-suite.schema.json): one entry per
 * column of Table 1, in its order, holding that dataset's whole report (the same object as its own report file) or
 * why it was skipped; and the table built from them. A shard's suite report (`partial`) holds the datasets'
 * partial reports and no table: `mergeSuiteReports` turns the shards into exactly the single run's report.
 */
export interface SuiteReport {
  readonly schema: typeof SUITE_SCHEMA
  readonly version: typeof SUITE_VERSION
  readonly suite: 'zero-shot'
  /** This run's row in the table (the model's registry id or name). */
  readonly label: string
  /** The registry id whose paper figures the run is compared with, or null. */
  readonly paperModel: string | null
  readonly datasets: readonly SuiteEntry[]
  readonly table?: ZeroShotTable
  readonly partial?: {readonly shard: ShardInfo}
}

export interface SuiteInput {
  readonly label: string
  readonly paperModel: string | null
  /** The report of every scored dataset: partial reports of `shard` when it is given. */
  readonly reports: SuiteReports
  /** Why each other dataset was not scored. */
  readonly skipped: Readonly<Partial<Record<ZeroShotKey, string>>>
  readonly shard?: ShardInfo | undefined
}

/** The combined report; every column must be either scored or skipped, and every report of the run's shard. */
export function buildSuiteReport(input: SuiteInput): SuiteReport {
  const datasets = ZERO_SHOT_KEYS.map((key): SuiteEntry => {
    const report = input.reports[key]
    const reason = input.skipped[key]
    if ((report === undefined) === (reason === undefined)) throw new Error(`${key} must be either scored or skipped`)
    if (report === undefined) return {key, status: 'skipped', reason: reason!}
    if (!isDeepStrictEqual(report.partial?.shard, input.shard))
      throw new Error(`the ${key} report is not of ${input.shard === undefined ? 'a whole run' : 'this shard'}`)
    return {key, status: 'scored', report}
  })
  const base = {schema: SUITE_SCHEMA, version: SUITE_VERSION, suite: 'zero-shot' as const, label: input.label, paperModel: input.paperModel, datasets}
  if (input.shard !== undefined) return {...base, partial: {shard: input.shard}}
  return {...base, table: zeroShotTable(input.reports, {label: input.label, paperModel: input.paperModel})}
}

/**
 * The shards' suite reports → the single run's: per dataset, `mergeReports` of its partial reports (exact: pooled
 * records, summed counts); the same datasets must be scored in every shard, the same ones skipped.
 */
export function mergeSuiteReports(parts: readonly SuiteReport[]): SuiteReport {
  if (parts.length === 0) throw usage('No suite report to merge.', 'Pass the suite reports of every shard.')
  const sorted = [...parts].sort((a, b) => (a.partial?.shard.index ?? 0) - (b.partial?.shard.index ?? 0))
  if (sorted.some((p) => p.partial === undefined)) throw usage('A finished suite report cannot be merged again.', 'Merge only the reports of --shard runs.')
  const first = sorted[0]!
  const count = first.partial!.shard.count
  for (const part of sorted) {
    const what = `Shard ${part.partial!.shard.index}/${part.partial!.shard.count}`
    if (part.partial!.shard.count !== count) throw usage(`${what} is of another split than ${count} shards.`, 'Merge the shards of one run.')
    if (part.label !== first.label || part.paperModel !== first.paperModel) throw usage(`${what} scored another model.`, 'Merge the shards of one run.')
  }
  const indices = sorted.map((p) => p.partial!.shard.index)
  const missing = Array.from({length: count}, (_, i) => i + 1).filter((i) => !indices.includes(i))
  const twice = indices.filter((i, k) => indices.indexOf(i) !== k)
  if (twice.length > 0) throw usage(`Shard ${twice[0]}/${count} is given twice.`, 'Pass each shard’s suite report once.')
  if (missing.length > 0) throw usage(`Shards ${missing.map((i) => `${i}/${count}`).join(', ')} are missing.`, 'Merge every shard of the run.')

  const reports: SuiteReports = {}
  const skipped: Partial<Record<ZeroShotKey, string>> = {}
  for (const key of ZERO_SHOT_KEYS) {
    const entries = sorted.map((p) => p.datasets.find((d) => d.key === key)!)
    const scored = entries.filter((e) => e.status === 'scored')
    if (scored.length === entries.length) reports[key] = mergeReports(scored.map((e) => e.report))
    else if (scored.length === 0) skipped[key] = (entries[0] as Extract<SuiteEntry, {status: 'skipped'}>).reason
    else {
      const lacking = entries.findIndex((e) => e.status === 'skipped')
      throw usage(
        `${key} was scored in some shards but skipped in shard ${sorted[lacking]!.partial!.shard.index}/${count}.`,
        'Give every shard the same datasets (the same --data-root contents), then re-run the shards that skipped it.',
      )
    }
  }
  return buildSuiteReport({label: first.label, paperModel: first.paperModel, reports, skipped})
}

function usage(message: string, remedy: string): DptError {
  return new DptError(message, {remedy})
}
