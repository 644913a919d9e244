import {readFile} from 'node:fs/promises'
import {createRequire} from 'node:module'
import {Ajv} from 'ajv'
import {DptError, messageOf} from '../../pipeline/errors.js'
import type {EvalReport} from '../types.js'
import {layoutJson, type Compact} from './json-layout.js'

const require = createRequire(import.meta.url)
// models/eval-report.schema.json is the one definition of the report format: documentation and validation.
const schema = require('../../../../models/eval-report.schema.json') as object

// Compiled on first use: only the commands that read or write a report pay for it.
let compiled: ReturnType<Ajv['compile']> | undefined
const validator = (): ReturnType<Ajv['compile']> => (compiled ??= new Ajv({allErrors: true, allowUnionTypes: true}).compile(schema))

/** Problems with a report's JSON, one line each, empty when it is valid. */
export function checkReportJson(json: unknown): string[] {
  const validate = validator()
  if (validate(json)) return []
  return (validate.errors ?? []).map((e) => `${e.instancePath === '' ? 'report' : e.instancePath.slice(1).replaceAll('/', '.')} ${e.message ?? 'is invalid'}`)
}

/**
 * The report as JSON text: Infinity (no upper depth limit) is written as null, NaN metrics are already null.
 * The analysis tables and the per-image class counts are written a row per line (thousands of cells would
 * otherwise take a line per number); everything else as JSON.stringify indents it.
 */
export function reportJson(report: EvalReport): string {
  return `${layoutJson(report, compactInReport)}\n`
}

/** A segmentation record's `classes` on one line; inside `analysis`, arrays of numbers on one line and cell lists a cell per line. */
function compactInReport(key: string, holder: object): Compact | undefined {
  if (key === 'classes') return 'pixAcc' in holder ? 'line' : undefined
  if (!('confusion' in holder || 'joint' in holder)) return undefined
  if (key === 'confusion' || key === 'joint') return 'rows'
  return ['labelPixels', 'predictedPixels', 'pixels', 'absRelSum', 'above125'].includes(key) ? 'line' : undefined
}

/** A report parsed and validated (a --baseline, or a part for `dpt eval merge`), with JSON's null limits restored. */
export function parseReport(text: string, source: string): EvalReport {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new DptError(`${source} is not JSON: ${messageOf(error)}`, {cause: error, remedy: 'Pass a report written by `dpt eval --report`.'})
  }
  const problems = checkReportJson(json)
  if (problems.length > 0) {
    const version = (json as {version?: unknown} | null)?.version
    const hint =
      version !== undefined && version !== 1
        ? ` (report version ${typeof version === 'number' || typeof version === 'string' ? version : JSON.stringify(version)}; this dpt reads version 1)`
        : ''
    throw new DptError(`${source} is not a dpt eval report${hint}: ${problems.slice(0, 5).join('; ')}`, {
      remedy: 'Pass a report written by `dpt eval --report` (format: models/eval-report.schema.json).',
    })
  }
  const report = json as EvalReport
  // JSON cannot hold Infinity: an unbounded depth range was written as null.
  const maxDepth: unknown = (json as {protocol: {maxDepth?: unknown}}).protocol.maxDepth
  if (report.protocol.task === 'depth' && maxDepth === null) {
    return {...report, protocol: {...report.protocol, maxDepth: Number.POSITIVE_INFINITY}}
  }
  return report
}

export async function readReport(path: string): Promise<EvalReport> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new DptError(`Cannot read the report ${path}: ${messageOf(error)}`, {cause: error, remedy: 'Check the path.'})
  }
  return parseReport(text, path)
}
