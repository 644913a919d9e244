/**
 * --html as users run it: `dpt eval` (model and predictions), `dpt eval report` (a saved report, with and without
 * the run's images, with a baseline), `dpt eval merge`, `dpt depth` and `dpt segment`, each through bin/run.js;
 * every page they write opened in headless Chromium from file:// (no console error, no request off disk, every
 * image and link resolves), and the job summary's line about them.
 */
import assert from 'node:assert/strict'
import {copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import type {AssetManifest} from '../../src/html/eval/manifest.js'
import type {ContactSheetData} from '../../src/html/contact/types.js'
import {inspectPage, openBrowser, type Browser, type PageReport} from '../helpers/browser.js'
import {runCli} from '../helpers/cli.js'
import {fixture} from '../helpers/fixtures.js'
import {makeClip} from '../helpers/video-clips.js'
import {labelValues, makeAde20k, makeNyu, writeLabels} from '../eval/datasets/synthetic.js'

let root = ''
let browser: Browser
const p = (...parts: string[]): string => join(root, ...parts)
const summaryFile = (): string => p('step-summary.md')
const GITHUB = {GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'owner/repo', GITHUB_RUN_ID: '7'}

/** Runs dpt in the test folder; the job summary goes to a fresh file when `summary` is set, else nowhere. */
async function dpt(args: string[], summary = false): Promise<string> {
  if (summary) writeFileSync(summaryFile(), '')
  const env = {JOB_COMPLETION_INDEX: '', SLURM_ARRAY_TASK_ID: '', GITHUB_STEP_SUMMARY: summary ? summaryFile() : '', ...GITHUB}
  const r = await runCli(args, {cwd: root, env})
  assert.ok(r.code === 0 || r.code === 3, `dpt ${args.join(' ')}: exit ${r.code}\n${r.stderr}${r.stdout}`)
  return r.stderr
}

const readJson = (...parts: string[]): unknown => JSON.parse(readFileSync(p(...parts), 'utf8'))

function assertClean(report: PageReport, name: string): void {
  assert.deepEqual(report.consoleErrors, [], `${name}: console errors`)
  assert.deepEqual(report.network, [], `${name}: network requests`)
  assert.deepEqual(report.failed, [], `${name}: failed requests`)
  assert.deepEqual(report.brokenImages, [], `${name}: images that do not load`)
  assert.deepEqual(report.brokenLinks, [], `${name}: links that do not resolve`)
}

const bars = (chart: string, mark: string): string => `figure[data-chart="${chart}"] g.mark-rect.role-mark.${mark}_marks > path`
const NOT_SAVED = 'p.note:has-text("The images were not saved")'

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'dpt-html-cli-'))
  await makeNyu(p('nyu'))
  await makeAde20k(p('ade'))
  // Image 1 predicted right (ignored pixels as id 1); image 2 has its left half shifted by one class: a worst and a best.
  for (let i = 1; i <= 2; i++) {
    const labels = labelValues(i).map((v, k) => (v === 0 ? 1 : i === 2 && k % 40 < 20 ? (v % 4) + 1 : v))
    await writeLabels(p('pred-ade', `ADE_val_0000000${i}.png`), labels)
    const worse = labelValues(i).map((v, k) => (v === 0 ? 1 : k % 40 < 20 ? (v % 4) + 1 : v))
    await writeLabels(p('pred-ade-worse', `ADE_val_0000000${i}.png`), worse)
  }
  mkdirSync(p('imgs'))
  for (const name of ['chelsea-120x160.png', 'coffee-160x120.png', 'rocket-exif6-96x144.jpg']) copyFileSync(fixture('images', name), p('imgs', name))
  writeFileSync(p('imgs', 'broken.png'), 'not a png')
  browser = await openBrowser()
})

after(async () => {
  await browser.close()
  rmSync(root, {recursive: true, force: true})
})

describe('dpt eval --html', () => {
  it('with a model (depth): panels of the scored images written during the run, the job summary names the artifact', async () => {
    const model = fixture('models', 'dpt-hybrid-tiny')
    await dpt(
      [
        'eval',
        '--dataset',
        'nyu',
        '--data',
        'nyu',
        '--model',
        model,
        '--threads',
        '1',
        '--report',
        'nyu.json',
        '--html',
        'nyu-html',
        '--html-artifact',
        'nyu-report',
      ],
      true,
    )
    const manifest = readJson('nyu-html', 'assets', 'manifest.json') as AssetManifest
    assert.equal(manifest.images.length, 2, 'both scored images have panels')
    assert.equal(manifest.rankedBy.metric, 'absRel')
    const r = await inspectPage(browser, p('nyu-html', 'index.html'), 'cli-eval-depth', [
      bars('density', 'density'),
      '.card',
      '.card img[src$="error-bar.svg"]',
      NOT_SAVED,
    ])
    assertClean(r, 'depth report')
    assert.equal(r.counts['.card'], manifest.worst.length + manifest.best.length)
    assert.equal(r.counts['.card img[src$="error-bar.svg"]'], r.counts['.card'])
    assert.equal(r.counts[NOT_SAVED], 0)
    assert.ok(r.counts[bars('density', 'density')]! > 0)
    const summary = readFileSync(summaryFile(), 'utf8')
    assert.match(summary, /Eval/i, 'the Markdown summary is still there')
    assert.ok(
      summary
        .trimEnd()
        .endsWith(
          '**HTML evaluation report:** download the artifact [`nyu-report`](https://github.com/owner/repo/actions/runs/7#artifacts) and open `nyu-html/index.html` (static pages, no network needed).',
        ),
      summary,
    )
  })

  it('with saved predictions (segmentation): --html-images 1 gives the worst and the best image, with class legends', async () => {
    await dpt(['eval', '--dataset', 'ade20k', '--data', 'ade', '--predictions', 'pred-ade', '--report', 'ade.json', '--html', 'ade-html', '--html-images', '1'])
    const manifest = readJson('ade-html', 'assets', 'manifest.json') as AssetManifest
    assert.deepEqual([manifest.worst, manifest.best], [['ADE_val_00000002.jpg'], ['ADE_val_00000001.jpg']])
    const r = await inspectPage(browser, p('ade-html', 'index.html'), 'cli-eval-segment', [bars('classes', 'iou'), '.card', '.card img[src$="legend.svg"]'])
    assertClean(r, 'segmentation report')
    assert.equal(r.counts['.card'], 2)
    assert.equal(r.counts['.card img[src$="legend.svg"]'], 2)
    assert.ok(r.counts[bars('classes', 'iou')]! >= 3)
  })
})

describe('dpt eval report (a saved report, not scored again)', () => {
  it("into the run's own folder keeps its panels; --baseline adds coloured deltas and compare.html", async () => {
    // The baseline: both images with half their pixels one class off (saved as JSON only): this run is better.
    await dpt(['eval', '--dataset', 'ade20k', '--data', 'ade', '--predictions', 'pred-ade-worse', '--report', 'ade-worse.json'])
    const stderr = await dpt(['eval', 'report', 'ade.json', '--html', 'ade-html', '--baseline', 'ade-worse.json'], true)
    assert.equal(stderr.includes('Error'), false, stderr)
    const r = await inspectPage(browser, p('ade-html', 'index.html'), 'cli-eval-report-baseline', [
      '.card',
      'th:text-is("Δ vs baseline")',
      'td .better',
      'td .worse',
      NOT_SAVED,
    ])
    assertClean(r, 'report from JSON, same folder')
    assert.equal(r.counts['.card'], 2, 'the panels written by the run are found again')
    assert.equal(r.counts['th:text-is("Δ vs baseline")'], 1)
    assert.ok(r.counts['td .better']! >= 3, 'pixAcc, mIoU, mAcc improved on the baseline')
    assert.equal(r.counts['td .worse'], 0)
    assert.equal(r.counts[NOT_SAVED], 0)
    const c = await inspectPage(browser, p('ade-html', 'compare.html'), 'cli-eval-compare', [bars('class-deltas', 'deltas'), 'a[href^="index.html#img-"]'])
    assertClean(c, 'comparison')
    assert.ok(c.counts[bars('class-deltas', 'deltas')]! >= 3)
    assert.ok(c.counts['a[href^="index.html#img-"]']! >= 1, 'changed images link to their cards in the report page')
    assert.match(readFileSync(summaryFile(), 'utf8'), /\*\*HTML evaluation report:\*\* open `ade-html\/index\.html`/)
  })

  it('into another folder: every chart from the JSON, and a note where the images would be', async () => {
    await dpt(['eval', 'report', 'nyu.json', '--html', 'nyu-from-json'])
    const r = await inspectPage(browser, p('nyu-from-json', 'index.html'), 'cli-eval-report-json', [bars('density', 'density'), '.card', NOT_SAVED])
    assertClean(r, 'report from JSON, other folder')
    assert.equal(r.counts['.card'], 0)
    assert.equal(r.counts[NOT_SAVED], 2, 'worst and best sections say why')
    assert.ok(r.counts[bars('density', 'density')]! > 0)
  })
})

describe('dpt eval merge --html', () => {
  it("from the merged JSON alone: the single run's numbers, a note where the images would be", async () => {
    for (const k of [1, 2]) {
      const args = ['--predictions', 'pred-ade', '--shard', `${k}/2`, '--report', `part-${k}.json`, '--html', `part-${k}-html`, '--html-images', '1']
      await dpt(['eval', '--dataset', 'ade20k', '--data', 'ade', ...args])
    }
    await dpt(['eval', 'merge', 'part-1.json', 'part-2.json', '--report', 'merged.json', '--html', 'merged-html'])
    assert.deepEqual((readJson('merged.json') as {metrics: unknown}).metrics, (readJson('ade.json') as {metrics: unknown}).metrics)
    const r = await inspectPage(browser, p('merged-html', 'index.html'), 'cli-eval-merge', [bars('classes', 'iou'), NOT_SAVED])
    assertClean(r, 'merged report')
    assert.ok(r.counts[bars('classes', 'iou')]! >= 3)
    assert.equal(r.counts[NOT_SAVED], 2)
  })

  it("with --html-parts: the whole run's worst and best from the shards' panels, as one run keeps them", async () => {
    await dpt(['eval', 'merge', 'part-1.json', 'part-2.json', '--html', 'merged-parts-html', '--html-parts', 'part-1-html,part-2-html'])
    const merged = readJson('merged-parts-html', 'assets', 'manifest.json') as AssetManifest
    const single = readJson('ade-html', 'assets', 'manifest.json') as AssetManifest
    assert.deepEqual([merged.worst, merged.best], [single.worst, single.best])
    const r = await inspectPage(browser, p('merged-parts-html', 'index.html'), 'cli-eval-merge-parts', ['.card', '.card img[src$="legend.svg"]', NOT_SAVED])
    assertClean(r, "merged report with the shards' panels")
    assert.equal(r.counts['.card'], 2)
    assert.equal(r.counts['.card img[src$="legend.svg"]'], 2)
    assert.equal(r.counts[NOT_SAVED], 0)
    const wrong = await runCli(['eval', 'merge', 'part-1.json', 'part-2.json', '--html', 'x-html', '--html-parts', 'nyu-html'], {cwd: root})
    assert.equal(wrong.code, 2, wrong.stderr)
    assert.match(wrong.stderr.replace(/\s*\n\s*›\s*/g, ' '), /--html-parts .*nyu-html: The images in assets\/manifest\.json belong to another run/)
  })
})

describe("dpt depth / segment --html: the run's contact sheet", () => {
  it('depth: a row per input with thumbnails, timings and the failure; colour bar; job summary line', async () => {
    const stderr = await dpt(['depth', 'imgs', '-o', 'out', '--model', fixture('models', 'dpt-hybrid-tiny'), '--threads', '1', '--html', 'sheet'], true)
    assert.match(stderr, /contact sheet: .*sheet\/index\.html/)
    const data = readJson('sheet', 'sheet.json') as ContactSheetData
    assert.deepEqual(
      data.entries.map((e) => [e.input, e.status]),
      [
        ['imgs/broken.png', 'failed'],
        ['imgs/chelsea-120x160.png', 'ok'],
        ['imgs/coffee-160x120.png', 'ok'],
        ['imgs/rocket-exif6-96x144.jpg', 'ok'],
      ],
    )
    for (const e of data.entries.filter((x) => x.status === 'ok')) {
      assert.ok(e.ms !== undefined && e.ms.total! > 0 && e.ms.infer! > 0, `${e.input}: stage timings`)
      assert.deepEqual(e.outputs, [`out/${e.input.slice(5).replace(/\.\w+$/, '.png')}`])
      assert.ok(e.thumbs !== undefined && e.range !== undefined)
    }
    const r = await inspectPage(browser, p('sheet', 'index.html'), 'cli-sheet-depth', [
      'table.sheet tbody tr',
      'tr.failed',
      'img[alt="colour bar"]',
      'table.sheet img',
    ])
    assertClean(r, 'depth contact sheet')
    assert.equal(r.counts['table.sheet tbody tr'], 4)
    assert.equal(r.counts['tr.failed'], 1)
    assert.equal(r.counts['img[alt="colour bar"]'], 1)
    assert.equal(r.counts['table.sheet img'], 6, 'input and output of the three images')
    assert.ok(readFileSync(summaryFile(), 'utf8').includes('**HTML contact sheet:** open `sheet/index.html`'))
  })

  it('segment: class swatches per row', async () => {
    await dpt(['segment', 'imgs', '-o', 'seg', '--model', fixture('models', 'dpt-hybrid-ade-tiny'), '--threads', '1', '--html', 'seg-sheet'])
    const r = await inspectPage(browser, p('seg-sheet', 'index.html'), 'cli-sheet-segment', ['table.sheet tbody tr', 'tr.failed', '.swatch'])
    assertClean(r, 'segmentation contact sheet')
    assert.equal(r.counts['table.sheet tbody tr'], 4)
    assert.equal(r.counts['tr.failed'], 1)
    assert.ok(r.counts['.swatch']! >= 3)
  })

  it("a video: a row per frame, the input thumbnail from the frame's pixels (the file is a video)", async () => {
    const clip = await makeClip(p(), 'clip', {width: 40, height: 30, frames: 3})
    await dpt(['depth', clip, '-o', 'clip-out', '--model', fixture('models', 'dpt-hybrid-tiny'), '--threads', '1', '--html', 'clip-sheet'])
    const data = readJson('clip-sheet', 'sheet.json') as ContactSheetData
    assert.deepEqual(
      data.entries.map((e) => [e.input.replace(/^.*\//, ''), e.status, e.thumbs?.input !== undefined]),
      [0, 1, 2].map((k) => [`clip.mp4 [frame ${k}]`, 'ok', true]),
    )
    const r = await inspectPage(browser, p('clip-sheet', 'index.html'), 'cli-sheet-video', ['table.sheet tbody tr', 'table.sheet img'])
    assertClean(r, 'video contact sheet')
    assert.equal(r.counts['table.sheet img'], 6, 'input and output of the three frames')
  })
})
