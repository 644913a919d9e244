import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {floatScratch, uint16Scratch} from '../../src/pipeline/scratch.js'

describe('ScratchArrays', () => {
  it('lends arrays of exactly the length asked, reusing a returned buffer that is large enough', () => {
    const scratch = floatScratch()
    const a = scratch.take(1000)
    assert.equal(a.length, 1000)
    a.fill(1)
    scratch.give(a)
    const b = scratch.take(600)
    assert.equal(b.length, 600)
    assert.equal(b.buffer, a.buffer, 'the returned buffer is lent again')
    const c = scratch.take(600)
    assert.notEqual(c.buffer, a.buffer, 'a lent buffer is never lent twice')
  })

  it('allocates afresh when the idle buffer is too small, and keeps only the largest idle buffers', () => {
    const scratch = uint16Scratch(1)
    const small = scratch.take(10)
    scratch.give(small)
    const big = scratch.take(100)
    assert.notEqual(big.buffer, small.buffer)
    scratch.give(big)
    assert.equal(scratch.idleBytes, 200, 'the larger buffer stays, the smaller one is dropped')
    const two = uint16Scratch(2)
    const x = two.take(5)
    const y = two.take(7)
    const z = two.take(9)
    two.give(x)
    two.give(y)
    two.give(z)
    assert.equal(two.idleBytes, (7 + 9) * 2)
  })
})
