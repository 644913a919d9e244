import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {METRIC_PNG_SCALE, minMaxFinite, toMetricUint16, toUint16Reference, toUint8DepthAnything, toUint8Reference} from '../../src/kernels/depth-scale.js'
import {fixture, readNpy} from '../helpers/fixtures.js'

const f32 = (values: number[]): Float32Array => Float32Array.from(values)

function loadF32(name: string): Float32Array {
  const npy = readNpy(fixture('write', name))
  assert.ok(npy.data instanceof Float32Array, `${name} should be float32`)
  return npy.data
}

describe('toUint16Reference (DPT write_depth, bits=2)', () => {
  const depth = loadF32('depth.npy')
  const golden = readNpy(fixture('write', 'depth_u16.npy')).data

  it('matches numpy float32 `65535 * (d - min) / (max - min)` then astype(uint16) on crafted values', () => {
    const {min, max} = minMaxFinite(depth)
    assert.deepEqual(toUint16Reference(depth, min, max), golden)
  })

  it('the golden tells float32 evaluation from float64 evaluation', () => {
    const {min, max} = minMaxFinite(depth)
    const float64 = Uint16Array.from(depth, (d) => Math.trunc((65535 * (d - min)) / (max - min)))
    const differing = float64.filter((v, i) => v !== golden[i]).length
    assert.ok(differing >= 20, `only ${differing} pixels differ`)
  })

  it('maps min to 0 and max to exactly 65535, truncating half-way values', () => {
    assert.deepEqual([...toUint16Reference(f32([0, 2, 1, 0.5]), 0, 2)], [0, 65535, 32767, 16383])
  })

  it('writes zeros for a constant image and whenever max - min <= float64 eps', () => {
    assert.deepEqual([...toUint16Reference(f32([3, 3, 3]), 3, 3)], [0, 0, 0])
    assert.deepEqual([...toUint16Reference(f32([0, 1e-16]), 0, 1e-16)], [0, 0])
    assert.deepEqual([...toUint16Reference(f32([0, 1e-15]), 0, 1e-15)], [0, 65535])
  })

  it('gives 0 for NaN and ±Infinity, which minMaxFinite ignores', () => {
    const depth = f32([NaN, 1, Infinity, 3, -Infinity])
    const range = minMaxFinite(depth)
    assert.deepEqual(range, {min: 1, max: 3})
    assert.deepEqual([...toUint16Reference(depth, range.min, range.max)], [0, 0, 0, 65535, 0])
  })

  it('gives an all-zero image when nothing is finite', () => {
    const depth = f32([NaN, Infinity])
    const {min, max} = minMaxFinite(depth)
    assert.deepEqual([...toUint16Reference(depth, min, max)], [0, 0])
  })

  it('writes every element of a reused output array, whatever it held', () => {
    const {min, max} = minMaxFinite(depth)
    const dirty = new Uint16Array(depth.length).fill(12345)
    assert.equal(toUint16Reference(depth, min, max, dirty), dirty)
    assert.deepEqual(dirty, golden)
    const special = f32([NaN, 1, Infinity, 3, -Infinity, 3.0000001e38])
    assert.deepEqual([...toUint16Reference(special, 1, 3, new Uint16Array(6).fill(7))], [0, 0, 0, 65535, 0, 65535])
    assert.deepEqual([...toUint16Reference(f32([3, 3]), 3, 3, new Uint16Array(2).fill(7))], [0, 0])
    assert.throws(() => toUint16Reference(depth, min, max, new Uint16Array(3)), /Expected an output of/)
  })

  it('clamps values outside a caller-supplied range instead of wrapping as numpy does', () => {
    assert.deepEqual([...toUint16Reference(f32([-5, 0, 10, 25]), 0, 10)], [0, 0, 65535, 65535])
  })
})

describe('8-bit conversions', () => {
  const depth = loadF32('depth.npy')
  const {min, max} = minMaxFinite(depth)

  it('toUint8Reference matches `255 * (d - min) / (max - min)` astype(uint8) (MiDaS v3.1 bits=1)', () => {
    assert.deepEqual(toUint8Reference(depth, min, max), readNpy(fixture('write', 'depth_u8.npy')).data)
  })

  it('toUint8DepthAnything matches `(d - min) / (max - min) * 255.0` astype(uint8), which differs on some pixels', () => {
    const golden = readNpy(fixture('write', 'depth_u8_div_first.npy')).data
    assert.deepEqual(toUint8DepthAnything(depth, min, max), golden)
    assert.notDeepEqual(toUint8Reference(depth, min, max), golden)
  })

  it('both give 255 at max, 0 at min and zeros for a constant image', () => {
    assert.deepEqual([...toUint8Reference(f32([4, 8, 6]), 4, 8)], [0, 255, 127])
    assert.deepEqual([...toUint8DepthAnything(f32([4, 8, 6]), 4, 8)], [0, 255, 127])
    assert.deepEqual([...toUint8DepthAnything(f32([5, 5]), 5, 5)], [0, 0])
  })
})

describe('toMetricUint16', () => {
  const metric = loadF32('metric.npy')

  it('KITTI: float32 d * 256 truncated, as `prediction *= 256; astype(uint16)`', () => {
    assert.deepEqual(toMetricUint16(metric, METRIC_PNG_SCALE.kitti), readNpy(fixture('write', 'metric_kitti_u16.npy')).data)
  })

  it('NYU: float32 d * 1000 truncated, including products float32 rounds up to an integer', () => {
    const golden = readNpy(fixture('write', 'metric_nyu_u16.npy')).data
    assert.deepEqual(toMetricUint16(metric, METRIC_PNG_SCALE.nyu), golden)
    const float64 = Uint16Array.from(metric, (d) => Math.trunc(d * 1000))
    assert.ok(float64.filter((v, i) => v !== golden[i]).length >= 20)
  })

  it('clamps beyond 65535 / scale and writes 0 for negative or non-finite depth', () => {
    assert.deepEqual([...toMetricUint16(f32([255.99609375, 256, 300, -1, NaN, Infinity, 1.5]), 256)], [65535, 65535, 65535, 0, 0, 0, 384])
  })
})
