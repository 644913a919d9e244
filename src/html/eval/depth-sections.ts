import {densityCells, errorByDepth, occupiedRange} from '../../eval/analysis/depth-views.js'
import type {DepthImageRecord, EvalReport} from '../../eval/types.js'
import {densityChart, errorByDepthChart} from '../charts/depth.js'
import {histogram} from '../charts/distribution.js'
import {renderSvg} from '../charts/render.js'
import {figure, section, type PageSection} from '../page/layout.js'

/** Depth sections: per-image AbsRel and δ>1.25 distributions, prediction vs ground truth density, error by depth. */
export async function depthSections(report: EvalReport): Promise<PageSection[]> {
  const scored = (report.images as readonly DepthImageRecord[]).filter((r) => r.status === 'scored' && r.metrics !== null)
  const values = (pick: (r: DepthImageRecord) => number | null | undefined): number[] =>
    scored.map(pick).filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
  const [absRel, above] = await Promise.all([
    renderSvg(
      histogram(
        'dist-absrel',
        values((r) => r.metrics?.absRel),
        'per-image AbsRel',
      ),
    ),
    renderSvg(
      histogram(
        'dist-above',
        values((r) => r.metrics?.deltaAbove125Pct),
        'per-image δ>1.25 %',
      ),
    ),
  ])
  const distributions = section(
    'distributions',
    'Per-image distribution',
    `<p class="note">The dataset metrics are the means of these over the ${scored.length} scored images.</p><div class="charts">${figure('dist-absrel', absRel)}${figure('dist-above', above)}</div>`,
  )
  const analysis = report.analysis?.depth
  if (analysis === undefined) {
    const note =
      '<p class="note">This report has no analysis (written by an older dpt, or merged from parts without it): the density plot and the error by depth are not available.</p>'
    return [distributions, section('density', 'Prediction against ground truth', note)]
  }
  const domain = occupiedRange(analysis)
  const [density, byDepth] = await Promise.all([
    renderSvg(densityChart(densityCells(analysis), domain)),
    renderSvg(errorByDepthChart(errorByDepth(analysis), domain)),
  ])
  return [
    distributions,
    section(
      'density',
      'Prediction against ground truth',
      `<p class="note">Every scored pixel, prediction as scored (after the protocol’s alignment, cap and clip); colour = share of the ground-truth column, log scale; dashed: prediction = ground truth. Bins: ${analysis.bins.count} log steps from ${analysis.bins.min} to ${analysis.bins.max} m.</p>${figure('density', density)}`,
    ),
    section(
      'by-depth',
      'Error by ground-truth depth',
      `<p class="note">AbsRel and δ>1.25 over the pixels of each depth bin (pixel-pooled, unlike the per-image means above), and the pixels per bin.</p>${figure('by-depth', byDepth)}`,
    ),
  ]
}
