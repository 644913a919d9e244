import {Flags} from '@oclif/core'
import type {ValueRange} from './kernels/depth-scale.js'
import {DptError} from './pipeline/errors.js'
import {isDepthVideoFormat} from './pipeline/sinks/depth-video.js'

/** `--range MIN,MAX` of dpt depth: one fixed scale for the normalised formats (src/pipeline/sinks/depth-files.ts). */
export const rangeFlag = Flags.custom<ValueRange>({
  summary: 'MIN,MAX of the model values png16/png8/color map to 0..top, for every image (values outside clamp).',
  helpValue: 'MIN,MAX',
  parse: (value) => Promise.resolve(parseRange(value)),
})

/** Two finite numbers, MIN < MAX; anything else is a usage error (exit 2 through oclif's parse failure). */
export function parseRange(value: string): ValueRange {
  const [min, max, ...rest] = value.split(',').map((v) => (v.trim() === '' ? NaN : Number(v)))
  if (rest.length > 0 || min === undefined || max === undefined || !Number.isFinite(min) || !Number.isFinite(max) || !(min < max)) {
    throw new Error(`Expected --range to be MIN,MAX with finite numbers MIN < MAX, got \`${value}\``)
  }
  return {min, max}
}

/** --range and --normalize global both choose the min/max: a usage error to pass both. */
export function rangeWithGlobal(range: ValueRange | undefined, normalize: string): DptError | undefined {
  if (range === undefined || normalize !== 'global') return undefined
  return new DptError('--range and --normalize global both choose the min/max of the normalised formats', {remedy: 'Pass one of them.'})
}

/**
 * --range fixes the scale of the per-image file formats; the video formats and --normalize stable choose theirs
 * frame by frame, so a fixed range there is a usage error rather than a flag silently ignored.
 */
export function rangeWithVideo(range: ValueRange | undefined, normalize: string, formats: readonly string[]): DptError | undefined {
  if (range === undefined) return undefined
  const video = formats.filter((f) => isDepthVideoFormat(f))
  if (normalize !== 'stable' && video.length === 0) return undefined
  return new DptError(
    `--range applies to the per-image formats (png16, png8, color), not to ${normalize === 'stable' ? '--normalize stable' : `--format ${video.join(',')}`}`,
    {
      remedy: 'Leave out --range for video outputs, or write png16/png8/color frames with it.',
    },
  )
}
