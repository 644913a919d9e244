import type {TopLevelSpec} from 'vega-lite'
import {CHART_CONFIG} from './theme.js'

/**
 * The distribution of a per-image value (AbsRel, δ>1.25, mIoU …) over the scored images: a histogram with
 * Vega-Lite's binning (nice bin edges, at most `maxBins`). Mark name given by `name`.
 */
export function histogram(name: string, values: readonly number[], title: string, maxBins = 40): TopLevelSpec {
  return {
    config: CHART_CONFIG,
    name,
    data: {values: values.map((v) => ({v}))},
    width: 360,
    height: 160,
    mark: {type: 'bar', color: '#4c78a8'},
    encoding: {
      x: {field: 'v', type: 'quantitative', bin: {maxbins: maxBins}, title},
      y: {aggregate: 'count', type: 'quantitative', title: 'images'},
    },
  }
}
