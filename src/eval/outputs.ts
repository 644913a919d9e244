import {appendFile} from 'node:fs/promises'
import {resolve} from 'node:path'
import {DptError, ExitCode, messageOf} from '../pipeline/errors.js'
import {writeFileAtomic} from '../pipeline/sinks/atomic.js'
import type {ReportTargets} from './settings.js'

/** The renderings of one report that may be written. */
export interface Renderings {
  readonly json: string
  readonly csv: () => string
  readonly markdown: () => string
}

/**
 * Writes the JSON report and the CSV (atomically: a CI job never reads half a file) and appends the Markdown
 * summary to $GITHUB_STEP_SUMMARY. Returns the written paths.
 */
export async function writeReportTargets(targets: ReportTargets, cwd: string, rendered: Renderings): Promise<string[]> {
  const written: string[] = []
  const write = async (path: string, text: string, what: string): Promise<void> => {
    try {
      await writeFileAtomic(resolve(cwd, path), Buffer.from(text))
      written.push(path)
    } catch (error) {
      // A full or read-only disk keeps its own exit code (8) and remedy.
      if (error instanceof DptError) throw error
      throw new DptError(`Could not write the ${what} ${path}: ${messageOf(error)}`, {
        exitCode: ExitCode.internal,
        cause: error,
        remedy: 'Check that the folder exists and is writable.',
      })
    }
  }
  if (targets.report !== undefined) await write(targets.report, rendered.json, 'report')
  if (targets.csv !== undefined) await write(targets.csv, rendered.csv(), 'CSV')
  if (targets.stepSummary !== undefined) {
    try {
      await appendFile(targets.stepSummary, `${rendered.markdown()}\n`)
      written.push(targets.stepSummary)
    } catch (error) {
      throw new DptError(`Could not append to $GITHUB_STEP_SUMMARY (${targets.stepSummary}): ${messageOf(error)}`, {exitCode: ExitCode.internal, cause: error})
    }
  }
  return written
}
