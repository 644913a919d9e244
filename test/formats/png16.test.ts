import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {describe, it} from 'node:test'
import zlib from 'node:zlib'

import sharp from 'sharp'

import {encodePng16, png16Parts, tableCrc32} from '../../src/formats/png16.js'
import {fixture, readNpy} from '../helpers/fixtures.js'

/** Bit depth and colour type from the IHDR chunk, which always follows the 8-byte signature. */
function ihdr(png: Buffer): {width: number; height: number; bitDepth: number; colourType: number} {
  assert.equal(png.toString('latin1', 12, 16), 'IHDR')
  return {width: png.readUInt32BE(16), height: png.readUInt32BE(20), bitDepth: png[24]!, colourType: png[25]!}
}

/** The chunks of a PNG, each with its CRC checked. */
function chunks(png: Buffer): {type: string; data: Buffer}[] {
  const out = []
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at)
    const type = png.toString('latin1', at + 4, at + 8)
    const data = png.subarray(at + 8, at + 8 + length)
    assert.equal(png.readUInt32BE(at + 8 + length), zlib.crc32(png.subarray(at + 4, at + 8 + length)), `${type} CRC`)
    out.push({type, data})
    at += 12 + length
  }
  return out
}

async function decode16(png: Buffer): Promise<Uint16Array> {
  const {data, info} = await sharp(png).toColourspace('grey16').raw({depth: 'ushort'}).toBuffer({resolveWithObject: true})
  assert.equal(info.channels, 1)
  return new Uint16Array(data.buffer, data.byteOffset, data.length / 2)
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
describe('encodePng16: the file cv2.imwrite writes by default', () => {
  it('holds IHDR, one IDAT and IEND, with valid CRCs', async () => {
    assert.deepEqual(
      chunks(await encodePng16(ramp16, W, H)).map((c) => c.type),
      ['IHDR', 'IDAT', 'IEND'],
    )
  })

  it('filters every row with Sub, byte by byte modulo 256, big-endian', async () => {
    const values = Uint16Array.from([0x0102, 0x0001, 0xffff, 0x0000, 0x1234, 0x1233])
    const idat = chunks(await encodePng16(values, 3, 2)).find((c) => c.type === 'IDAT')!
    const rows = zlib.inflateSync(idat.data)
    assert.deepEqual([...rows], [1, 0x01, 0x02, 0xff, 0xff, 0xff, 0xfe, 1, 0x00, 0x00, 0x12, 0x34, 0x00, 0xff])
  })

  it('round-trips extreme and random values at an odd size', async () => {
    let seed = 7
    const values = Uint16Array.from({length: 101 * 13}, (_, i) => (i % 5 === 0 ? [0, 65535][i % 2]! : (seed = (seed * 1103515245 + 12345) >>> 0) >>> 16))
    assert.deepEqual(await decode16(await encodePng16(values, 101, 13)), values)
  })
})

describe('png16Parts', () => {
  it('are the file in parts: the deflate output chunks uncopied, the IDAT CRC carried across them', async () => {
    // Noise does not compress: over 1 MB of deflate output, so zlib hands over several chunks.
    const w = 700
    const h = 800
    let seed = 11
    const values = Uint16Array.from({length: w * h}, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 16)
    const rows = new Uint8Array((1 + 2 * w) * h)
    for (let y = 0; y < h; y++) {
      rows[y * (1 + 2 * w)] = 0 // filter type None: the rows are the big-endian samples
      for (let x = 0; x < w; x++) {
        rows[y * (1 + 2 * w) + 1 + 2 * x] = values[y * w + x]! >>> 8
        rows[y * (1 + 2 * w) + 2 + 2 * x] = values[y * w + x]! & 0xff
      }
    }
    const parts = await png16Parts(rows, w, h)
    assert.ok(parts.length > 3, `${parts.length} parts`)
    const png = Buffer.concat(parts)
    assert.deepEqual(
      chunks(png).map((c) => c.type),
      ['IHDR', 'IDAT', 'IEND'],
    )
    assert.deepEqual(zlib.inflateSync(chunks(png)[1]!.data), Buffer.from(rows))
    assert.deepEqual(await decode16(png), values)
  })
})

describe('tableCrc32 (the fallback for Node releases without zlib.crc32)', () => {
  it('gives the CRC-32 check value and agrees with zlib on random data and when continued', () => {
    assert.equal(tableCrc32(Buffer.from('123456789')), 0xcbf43926)
    const data = Uint8Array.from({length: 4099}, (_, i) => (i * 2654435761) >>> 24)
    assert.equal(tableCrc32(data), zlib.crc32(data))
    assert.equal(tableCrc32(data.subarray(1000), tableCrc32(data.subarray(0, 1000))), zlib.crc32(data))
  })
})
