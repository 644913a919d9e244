import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import sharp from 'sharp'

import {encodePng8Grey, encodePngRgb, encodePngRgba} from '../../src/formats/png.js'

/** Bit depth and colour type from the IHDR chunk, which always follows the 8-byte signature. */
function ihdr(png: Buffer): {width: number; height: number; bitDepth: number; colourType: number} {
  assert.equal(png.toString('latin1', 12, 16), 'IHDR')
  return {width: png.readUInt32BE(16), height: png.readUInt32BE(20), bitDepth: png[24]!, colourType: png[25]!}
}

async function decode8(png: Buffer, grey = false): Promise<{data: Uint8Array; channels: number}> {
  // sharp hands back sRGB unless asked for one grey channel.
  const image = grey ? sharp(png).toColourspace('b-w') : sharp(png)
  const {data, info} = await image.raw().toBuffer({resolveWithObject: true})
  return {data: new Uint8Array(data), channels: info.channels}
}

const W = 37
const H = 11

describe('8-bit PNGs', () => {
  const grey = Uint8Array.from({length: W * H}, (_, i) => (i * 97) % 256)
  const rgb = Uint8Array.from({length: W * H * 3}, (_, i) => (i * 31) % 256)
  const rgba = Uint8Array.from({length: W * H * 4}, (_, i) => (i * 13) % 256)

  it('grey: one 8-bit channel (colour type 0), values round-trip', async () => {
    const png = await encodePng8Grey(grey, W, H)
    assert.deepEqual(ihdr(png), {width: W, height: H, bitDepth: 8, colourType: 0})
    assert.deepEqual(await decode8(png, true), {data: grey, channels: 1})
  })

  it('RGB: colour type 2, values round-trip', async () => {
    const png = await encodePngRgb(rgb, W, H)
    assert.deepEqual(ihdr(png), {width: W, height: H, bitDepth: 8, colourType: 2})
    assert.deepEqual(await decode8(png), {data: rgb, channels: 3})
  })

  it('RGBA: colour type 6, values round-trip, alpha kept even when opaque', async () => {
    const png = await encodePngRgba(rgba, W, H)
    assert.deepEqual(ihdr(png), {width: W, height: H, bitDepth: 8, colourType: 6})
    assert.deepEqual(await decode8(png), {data: rgba, channels: 4})
    assert.equal(ihdr(await encodePngRgba(new Uint8Array(W * H * 4).fill(255), W, H)).colourType, 6)
  })

  it('refuses a wrong channel count', async () => {
    await assert.rejects(encodePngRgb(grey, W, H), RangeError)
  })
})
