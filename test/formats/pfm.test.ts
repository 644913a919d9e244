import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {describe, it} from 'node:test'

import {decodePfm, encodePfm} from '../../src/formats/pfm.js'
import {fixture, readNpy} from '../helpers/fixtures.js'

const depth = readNpy(fixture('write', 'depth.npy'))
const [H, W] = depth.shape as [number, number]
const values = depth.data as Float32Array

describe('encodePfm', () => {
  it('is byte-identical to the reference write_pfm', () => {
    assert.ok(encodePfm(values, W, H).equals(readFileSync(fixture('write', 'depth.pfm'))))
  })

  it('writes "Pf", "W H", "-1.000000" (little-endian) and the bottom row first', () => {
    const pfm = encodePfm(Float32Array.from([1, 2, 3, 4, 5, 6]), 3, 2)
    const header = 'Pf\n3 2\n-1.000000\n'
    assert.equal(pfm.toString('latin1', 0, header.length), header)
    const body = new Float32Array(pfm.buffer.slice(pfm.byteOffset + header.length, pfm.byteOffset + pfm.length))
    assert.deepEqual([...body], [4, 5, 6, 1, 2, 3])
  })

  it('keeps NaN, ±Infinity and -0 bit for bit', () => {
    const special = Float32Array.from([NaN, Infinity, -Infinity, -0])
    const pfm = encodePfm(special, 2, 2)
    const headerLength = 'Pf\n2 2\n-1.000000\n'.length
    const rows = [special.subarray(2), special.subarray(0, 2)]
    const expected = Buffer.concat(rows.map((r) => Buffer.from(r.buffer, r.byteOffset, r.byteLength)))
    assert.ok(pfm.subarray(headerLength).equals(expected))
  })

  it('refuses data that does not match the size', () => {
    assert.throws(() => encodePfm(values, W + 1, H), RangeError)
  })
})

describe('decodePfm', () => {
  it('reads the reference file back top row first', () => {
    const image = decodePfm(readFileSync(fixture('write', 'depth.pfm')))
    assert.deepEqual({width: image.width, height: image.height, channels: image.channels, scale: image.scale}, {width: W, height: H, channels: 1, scale: 1})
    assert.deepEqual(image.data, values)
  })

  it('reads big-endian files (positive scale)', () => {
    assert.deepEqual(decodePfm(readFileSync(fixture('write', 'depth_be.pfm'))).data, values)
  })

  it('reads colour (PF) files as interleaved RGB', () => {
    const body = Float32Array.from([7, 8, 9, 1, 2, 3]) // bottom row (one pixel) first
    const file = Buffer.concat([Buffer.from('PF\n1 2\n-0.5\n'), Buffer.from(body.buffer)])
    const image = decodePfm(file)
    assert.equal(image.channels, 3)
    assert.equal(image.scale, 0.5)
    assert.deepEqual([...image.data], [1, 2, 3, 7, 8, 9])
  })

  it('round-trips encodePfm', () => {
    const data = Float32Array.from({length: 35}, (_, i) => Math.sin(i) * 1e3)
    assert.deepEqual(decodePfm(encodePfm(data, 7, 5)).data, data)
  })

  it('rejects other files and truncated data', () => {
    assert.throws(() => decodePfm(Buffer.from('P6\n1 1\n255\n\0\0\0')), /Not a PFM file/)
    assert.throws(() => decodePfm(Buffer.from('Pf\n4 4\n-1.000000\n\0\0\0\0')), /Truncated PFM/)
    assert.throws(() => decodePfm(Buffer.from('Pf\n4 x\n-1.0\n')), /Malformed PFM header/)
  })
})
