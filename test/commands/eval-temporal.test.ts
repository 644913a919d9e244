/**
 * dpt eval --temporal on a generated tiny Sintel (two scenes, saved predictions): a prediction whose scale jumps
 * from frame to frame scores perfectly per frame (the per-image fit absorbs the scale) and is caught by the
 * temporal consistency error at the figure worked out by hand; a steady one scores 0.
 */
import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {parseReport} from '../../src/eval/report/index.js'
import type {DepthImageRecord} from '../../src/eval/types.js'
import {W, H, writeNpy, writeRgb, writeSintelDpt} from '../eval/datasets/synthetic.js'
import {runCli} from '../helpers/cli.js'

/** Left half a wall at 4 m in every frame (static); right half an object coming closer, 3 m × 0.8 per frame. */
function frameDepth(k: number): Float32Array {
  const out = new Float32Array(W * H)
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) out[y * W + x] = x < W / 2 ? 4 : 3 * 0.8 ** k
  return out
}

const SCENES = {alley_1: 4, cave_2: 2}
/**
 * The flickering model's scale per frame (disparity × c): frame t under frame t − 1's fit has its depth × c_{t−1} / c_t,
 * so the temporal error of a static pixel is |c_{t−1} / c_t − 1|.
 */
const FLICKER = [1, 1.1, 1, 1.1]

describe('dpt eval --temporal', () => {
  let root = ''
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'dpt-eval-temporal-'))
    for (const [scene, frames] of Object.entries(SCENES)) {
      for (let k = 0; k < frames; k++) {
        const name = `frame_${String(k + 1).padStart(4, '0')}`
        await writeRgb(join(root, 'sintel', 'training', 'final', scene, `${name}.png`), k)
        const depth = frameDepth(k)
        writeSintelDpt(join(root, 'sintel', 'training', 'depth', scene, `${name}.dpt`), depth)
        // Relative models predict disparity, fitted to the ground truth's per frame (scale and shift: Sintel's protocol).
        writeNpy(
          join(root, 'steady', scene, `${name}.npy`),
          depth.map((d) => 1 / d),
          [H, W],
        )
        writeNpy(
          join(root, 'flicker', scene, `${name}.npy`),
          depth.map((d) => FLICKER[k]! / d),
          [H, W],
        )
      }
    }
  })
  after(() => {
    rmSync(root, {recursive: true, force: true})
  })

  const evalArgs = (predictions: string, ...more: string[]): string[] => [
    'eval',
    '--dataset',
    'sintel',
    '--data',
    'sintel',
    '--predictions',
    predictions,
    '--prediction-kind',
    'disparity',
    ...more,
  ]

  it('reports the scale jumps of a flickering prediction that every per-frame metric misses', async () => {
    const run = await runCli([...evalArgs('flicker', '--temporal', '--report', 'flicker.json')], {cwd: root})
    assert.equal(run.code, 0, run.stderr)
    const report = parseReport(readFileSync(join(root, 'flicker.json'), 'utf8'), 'flicker.json')
    for (const record of report.images as DepthImageRecord[]) assert.ok(record.metrics!.absRel < 1e-5, `${record.id}: ${record.metrics!.absRel}`)
    // alley_1: 3 pairs, cave_2: 1 pair (none across the scenes), the wall's W/2 × H pixels static in each.
    const ratios = [1 / 1.1, 1.1, 1 / 1.1, 1 / 1.1].map((r) => Math.abs(r - 1))
    const expected = ratios.reduce((a, b) => a + b, 0) / ratios.length
    assert.equal(report.temporal?.pairs, 4)
    assert.equal(report.temporal.staticPixels, 4 * (W / 2) * H)
    assert.ok(Math.abs(report.temporal.error! - expected) < 1e-5, `${report.temporal.error} vs ${expected}`)
    assert.match(run.stdout, /Temporal consistency: 0\.0932 /)
  })

  it('scores a steady prediction 0, and leaves the report as it was without the flag', async () => {
    const run = await runCli([...evalArgs('steady', '--temporal', '--report', 'steady.json')], {cwd: root})
    assert.equal(run.code, 0, run.stderr)
    const report = parseReport(readFileSync(join(root, 'steady.json'), 'utf8'), 'steady.json')
    assert.ok(report.temporal!.error! < 1e-6, String(report.temporal!.error))
    const plain = await runCli([...evalArgs('steady', '--report', 'plain.json')], {cwd: root})
    assert.equal(plain.code, 0, plain.stderr)
    const without = parseReport(readFileSync(join(root, 'plain.json'), 'utf8'), 'plain.json')
    assert.equal('temporal' in without, false)
    assert.deepEqual(without.images, report.images)
  })

  it('is refused on a dataset without sequences and with --shard', async () => {
    const nyu = await runCli(['eval', '--dataset', 'nyu', '--data', 'sintel', '--predictions', 'steady', '--temporal'], {cwd: root})
    assert.equal(nyu.code, 2)
    assert.match(nyu.stderr, /--temporal needs a sequence dataset/)
    const shard = await runCli([...evalArgs('steady', '--temporal', '--shard', '1/2')], {cwd: root})
    assert.equal(shard.code, 2)
    assert.match(shard.stderr, /a shard holds every n-th/)
  })
})
