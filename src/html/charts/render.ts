import {parse, View} from 'vega'
import {compile, type TopLevelSpec} from 'vega-lite'

/**
 * A Vega-Lite spec as static SVG text: compiled to Vega and rendered headless in Node (vega's SVG string
 * renderer; no DOM, no canvas, no script in the output). Specs carry their data inline, so nothing is loaded.
 *
 * Without node-canvas, Vega estimates text widths (0.8 × font size per character), which over-estimates
 * proportional fonts: axes leave a little more room for labels than the browser needs, and labels are
 * truncated only past `labelLimit` by that estimate. Specs here set limits that fit the longest ADE20K name.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), {renderer: 'none'})
  try {
    const svg = await view.toSVG()
    // The fixed width/height stay (they size the chart); CSS scales it down on narrow screens.
    return svg.replace('<svg ', '<svg role="img" ')
  } finally {
    view.finalize()
  }
}
