import {mostConfusedPairs} from '../../eval/analysis/confused-pairs.js'
import {worstImagesPerClass} from '../../eval/analysis/worst-per-class.js'
import type {EvalReport, SegmentImageRecord} from '../../eval/types.js'
import {histogram} from '../charts/distribution.js'
import {renderSvg} from '../charts/render.js'
import {classChart, confusedPairsChart} from '../charts/segment.js'
import {esc} from '../page/escape.js'
import {figure, section, table, type PageSection} from '../page/layout.js'

/** Confused pairs charted and listed. */
const PAIRS = 25
/** Worst images listed per class. */
const WORST_PER_CLASS = 5

const pct = (v: number | null, digits = 2): string => (v === null ? '—' : v.toFixed(digits))

/**
 * Segmentation sections: per-class IoU / accuracy / pixel frequency (every class with a defined IoU, sorted),
 * the most confused class pairs, per class the images where it does worst, and the per-image distributions.
 * `imageLink(id)` gives the anchor of an image's panels when they were saved.
 */
export async function segmentSections(report: EvalReport, imageLink: (id: string) => string | undefined): Promise<PageSection[]> {
  const perClass = report.perClass ?? []
  const analysis = report.analysis?.segment
  const totalLabelled = analysis?.labelPixels.reduce((a, b) => a + b, 0) ?? 0
  const frequency = (c: number): number | null => (analysis === undefined || totalLabelled === 0 ? null : (100 * analysis.labelPixels[c]!) / totalLabelled)
  const name = (c: number): string => perClass[c]?.name ?? `class ${c}`
  const missingAnalysis =
    '<p class="note">This report has no analysis (written by an older dpt, or merged from parts without it): pixel frequencies and confusions are not available.</p>'

  const ranked = perClass.filter((r) => r.iou !== null).sort((a, b) => b.iou! - a.iou! || a.index - b.index)
  const absent = perClass.filter((r) => r.iou === null)
  const classSvg = await renderSvg(classChart(ranked.map((r) => ({name: r.name, iou: r.iou!, acc: r.acc, frequency: frequency(r.index)}))))
  const classes = section(
    'classes',
    `Per class (${ranked.length} of ${perClass.length})`,
    [
      `<p class="note">IoU and accuracy over the whole dataset, sorted by IoU; pixel frequency = share of the labelled pixels.${
        absent.length > 0 ? ` Not in labels or predictions (no IoU): ${absent.map((r) => esc(r.name)).join(', ')}.` : ''
      }</p>`,
      analysis === undefined ? missingAnalysis : '',
      figure('classes', classSvg),
    ].join('\n'),
  )

  let confusions = missingAnalysis
  if (analysis !== undefined) {
    const pairs = mostConfusedPairs(analysis, PAIRS)
    const svg = await renderSvg(
      confusedPairsChart(pairs.map((p) => ({pair: `${name(p.label)} → ${name(p.predicted)}`, share: 100 * p.shareOfAll, pixels: p.pixels}))),
    )
    const rows = pairs.map((p) => [esc(name(p.label)), esc(name(p.predicted)), String(p.pixels), pct(100 * p.shareOfLabel), pct(100 * p.shareOfAll, 3)])
    confusions = [
      '<p class="note">Pixels of a true class predicted as another, most pixels first: the share of the true class’s pixels, and of all labelled pixels.</p>',
      figure('pairs', svg),
      table(
        [
          {label: 'true class'},
          {label: 'predicted as'},
          {label: 'pixels', numeric: true},
          {label: '% of true class', numeric: true},
          {label: '% of all', numeric: true},
        ],
        rows,
      ),
    ].join('\n')
  }

  const worst = worstImagesPerClass(report, WORST_PER_CLASS)
  const imageCell = (id: string, iou: number): string => {
    const anchor = imageLink(id)
    const text = `${esc(id)} (${iou.toFixed(1)})`
    return anchor === undefined ? text : `<a href="${esc(anchor)}">${text}</a>`
  }
  const worstRows = [...ranked]
    .reverse()
    .map((r) => [
      esc(r.name),
      pct(r.iou),
      pct(r.acc),
      frequency(r.index) === null ? '—' : pct(frequency(r.index), 3),
      (worst.get(r.index) ?? []).map((w) => imageCell(w.id, w.iou)).join('<br>') || '—',
    ])
  const hasClasses = report.images.some((r) => (r as SegmentImageRecord).classes !== undefined)
  const worstBody = hasClasses
    ? `<p class="note">Worst classes first; for each, the images where its IoU is lowest (IoU % in brackets), among images where it covers at least 1 % of the labelled pixels.</p>\n${table(
        [{label: 'class'}, {label: 'IoU %', numeric: true}, {label: 'acc %', numeric: true}, {label: 'freq %', numeric: true}, {label: 'worst images'}],
        worstRows,
      )}`
    : '<p class="note">This report has no per-image class counts (written by an older dpt): the images where each class does worst are not known.</p>'

  const scored = (report.images as readonly SegmentImageRecord[]).filter((r) => r.status === 'scored')
  const dist = await Promise.all([
    renderSvg(
      histogram(
        'dist-miou',
        scored.flatMap((r) => (r.mIoU === null ? [] : [r.mIoU])),
        'per-image mIoU %',
      ),
    ),
    renderSvg(
      histogram(
        'dist-pixacc',
        scored.flatMap((r) => (r.pixAcc === null ? [] : [r.pixAcc])),
        'per-image pixAcc %',
      ),
    ),
  ])
  return [
    classes,
    section('confusions', 'Most confused pairs', confusions),
    section('class-images', 'Where each class does worst', worstBody),
    section(
      'distributions',
      'Per-image distribution',
      `<p class="note">Per-image scores (the dataset metrics above are from pixel counts over all images, not means of these).</p><div class="charts">${figure('dist-miou', dist[0])}${figure('dist-pixacc', dist[1])}</div>`,
    ),
  ]
}
