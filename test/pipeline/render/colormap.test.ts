import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {applyColormap, COLORMAPS, colormapLut, type ColormapName} from '../../../src/pipeline/render/colormap.js'
import {fixture, readNpy} from '../../helpers/fixtures.js'

const entry = (name: ColormapName, v: number): number[] => [...colormapLut(name).subarray(v * 3, v * 3 + 3)]

describe('colour map tables', () => {
  it('every map has 256 RGB entries', () => {
    for (const name of COLORMAPS) assert.equal(colormapLut(name).length, 768, name)
  })

  // Numbers printed by tools/colormap_luts.py (OpenCV applyColorMap flipped to RGB; matplotlib × 255 truncated).
  it('spot values match OpenCV and matplotlib', () => {
    assert.deepEqual(entry('inferno', 0), [0, 0, 4])
    assert.deepEqual(entry('inferno', 128), [188, 55, 84])
    assert.deepEqual(entry('inferno', 255), [252, 255, 164])
    assert.deepEqual(entry('turbo', 0), [48, 18, 59])
    assert.deepEqual(entry('turbo', 255), [122, 4, 3])
    assert.deepEqual(entry('viridis', 128), [33, 145, 140])
    assert.deepEqual(entry('spectral_r', 0), [94, 79, 162])
    assert.deepEqual(entry('spectral_r', 128), [254, 254, 189])
    assert.deepEqual(entry('spectral_r', 255), [158, 1, 66])
  })

  it('gray repeats the value', () => {
    assert.deepEqual(entry('gray', 0), [0, 0, 0])
    assert.deepEqual(entry('gray', 200), [200, 200, 200])
  })
})

describe('applyColormap', () => {
  const input = readNpy(fixture('write', 'colormap_input.npy')).data as Uint8Array

  for (const name of ['inferno', 'turbo', 'viridis', 'spectral_r'] as const) {
    it(`${name} gives the reference RGB image`, () => {
      assert.deepEqual(applyColormap(input, name), readNpy(fixture('write', `colormap_${name}.npy`)).data)
    })
  }

  it('gray gives three equal channels', () => {
    const out = applyColormap(Uint8Array.of(0, 9, 255), 'gray')
    assert.deepEqual([...out], [0, 0, 0, 9, 9, 9, 255, 255, 255])
  })
})
