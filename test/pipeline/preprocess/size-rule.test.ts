import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {describe, it} from 'node:test'

import {networkSize, roundHalfEven, type SizeSpec} from '../../../src/pipeline/preprocess/size-rule.js'
import {fixture} from '../../helpers/fixtures.js'

// Written by tools/kernel_goldens.py: MiDaS Resize.get_size re-derived in Python (and checked against
// HF's DPT rule for "minimal"), plus np.round values.
interface Goldens {
  readonly specs: Record<string, SizeSpec>
  readonly 'sizes (spec, width, height, expected width, expected height)': [string, number, number, number, number][]
  readonly 'round (x, np.round(x))': [number, number][]
}
const goldens = JSON.parse(readFileSync(fixture('kernels', 'size-rule.json'), 'utf8')) as Goldens
const dpt: SizeSpec = {height: 384, width: 384, keepAspect: true, rule: 'minimal', multiple: 32}

describe('roundHalfEven', () => {
  it('matches np.round, halves to even', () => {
    for (const [x, expected] of goldens['round (x, np.round(x))']) {
      assert.equal(roundHalfEven(x), expected, `np.round(${x})`)
    }
  })
})

describe('networkSize', () => {
  it('gives the DPT 384/32 examples of the reference', () => {
    assert.deepEqual(networkSize({width: 640, height: 480}, dpt), {width: 512, height: 384})
    assert.deepEqual(networkSize({width: 1920, height: 1080}, dpt), {width: 672, height: 384})
    assert.deepEqual(networkSize({width: 320, height: 240}, dpt), {width: 384, height: 288})
    // 400 / 32 = 12.5 rounds to 12 (half to even), not 13
    assert.deepEqual(networkSize({width: 400, height: 384}, dpt), {width: 384, height: 384})
  })

  it('matches MiDaS Resize.get_size on every golden case', () => {
    const cases = goldens['sizes (spec, width, height, expected width, expected height)']
    assert.ok(cases.length > 100)
    for (const [name, width, height, ew, eh] of cases) {
      const spec = goldens.specs[name]
      assert.ok(spec, name)
      const image = {width, height}
      // The reference gives a 0-pixel side (cv2.resize then fails); networkSize says so up front.
      if (ew === 0 || eh === 0) assert.throws(() => networkSize(image, spec), /larger image/)
      else assert.deepEqual(networkSize(image, spec), {width: ew, height: eh}, `${name} ${width}×${height}`)
    }
  })

  it('refuses an image that rounds to an empty input', () => {
    assert.throws(() => networkSize({width: 4000, height: 10}, dpt), /larger image/)
  })
})
