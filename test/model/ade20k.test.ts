import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import {repoRoot} from '../helpers/fixtures.js'

interface Ade20k {
  source: string
  classes: string[]
  palette: number[][]
}

const ade = JSON.parse(readFileSync(join(repoRoot, 'models', 'ade20k.json'), 'utf8')) as Ade20k

describe('models/ade20k.json', () => {
  it('names the 150 SceneParsing classes once each, in id order', () => {
    assert.equal(ade.classes.length, 150)
    assert.equal(new Set(ade.classes).size, 150)
    for (const name of ade.classes) assert.match(name, /^[a-z]+( [a-z]+)*$/)
    assert.deepEqual(ade.classes.slice(0, 5), ['wall', 'building', 'sky', 'floor', 'tree'])
    assert.equal(ade.classes[149], 'flag')
  })

  it('colours ids 0..150 with the reference palette, id 0 black', () => {
    assert.equal(ade.palette.length, 151)
    for (const rgb of ade.palette) {
      assert.equal(rgb.length, 3)
      for (const v of rgb) assert.ok(Number.isInteger(v) && v >= 0 && v <= 255)
    }
    assert.deepEqual(ade.palette.slice(0, 4), [
      [0, 0, 0],
      [120, 120, 120], // wall
      [180, 120, 120], // building
      [6, 230, 230], // sky
    ])
    assert.deepEqual(ade.palette[150], [92, 0, 255]) // flag
  })

  it('says where the facts come from', () => {
    assert.match(ade.source, /objectInfo150/)
    assert.match(ade.source, /isl-org\/DPT/)
  })
})
