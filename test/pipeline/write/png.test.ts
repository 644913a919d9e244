import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {describe, it} from 'node:test'

import sharp from 'sharp'

import {encodePng16, encodePng8Grey, encodePngRgb, encodePngRgba} from '../../../src/pipeline/write/png.js'
import {fixture, readNpy} from '../../helpers/fixtures.js'

/** Bit depth and colour type from the IHDR chunk, which always follows the 8-byte signature. */
function ihdr(png: Buffer): {width: number; height: number; bitDepth: number; colourType: number} {
  assert.equal(png.toString('latin1', 12, 16), 'IHDR')
  return {width: png.readUInt32BE(16), height: png.readUInt32BE(20), bitDepth: png[24]!, colourType: png[25]!}
}

async function decode16(png: Buffer): Promise<Uint16Array> {
  const {data, info} = await sharp(png).toColourspace('grey16').raw({depth: 'ushort'}).toBuffer({resolveWithObject: true})
  assert.equal(info.channels, 1)
  return new Uint16Array(data.buffer, data.byteOffset, data.length / 2)
}

async function decode8(png: Buffer, grey = false): Promise<{data: Uint8Array; channels: number}> {
  // sharp hands back sRGB unless asked for one grey channel.
  const image = grey ? sharp(png).toColourspace('b-w') : sharp(png)
  const {data, info} = await image.raw().toBuffer({resolveWithObject: true})
  return {data: new Uint8Array(data), channels: info.channels}
}

const W = 37
const H = 11
const ramp16 = Uint16Array.from({length: W * H}, (_, i) => [0, 65535, 256, 257, 1][i] ?? (i * 40503) % 65536)

describe('encodePng16', () => {
  it('writes a single-channel 16-bit grey PNG (IHDR bit depth 16, colour type 0)', async () => {
    assert.deepEqual(ihdr(await encodePng16(ramp16, W, H)), {width: W, height: H, bitDepth: 16, colourType: 0})
  })

  it('decodes back to the same values through sharp', async () => {
    assert.deepEqual(await decode16(await encodePng16(ramp16, W, H)), ramp16)
  })

  it('encodes a subarray view by its own elements', async () => {
    const backing = new Uint16Array(ramp16.length + 3)
    backing.set(ramp16, 3)
    assert.deepEqual(await decode16(await encodePng16(backing.subarray(3), W, H)), ramp16)
  })

  it('gives the same bytes every time', async () => {
    assert.ok((await encodePng16(ramp16, W, H)).equals(await encodePng16(ramp16, W, H)))
  })

  it('holds the values the reference cv2.imwrite PNG holds', async () => {
    const golden = readNpy(fixture('write', 'depth_u16.npy'))
    const fromCv2 = await decode16(readFileSync(fixture('write', 'depth_u16_cv2.png')))
    assert.deepEqual(fromCv2, golden.data)
    const [h, w] = golden.shape as [number, number]
    assert.deepEqual(await decode16(await encodePng16(fromCv2, w, h)), golden.data)
  })

  it('refuses data that does not match the size', async () => {
    await assert.rejects(encodePng16(ramp16, W, H + 1), /Expected 16-bit PNG data of 37×12×1 = 444 values, got 407/)
  })
})

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
