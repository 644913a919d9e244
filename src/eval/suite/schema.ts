import {readFile} from 'node:fs/promises'
import {createRequire} from 'node:module'
import {Ajv} from 'ajv'
import {DptError, messageOf} from '../../pipeline/errors.js'
import {parseReport} from '../report/schema.js'
import type {SuiteEntry, SuiteReport} from './combined.js'
import {ZERO_SHOT_KEYS} from './zero-shot.js'

const require = createRequire(import.meta.url)
// models/eval-suite.schema.json refers to each dataset's report by the report schema's own $id.
const reportSchema = require('../../../../models/eval-report.schema.json') as object
const suiteSchema = require('../../../../models/eval-suite.schema.json') as object
// Compiled on first use: only the suite's commands pay for it.
let compiled: ReturnType<Ajv['compile']> | undefined
const validator = (): ReturnType<Ajv['compile']> =>
  (compiled ??= new Ajv({allErrors: true, allowUnionTypes: true}).addSchema(reportSchema).compile(suiteSchema))

/** Problems with a suite report's JSON, one line each, empty when it is valid. */
export function checkSuiteJson(json: unknown): string[] {
  const validate = validator()
  const problems = validate(json)
    ? []
    : (validate.errors ?? []).map(
        (e) => `${e.instancePath === '' ? 'suite report' : e.instancePath.slice(1).replaceAll('/', '.')} ${e.message ?? 'is invalid'}`,
      )
  if (problems.length > 0) return problems
  const keys = (json as SuiteReport).datasets.map((d) => d.key)
  return keys.join() === ZERO_SHOT_KEYS.join() ? [] : [`datasets are ${keys.join(', ')}; expected ${ZERO_SHOT_KEYS.join(', ')} in that order`]
}

/** As the reports: two-space JSON and a final newline (Infinity, an unbounded depth range, becomes null). */
export function suiteJson(report: SuiteReport): string {
  return `${JSON.stringify(report, null, 2)}\n`
}

/** A suite report parsed and validated, each dataset's report read back as `dpt eval merge` reads one. */
export function parseSuiteReport(text: string, source: string): SuiteReport {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new DptError(`${source} is not JSON: ${messageOf(error)}`, {cause: error, remedy: 'Pass a suite report written by the zero-shot suite.'})
  }
  const problems = checkSuiteJson(json)
  if (problems.length > 0) {
    throw new DptError(`${source} is not a dpt zero-shot suite report: ${problems.slice(0, 5).join('; ')}`, {
      remedy: 'Pass a suite report written by the zero-shot suite (format: models/eval-suite.schema.json).',
    })
  }
  const suite = json as SuiteReport
  const datasets = suite.datasets.map((entry): SuiteEntry =>
    entry.status === 'scored' ? {...entry, report: parseReport(JSON.stringify(entry.report), `${source} (${entry.key})`)} : entry,
  )
  return {...suite, datasets}
}

export async function readSuiteReport(path: string): Promise<SuiteReport> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new DptError(`Cannot read the suite report ${path}: ${messageOf(error)}`, {cause: error, remedy: 'Check the path.'})
  }
  return parseSuiteReport(text, path)
}
