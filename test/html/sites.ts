/**
 * Generated HTML report sites for the tests: evaluations scored by the real Scorer on generated scenes, their
 * image panels from EvalImagesSink, pages from the report (and from its saved JSON alone), a comparison and
 * contact sheets. Small images (under 100 px) keep them fast.
 */
import {mkdtemp, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {ConfusionMatrix} from '../../src/eval/analysis/confusion.js'
import {SegmentCounts} from '../../src/eval/metrics/segment-counts.js'
import {buildReport} from '../../src/eval/report/build.js'
import {parseReport, reportJson} from '../../src/eval/report/schema.js'
import type {EvalReport, SegmentImageRecord} from '../../src/eval/types.js'
import {ContactSheet} from '../../src/html/contact/sheet.js'
import {writeComparePage} from '../../src/html/eval/compare-page.js'
import {writeEvalSite} from '../../src/html/eval/eval-page.js'
import {EvalImagesSink} from '../../src/html/eval/images-sink.js'
import type {AssetManifest} from '../../src/html/eval/manifest.js'
import {paperFigures} from '../../src/html/eval/paper.js'
import {loadRegistry} from '../../src/hub/registry.js'
import {ADE20K_CLASSES, ADE20K_PALETTE} from '../../src/pipeline/render/ade20k.js'
import {ADE_PROTOCOL, depthScene, NYU_PROTOCOL, scoreSynthetic, segmentScene, writeSampleImage} from '../helpers/synthetic-eval.js'

export interface Site {
  readonly page: string
  readonly report: EvalReport
  readonly manifest?: AssetManifest
}

export interface Sites {
  readonly root: string
  readonly segment: Site
  readonly segmentBaseline: Site
  readonly depth: Site
  /** The depth report rendered from its saved JSON alone, with a baseline and the paper's figures. */
  readonly depthFromJson: Site
  /** A segmentation report as an older dpt wrote it: no analysis, no per-image classes. */
  readonly legacy: Site
  /** Every one of the 150 ADE20K classes with an IoU (built from counts): the per-class chart at full size. */
  readonly allClasses: Site
  readonly compare: string
  readonly depthSheet: {readonly pages: readonly string[]; readonly entries: number}
  readonly segmentSheet: {readonly pages: readonly string[]; readonly entries: number}
}

const ids = (n: number, from = 1): number[] => Array.from({length: n}, (_, k) => k + from)

async function segmentSite(root: string, name: string, quality: number, count: number): Promise<Site> {
  const data = join(root, 'data-ade')
  for (const id of ids(24)) await writeSampleImage(data, segmentScene(id, 96, 72, quality))
  const siteDir = join(root, name)
  const sink = new EvalImagesSink({siteDir, protocol: ADE_PROTOCOL, count, classNames: ADE20K_CLASSES, palette: ADE20K_PALETTE})
  // The sink decodes the written image files (predictions mode has no decoded pixels).
  const run = await scoreSynthetic(
    'segment',
    ids(24),
    (s) => segmentScene(s, 96, 72, quality),
    data,
    (image) => sink.offer(image),
  )
  const manifest = await sink.finish(run.report)
  const page = await writeEvalSite(siteDir, {report: run.report})
  return {page, report: run.report, manifest}
}

export async function buildSites(): Promise<Sites> {
  const root = await mkdtemp(join(tmpdir(), 'dpt-html-'))
  const segmentBaseline = await segmentSite(root, 'ade-before', 0.95, 2)
  const segment = await segmentSite(root, 'ade', 0.75, 3)

  const depthDir = join(root, 'nyu')
  const sink = new EvalImagesSink({siteDir: depthDir, protocol: NYU_PROTOCOL, count: 3})
  const run = await scoreSynthetic(
    'depth',
    ids(24),
    (s) => depthScene(s, 64, 48),
    join(root, 'data-nyu'),
    (image, scene) => sink.offer(image, scene.rgb),
  )
  const manifest = await sink.finish(run.report)
  const depth = {page: await writeEvalSite(depthDir, {report: run.report}), report: run.report, manifest}

  // From the saved JSON alone: another folder, no images; a baseline run of other scenes, the paper's figures.
  const saved = parseReport(reportJson(run.report), 'nyu.json')
  const baseline = (await scoreSynthetic('depth', ids(24, 100), (s) => depthScene(s, 64, 48, 0.2), root)).report
  const registry = loadRegistry({})
  const paper = paperFigures(
    registry.models.find((m) => m.id === 'dpt-hybrid'),
    saved,
  )
  const depthFromJson = {page: await writeEvalSite(join(root, 'nyu-from-json'), {report: saved, baseline, paper}), report: saved}

  const {analysis: _analysis, ...rest} = segment.report
  const legacyReport: EvalReport = {...rest, images: (rest.images as SegmentImageRecord[]).map(({classes: _classes, ...r}) => r)}
  await writeFile(join(root, 'legacy.json'), reportJson(legacyReport))
  const legacy = {page: await writeEvalSite(join(root, 'legacy'), {report: legacyReport}), report: legacyReport}

  // Counts where every class is labelled and predicted: IoU c/150-ish, frequencies from 0.002 % to 10 %.
  const counts = new SegmentCounts(150, 255)
  for (let c = 0; c < 150; c++) {
    counts.label[c] = Math.round(10 ** (6 - (c % 37) / 9))
    counts.predicted[c] = counts.label[c]!
    counts.intersection[c] = Math.round((counts.label[c]! * ((c * 53) % 100)) / 100)
  }
  const allClassesReport = buildReport({
    dataset: segment.report.dataset,
    protocol: ADE_PROTOCOL,
    model: segment.report.model,
    records: [],
    segmentCounts: counts,
    classNames: ADE20K_CLASSES,
    analysis: {confusion: new ConfusionMatrix(150, 255)},
  })
  const allClasses = {page: await writeEvalSite(join(root, 'ade-all-classes'), {report: allClassesReport}), report: allClassesReport}

  const compare = await writeComparePage(root, {
    before: segmentBaseline.report,
    after: segment.report,
    beforePage: 'ade-before/index.html',
    afterPage: 'ade/index.html',
  })

  // Contact sheets: 230 depth rows (3 pages of 100) with failures, 24 segmentation rows (the images written above).
  const depthSheet = new ContactSheet({dir: join(root, 'sheet-depth'), task: 'depth', title: 'dpt depth · photos', unit: 'relative disparity'})
  for (const k of ids(230)) {
    const input = `photos/img_${String(k).padStart(4, '0')}.jpg`
    if (k % 40 === 7) {
      depthSheet.add({input, status: 'failed', error: 'Input buffer contains unsupported image format'})
      continue
    }
    const scene = depthScene(k, 32, 24)
    const ms = {decode: 2 + (k % 5), infer: 40 + (k % 13), write: 3, total: 50 + (k % 17)}
    await depthSheet.addDepth({input, status: 'ok', ms, outputs: [input.replace('.jpg', '.png')]}, scene.rgb, scene.prediction.data, 32, 24)
  }
  const depthPages = await depthSheet.finish(['model: dpt-hybrid (models/dpt-hybrid)', 'provider: cpu, 1 worker × 2 threads'])

  const segmentSheet = new ContactSheet({
    dir: join(root, 'sheet-ade'),
    task: 'segmentation',
    title: 'dpt segment · photos',
    classNames: ADE20K_CLASSES,
    palette: ADE20K_PALETTE,
  })
  for (const k of ids(24)) {
    const scene = segmentScene(k, 96, 72)
    const input = join(root, 'data-ade', scene.sample.image)
    await segmentSheet.addSegment({input: scene.sample.image, status: 'ok', ms: {infer: 90, total: 110}}, input, scene.prediction, 96, 72)
  }
  const segmentPages = await segmentSheet.finish()
  return {
    root,
    segment,
    segmentBaseline,
    depth,
    depthFromJson,
    legacy,
    allClasses,
    compare,
    depthSheet: {pages: depthPages, entries: 230},
    segmentSheet: {pages: segmentPages, entries: 24},
  }
}
