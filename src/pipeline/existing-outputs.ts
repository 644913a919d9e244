import {realpath} from 'node:fs/promises'
import {isAbsolute, relative} from 'node:path'
import type {InputFile} from './discover.js'
import {DptError} from './errors.js'
import type {TaskPlan} from './run.js'
import type {RunSettings} from './settings.js'
import {outputExists} from './write/atomic.js'

/** A path as the user would type it: relative to the working directory when below it. */
export const display = (cwd: string, path: string): string => {
  const rel = relative(cwd, path)
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel
}

/** Refuses runs that would write over an input or, without --overwrite / --skip-existing, over earlier outputs. */
export async function checkOutputs(files: readonly InputFile[], plan: TaskPlan, settings: RunSettings): Promise<Set<InputFile>> {
  const inputs = new Set(await Promise.all(files.map((f) => realpath(f.path))))
  const skip = new Set<InputFile>()
  const existing: string[] = []
  for (const file of files) {
    const outputs = plan.outputPaths(file)
    const present = await Promise.all(outputs.map(async (o) => ((await outputExists(o)) ? realpath(o) : undefined)))
    const clash = present.find((p) => p !== undefined && inputs.has(p))
    if (clash !== undefined) {
      throw new DptError(`Refusing to write ${display(settings.cwd, clash)}: it is one of the inputs`, {
        remedy: 'Choose an output directory (-o) that does not hold the inputs.',
      })
    }
    const found = present.filter((p) => p !== undefined)
    if (settings.existing === 'skip' && found.length === outputs.length) skip.add(file)
    else if (settings.existing === 'refuse') existing.push(...found)
  }
  if (existing.length > 0) {
    const shown = existing.slice(0, 3).map((p) => display(settings.cwd, p))
    throw new DptError(`${existing.length} output file(s) already exist, e.g. ${shown.join(', ')}`, {
      remedy: 'Pass --skip-existing to resume the run, or --overwrite to replace them.',
    })
  }
  return skip
}
