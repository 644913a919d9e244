import assert from 'node:assert/strict'
import {readdir, readFile, rm, writeFile} from 'node:fs/promises'
import {mkdtemp} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import type {ScoredImage} from '../../src/eval/predict-score.js'
import type {DepthImageRecord, SegmentImageRecord} from '../../src/eval/types.js'
import {depthColours, depthRange, errorColours} from '../../src/html/assets/depth-panels.js'
import {classColours, classesPresent, mistakes} from '../../src/html/assets/segment-panels.js'
import {EvalImagesSink} from '../../src/html/eval/images-sink.js'
import {findManifest, MANIFEST_PATH} from '../../src/html/eval/manifest.js'
import {paperFigures} from '../../src/html/eval/paper.js'
import {rankingMetric} from '../../src/html/eval/rank.js'
import {headlineTable} from '../../src/html/eval/headline.js'
import {githubRunUrl, htmlSummaryLine} from '../../src/html/summary.js'
import {loadRegistry} from '../../src/hub/registry.js'
import {DptError} from '../../src/pipeline/errors.js'
import {ADE20K_CLASSES, ADE20K_PALETTE} from '../../src/pipeline/render/ade20k.js'
import {colormapLut} from '../../src/pipeline/render/colormap.js'
import {random} from '../helpers/random.js'
import {ADE_PROTOCOL, NYU_PROTOCOL, depthScene, scoreSynthetic, segmentScene} from '../helpers/synthetic-eval.js'

describe('image panels', () => {
  it('colour classes with the palette (class k: entry k + 1), unlabelled black; mistakes red where wrong', () => {
    const colours = classColours(Int32Array.of(0, 2, 255), 3, 1, ADE20K_PALETTE, 255)
    assert.deepEqual([...colours.data], [...ADE20K_PALETTE[1]!, ...ADE20K_PALETTE[3]!, 0, 0, 0])
    const image = {width: 3, height: 1, data: new Uint8Array(9).fill(100)}
    const m = mistakes(image, Uint8Array.of(0, 1, 1), Int32Array.of(0, 2, 255), 255)
    assert.deepEqual([...m.data.slice(0, 3)], [80, 80, 80], 'right: dimmed image')
    assert.ok(m.data[3]! > 180 && m.data[4]! < 50, 'wrong: red')
    assert.deepEqual([...m.data.slice(6)], [20, 20, 20], 'unlabelled: darker')
    assert.deepEqual(
      classesPresent(Uint8Array.of(0, 1, 1, 7), Int32Array.of(1, 1, 255, 1), 255, 150).map((c) => [c.index, c.labelPixels, c.predictedPixels]),
      [
        [1, 3, 1],
        [0, 0, 1],
        [7, 0, 1],
      ],
    )
  })

  it('colour depth on a log scale, near bright, invalid grey; AbsRel saturates at its maximum', () => {
    const inferno = colormapLut('inferno')
    const depth = Float32Array.of(1, 10, 5, 3)
    const valid = Uint8Array.of(1, 1, 0, 1)
    const image = depthColours(depth, 4, 1, [1, 10], inferno, valid)
    assert.deepEqual([...image.data.slice(0, 3)], [...inferno.slice(765, 768)], 'nearest: the top of the LUT')
    assert.deepEqual([...image.data.slice(3, 6)], [...inferno.slice(0, 3)], 'farthest: the bottom')
    assert.deepEqual([...image.data.slice(6, 9)], [128, 128, 128])
    const viridis = colormapLut('viridis')
    const error = errorColours(Float32Array.of(1, 3, 1, 1), Float32Array.of(1, 1, 1, 2), Uint8Array.of(1, 1, 0, 1), 4, 1, 0.5, viridis)
    assert.deepEqual([...error.data.slice(0, 3)], [...viridis.slice(0, 3)])
    assert.deepEqual([...error.data.slice(3, 6)], [...viridis.slice(765, 768)], 'AbsRel 2 ≥ 0.5: saturated')
    assert.deepEqual([...error.data.slice(9, 12)], [...viridis.slice(765, 768)], 'AbsRel 0.5: the top')
    const values = Float32Array.from({length: 1000}, (_, k) => k + 1)
    assert.deepEqual(depthRange(values, new Uint8Array(1000).fill(1)), [10, 991])
  })
})

describe('worst and best images of a run', () => {
  for (const memoryBudget of [undefined, 0]) {
    it(`leave exactly their folders, listed in the manifest, whatever the order the images come in (${memoryBudget === 0 ? 'written at once, evicted files deleted' : 'candidates held in memory'})`, async () => {
      const siteDir = await mkdtemp(join(tmpdir(), 'dpt-sink-'))
      try {
        // A shuffled arrival order (Fisher–Yates with the test's generator).
        const order = Array.from({length: 30}, (_, k) => k + 1)
        const rnd = random(8)
        for (let i = order.length - 1; i > 0; i--) {
          const j = Math.floor(rnd() * (i + 1))
          ;[order[i], order[j]] = [order[j]!, order[i]!]
        }
        const sink = new EvalImagesSink({siteDir, protocol: ADE_PROTOCOL, count: 2, classNames: ADE20K_CLASSES, palette: ADE20K_PALETTE, memoryBudget})
        const run = await scoreSynthetic(
          'segment',
          order,
          (s) => segmentScene(s, 40, 30, 0.7),
          siteDir,
          (image, scene) => sink.offer(image, scene.rgb),
        )
        const manifest = await sink.finish(run.report)
        const scored = (run.report.images as SegmentImageRecord[]).filter((r) => r.mIoU !== null).sort((a, b) => a.mIoU! - b.mIoU! || (a.id < b.id ? -1 : 1))
        assert.deepEqual(
          manifest.worst,
          scored.slice(0, 2).map((r) => r.id),
        )
        assert.deepEqual(
          manifest.best,
          scored
            .slice(-2)
            .reverse()
            .map((r) => r.id),
        )
        const folders = (await readdir(join(siteDir, 'assets'))).filter((f) => f !== 'manifest.json').sort()
        assert.deepEqual(folders, manifest.images.map((im) => im.folder.slice('assets/'.length)).sort())
        assert.equal(folders.length, 4)
        if (memoryBudget === 0) assert.ok(sink.writes > 4 && sink.holds === 0, `${sink.writes} images got files on the way; the evicted ones were deleted`)
        else assert.ok(sink.writes === 4 && sink.holds > 4, `${sink.holds} candidates held, only the ${sink.writes} that stayed written`)
        assert.deepEqual(await readdir(join(siteDir, manifest.images[0]!.folder)).then((f) => f.sort()), [
          'error.jpg',
          'error.thumb.jpg',
          'gt.png',
          'gt.thumb.png',
          'input.jpg',
          'input.thumb.jpg',
          'legend.svg',
          'prediction.png',
          'prediction.thumb.png',
        ])

        assert.ok('manifest' in (await findManifest(siteDir, run.report)))
        const other = await findManifest(siteDir, {...run.report, protocol: {...ADE_PROTOCOL, flip: true}})
        assert.match('missing' in other ? other.missing : '', /another run/)
        await rm(join(siteDir, manifest.images[0]!.panels[1]!.file.thumb))
        const incomplete = await findManifest(siteDir, run.report)
        assert.match('missing' in incomplete ? incomplete.missing : '', /incomplete .*gt\.thumb\.png/)
        await writeFile(join(siteDir, MANIFEST_PATH), 'not json')
        assert.ok('missing' in (await findManifest(siteDir, run.report)))
      } finally {
        await rm(siteDir, {recursive: true, force: true})
      }
    })
  }

  it('the Scorer hands each scored image to its sink with its ground truth, and records the classes present', async () => {
    const seen: ScoredImage[] = []
    const run = await scoreSynthetic(
      'segment',
      [1, 2, 3],
      (s) => segmentScene(s, 20, 10),
      '/nowhere',
      async (image) => {
        seen.push(image)
      },
    )
    assert.deepEqual(
      seen.map((s) => s.record.id),
      run.report.images.map((r) => r.id),
    )
    assert.ok(seen.every((s) => s.task === 'segment' && s.gt.labels.length === 200 && s.prediction.length === 200))
    for (const record of run.report.images as SegmentImageRecord[]) {
      const union = record.classes!.reduce((sum, [, , u]) => sum + u, 0)
      assert.ok(union >= record.pixels, 'every labelled pixel is in some class’s union')
    }
    const depth = await scoreSynthetic(
      'depth',
      [4],
      (s) => depthScene(s, 16, 12),
      '/nowhere',
      async (image) => {
        seen.push(image)
      },
    )
    assert.equal(seen.at(-1)!.task, 'depth')
    assert.equal(
      depth.report.analysis!.depth!.pixels.reduce((a, b) => a + b),
      (depth.report.images[0] as DepthImageRecord).pixels,
    )
  })

  it('ranks by a per-image metric only', () => {
    assert.equal(rankingMetric(NYU_PROTOCOL).name, 'absRel')
    assert.equal(rankingMetric(ADE_PROTOCOL).name, 'mIoU')
    assert.equal(rankingMetric(NYU_PROTOCOL, 'δ>1.25').name, 'deltaAbove125Pct')
    assert.throws(() => rankingMetric(ADE_PROTOCOL, 'mAcc'), DptError)
    assert.throws(() => rankingMetric(ADE_PROTOCOL, 'absRel'), DptError)
  })
})

describe('headline figures', () => {
  const registry = loadRegistry({})
  const entry = (id: string): ReturnType<typeof registry.models.find> => registry.models.find((m) => m.id === id)

  it('take the paper’s figures of the model on the report’s dataset, in the report’s units', async () => {
    const {report} = await scoreSynthetic('segment', [1, 2], (s) => segmentScene(s, 20, 10), '/nowhere')
    const ade = paperFigures(entry('dpt-hybrid-ade20k'), report)
    assert.deepEqual(
      [...ade].map(([k, f]) => [k, f.value]),
      [
        ['mIoU', 49.02],
        ['pixAcc', 83.11],
      ],
    )
    const nyu = await scoreSynthetic('depth', [1], (s) => depthScene(s, 16, 12), '/nowhere')
    assert.deepEqual(
      [...paperFigures(entry('dpt-hybrid'), nyu.report)].map(([k, f]) => [k, f.value]),
      [['deltaAbove125Pct', 8.69]],
    )
    assert.deepEqual(
      [...paperFigures(entry('dpt-hybrid-nyu'), nyu.report)].map(([k, f]) => [k, f.value]),
      [
        ['delta1', 0.904],
        ['absRel', 0.109],
        ['rmse', 0.357],
      ],
    )
    assert.equal(paperFigures(entry('dpt-hybrid'), {...nyu.report, dataset: {...nyu.report.dataset, name: 'diode'}}).size, 0)

    // δ>1.25 is lower-better: the run's 9.x % against the paper's 8.69 is worse; against a baseline of more, better.
    const html = headlineTable(nyu.report, paperFigures(entry('dpt-hybrid'), nyu.report), {
      ...nyu.report,
      metrics: {...nyu.report.metrics, deltaAbove125Pct: 99},
    })
    const row = /<tr><td><strong>δ&gt;1.25<\/strong>.*?<\/tr>/.exec(html)![0]
    const value = nyu.report.metrics.deltaAbove125Pct!
    assert.match(row, new RegExp(`<span class="${value > 8.69 ? 'worse' : 'better'}">[+−]`))
    assert.match(row, /<span class="better">−/)
  })
})

describe('job summary line', () => {
  it('names the page and links the artifact list of the run', () => {
    const runUrl = githubRunUrl({GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '42'})
    assert.equal(runUrl, 'https://github.com/o/r/actions/runs/42')
    assert.equal(githubRunUrl({}), undefined)
    assert.equal(
      htmlSummaryLine({kind: 'evaluation report', page: 'eval-html/./index.html', artifact: 'eval-report', runUrl}),
      '**HTML evaluation report:** download the artifact [`eval-report`](https://github.com/o/r/actions/runs/42#artifacts) and open `eval-html/index.html` (static pages, no network needed).',
    )
    assert.equal(
      htmlSummaryLine({kind: 'contact sheet', page: 'sheet/index.html'}),
      '**HTML contact sheet:** open `sheet/index.html` (written by this job; upload its folder as an artifact to keep it).',
    )
  })
})

describe('pages are static', () => {
  it('have no script, no external URL, and say where the images are when they are not there', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dpt-page-'))
    try {
      const {writeEvalSite} = await import('../../src/html/eval/eval-page.js')
      const {report} = await scoreSynthetic('segment', [1, 2, 3], (s) => segmentScene(s, 20, 10), dir)
      const html = await readFile(await writeEvalSite(dir, {report}), 'utf8')
      assert.doesNotMatch(html, /<script|https?:\/\/(?!www\.w3\.org)/i)
      assert.match(html, /The images were not saved for this report/)
    } finally {
      await rm(dir, {recursive: true, force: true})
    }
  })
})
