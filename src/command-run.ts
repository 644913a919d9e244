import type {Command} from '@oclif/core'
import {handleRunError} from './command-errors.js'
import {runSettings, type RunFlagValues} from './flags.js'
import {runImages, type RunResult, type TaskPlan} from './pipeline/run.js'
import type {RunSettings} from './pipeline/settings.js'
import {progressEvents} from './ui/progress.js'
import {summaryLines} from './ui/summary.js'

/**
 * What depth and segment share around their plan: settings from flags, the progress bar, the human summary on
 * stderr, the exit code, and errors as message + remedy.
 */
export async function runImageCommand(
  command: Command,
  inputs: readonly string[],
  flags: RunFlagValues,
  makePlan: (settings: RunSettings) => TaskPlan,
): Promise<RunResult> {
  const json = command.jsonEnabled()
  const log = (line: string): void => command.logToStderr(line)
  const ui = progressEvents(process.stderr.isTTY === true && !json, log)
  try {
    const settings = runSettings(inputs, flags)
    const result = await runImages(settings, makePlan(settings), ui)
    ui.stop()
    if (!json) for (const line of summaryLines(result, flags.output)) log(line)
    process.exitCode = result.exitCode
    return result
  } catch (error) {
    ui.stop()
    return handleRunError(command, error)
  }
}
