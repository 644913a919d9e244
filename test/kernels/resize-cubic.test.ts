import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {toUnitFloat64} from '../../src/pipeline/preprocess/normalize.js'
import {resizeCubic, resizeCubicInto, resizeCubicUnitInto} from '../../src/kernels/resize-cubic.js'
import {fixture, readNpy} from '../helpers/fixtures.js'

// cv2.resize(float64 HWC, INTER_CUBIC) goldens from tools/kernel_goldens.py; uint8 inputs are divided by
// 255.0 in float64 as MiDaS read_image does.
const CASES = ['up', 'down', 'half', 'one_pixel', 'identity', 'mixed_1ch', 'dpt_ratio']

function load(name: string) {
  const input = readNpy(fixture('kernels', `cv2_cubic_${name}_in.npy`))
  const golden = readNpy(fixture('kernels', `cv2_cubic_${name}_out.npy`))
  const [height, width, channels] = input.shape as [number, number, number]
  const [dstHeight, dstWidth] = golden.shape as [number, number, number]
  const src = input.data instanceof Uint8Array ? toUnitFloat64(input.data) : (input.data as Float64Array)
  return {src, width, height, channels, dstWidth, dstHeight, expected: golden.data as Float64Array}
}

describe('resizeCubic (cv2 INTER_CUBIC on float64)', () => {
  for (const name of CASES) {
    it(`${name}: float64 output is bit-exact`, () => {
      const c = load(name)
      const out = new Float64Array(c.expected.length)
      resizeCubicInto(c.src, c.width, c.height, c.channels, c.dstWidth, c.dstHeight, out)
      let maxError = 0
      for (let i = 0; i < out.length; i++) maxError = Math.max(maxError, Math.abs(out[i]! - c.expected[i]!))
      assert.equal(maxError, 0, `max |error| ${maxError}`)
    })
  }

  for (const name of ['up', 'half', 'dpt_ratio']) {
    it(`${name}: from uint8 (byte / 255.0 on the fly) equals the float64 path bit for bit`, () => {
      const input = readNpy(fixture('kernels', `cv2_cubic_${name}_in.npy`))
      const c = load(name)
      const out = new Float64Array(c.expected.length)
      resizeCubicUnitInto(input.data as Uint8Array, c.width, c.height, c.channels, c.dstWidth, c.dstHeight, out)
      assert.deepEqual(out, c.expected)
    })
  }

  it('from uint8 at the same size is byte / 255.0', () => {
    const out = new Float64Array(4)
    resizeCubicUnitInto(Uint8Array.from([0, 3, 128, 255]), 2, 2, 1, 2, 2, out)
    assert.deepEqual(out, Float64Array.from([0, 3 / 255, 128 / 255, 1]))
  })

  it('float32 output is the float64 result rounded once', () => {
    const c = load('down')
    const out = resizeCubic(c.src, c.width, c.height, c.channels, c.dstWidth, c.dstHeight)
    assert.deepEqual(out, Float32Array.from(c.expected))
  })

  it('rejects a source of the wrong length', () => {
    assert.throws(() => resizeCubic(new Float64Array(5), 2, 2, 1, 4, 4), /2×2×1/)
  })
})
