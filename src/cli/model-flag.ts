import type {RunFlagValues} from '../flags.js'
import {resolveModelPath} from '../hub/resolve-model.js'
import type {Task} from '../model/card.js'
import {pullProgress} from '../ui/download-progress.js'

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
