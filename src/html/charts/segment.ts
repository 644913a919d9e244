import type {TopLevelSpec} from 'vega-lite'
import {CHART_CONFIG, LABEL_LIMIT} from './theme.js'

export interface ClassBar {
  readonly name: string
  /** % */
  readonly iou: number
  /** %; null when the class was never labelled. */
  readonly acc: number | null
  /** % of the labelled pixels; null when the report does not say (no analysis). */
  readonly frequency: number | null
}

/** The frequency axis starts here (%): ADE20K's rarest classes hold about 0.01 % of the pixels. */
const MIN_FREQUENCY = 0.001

/** Pixels per class row: every class name legible at 11 px. */
const ROW = 15

/**
 * IoU, accuracy and pixel frequency per class, side by side on one shared class axis in the rows' order
 * (sorted by the caller): all 150 ADE20K classes on one chart, a row each. Mark names `iou`, `acc`, `freq`; the
 * frequency panel only when the rows have frequencies.
 */
export function classChart(rows: readonly ClassBar[]): TopLevelSpec {
  const withFrequency = rows.some((r) => r.frequency !== null)
  const y = {field: 'name', type: 'nominal' as const, sort: null, title: null, axis: {labelLimit: LABEL_LIMIT}}
  const hidden = {...y, axis: null}
  return {
    config: CHART_CONFIG,
    data: {values: rows.map((r) => ({...r}))},
    spacing: 12,
    resolve: {scale: {y: 'shared'}},
    hconcat: [
      {
        name: 'iou',
        width: 260,
        height: {step: ROW},
        mark: {type: 'bar', color: '#4c78a8'},
        encoding: {y, x: {field: 'iou', type: 'quantitative', title: 'IoU %', scale: {domain: [0, 100]}, axis: {orient: 'top'}}},
      },
      {
        name: 'acc',
        width: 160,
        height: {step: ROW},
        mark: {type: 'bar', color: '#72b7b2'},
        encoding: {y: hidden, x: {field: 'acc', type: 'quantitative', title: 'accuracy %', scale: {domain: [0, 100]}, axis: {orient: 'top'}}},
      },
      ...(withFrequency ? [frequencyPanel(hidden)] : []),
    ],
  }
}

/** Pixel frequency on a log axis from MIN_FREQUENCY % to 100 %, a tick per decade; bars start at the axis. */
function frequencyPanel(y: {field: string; type: 'nominal'; sort: null; title: null; axis: null}) {
  return {
    name: 'freq',
    width: 160,
    height: {step: ROW},
    mark: {type: 'rect' as const, color: '#b279a2'},
    transform: [{calculate: `max(datum.frequency, ${MIN_FREQUENCY})`, as: 'shown'}],
    encoding: {
      y,
      x: {
        field: 'shown',
        type: 'quantitative' as const,
        title: 'pixel frequency % (log)',
        scale: {type: 'log' as const, domain: [MIN_FREQUENCY, 100]},
        axis: {orient: 'top' as const, values: [0.001, 0.01, 0.1, 1, 10, 100], format: '~g'},
      },
      x2: {datum: MIN_FREQUENCY},
    },
  }
}

export interface PairBar {
  /** "wall → building" */
  readonly pair: string
  /** % of all labelled pixels. */
  readonly share: number
  readonly pixels: number
}

/** The most confused pairs: share of all labelled pixels that are the true class taken for the other, in the given order. Mark name `pairs`. */
export function confusedPairsChart(rows: readonly PairBar[]): TopLevelSpec {
  return {
    config: CHART_CONFIG,
    name: 'pairs',
    data: {values: rows.map((r) => ({...r}))},
    width: 320,
    height: {step: ROW},
    mark: {type: 'bar', color: '#e45756'},
    encoding: {
      y: {field: 'pair', type: 'nominal', sort: null, title: 'true class → predicted as', axis: {labelLimit: 2 * LABEL_LIMIT}},
      x: {field: 'share', type: 'quantitative', title: '% of all labelled pixels'},
    },
  }
}
