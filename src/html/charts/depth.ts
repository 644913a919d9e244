import type {TopLevelSpec} from 'vega-lite'
import type {DensityCell, DepthBinRow} from '../../eval/analysis/depth-views.js'
import {CHART_CONFIG} from './theme.js'

interface LogAxis {
  type: 'quantitative'
  title: string
  scale: {type: 'log'; domain: number[]; nice: boolean}
  axis: {format: string}
}

const metres = (title: string, domain: readonly [number, number]): LogAxis => ({
  type: 'quantitative',
  title,
  scale: {type: 'log', domain: [...domain], nice: false},
  axis: {format: '~g'},
})

/**
 * Scored prediction against ground truth as a density: one rectangle per non-empty cell of the 2-D histogram,
 * coloured by its share of the ground-truth column (so every depth is visible however few pixels it has),
 * with the y = x diagonal. Mark name `density`.
 */
export function densityChart(cells: readonly DensityCell[], domain: readonly [number, number]): TopLevelSpec {
  return {
    config: CHART_CONFIG,
    width: 360,
    height: 360,
    layer: [
      {
        name: 'density',
        data: {values: cells.map((c) => ({...c, share: 100 * c.shareOfGt}))},
        mark: {type: 'rect'},
        encoding: {
          x: {field: 'gtFrom', ...metres('ground truth (m, log)', domain)},
          x2: {field: 'gtTo'},
          y: {field: 'predFrom', ...metres('prediction, aligned (m, log)', domain)},
          y2: {field: 'predTo'},
          color: {field: 'share', type: 'quantitative', title: '% of the column', scale: {type: 'log', scheme: 'viridis'}},
        },
      },
      {
        name: 'diagonal',
        data: {values: [{a: domain[0], b: domain[1]}]},
        mark: {type: 'rule', color: '#d62728', strokeDash: [4, 3]},
        encoding: {x: {field: 'a', type: 'quantitative'}, y: {field: 'a', type: 'quantitative'}, x2: {field: 'b'}, y2: {field: 'b'}},
      },
    ],
  }
}

/**
 * Error by ground-truth depth: pixel-pooled AbsRel and δ>1.25 per depth bin, and how many pixels each bin has,
 * on one depth axis. Mark names `absrel`, `above`, `binpixels`; a bar per bin with pixels.
 */
export function errorByDepthChart(rows: readonly DepthBinRow[], domain: readonly [number, number]): TopLevelSpec {
  const x = {field: 'from', ...metres('ground truth (m, log)', domain)}
  const panel = (name: string, field: string, title: string, color: string, log = false) => ({
    name,
    width: 480,
    height: 120,
    mark: {type: 'rect' as const, color},
    encoding: {
      x,
      x2: {field: 'to'},
      y: {field, type: 'quantitative' as const, title, scale: {type: log ? ('log' as const) : ('linear' as const)}},
      y2: {datum: log ? 1 : 0},
    },
  })
  return {
    config: CHART_CONFIG,
    data: {values: rows.map((r) => ({...r}))},
    spacing: 8,
    vconcat: [
      panel('absrel', 'absRel', 'AbsRel', '#4c78a8'),
      panel('above', 'above125Pct', 'δ>1.25 %', '#f58518'),
      panel('binpixels', 'pixels', 'pixels (log)', '#9d755d', true),
    ],
  }
}
