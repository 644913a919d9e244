import type {Command} from '@oclif/core'
import {handleRunError} from './command-errors.js'
import {runSettings, type RunFlagValues} from './flags.js'
import {resolveModelPath} from './hub/resolve-model.js'
import type {Task} from './model/card.js'
import {runImages, type ImageTask, type RunResult} from './pipeline/images.js'
import type {Size} from './pipeline/sample.js'
import type {RunSettings} from './pipeline/settings.js'
import {pullProgress} from './ui/download-progress.js'
import {progressEvents} from './ui/progress.js'
import {summaryLines} from './ui/summary.js'

/**
 * --model as a path locateModel accepts: a path stays, a registry id or the task's default comes from the cache,
 * pulled first when missing. The download notice goes to stderr even under --json: a large download must never
 * start unannounced.
 */
export function resolveModelFlag(flags: Pick<RunFlagValues, 'model' | 'dtype' | 'offline'>, task: Task, tty: boolean): Promise<string> {
  const notice = (line: string): void => void process.stderr.write(`${line}\n`)
  return resolveModelPath(
    {ref: flags.model, task, dtype: flags.dtype, offline: flags.offline},
    pullProgress(tty, notice, 'model not in the cache yet: downloading'),
  )
}

/**
 * What depth and segment share around their plan: settings from flags, the progress bar, the human summary on
 * stderr, the exit code, and errors as message + remedy.
 */
export async function runImageCommand(
  command: Command,
  task: Task,
  inputs: readonly string[],
  flags: RunFlagValues,
  makeTask: (settings: RunSettings) => ImageTask<Size>,
  /** --html: the run's contact sheet, written after the run with its result and summary; returns the pages. */
  html?: {finish(result: RunResult, summary: readonly string[]): Promise<readonly string[]>},
): Promise<RunResult> {
  const json = command.jsonEnabled()
  const log = (line: string): void => {
    command.logToStderr(line)
  }
  const tty = process.stderr.isTTY && !json
  const ui = progressEvents(tty, log)
  try {
    const model = await resolveModelFlag(flags, task, tty)
    const settings = runSettings(inputs, {...flags, model})
    const result = await runImages(settings, makeTask(settings), ui)
    ui.stop()
    const summary = summaryLines(result, flags.output)
    const pages = html === undefined ? [] : await html.finish(result, summary)
    if (!json) for (const line of [...summary, ...pages.slice(0, 1).map((p) => `contact sheet: ${p}`)]) log(line)
    process.exitCode = result.exitCode
    return result
  } catch (error) {
    ui.stop()
    return handleRunError(command, error)
  }
}
