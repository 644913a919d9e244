import {escapeXml, hexColour, svgDocument} from './svg.js'

export interface LegendEntry {
  readonly colour: readonly [number, number, number]
  readonly label: string
}

const ROW = 16
const SWATCH = 12

/** A legend as SVG: one row per entry, its colour swatch then its label, in the order given. */
export function legendSvg(title: string, entries: readonly LegendEntry[]): string {
  // Wide enough for the longest label at about 0.6 em per character of a 11-unit sans-serif font.
  const width = Math.ceil(12 + SWATCH + 6 + Math.max(title.length, ...entries.map((e) => e.label.length)) * 6.6 + 12)
  const rows = entries.flatMap((e, i) => {
    const y = 28 + i * ROW
    return [
      `<rect x="12" y="${y}" width="${SWATCH}" height="${SWATCH}" fill="${hexColour(...e.colour)}" stroke="#000000" stroke-width="0.5"/>`,
      `<text x="${12 + SWATCH + 6}" y="${y + SWATCH - 2}" font-size="11">${escapeXml(e.label)}</text>`,
    ]
  })
  return svgDocument(width, 28 + entries.length * ROW + 8, title, [`<text x="12" y="18" font-size="11" font-weight="bold">${escapeXml(title)}</text>`, ...rows])
}
