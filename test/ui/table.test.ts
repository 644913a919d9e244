import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {columns, table} from '../../src/ui/table.js'

describe('columns (the one aligner of the human tables)', () => {
  it('left-aligns and pads every column but the last; right-aligns the ones asked for', () => {
    assert.deepEqual(
      columns([
        ['ab', '1.5', 'x'],
        ['c', '10.25', 'longer'],
      ]),
      ['ab  1.5    x', 'c   10.25  longer'],
    )
    assert.deepEqual(
      columns(
        [
          ['a', '1.5'],
          ['bbb', '10.25'],
        ],
        {right: new Set([1])},
      ),
      ['a      1.5', 'bbb  10.25'],
    )
  })

  it('counts code points, and trims trailing blanks only when asked', () => {
    assert.deepEqual(
      columns([
        ['é', 'x'],
        ['ab', ''],
      ]),
      ['é   x', 'ab  '],
    )
    assert.deepEqual(
      columns(
        [
          ['é', 'x'],
          ['ab', ''],
        ],
        {trimEnd: true},
      ),
      ['é   x', 'ab'],
    )
  })

  it('table puts the header first', () => {
    assert.deepEqual(table(['ID', 'TASK'], [['tiny', 'depth']]), ['ID    TASK', 'tiny  depth'])
  })
})
