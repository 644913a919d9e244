import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {test} from 'node:test'
import type {BenchResult} from '../../src/bench/run.js'
import {runCli} from '../helpers/cli.js'
import {fixture} from '../helpers/fixtures.js'

const flopsGolden = (
  JSON.parse(readFileSync(fixture('bench', 'flops.json'), 'utf8')) as {models: {model: string; width: number; height: number; total: number}[]}
).models

test('dpt bench on generated images: every figure of the report, FLOPs per network size, Markdown to the CI summary', async () => {
  const root = mkdtempSync(join(tmpdir(), 'dpt-bench-test-'))
  const summary = join(root, 'summary.md')
  writeFileSync(summary, '# earlier step\n')
  // Its own TMPDIR, so that the scratch folder's removal is checked without racing other processes.
  const scratchParent = join(root, 'tmp')
  mkdirSync(scratchParent)
  const r = await runCli(
    [
      'bench',
      '--model',
      fixture('models', 'dpt-hybrid-tiny'),
      '--images',
      '3',
      '--sizes',
      '640x480,300x200',
      '--threads',
      '1',
      '--markdown',
      join(root, 'b.md'),
      '--json',
    ],
    {env: {GITHUB_STEP_SUMMARY: summary, TMPDIR: scratchParent}},
  )
  assert.equal(r.code, 0, r.stderr)
  const result = JSON.parse(r.stdout) as BenchResult
  assert.equal(result.images, 3)
  assert.deepEqual(result.source, {
    kind: 'generated',
    sizes: [
      {width: 640, height: 480},
      {width: 300, height: 200},
    ],
  })
  assert.equal(result.model.task, 'depth')
  assert.deepEqual([result.workers, result.threads, result.executionProvider], [1, 1, 'cpu'])
  // 640×480 → 512×384 (twice), 300×200 → s = 384/300 → 384×256
  assert.deepEqual(
    result.networkSizes.map((s) => [s.width, s.height, s.images]),
    [
      [512, 384, 2],
      [384, 256, 1],
    ],
  )
  const g512 = flopsGolden.find((g) => g.model === 'dpt-hybrid-tiny' && g.width === 512 && g.height === 384)!
  assert.equal(result.networkSizes[0]!.gflops, Math.round(g512.total / 1e7) / 100)
  const meanFlops = (2 * g512.total + result.networkSizes[1]!.gflops * 1e9) / 3
  assert.ok(Math.abs(result.gflopsPerImage - meanFlops / 1e9) <= 0.01)
  assert.ok(result.imagesPerSecond > 0 && result.wallSeconds > 0)
  assert.ok(result.latencyMs.p50 > 0 && result.latencyMs.p50 <= result.latencyMs.p95 && result.latencyMs.p95 <= result.latencyMs.p99)
  const shares = Object.values(result.stages).reduce((sum, s) => sum + s.share, 0)
  assert.ok(Math.abs(shares - 1) < 1e-3, `stage shares sum to ${shares}`)
  assert.ok(result.stages.inference.meanMs > 0 && result.stages.decode.meanMs > 0 && result.stages.write.meanMs > 0)
  // GFLOP/s in session.run = FLOPs / time in session.run
  const expected = (result.gflopsPerImage * result.images) / ((result.stages.inference.meanMs * result.images) / 1000)
  assert.ok(Math.abs(result.achievedGflopsPerSecond.inference - expected) / expected < 0.02)
  assert.ok(result.peakRssMb > 50)
  const markdown = readFileSync(summary, 'utf8')
  assert.match(markdown, /^# earlier step\n### dpt bench: dpt-hybrid-tiny \(fp32\), [\d.]+ images\/s\n/)
  assert.match(markdown, /\| images\/s \| [\d.]+ \|/)
  assert.equal(readFileSync(join(root, 'b.md'), 'utf8'), markdown.slice('# earlier step\n'.length))
  // the scratch folder (generated images, outputs) is gone
  assert.deepEqual(
    readdirSync(scratchParent).filter((f) => f.startsWith('dpt-')),
    [],
  )
})

test('dpt bench on a folder: the first N sorted images, segmentation told from the card, human table on stdout', async () => {
  const r = await runCli(['bench', fixture('images'), '--model', fixture('models', 'dpt-hybrid-ade-tiny'), '--images', '2', '--threads', '1'])
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /^model +dpt-hybrid-ade-tiny \(segmentation, fp32\)/m)
  assert.match(r.stdout, /^images +2 image\(s\) from /m)
  assert.match(r.stdout, /^images\/s +[\d.]+$/m)
  assert.match(r.stdout, /^FLOPs +[\d.]+ GFLOPs per image$/m)
})

test('dpt bench --fail-if: a failed gate exits 6 with the figure, passed gates exit 0, unknown figures are usage errors', async () => {
  const model = fixture('models', 'dpt-hybrid-tiny')
  const failed = await runCli([
    'bench',
    '--model',
    model,
    '--images',
    '1',
    '--sizes',
    '320x240',
    '--fail-if',
    'images_per_s<100000',
    '--fail-if',
    'p95 > 1e9',
    '--json',
  ])
  assert.equal(failed.code, 6, failed.stderr)
  const result = JSON.parse(failed.stdout) as BenchResult
  assert.deepEqual(
    result.gates.map((g) => [g.metric, g.threshold, g.passed]),
    [
      ['imagesPerSecond', 100000, false],
      ['latencyP95Ms', 1e9, true],
    ],
  )
  assert.equal(result.gates[0]!.value, result.imagesPerSecond)
  const passed = await runCli(['bench', '--model', model, '--images', '1', '--sizes', '320x240', '--fail-if', 'peak_rss_mb>1000000'])
  assert.equal(passed.code, 0, passed.stderr)
  assert.match(passed.stdout, /^gate passed +peak_rss_mb>1000000: peak RSS \(MiB\) = \d+, not > 1000000: passed$/m)
  const unknown = await runCli(['bench', '--model', model, '--fail-if', 'speed<3'])
  assert.equal(unknown.code, 2)
  assert.match(unknown.stderr, /unknown metric `speed`\. Available: imagesPerSecond,\s+(› +)?latencyP50Ms/)
})

test('dpt bench has no --shard (it measures every image it is given)', async () => {
  const r = await runCli(['bench', '--model', fixture('models', 'dpt-hybrid-tiny'), '--shard', '1/2'])
  assert.equal(r.code, 2)
  assert.match(r.stderr, /Nonexistent flag: --shard/)
})

test('dpt bench: bad --sizes is a usage error with an example', async () => {
  const r = await runCli(['bench', '--model', fixture('models', 'dpt-hybrid-tiny'), '--sizes', '640by480'])
  assert.equal(r.code, 2)
  assert.match(r.stderr, /Expected --sizes to be comma-separated WIDTHxHEIGHT, got `640by480`/)
  assert.match(r.stderr, /--sizes 640x480,1920x1080/)
})
