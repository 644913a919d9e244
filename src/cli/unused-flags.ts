import {statSync} from 'node:fs'
import {resolve} from 'node:path'
import type {Interfaces} from '@oclif/core'

/** Whether a flag was typed (given on the command line), as opposed to absent or filled in by its default. */
export type Typed = (name: string) => boolean

export function typedFlags(flags: Record<string, unknown>, metadata: Interfaces.ParserOutput['metadata']): Typed {
  return (name) => flags[name] !== undefined && metadata.flags[name]?.setFromDefault !== true
}

const formats = (format: string): string[] => format.split(',')

/**
 * Flags that do nothing in this run, one sentence each: a typo'd intention is better caught than ignored
 * (`--colormap turbo` without `--format color` writes no coloured map). Only typed flags are checked.
 */
export function depthFlagWarnings(flags: {format: string; 'metric-scale': number | undefined}, typed: Typed): string[] {
  const list = formats(flags.format)
  const warnings: string[] = []
  if (typed('colormap') && !list.includes('color')) warnings.push('--colormap has no effect without the color format (--format …,color)')
  if (typed('normalize') && !list.some((f) => f === 'png16' || f === 'png8' || f === 'color'))
    warnings.push(`--normalize has no effect: none of the formats (${flags.format}) is normalised (png16, png8 and color are)`)
  if (typed('metric-scale') && !list.includes('png16')) warnings.push('--metric-scale has no effect without the png16 format')
  return warnings
}

export function segmentFlagWarnings(flags: {format: string}, typed: Typed): string[] {
  const list = formats(flags.format)
  const warnings: string[] = []
  if (typed('alpha') && !list.includes('overlay')) warnings.push('--alpha has no effect without the overlay format (--format …,overlay)')
  if (typed('label-offset') && !list.includes('labels') && !list.includes('json'))
    warnings.push('--label-offset has no effect without the labels or json format')
  return warnings
}

/** Flags of every model run: --dtype picks a file in a model folder only; --strict-provider guards a GPU provider. */
export function modelFlagWarnings(
  flags: {model: string | undefined; provider: string | undefined; dtype: string},
  typed: Typed,
  platform: NodeJS.Platform = process.platform,
): string[] {
  const warnings: string[] = []
  if (typed('dtype') && flags.model !== undefined && isFile(flags.model))
    warnings.push(`--dtype has no effect with an .onnx file (${flags.model}): it picks a variant in a model folder`)
  if (typed('strict-provider') && (flags.provider ?? 'cpu') === 'cpu') warnings.push('--strict-provider has no effect with the cpu provider')
  if (typed('pipeline-nice') && platform !== 'linux') warnings.push(`--pipeline-nice has no effect on ${platform} (Linux only)`)
  return warnings
}

export function benchFlagWarnings(inputs: readonly string[], typed: Typed): string[] {
  return typed('sizes') && inputs.length > 0 ? ['--sizes has no effect when images are given: it sizes the generated ones'] : []
}

/** dpt eval: the model flags do nothing when saved predictions are scored, and the prediction flags nothing when a model runs. */
export function evalFlagWarnings(flags: {predictions: string | undefined}, typed: Typed): string[] {
  const modelOnly = [
    'card',
    'dtype',
    'provider',
    'workers',
    'threads',
    'input-size',
    'strict-provider',
    'max-pixels',
    'fail-fast',
    'pipeline-nice',
    'graph-optimization',
    'mem-pattern',
    'mem-arena',
  ]
  const predictionsOnly = ['prediction-kind', 'prediction-scale', 'label-offset']
  const unused = (flags.predictions === undefined ? predictionsOnly : modelOnly).filter((f) => typed(f))
  return unused.map((f) => `--${f} has no effect ${flags.predictions === undefined ? 'without --predictions' : 'with --predictions (no model runs)'}`)
}

function isFile(path: string): boolean {
  try {
    return statSync(resolve(path)).isFile()
  } catch {
    return false
  }
}
