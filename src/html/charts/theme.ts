import type {Config} from 'vega-lite'

/** One look for every chart: the page's font sizes, quiet axes, no chart border. */
export const CHART_CONFIG: Config = {
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif',
  view: {stroke: null},
  axis: {labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#e6e6e6', domainColor: '#999', tickColor: '#999'},
  header: {labelFontSize: 12, titleFontSize: 12},
  title: {fontSize: 13, fontWeight: 'bold', anchor: 'start'},
  legend: {labelFontSize: 11, titleFontSize: 12},
  bar: {color: '#4c78a8'},
}

/** Better / worse / unchanged, as the page's CSS colours them. */
export const BETTER = '#1a7f37'
export const WORSE = '#cf222e'
export const NEUTRAL = '#8c959f'

/** Enough room for the longest ADE20K class name ("chest of drawers", "television receiver") at 11 px by Vega's estimate. */
export const LABEL_LIMIT = 260
