/**
 * 16-bit inputs against the references (goldens: tools/input16_goldens.py, cv2 5.0 and Pillow 13): what cv2.imread
 * and Pillow's load_image make of 16-bit PNGs and TIFFs, and the network inputs of both model families.
 */
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {describe, it} from 'node:test'
import type {PreprocessCard} from '../../src/model/card.js'
import {decodeImage} from '../../src/pipeline/decode.js'
import {prepareInput} from '../../src/pipeline/preprocess/prepare.js'
import {fixture, readNpy} from '../helpers/fixtures.js'

interface Golden {
  file: string
  channels: number
  cv2: string
  pil: string
  cv2MaxDiffFromHighByte: number
}
const manifest = JSON.parse(readFileSync(fixture('input16', 'manifest.json'), 'utf8')) as {
  card: {preprocess: PreprocessCard}
  preprocessor: {size: {height: number; width: number}}
  images: Record<string, Golden>
}
const cv2Card = manifest.card.preprocess
const pilCard: PreprocessCard = {
  ...cv2Card,
  ...manifest.preprocessor.size,
  keepAspect: false,
  multiple: 1,
  resize: 'pil-bilinear',
}

const bytes = (name: string, kind: string): Uint8Array => readNpy(fixture('input16', `${name}.${kind}.npy`)).data as Uint8Array
const floats = (name: string, kind: string): Float32Array => readNpy(fixture('input16', `${name}.${kind}.npy`)).data as Float32Array
const decode = (golden: Golden, mode: 'high-byte' | 'full') => decodeImage(golden.file, readFileSync(fixture('input16', golden.file)), 1e6, mode)
const differing = (a: ArrayLike<number>, b: ArrayLike<number>): number => Array.prototype.filter.call(a, (v: number, i) => v !== b[i]).length

describe('16-bit inputs as the references read them', () => {
  it('covers RGB, grey, RGBA and grey + alpha PNGs and RGB and grey TIFFs', () => {
    assert.deepEqual(Object.keys(manifest.images).sort(), ['grey16-png', 'grey16-tif', 'greya16-png', 'rgb16-png', 'rgb16-tif', 'rgba16-png'])
  })

  for (const [name, golden] of Object.entries(manifest.images)) {
    it(`${name}: the high byte by default, as cv2 reads ${golden.cv2 === 'high byte' ? 'it' : 'it within one level'} and Pillow ${golden.pil === 'high byte' ? 'too' : 'not'}`, async () => {
      const image = await decode(golden, 'high-byte')
      assert.deepEqual([image.bitDepth, image.width, image.height], [8, 30, 18])
      assert.deepEqual(image.pixels, bytes(name, 'high-byte'))
      const cv2 = bytes(name, 'cv2')
      const pil = bytes(name, 'pil')
      if (golden.cv2 === 'high byte') assert.deepEqual(image.pixels, cv2)
      else {
        // cv2's TIFF decoder rounds v / 257 for colour: a deliberate departure of at most one level.
        assert.equal(golden.cv2, 'round(v / 257)')
        assert.ok(differing(image.pixels, cv2) > 0)
        assert.equal(Math.max(...image.pixels.map((v, i) => Math.abs(v - cv2[i]!))), 1)
      }
      if (golden.pil === 'high byte') assert.deepEqual(image.pixels, pil)
      else {
        // Pillow opens plain 16-bit grey as I;16 and clips it to 0..255: the other deliberate departure.
        assert.deepEqual([golden.pil, golden.channels], ['clipped to 0..255', 1])
        assert.ok(differing(image.pixels, pil) > image.pixels.length / 2)
      }
    })

    it(`${name}: the network input of an isl-org card (cv2 cubic), on both kernel backends`, async () => {
      const image = await decode(golden, 'high-byte')
      const expected = floats(name, 'input.cv2-cubic')
      for (const backend of ['wasm', 'typescript'] as const) {
        const prepared = prepareInput(image, cv2Card, backend)
        assert.deepEqual(prepared.dims, [1, 3, 16, 32])
        assert.deepEqual(prepared.tensor, expected, backend)
      }
    })

    it(`${name}: the network input of a Hugging Face processor (Pillow bilinear)`, async () => {
      const prepared = prepareInput(await decode(golden, 'high-byte'), pilCard, 'typescript')
      assert.deepEqual(prepared.dims, [1, 3, 24, 32])
      assert.deepEqual(prepared.tensor, floats(name, 'input.pil-bilinear'))
    })

    it(`${name}: --keep-16bit keeps all 16 bits on the float path (/ 65535)`, async () => {
      const image = await decode(golden, 'full')
      assert.equal(image.bitDepth, 16)
      const prepared = prepareInput(image, cv2Card, 'wasm')
      const expected = floats(name, 'input.cv2-cubic.full')
      assert.deepEqual(prepared.tensor, expected)
      assert.ok(differing(prepared.tensor, floats(name, 'input.cv2-cubic')) > 0)
    })
  }
})
