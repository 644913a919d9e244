import {realpath} from 'node:fs/promises'
import {DptError} from '../errors.js'
import {display} from '../paths.js'
import type {ExistingPolicy} from '../settings.js'
import {outputExists} from '../sinks/atomic.js'
import type {FileSample} from './files.js'

/** Refuses runs that would write over an input or, without --overwrite / --skip-existing, over earlier outputs. */
export async function checkOutputs(
  files: readonly FileSample[],
  outputPaths: (file: FileSample) => readonly string[],
  settings: {readonly cwd: string; readonly existing: ExistingPolicy},
): Promise<Set<FileSample>> {
  const inputs = new Set(await Promise.all(files.map((f) => realpath(f.path))))
  const skip = new Set<FileSample>()
  const existing: string[] = []
  for (const file of files) {
    const outputs = outputPaths(file)
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
