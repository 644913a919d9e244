import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {type PilFilter, resizePil} from '../../src/kernels/resize-pil.js'
import {fixture, readNpy} from '../helpers/fixtures.js'

// Pillow Image.resize goldens from tools/kernel_goldens.py; Pillow is integer arithmetic: exact match.
const CASES: [PilFilter, string][] = [
  ['bilinear', 'up'],
  ['bilinear', 'down'],
  ['bilinear', 'nonuniform'],
  ['bilinear', 'same_width'],
  ['bilinear', 'square'],
  ['bicubic', 'up'],
  ['bicubic', 'down'],
  ['bicubic', 'nonuniform'],
  ['bicubic', 'same_height'],
  ['bicubic', 'large_factor'],
  ['bicubic', 'grey'],
  ['bilinear', 'vertical_first'],
  ['bicubic', 'vertical_first'],
  ['bilinear', 'order_tie'],
  ['bilinear', 'order_tie_plus_one'],
]

describe('resizePil (Pillow Image.resize, uint8)', () => {
  for (const [filter, name] of CASES) {
    it(`${filter} ${name}: bit-exact`, () => {
      const input = readNpy(fixture('kernels', `pil_${filter}_${name}_in.npy`))
      const golden = readNpy(fixture('kernels', `pil_${filter}_${name}_out.npy`))
      const [height, width, channels] = input.shape as [number, number, number]
      const [dstHeight, dstWidth] = golden.shape as [number, number]
      const out = resizePil(input.data as Uint8Array, width, height, channels, dstWidth, dstHeight, filter)
      assert.deepEqual(out, golden.data)
    })
  }

  it('copies an unchanged size', () => {
    const src = Uint8Array.from([1, 2, 3, 4, 5, 6])
    const out = resizePil(src, 2, 1, 3, 2, 1, 'bicubic')
    assert.deepEqual(out, src)
    assert.notEqual(out, src)
  })
})
