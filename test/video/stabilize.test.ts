import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {syntheticSequence} from '../../bench/lib/synthetic-depth.js'
import {FlickerMeter, staticFromSource} from '../../src/video/flicker.js'
import {type AffineMap, applyMap, CellGrid, GlobalRange, OnePassStabilizer, perFrameMap, rangeMap, toUint16} from '../../src/video/stabilize.js'

const [W, H] = [96, 54]

function flicker(frames: {raw: Float32Array; isStatic: Uint8Array}[], mapOf: (raw: Float32Array) => AffineMap): number {
  const meter = new FlickerMeter()
  let previous: Float32Array | undefined
  for (const f of frames) {
    const n = applyMap(f.raw, mapOf(f.raw))
    if (previous !== undefined) meter.addPair(previous, n, W, {isStatic: f.isStatic})
    previous = n
  }
  return meter.error
}

describe('temporal stabilisation', () => {
  it('one-pass removes per-frame scale/shift jitter and ignores isolated wild values', () => {
    const frames = [
      ...syntheticSequence({width: W, height: H, frames: 40, seed: 5, scaleJitter: 0.05, shiftJitter: 0.03, noise: 0, outliers: 0.002, movingObject: false}),
    ]
    const stabilizer = new OnePassStabilizer(W, H, {emaWeight: 0.1, samples: 1024})
    const onePass = flicker(frames, (raw) => stabilizer.next(raw).map)
    const perFrame = flicker(frames, perFrameMap)
    const global = new GlobalRange()
    for (const f of frames) global.add(f.raw)
    const twoPass = flicker(frames, () => global.map())
    assert.ok(onePass * 5 < perFrame, `one-pass ${onePass} against per-frame ${perFrame}`)
    assert.ok(onePass < twoPass, `one-pass ${onePass} against global ${twoPass}`)
  })

  it('aligns exactly: frames that differ by an affine map come out identical once the range has settled', () => {
    const base = Float32Array.from({length: W * H}, (_, i) => Math.sin(i / 17) + (i % W) / W)
    const stabilizer = new OnePassStabilizer(W, H, {emaWeight: 1})
    const frames = [1, 0.5, 2, 1.3].map((s, k) => base.map((v) => s * v + k - 1))
    const normalised = frames.map((raw) => applyMap(raw, stabilizer.next(raw).map))
    for (const [k, n] of normalised.entries()) {
      for (let i = 0; i < n.length; i += 7) assert.ok(Math.abs(n[i]! - normalised[0]![i]!) < 1e-5, `frame ${k} pixel ${i}`)
    }
  })

  it('maps the first frame like the reference, and restarts on a scene cut onto the smoothed range', () => {
    const a = Float32Array.from({length: W * H}, (_, i) => (i % W) / W)
    const stabilizer = new OnePassStabilizer(W, H)
    const first = stabilizer.next(a)
    assert.equal(first.restarted, true)
    const reference = perFrameMap(a)
    assert.ok(Math.abs(first.map.scale - reference.scale) < 1e-9 && Math.abs(first.map.offset - reference.offset) < 1e-9)
    assert.equal(stabilizer.next(a).restarted, false)
    // A different scene (vertical gradient, other units): the fit cannot explain it.
    const cut = Float32Array.from({length: W * H}, (_, i) => 100 + 50 * Math.floor(i / W) * ((i * 7919) % 13))
    const after = stabilizer.next(cut)
    assert.equal(after.restarted, true)
    const n = applyMap(cut, after.map)
    let [min, max] = [Infinity, -Infinity]
    for (const v of n) [min, max] = [Math.min(min, v), Math.max(max, v)]
    assert.ok(Math.abs(min) < 1e-6 && Math.abs(max - 1) < 1e-6, `${min}..${max}`)
  })

  it('resumes from a saved state with exactly the maps of an uninterrupted run', () => {
    const frames = [
      ...syntheticSequence({width: W, height: H, frames: 12, seed: 9, scaleJitter: 0.05, shiftJitter: 0.03, noise: 0.01, outliers: 0.001, movingObject: true}),
    ]
    const whole = new OnePassStabilizer(W, H)
    const maps = frames.map((f) => whole.next(f.raw).map)
    const first = new OnePassStabilizer(W, H)
    for (const f of frames.slice(0, 5)) first.next(f.raw)
    const saved = JSON.parse(JSON.stringify(first.state())) as ReturnType<OnePassStabilizer['state']>
    const resumed = new OnePassStabilizer(W, H)
    resumed.restore(saved)
    assert.deepEqual(
      frames.slice(5).map((f) => resumed.next(f.raw).map),
      maps.slice(5),
    )
  })

  it('keeps the two-pass range and converts to 16 bits as the reference truncates', () => {
    const global = new GlobalRange()
    global.add(Float32Array.from([2, 3]))
    global.add(Float32Array.from([1, 2.5, NaN]))
    assert.deepEqual(global.map(), rangeMap(1, 3))
    assert.deepEqual([...toUint16(Float32Array.from([1, 2, 3, 0, 4, NaN]), rangeMap(1, 3))], [0, 32767, 65535, 0, 65535, 0])
  })

  it('summarises a frame by the means of a fixed grid of about the requested number of cells', () => {
    const grid = new CellGrid(1920, 1080, 4096)
    assert.ok(grid.cols * grid.rows > 3500 && grid.cols * grid.rows <= 4096, `${grid.cols}×${grid.rows}`)
    const small = new CellGrid(4, 2, 2)
    assert.deepEqual([small.cols, small.rows], [2, 1])
    const {means, min, max} = small.summarise(Float32Array.from([1, 2, 10, 20, 3, NaN, 30, Infinity]))
    assert.deepEqual([[...means], min, max], [[2, 20], 1, 30])
    assert.deepEqual([...new CellGrid(1, 1, 1).summarise(Float32Array.from([NaN])).means], [NaN])
  })
})

describe('flicker metric', () => {
  it('averages absolute changes over static pixels, following a known shift', () => {
    const meter = new FlickerMeter()
    const previous = Float32Array.from([0, 0.1, 0.2, 0.3, 0.4, 0.5])
    meter.addPair(previous, Float32Array.from([0.2, 0.1, 0.2, 0.3, 0.4, 0.9]), 3, {isStatic: Uint8Array.from([1, 1, 1, 1, 1, 0])})
    assert.ok(Math.abs(meter.error - 0.2 / 5) < 1e-7)
    // Pan by one pixel to the left: current (x, y) shows what previous had at (x + 1, y).
    const pan = new FlickerMeter()
    pan.addPair(previous, Float32Array.from([0.1, 0.2, 0.7, 0.4, 0.5, 0.7]), 3, {shift: [1, 0]})
    assert.equal(pan.pixels, 4)
    assert.ok(pan.error < 1e-7)
  })

  it('calls a pixel of a real clip static when its colour barely changed', () => {
    const a = Uint8Array.from([10, 10, 10, 50, 50, 50])
    const b = Uint8Array.from([12, 9, 10, 50, 60, 50])
    assert.deepEqual([...staticFromSource(a, b)], [1, 0])
  })
})
