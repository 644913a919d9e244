import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {float32Text, shortValue} from '../../../src/pipeline/render/value-text.js'

describe('float32Text', () => {
  it('is the shortest decimal that reads back as the same float32', () => {
    assert.equal(float32Text(Math.fround(0.1)), '0.1')
    assert.equal(float32Text(2.4889173805713654), '2.4889174')
    assert.equal(float32Text(-0.25), '-0.25')
    assert.equal(float32Text(0), '0')
    assert.equal(float32Text(3e38), '3e+38')
    let seed = 5
    for (let i = 0; i < 2000; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0
      const x = new Float32Array(new Uint32Array([seed ^ (seed << 7)]).buffer)[0]!
      if (!Number.isFinite(x)) continue
      const text = float32Text(x)
      assert.equal(Math.fround(Number(text)), x, text)
      const digits = text.replace(/^-/, '').replace(/e.*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '')
      assert.ok(digits.length <= 9, text)
      // One digit fewer does not read back (shortest).
      if (digits.length > 1) assert.notEqual(Math.fround(Number(Math.fround(x).toPrecision(digits.length - 1))), x, text)
    }
  })

  it('shortValue keeps four significant digits for labels', () => {
    assert.equal(shortValue(2.4889173805713654), '2.489')
    assert.equal(shortValue(-0.05624920874834061), '-0.05625')
  })
})
