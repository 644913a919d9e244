import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {BicubicRowStream, bicubicPlan, fmaf, upsampleBicubic} from '../../src/kernels/upsample-bicubic.js'
import {upsampleBilinearAlignCorners} from '../../src/kernels/upsample-bilinear.js'
import {fixture, readNpy} from '../helpers/fixtures.js'

// F.interpolate goldens from tools/kernel_goldens.py (PyTorch 2.x x86-64 wheel, float32). The kernels
// reproduce its arithmetic (fused multiply-adds included), so the expected error is 0; the brief's
// tolerance for inputs in [0, 1] is 1e-6.
function load(mode: string, name: string) {
  const input = readNpy(fixture('kernels', `torch_${mode}_${name}_in.npy`))
  const golden = readNpy(fixture('kernels', `torch_${mode}_${name}_out.npy`))
  const [height, width] = input.shape as [number, number]
  const [dstHeight, dstWidth] = golden.shape as [number, number]
  return {src: input.data as Float32Array, width, height, dstWidth, dstHeight, expected: golden.data as Float32Array}
}

function maxError(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length)
  let max = 0
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!))
  return max
}

describe('upsampleBicubic (torch bicubic, align_corners=False)', () => {
  for (const name of ['up', 'down', 'dpt_ratio', 'row', 'mixed', 'logits', 'identity']) {
    it(`${name}: bit-exact`, () => {
      const c = load('bicubic', name)
      const out = upsampleBicubic(c.src, c.width, c.height, c.dstWidth, c.dstHeight)
      assert.equal(maxError(out, c.expected), 0)
    })
  }

  it('the row stream over a multi-channel map equals the single-channel path bit for bit', () => {
    const maps = ['up', 'logits', 'dpt_ratio'].map((name) => load('bicubic', name))
    // Three channels of one size: reuse the first map's size, channel data from all three sources.
    const {width, height, dstWidth, dstHeight} = maps[0]!
    const plane = width * height
    const stacked = new Float32Array(plane * 3)
    maps.forEach((m, c) => {
      stacked.set(m.src.subarray(0, plane), c * plane)
    })
    const plan = bicubicPlan(width, height, dstWidth, dstHeight)
    const streams = [0, 1, 2].map((c) => new BicubicRowStream(plan, stacked, c * plane))
    const row = new Float32Array(dstWidth)
    for (let c = 0; c < 3; c++) {
      const single = upsampleBicubic(stacked.slice(c * plane, (c + 1) * plane), width, height, dstWidth, dstHeight)
      for (let y = 0; y < dstHeight; y++) {
        streams[c]!.row(y, row)
        assert.deepEqual(row, single.subarray(y * dstWidth, (y + 1) * dstWidth), `channel ${c} row ${y}`)
      }
    }
  })

  it('writes into a given output array, whatever it held, and refuses one of the wrong size', () => {
    const c = load('bicubic', 'dpt_ratio')
    const out = new Float32Array(c.dstWidth * c.dstHeight).fill(NaN)
    assert.equal(upsampleBicubic(c.src, c.width, c.height, c.dstWidth, c.dstHeight, out), out)
    assert.equal(maxError(out, c.expected), 0)
    assert.throws(() => upsampleBicubic(c.src, c.width, c.height, c.dstWidth, c.dstHeight, new Float32Array(5)), /Expected an output of/)
  })

  it('rows requested out of order are still correct', () => {
    const c = load('bicubic', 'up')
    const stream = new BicubicRowStream(bicubicPlan(c.width, c.height, c.dstWidth, c.dstHeight), c.src)
    const row = new Float32Array(c.dstWidth)
    for (const y of [c.dstHeight - 1, 0, 17, 3, 17]) {
      stream.row(y, row)
      assert.deepEqual(row, c.expected.subarray(y * c.dstWidth, (y + 1) * c.dstWidth))
    }
  })
})

describe('upsampleBilinearAlignCorners (torch bilinear, align_corners=True)', () => {
  for (const name of ['up', 'down', 'up_small', 'down_small', 'to_one']) {
    it(`${name}: bit-exact`, () => {
      const c = load('bilinear', name)
      const out = upsampleBilinearAlignCorners(c.src, c.width, c.height, c.dstWidth, c.dstHeight)
      assert.equal(maxError(out, c.expected), 0)
      const reused = new Float32Array(c.dstWidth * c.dstHeight).fill(NaN)
      upsampleBilinearAlignCorners(c.src, c.width, c.height, c.dstWidth, c.dstHeight, reused)
      assert.equal(maxError(reused, c.expected), 0)
    })
  }
})

describe('fmaf', () => {
  it('rounds a·b + c once', () => {
    // 1 + 2^-24 is half-way between 1 and the next float32; the product's tail decides.
    const a = Math.fround(1 + 2 ** -12)
    assert.equal(fmaf(a, a, 0), Math.fround(1 + 2 ** -11)) // exact 1 + 2^-11 + 2^-24: ties to even
    assert.equal(fmaf(a, a, 2 ** -40), Math.fround(1 + 2 ** -11 + 2 ** -23)) // just above the tie
    // a·a + c rounds to the tie in double; the lost 2^-80 must still push the float32 up (or down).
    assert.equal(fmaf(a, a, 2 ** -80), Math.fround(1 + 2 ** -11 + 2 ** -23))
    assert.equal(fmaf(a, a, -(2 ** -80)), Math.fround(1 + 2 ** -11))
    assert.equal(fmaf(3, 5, 0.25), 15.25)
  })
})
