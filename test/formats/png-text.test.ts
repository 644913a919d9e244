import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import zlib from 'node:zlib'
import sharp from 'sharp'
import {encodePng8Grey} from '../../src/formats/png.js'
import {encodePng16} from '../../src/formats/png16.js'
import {readPngText, textChunks, withText} from '../../src/formats/png-text.js'

/** Chunk types in order, each CRC checked. */
function chunkTypes(png: Buffer): string[] {
  const types = []
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at)
    assert.equal(png.readUInt32BE(at + 8 + length), zlib.crc32(png.subarray(at + 4, at + 8 + length)))
    types.push(png.toString('latin1', at + 4, at + 8))
    at += 12 + length
  }
  return types
}

const ENTRIES = [
  ['dpt:min', '-0.05624921'],
  ['dpt:mapping', 'value = dpt:min + v / 65535 * (dpt:max - dpt:min)'],
] as const

describe('PNG text chunks', () => {
  it('are tEXt chunks: keyword, NUL, Latin-1 text', () => {
    const chunk = textChunks([['dpt:max', '2.5']])
    assert.deepEqual([...chunk.subarray(0, 8)], [0, 0, 0, 11, 0x74, 0x45, 0x58, 0x74])
    assert.equal(chunk.toString('latin1', 8, 19), 'dpt:max\u00002.5')
    assert.equal(chunk.readUInt32BE(19), zlib.crc32(chunk.subarray(4, 19)))
  })

  it('go after IHDR of a 16-bit PNG and of sharp’s 8-bit PNGs, which keep their pixels', async () => {
    const values = Uint16Array.from({length: 12}, (_, i) => i * 5000)
    const png16 = await encodePng16(values, 4, 3, ENTRIES)
    assert.deepEqual(chunkTypes(png16), ['IHDR', 'tEXt', 'tEXt', 'IDAT', 'IEND'])
    assert.deepEqual(readPngText(png16), Object.fromEntries(ENTRIES))
    const plain = await encodePng16(values, 4, 3)
    assert.deepEqual(chunkTypes(plain), ['IHDR', 'IDAT', 'IEND'])
    const decoded = await sharp(png16).toColourspace('grey16').raw({depth: 'ushort'}).toBuffer()
    assert.deepEqual(new Uint16Array(decoded.buffer, decoded.byteOffset, 12), values)

    const grey = Uint8Array.from({length: 12}, (_, i) => i * 20)
    const png8 = withText(await encodePng8Grey(grey, 4, 3), ENTRIES)
    assert.equal(chunkTypes(png8)[1], 'tEXt')
    assert.deepEqual(readPngText(png8), Object.fromEntries(ENTRIES))
    assert.deepEqual(new Uint8Array(await sharp(png8).toColourspace('b-w').raw().toBuffer()), grey)
    assert.deepEqual(withText(png8, []), png8)
  })

  it('refuses keywords and text PNG readers would not accept', () => {
    for (const keyword of ['', ' lead', 'trail ', 'two  spaces', 'x'.repeat(80), 'tab\there']) {
      assert.throws(() => textChunks([[keyword, 'v']]), /Invalid PNG text keyword/, JSON.stringify(keyword))
    }
    assert.throws(() => textChunks([['k', 'caf\u00e9']]), /printable ASCII/)
    assert.throws(() => withText(Buffer.from('not a png at all, no'), ENTRIES), /not a PNG/)
  })
})
