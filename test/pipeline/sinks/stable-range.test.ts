import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {toUint16Reference} from '../../../src/kernels/depth-scale.js'
import type {DepthPrediction} from '../../../src/pipeline/postprocess/depth.js'
import {mappedPrediction} from '../../../src/pipeline/sinks/stable-range.js'
import {random} from '../../helpers/random.js'

const prediction = (values: Float32Array): DepthPrediction => ({
  task: 'depth',
  width: values.length,
  height: 1,
  values,
  range: {min: 0, max: 0},
  semantics: 'relative-inverse-depth',
  wasm: undefined,
})

describe('mappedPrediction (--normalize stable)', () => {
  it("makes the sinks' reference scaling give the map's values: exactly 0 and 65535 at the ends, the map within a level inside", () => {
    const next = random(5)
    const raw = Float32Array.from({length: 5000}, () => 10 + 90 * next())
    raw[0] = NaN
    raw[1] = Infinity
    // The map sends raw 20 to 0 and raw 80 to 1: values beyond clamp.
    const map = {scale: 1 / 60, offset: -20 / 60}
    const mapped = mappedPrediction(prediction(raw), map)
    assert.notEqual(mapped.values, raw)
    assert.deepEqual([mapped.range.min, mapped.range.max], [Math.fround(20), Math.fround(80)])
    const png = toUint16Reference(mapped.values, mapped.range.min, mapped.range.max)
    assert.deepEqual([png[0], png[1]], [0, 0])
    let [lows, highs] = [0, 0]
    for (let i = 2; i < raw.length; i++) {
      const n = Math.min(1, Math.max(0, map.scale * raw[i]! + map.offset))
      assert.ok(Math.abs(png[i]! - 65535 * n) <= 1, `${raw[i]} → ${png[i]}, map ${65535 * n}`)
      if (raw[i]! <= 20) assert.equal(png[i], 0, 'clamped low')
      if (raw[i]! >= 80) assert.equal(png[i], 65535, 'clamped high')
      if (raw[i]! <= 20) lows++
      if (raw[i]! >= 80) highs++
    }
    assert.ok(lows > 100 && highs > 100)
  })

  it('gives an all-zero frame for a map without a range', () => {
    const mapped = mappedPrediction(prediction(Float32Array.from([1, 2, 3])), {scale: 0, offset: 0})
    assert.deepEqual([...toUint16Reference(mapped.values, mapped.range.min, mapped.range.max)], [0, 0, 0])
  })
})
