import type {TopLevelSpec} from 'vega-lite'
import {CHART_CONFIG} from './theme.js'

const hex = (r: number, g: number, b: number): string => `#${((1 << 24) | (r << 16) | (g << 8) | b).toString(16).slice(1)}`

export interface ColourBarOptions {
  readonly title: string
  /** Values at the LUT's first and last entries. */
  readonly domain: readonly [number, number]
  readonly log?: boolean
  /** Number of colour steps drawn (default 64). */
  readonly steps?: number
}

/**
 * A colour bar for a 256-entry RGB table: `steps` rectangles along a value axis with ticks, so a panel's colours
 * read as values. The LUT is sampled at each step's middle, as the panels index it. Mark name `colourbar`.
 */
export function colourBar(lut: Uint8Array, options: ColourBarOptions): TopLevelSpec {
  const steps = options.steps ?? 64
  const [lo, hi] = options.domain
  const at = (t: number): number => (options.log === true ? lo * (hi / lo) ** t : lo + (hi - lo) * t)
  const values = Array.from({length: steps}, (_, k) => {
    const entry = Math.min(255, Math.floor(((k + 0.5) / steps) * 256)) * 3
    return {from: at(k / steps), to: at((k + 1) / steps), colour: hex(lut[entry]!, lut[entry + 1]!, lut[entry + 2]!)}
  })
  return {
    config: {...CHART_CONFIG, axis: {...CHART_CONFIG.axis, grid: false}},
    name: 'colourbar',
    data: {values},
    width: 220,
    height: 12,
    mark: {type: 'rect'},
    encoding: {
      x: {
        field: 'from',
        type: 'quantitative',
        title: options.title,
        scale: {type: options.log === true ? 'log' : 'linear', domain: [lo, hi], nice: false},
        axis: {format: '~g', tickCount: 5},
      },
      x2: {field: 'to'},
      color: {field: 'colour', type: 'nominal', scale: null},
    },
  }
}

export interface LegendEntry {
  readonly name: string
  readonly rgb: readonly [number, number, number]
  /** Shown after the name, e.g. "31 %". */
  readonly note?: string
}

/** A class legend: a swatch and a name per entry, one per line, in the given order. Mark name `legend`. */
export function classLegend(entries: readonly LegendEntry[]): TopLevelSpec {
  const values = entries.map((e, k) => ({k, label: e.note === undefined ? e.name : `${e.name}  ${e.note}`, colour: hex(...e.rgb)}))
  const y = {field: 'k', type: 'ordinal' as const, axis: null}
  return {
    config: CHART_CONFIG,
    data: {values},
    width: 200,
    height: {step: 16},
    layer: [
      {
        name: 'legend',
        mark: {type: 'square', size: 110, filled: true, stroke: '#555', strokeWidth: 0.5},
        encoding: {y, x: {datum: 0, type: 'quantitative', scale: {domain: [0, 10]}, axis: null}, color: {field: 'colour', type: 'nominal', scale: null}},
      },
      {
        mark: {type: 'text', align: 'left', fontSize: 11, dx: 0},
        encoding: {y, x: {datum: 0.6, type: 'quantitative'}, text: {field: 'label'}},
      },
    ],
  }
}
