import {join} from 'node:path'
import {colourBarSvg} from '../../formats/colorbar-svg.js'
import type {ValueRange} from '../../kernels/depth-scale.js'
import type {DepthSemantics} from '../../model/card.js'
import type {DepthPrediction} from '../postprocess/depth.js'
import {colormapLut, type ColormapName} from '../render/colormap.js'
import {float32Text, shortValue} from '../render/value-text.js'
import type {Sample} from '../sample.js'
import type {Sink} from '../sink.js'
import {writeFileAtomic} from './atomic.js'
import type {DepthNormalize} from './depth-text.js'

/** The run's colour bar next to the colour maps: one per run and colormap, rewritten by every run that writes them. */
export const colourBarPath = (outDir: string, colormap: ColormapName): string => join(outDir, `colorbar.${colormap}.svg`)

/** Which end of the bar is near: larger relative inverse depth (disparity) is nearer, larger metres farther. */
const ENDS: Record<DepthSemantics, readonly [string, string]> = {'relative-inverse-depth': ['far', 'near'], 'metric-depth': ['near', 'far']}

export interface ColourBarOptions {
  readonly outDir: string
  readonly colormap: ColormapName
  readonly semantics: DepthSemantics
  readonly normalize: DepthNormalize
  /** The range the colours span: fixed (--range) or the run's (known once the last map is in); none per image. */
  readonly range: () => ValueRange | undefined
}

/**
 * Writes the colour bar of the color format after the last image (complete): level 0 on the left to 255 on the
 * right, labelled with the run's or the fixed range, or "each image's min / max" when every image has its own
 * (then read in each PNG's dpt:min / dpt:max text).
 */
export class ColourBarSink<S extends Sample> implements Sink<S, DepthPrediction> {
  private written = false

  constructor(private readonly options: ColourBarOptions) {}

  get path(): string | undefined {
    return this.written ? colourBarPath(this.options.outDir, this.options.colormap) : undefined
  }

  consume(): Promise<string[]> {
    return Promise.resolve([])
  }

  async complete(): Promise<void> {
    const {colormap, semantics, normalize} = this.options
    const range = normalize === 'image' ? undefined : this.options.range()
    if (normalize !== 'image' && range === undefined) return
    const [lowEnd, highEnd] = ENDS[semantics]
    const ends = range === undefined ? ["each image's min", "each image's max"] : [shortValue(range.min), shortValue(range.max)]
    const where = range === undefined ? "in each PNG's dpt:min and dpt:max text" : `${float32Text(range.min)} to ${float32Text(range.max)}`
    const svg = colourBarSvg({
      colormap,
      lut: colormapLut(colormap),
      low: [ends[0]!, lowEnd],
      high: [ends[1]!, highEnd],
      caption: `level v of 0..255 ↦ min + v/255 · (max − min); ${semantics}; ${normalize === 'image' ? 'per image' : normalize === 'global' ? "the run's range" : '--range'}`,
      description: `colormap ${colormap}; values ${semantics}; normalize ${normalize}; range ${where}; value = min + v / 255 * (max - min)`,
    })
    await writeFileAtomic(colourBarPath(this.options.outDir, colormap), Buffer.from(svg))
    this.written = true
  }
}
