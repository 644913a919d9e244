import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {toNchw, toUnitFloat64, type Triple} from '../../../src/pipeline/preprocess/normalize.js'
import {fixture, readNpy} from '../../helpers/fixtures.js'

const HALF: Triple = [0.5, 0.5, 0.5]
const IMAGENET_MEAN: Triple = [0.485, 0.456, 0.406]
const IMAGENET_STD: Triple = [0.229, 0.224, 0.225]
const STATS: [string, Triple, Triple][] = [
  ['half', HALF, HALF],
  ['imagenet', IMAGENET_MEAN, IMAGENET_STD],
]

describe('toNchw', () => {
  const midas = readNpy(fixture('kernels', 'normalize_midas_in.npy'))
  const hf = readNpy(fixture('kernels', 'normalize_hf_in.npy'))

  for (const [tag, mean, std] of STATS) {
    it(`MiDaS ${tag}: float64 (x − mean) / std, one float32 rounding — bit-exact`, () => {
      const [h, w] = midas.shape as [number, number]
      const expected = readNpy(fixture('kernels', `normalize_midas_${tag}_out.npy`)).data
      assert.deepEqual(toNchw(midas.data as Float64Array, w, h, mean, std, 1, 'float64'), expected)
      assert.notDeepEqual(toNchw(midas.data as Float64Array, w, h, mean, std, 1, 'float32'), expected)
    })

    it(`HF ${tag}: float64 rescale to float32, float32 normalise — bit-exact`, () => {
      const [h, w] = hf.shape as [number, number]
      const expected = readNpy(fixture('kernels', `normalize_hf_${tag}_out.npy`)).data as Float32Array
      const out = toNchw(hf.data as Uint8Array, w, h, mean, std, 1 / 255, 'float32')
      assert.deepEqual(out, expected)
      // The float64 recipe differs for some uint8 values: the goldens tell the two apart.
      const other = toNchw(hf.data as Uint8Array, w, h, mean, std, 1 / 255, 'float64')
      assert.notDeepEqual(other, expected)
    })
  }

  it('toUnitFloat64 divides by 255 in float64', () => {
    const out = toUnitFloat64(Uint8Array.from([0, 1, 77, 255]))
    assert.deepEqual(out, Float64Array.from([0, 1 / 255, 77 / 255, 1]))
  })
})
