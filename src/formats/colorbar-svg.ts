import {escapeXml, hexColour, svgDocument} from './svg.js'

/** What a colour bar shows: the colormap's 256 colours, left (level 0) to right (level 255), and its ends. */
export interface ColourBar {
  readonly colormap: string
  /** 256 × RGB. */
  readonly lut: Uint8Array
  /** The labels under the two ends, e.g. a number and "far". */
  readonly low: readonly string[]
  readonly high: readonly string[]
  /** A line under the bar saying how a level maps to a value. */
  readonly caption: string
  /** Machine-readable facts, kept in a <desc> (the mapping, the range). */
  readonly description: string
}

const LEFT = 12
const TOP = 8
const BAR_HEIGHT = 24

/**
 * The colour bar as SVG: one 1-unit rectangle per level, exactly the colour the color format writes for that
 * level (so a pixel's colour can be found on it), the ends labelled below.
 */
export function colourBarSvg(bar: ColourBar): string {
  if (bar.lut.length !== 768) throw new RangeError(`Expected a 256-colour table, got ${bar.lut.length / 3} colours`)
  const width = LEFT * 2 + 256
  const rects = Array.from({length: 256}, (_, v) => {
    const fill = hexColour(bar.lut[v * 3]!, bar.lut[v * 3 + 1]!, bar.lut[v * 3 + 2]!)
    return `<rect x="${LEFT + v}" y="${TOP}" width="1" height="${BAR_HEIGHT}" fill="${fill}"/>`
  })
  const label = (x: number, anchor: string, lines: readonly string[]): string[] =>
    lines.map((line, i) => `<text x="${x}" y="${TOP + BAR_HEIGHT + 10 + i * 9}" font-size="8" text-anchor="${anchor}">${escapeXml(line)}</text>`)
  const rows = Math.max(bar.low.length, bar.high.length)
  const captionY = TOP + BAR_HEIGHT + 10 + rows * 9 + 2
  return svgDocument(width, captionY + 6, `dpt depth colour bar: ${bar.colormap}`, [
    `<desc>${escapeXml(bar.description)}</desc>`,
    '<g shape-rendering="crispEdges">',
    ...rects,
    `<rect x="${LEFT}" y="${TOP}" width="256" height="${BAR_HEIGHT}" fill="none" stroke="#000000" stroke-width="0.5"/>`,
    '</g>',
    ...label(LEFT, 'start', bar.low),
    ...label(LEFT + 256, 'end', bar.high),
    `<text x="${LEFT}" y="${captionY}" font-size="6.5">${escapeXml(bar.caption)}</text>`,
  ])
}
