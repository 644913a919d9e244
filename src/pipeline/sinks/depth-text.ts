import type {PngText} from '../../formats/png-text.js'
import type {ValueRange} from '../../kernels/depth-scale.js'
import type {DepthSemantics} from '../../model/card.js'
import type {ColormapName} from '../render/colormap.js'
import {float32Text} from '../render/value-text.js'

/**
 * How the normalised formats chose their min/max: per image (the reference), over the run, fixed by --range, or
 * per video frame by the one-pass stabiliser (each frame's PNG text gives the range it maps).
 */
export type DepthNormalize = 'image' | 'global' | 'range' | 'stable'

/** A run's normalisation as --json reports it: the mode, the range when one served every image, the colour bar. */
export interface DepthNormalization {
  readonly mode: DepthNormalize
  /** The fixed (--range) or the run's (global) min and max; null per image (each record's valueRange). */
  readonly range: ValueRange | null
  /** The colour bar written for the color format, else null. */
  readonly colorbar: string | null
}

/** The keywords dpt writes into its depth PNGs (README "Values you can map back"). */
export const DEPTH_TEXT_KEYS = {
  values: 'dpt:values',
  imageMin: 'dpt:image-min',
  imageMax: 'dpt:image-max',
  normalize: 'dpt:normalize',
  min: 'dpt:min',
  max: 'dpt:max',
  levels: 'dpt:levels',
  scale: 'dpt:scale',
  colormap: 'dpt:colormap',
  mapping: 'dpt:mapping',
} as const

/** What a depth PNG's text says of its pixels. */
export type DepthTextSpec =
  | {
      readonly kind: 'normalised'
      readonly levels: 65535 | 255
      readonly normalize: DepthNormalize
      readonly range: ValueRange
      readonly colormap?: ColormapName
    }
  | {readonly kind: 'metric'; readonly scale: number}

/**
 * The text chunks of one depth PNG: the model's values (semantics, this image's finite min and max) and how a
 * pixel maps back to them. Numbers are float32 in their shortest exact decimal. Pixels were truncated, so a value
 * read back is the low end of its level: the true one lies within one level, (max − min) / levels, above it.
 */
export function depthText(semantics: DepthSemantics, image: ValueRange, spec: DepthTextSpec): PngText {
  const k = DEPTH_TEXT_KEYS
  const common: [string, string][] = [
    [k.values, semantics],
    [k.imageMin, float32Text(image.min)],
    [k.imageMax, float32Text(image.max)],
  ]
  if (spec.kind === 'metric') return [...common, [k.scale, String(spec.scale)], [k.mapping, `value = v / ${spec.scale}`]]
  const mapping = `value = ${k.min} + v / ${spec.levels} * (${k.max} - ${k.min})`
  return [
    ...common,
    [k.normalize, spec.normalize],
    [k.min, float32Text(spec.range.min)],
    [k.max, float32Text(spec.range.max)],
    [k.levels, String(spec.levels)],
    ...(spec.colormap === undefined ? [] : [[k.colormap, spec.colormap] as [string, string]]),
    [k.mapping, spec.colormap === undefined ? mapping : `${mapping}, v = the index of the pixel's colour in ${k.colormap}`],
  ]
}
