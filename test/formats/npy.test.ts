import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {describe, it} from 'node:test'

import {decodeNpy, decodeNpyFloat32, encodeNpy} from '../../src/formats/npy.js'
import {fixture, readNpy} from '../helpers/fixtures.js'

const GOLDENS = ['depth.npy', 'npy_scalar.npy', 'npy_1d.npy', 'npy_pad64.npy']

describe('encodeNpy', () => {
  for (const name of GOLDENS) {
    it(`is byte-identical to np.save for ${name}`, () => {
      const golden = readNpy(fixture('write', name))
      assert.ok(golden.data instanceof Float32Array)
      const bytes = encodeNpy(golden.data, golden.shape)
      assert.ok(bytes.equals(readFileSync(fixture('write', name))), bytes.subarray(0, 200).toString('latin1'))
    })
  }

  it('starts the data at a multiple of 64 for any number of axes', () => {
    for (let axes = 0; axes <= 32; axes++) {
      const shape = Array.from({length: axes}, (_, i) => (i === 0 ? 3 : 1))
      const bytes = encodeNpy(new Float32Array(axes === 0 ? 1 : 3), shape)
      const headerEnd = 10 + bytes.readUInt16LE(8)
      assert.equal(headerEnd % 64, 0, `shape (${shape.join(', ')})`)
      assert.equal(bytes[headerEnd - 1], 0x0a)
    }
  })

  it('refuses a shape that does not match the data', () => {
    assert.throws(() => encodeNpy(new Float32Array(6), [2, 4]), /Shape \[2, 4\] holds 8 values, got 6/)
  })
})

describe('decodeNpy / decodeNpyFloat32', () => {
  it('reads float32 arrays with their shape', () => {
    const {shape, data} = decodeNpyFloat32(readFileSync(fixture('write', 'depth.npy')))
    assert.deepEqual(shape, [12, 16])
    assert.deepEqual(data, readNpy(fixture('write', 'depth.npy')).data)
  })

  it('round-trips encodeNpy, 0-d included', () => {
    const data = Float32Array.from([1.5, -2, NaN, Infinity, 0, 7, 8, 9])
    assert.deepEqual(decodeNpy(encodeNpy(data, [2, 2, 2])), {dtype: '<f4', shape: [2, 2, 2], data})
    assert.deepEqual(decodeNpy(encodeNpy(Float32Array.of(4), [])), {dtype: '<f4', shape: [], data: Float32Array.of(4)})
  })

  it('reads other dtypes as they are; the float32 reader refuses them with a remedy', () => {
    const u16 = decodeNpy(readFileSync(fixture('write', 'depth_u16.npy')))
    assert.equal(u16.dtype, '<u2')
    assert.ok(u16.data instanceof Uint16Array)
    assert.throws(() => decodeNpyFloat32(readFileSync(fixture('write', 'depth_u16.npy'))), /float32 \('<f4'\).*got dtype '<u2'.*astype/)
    assert.throws(() => decodeNpy(Buffer.from('not numpy')), /not an \.npy file/)
  })
})
