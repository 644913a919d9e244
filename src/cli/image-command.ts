import {runSettings, withEnvDefaults, type RunFlagValues} from '../flags.js'
import {videoSettings, type VideoFlagValues} from '../flags-video.js'
import type {Task} from '../model/card.js'
import {runImages, type ImageTask, type RunResult} from '../pipeline/images.js'
import type {Size} from '../pipeline/sample.js'
import type {RunSettings} from '../pipeline/settings.js'
import {readInputs, readStdin} from '../pipeline/sources/input-list.js'
import type {InputSpec} from '../pipeline/sources/inputs.js'
import {summaryLines} from '../ui/summary.js'
import {DptCommand} from './base.js'
import {resolveModelFlag} from './model-flag.js'

/** The arguments as an InputSpec: `-` is stdin, `@FILE` a list file (input-list.ts). */
export function inputSpec(argv: readonly string[], flags: Pick<RunFlagValues, 'null' | 'base'>): Promise<InputSpec> {
  return readInputs(argv, {
    nul: flags.null,
    cwd: process.cwd(),
    base: flags.base,
    stdin: {isTTY: process.stdin.isTTY, read: readStdin},
  })
}

/**
 * What dpt depth and dpt segment share around their task: DPT_* defaults, the inputs (lists included), the model,
 * progress, warnings, the human summary on stderr and the exit code.
 */
export abstract class ImageCommand extends DptCommand {
  protected async runTask(
    task: Task,
    argv: readonly string[],
    typedFlags: RunFlagValues & VideoFlagValues,
    warnings: readonly string[],
    makeTask: (settings: RunSettings) => ImageTask<Size>,
    /** --html: the run's contact sheet, written after the run with its result and summary; returns the pages. */
    html?: {finish(result: RunResult, summary: readonly string[]): Promise<readonly string[]>},
  ): Promise<RunResult> {
    const flags = withEnvDefaults(typedFlags, this.environment)
    const ui = this.progress(flags['progress-interval'])
    try {
      for (const warning of warnings) this.warning(warning)
      const inputs = await inputSpec(argv, flags)
      const model = await resolveModelFlag(flags, task, process.stderr.isTTY && !this.jsonEnabled())
      const settings = runSettings(inputs, {...flags, model})
      const result = await runImages(
        settings,
        makeTask(settings),
        {
          ...ui,
          warning: (text) => {
            this.warning(text)
          },
        },
        videoSettings(flags, process.env),
      )
      ui.stop()
      const summary = summaryLines(result, flags.output)
      const pages = html === undefined ? [] : await html.finish(result, summary)
      if (!this.jsonEnabled()) for (const line of [...summary, ...pages.slice(0, 1).map((p) => `contact sheet: ${p}`)]) this.logToStderr(line)
      process.exitCode = result.exitCode
      return {...result, warnings: [...this.warnings]}
    } finally {
      ui.stop()
    }
  }
}
