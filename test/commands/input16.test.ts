/**
 * dpt depth on 16-bit PNGs and TIFFs, end to end, against goldens made the reference way on the same fixture graphs
 * (tools/input16_goldens.py: the isl-org path on cv2's reading, the Hugging Face processor on the high byte;
 * onnxruntime 1.30.0 as the network in both), and dpt segment's overlay of a 16-bit image.
 */
import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import sharp from 'sharp'
import {decodeNpyFloat32} from '../../src/formats/npy.js'
import {runCli} from '../helpers/cli.js'
import {fixture, readNpy} from '../helpers/fixtures.js'

const manifest = JSON.parse(readFileSync(fixture('input16', 'manifest.json'), 'utf8')) as {images: Record<string, {file: string}>}
const names = Object.keys(manifest.images)
const inputs = names.map((n) => fixture('input16', manifest.images[n]!.file))

function maxDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length)
  return a.reduce((worst, v, i) => Math.max(worst, Math.abs(v - b[i]!)), 0)
}

const depthOf = (out: string, name: string): Float32Array => decodeNpyFloat32(readFileSync(join(out, `${name}.npy`))).data

describe('16-bit inputs end to end', () => {
  for (const [model, card] of [
    ['dpt-hybrid-tiny', ['--card', fixture('models', 'dpt-hybrid-tiny', 'dpt-card.json')]],
    ['dpt-large-tiny', []],
  ] as const) {
    it(`dpt depth with ${model}: the reference's depth from the high byte; --keep-16bit reads more`, async () => {
      const out = mkdtempSync(join(tmpdir(), 'dpt-input16-'))
      const full = mkdtempSync(join(tmpdir(), 'dpt-input16-full-'))
      const args = ['depth', ...inputs, '--model', fixture('models', model), ...card, '--format', 'npy', '--threads', '1']
      const r = await runCli([...args, '-o', out])
      assert.equal(r.code, 0, r.stderr)
      const k = await runCli([...args, '-o', full, '--keep-16bit'])
      assert.equal(k.code, 0, k.stderr)
      for (const name of names) {
        const golden = readNpy(fixture('input16', `${name}.${model}.depth.npy`)).data as Float32Array
        // The same graph on onnxruntime on both sides, one thread: equal bit for bit on the CPU the goldens were made
        // on, but onnxruntime picks its matrix kernels by instruction set (AVX2, AVX-512), which moves the last bits.
        // So the tolerance of the reference goldens (goldens.test.ts): 1e-4 of the range. The network input is
        // checked bit for bit where it is made (test/pipeline/sixteen-bit.test.ts); reading the wrong byte moves the
        // depth by more than 1e-3 of the range (below).
        const range = golden.reduce((m, v) => Math.max(m, v), -Infinity) - golden.reduce((m, v) => Math.min(m, v), Infinity)
        const worst = maxDiff(depthOf(out, name), golden)
        assert.ok(worst <= 1e-4 * range, `${name}: max |Δ| ${worst} > 1e-4 × range ${range}`)
        assert.ok(maxDiff(depthOf(full, name), golden) > 1e-3 * range, `${name}: --keep-16bit should change the input`)
      }
    })
  }

  it('dpt segment overlays a 16-bit image by its high byte', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dpt-input16-seg-'))
    const name = 'rgb16-png'
    const r = await runCli([
      'segment',
      fixture('input16', `${name}.png`),
      '-o',
      out,
      '--model',
      fixture('models', 'dpt-large-ade-tiny'),
      '--format',
      'overlay,color',
    ])
    assert.equal(r.code, 0, r.stderr)
    const {data, info} = await sharp(join(out, `${name}.overlay.png`))
      .raw()
      .toBuffer({resolveWithObject: true})
    assert.equal(info.channels, 4)
    const colour = await sharp(join(out, `${name}.color.png`))
      .raw()
      .toBuffer()
    const high = readNpy(fixture('input16', `${name}.high-byte.npy`)).data as Uint8Array
    // The reference blend at alpha 0.5: floor((image + colour) / 2) on the 8-bit image the references read.
    for (let i = 0; i < high.length / 3; i++) {
      for (let c = 0; c < 3; c++) assert.equal(data[i * 4 + c], (high[i * 3 + c]! + colour[i * 3 + c]!) >> 1, `pixel ${i} channel ${c}`)
    }
  })
})
