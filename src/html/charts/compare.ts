import type {TopLevelSpec} from 'vega-lite'
import {BETTER, CHART_CONFIG, LABEL_LIMIT, NEUTRAL, WORSE} from './theme.js'

export interface DeltaBar {
  readonly name: string
  /** New − old, in the metric's unit. */
  readonly delta: number
  readonly verdict: 'better' | 'worse' | 'same'
}

/** A diverging bar per row (per class IoU, per metric …) in the given order, green where better, red where worse. Mark name given. */
export function deltaChart(name: string, rows: readonly DeltaBar[], title: string): TopLevelSpec {
  return {
    config: CHART_CONFIG,
    name,
    data: {values: rows.map((r) => ({...r}))},
    width: 360,
    height: {step: 15},
    mark: {type: 'bar'},
    encoding: {
      y: {field: 'name', type: 'nominal', sort: null, title: null, axis: {labelLimit: LABEL_LIMIT}},
      x: {field: 'delta', type: 'quantitative', title, axis: {orient: 'top'}},
      color: {field: 'verdict', type: 'nominal', scale: {domain: ['better', 'worse', 'same'], range: [BETTER, WORSE, NEUTRAL]}, legend: null},
    },
  }
}
