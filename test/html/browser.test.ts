import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'

import type {SegmentImageRecord} from '../../src/eval/types.js'
import {ADE20K_CLASSES} from '../../src/pipeline/render/ade20k.js'
import {inspectPage, openBrowser, type Browser, type PageReport} from '../helpers/browser.js'
import {buildSites, type Sites} from './sites.js'

/** The checks every page passes: no console error, no request but file://, every image decodes, every link resolves. */
function assertClean(report: PageReport, name: string): void {
  assert.deepEqual(report.consoleErrors, [], `${name}: console errors`)
  assert.deepEqual(report.network, [], `${name}: network requests`)
  assert.deepEqual(report.failed, [], `${name}: failed requests`)
  assert.deepEqual(report.brokenImages, [], `${name}: images that do not load`)
  assert.deepEqual(report.brokenLinks, [], `${name}: links that do not resolve`)
}

const bars = (chart: string, mark: string): string => `figure[data-chart="${chart}"] g.mark-rect.role-mark.${mark}_marks > path`

describe('HTML reports in a real browser (headless Chromium from file://)', () => {
  let browser: Browser
  let sites: Sites
  before(async () => {
    sites = await buildSites()
    browser = await openBrowser()
  })
  after(async () => {
    await browser.close()
  })

  it('segmentation report: a bar per class with an IoU, a bar per confused pair, panels of the worst and best images', async () => {
    const {report, manifest} = sites.segment
    const classes = report.perClass!.filter((r) => r.iou !== null).length
    const r = await inspectPage(browser, sites.segment.page, 'eval-segment', [
      bars('classes', 'iou'),
      bars('classes', 'acc'),
      bars('pairs', 'pairs'),
      '.card',
      '.card .panel img',
    ])
    assertClean(r, 'segmentation report')
    assert.ok(classes > 20, `${classes} classes`)
    assert.equal(r.counts[bars('classes', 'iou')], classes)
    assert.equal(r.counts[bars('classes', 'acc')], report.perClass!.filter((c) => c.iou !== null && c.acc !== null).length)
    assert.equal(r.counts[bars('pairs', 'pairs')], Math.min(25, report.analysis!.segment!.confusion.filter(([l, p]) => l !== p).length))
    assert.equal(r.counts['.card'], 6, '3 worst and 3 best')
    // 4 panels and a legend per card.
    assert.equal(r.counts['.card .panel img'], 6 * 5)
    assert.equal(manifest!.images.length, 6)
    assert.ok(r.images >= 30 && r.links > 30)
  })

  it('all 150 ADE20K classes: a bar each, every class name written out in full (Vega measured text without a canvas)', async () => {
    const labels = 'figure[data-chart="classes"] g.role-axis-label text'
    const r = await inspectPage(browser, sites.allClasses.page, 'eval-segment-150', [bars('classes', 'iou'), bars('classes', 'freq')], [labels])
    assertClean(r, '150-class report')
    assert.equal(r.counts[bars('classes', 'iou')], 150)
    assert.equal(r.counts[bars('classes', 'freq')], 150)
    const names = new Set(r.texts[labels])
    assert.deepEqual(
      ADE20K_CLASSES.filter((n) => !names.has(n)),
      [],
      'no class name truncated',
    )
  })

  it('depth report: density cells, error-by-depth bars, distributions, depth and error colour bars', async () => {
    const analysis = sites.depth.report.analysis!.depth!
    const r = await inspectPage(browser, sites.depth.page, 'eval-depth', [
      bars('density', 'density'),
      bars('by-depth', 'absrel'),
      bars('by-depth', 'binpixels'),
      'figure[data-chart="dist-absrel"] g.mark-rect.role-mark > path',
      '.card img[src$="depth-bar.svg"]',
      '.card img[src$="error-bar.svg"]',
    ])
    assertClean(r, 'depth report')
    assert.equal(r.counts[bars('density', 'density')], analysis.joint.length)
    assert.equal(r.counts[bars('by-depth', 'absrel')], analysis.pixels.filter((n) => n > 0).length)
    assert.equal(r.counts[bars('by-depth', 'binpixels')], analysis.pixels.filter((n) => n > 0).length)
    assert.ok(r.counts['figure[data-chart="dist-absrel"] g.mark-rect.role-mark > path']! > 0)
    assert.equal(r.counts['.card img[src$="depth-bar.svg"]'], 6)
    assert.equal(r.counts['.card img[src$="error-bar.svg"]'], 6)
  })

  it('a depth report from its saved JSON alone: every chart, the paper and baseline columns, and a note instead of images', async () => {
    const r = await inspectPage(browser, sites.depthFromJson.page, 'eval-depth-from-json', [
      bars('density', 'density'),
      '.card',
      'td .better, td .worse',
      'th:text-is("paper")',
      'th:text-is("Δ vs baseline")',
      'p.note:has-text("The images were not saved")',
    ])
    assertClean(r, 'depth report from JSON')
    assert.equal(r.counts[bars('density', 'density')], sites.depth.report.analysis!.depth!.joint.length)
    assert.equal(r.counts['.card'], 0)
    assert.equal(r.counts['th:text-is("paper")'], 1)
    assert.equal(r.counts['th:text-is("Δ vs baseline")'], 1)
    assert.ok(r.counts['td .better, td .worse']! >= 11, 'every depth metric has a coloured difference to the baseline')
    assert.equal(r.counts['p.note:has-text("The images were not saved")'], 2)
    assert.equal(r.images, 0)
  })

  it('a report of an older dpt (no analysis): per-class chart still drawn, the rest explained', async () => {
    const r = await inspectPage(browser, sites.legacy.page, 'eval-segment-legacy', [
      bars('classes', 'iou'),
      'figure[data-chart="pairs"]',
      'p.note:has-text("no analysis")',
    ])
    assertClean(r, 'legacy report')
    assert.equal(r.counts[bars('classes', 'iou')], sites.legacy.report.perClass!.filter((c) => c.iou !== null).length)
    assert.equal(r.counts['figure[data-chart="pairs"]'], 0)
    assert.ok(r.counts['p.note:has-text("no analysis")']! >= 1)
    assert.ok((sites.legacy.report.images as SegmentImageRecord[]).every((i) => i.classes === undefined))
  })

  it('comparison: a delta bar per class in both runs, links into both reports', async () => {
    const {before: a, after: b} = {before: sites.segmentBaseline.report, after: sites.segment.report}
    const both = b.perClass!.filter((c) => c.iou !== null && a.perClass![c.index]!.iou !== null).length
    const r = await inspectPage(browser, sites.compare, 'compare', [bars('class-deltas', 'deltas'), 'a[href^="ade/index.html#img-"]'])
    assertClean(r, 'comparison')
    assert.equal(r.counts[bars('class-deltas', 'deltas')], both)
    assert.ok(r.counts['a[href^="ade/index.html#img-"]']! > 0, 'images that got worse link to their cards in the new report')
  })

  it('depth contact sheet: 230 inputs on 3 pages of at most 100 rows, failures marked, page links', async () => {
    const pages = sites.depthSheet.pages
    assert.equal(pages.length, 3)
    const first = await inspectPage(browser, pages[0]!, 'sheet-depth', ['table.sheet tbody tr', 'tr.failed', 'nav.pager a', 'img[alt="colour bar"]'])
    assertClean(first, 'contact sheet page 1')
    assert.equal(first.counts['table.sheet tbody tr'], 100)
    assert.equal(first.counts['tr.failed'], 3) // inputs 7, 47, 87
    assert.equal(first.counts['img[alt="colour bar"]'], 1)
    assert.ok(first.counts['nav.pager a']! >= 4)
    assert.ok(first.images >= 195)
    const last = await inspectPage(browser, pages[2]!, 'sheet-depth-last', ['table.sheet tbody tr'])
    assertClean(last, 'contact sheet page 3')
    assert.equal(last.counts['table.sheet tbody tr'], 30)
  })

  it('segmentation contact sheet: one page, class swatches per row', async () => {
    const r = await inspectPage(browser, sites.segmentSheet.pages[0]!, 'sheet-segment', ['table.sheet tbody tr', '.swatch'])
    assertClean(r, 'segmentation contact sheet')
    assert.equal(r.counts['table.sheet tbody tr'], 24)
    assert.ok(r.counts['.swatch']! >= 24)
  })
})
